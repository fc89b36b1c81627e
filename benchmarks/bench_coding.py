"""Coding through the service on a project of 300 documents, in random order, and `qcode code
--from` of 200,000 codings, against the simplest alternative in the same run (a bare SQL insert
of the same rows through the same engine, no checks and no undo record).

Prints the median and maximum of single codings, how many times a document's text was read,
and the bulk figures. Run: .venv/bin/python benchmarks/bench_coding.py [N_BULK]"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from qcode import Project
from qcode.store.models import Coding

WORDS = [
    "income",
    "platform",
    "收入",
    "波动",
    "pension",
    "养老保险",
    "contribution",
    "delivery",
    "平台",
    "family",
]


def make(root: Path, n_docs: int, size: int) -> Project:
    rnd = random.Random(7)
    src = root / "src"
    src.mkdir()
    for i in range(n_docs):
        lines, n = [], 0
        while n < size:
            line = " ".join(rnd.choice(WORDS) for _ in range(12))
            lines.append(line)
            n += len(line) + 1
        (src / f"int{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = Project.init(root / "p", name="bench")
    t = time.perf_counter()
    p.documents.import_files(sorted(src.iterdir()))
    print(
        f"set-up: {n_docs} documents of {size // 1000} KB imported in {time.perf_counter() - t:.1f} s"
    )
    for c in range(20):
        p.codes.add(f"code {c}")
    return p


def main() -> None:
    n_bulk = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rnd = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        p = make(root, 300, 10_000)
        docs = [d.name for d in p.documents.list()]
        lengths = {d.name: d.chars for d in p.documents.list()}
        p._texts = type(p._texts)()  # a fresh cache: every text must be read at least once
        times, cpu = [], []
        for i in range(600):
            d = rnd.choice(docs)
            a = rnd.randrange(0, lengths[d] - 50)
            t, c = time.perf_counter(), time.thread_time()
            p.codings.apply(d, a, a + 1 + rnd.randrange(40), f"code {i % 20}")
            times.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        print(
            f"one coding, 600 in random order over 300 documents: median "
            f"{statistics.median(times) * 1000:.2f} ms (CPU {statistics.median(cpu) * 1000:.2f} "
            f"ms), max {max(times) * 1000:.1f} ms; "
            f"texts read {p._texts.loads} (documents touched {len(p._texts)})"
        )
        # the simplest alternative: one bare row inserted in a transaction of its own
        ids = {d.name: d.id for d in p.documents.list()}
        bare = []
        for i in range(600):
            d = rnd.choice(docs)
            row = dict(document_id=ids[d], code_id=1, coder_id=1, start=1, end=2 + 10**6 + i)
            t = time.perf_counter()
            with p.engine.begin() as conn:
                conn.execute(insert(Coding.__table__), dict(row, text="x"))
            bare.append(time.perf_counter() - t)
        base = statistics.median(bare)
        print(
            f"  simplest alternative, one bare SQL insert per transaction: median "
            f"{base * 1000:.2f} ms; ratio {statistics.median(times) / base:.1f}"
        )
        # bulk: a CSV of n_bulk codings
        path = root / "codings.csv"
        rows, seen = [], set()
        while len(rows) < n_bulk:
            d = rnd.choice(docs)
            a = rnd.randrange(0, lengths[d] - 60)
            row = (
                d,
                a,
                a + 5 + rnd.randrange(50),
                f"code {rnd.randrange(20)}",
                f"coder{rnd.randrange(3)}",
            )
            if row not in seen:
                seen.add(row)
                rows.append(row)
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["document", "start", "end", "code", "coder"])
            w.writerows(rows)
        from tests.conftest import run_cli

        t = time.perf_counter()
        r = run_cli("code", "--from", str(path), cwd=root / "p")
        bulk = time.perf_counter() - t
        assert r.code == 0, r.err
        print(f"qcode code --from, {n_bulk:,} codings: {bulk:.1f} s")
        plain = [
            dict(document_id=ids[d], code_id=1, coder_id=1, start=a, end=b + 100_000 + i, text="x")
            for i, (d, a, b, _c, _k) in enumerate(rows)
        ]
        t = time.perf_counter()
        with p.engine.begin() as conn:
            conn.execute(insert(Coding.__table__), plain)
        print(
            f"  simplest alternative, a bare SQL insert of the same rows: {time.perf_counter() - t:.1f} s"
        )
        p.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
