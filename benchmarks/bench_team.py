"""Figures for teams: agreement for 2 coders over 100 documents of 40 KB with 20,000 codings each,
from the database to the result (``qcode agreement`` without its start-up); and eight processes coding at once on one project, on PostgreSQL (a server
started here on loopback, with its default durability) and on SQLite (WAL); codings per second and
how many acknowledged codings are missing (must be zero).

Run with ``.venv/bin/python benchmarks/bench_team.py`` (needs PostgreSQL's server programs:
``make postgres``). Each coding is its own transaction and undo step, as in the workbench.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_foundation import transcript  # noqa: E402
from pgserver import create_database, server  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from qcode import Project  # noqa: E402
from qcode.services.agreement import agreement  # noqa: E402
from qcode.services.codings import CodingRequest  # noqa: E402
from qcode.store.models import Coding  # noqa: E402

WORKER = """
import sys
from qcode import Project
root, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Project.open(root) as p:
    text_len = len(p.documents.text("doc"))
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(n):
        s = (i * 37) % (text_len - 20)
        p.codings.apply("doc", s, s + 10 + i % 7, f"code{i % 10}", coder=coder)
print(n, flush=True)
"""


def run(root: Path, processes: int, each: int) -> tuple[float, int, int]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), f"coder{k}", str(each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(processes)
    ]
    for p in procs:  # every process has opened the project: start them together
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    t0 = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    acknowledged = sum(int(p.communicate()[0].strip()) for p in procs)
    wall = time.perf_counter() - t0
    with Project.open(root) as q, q.read() as s:
        stored = int(s.scalar(select(func.count(Coding.id))) or 0)
    return wall, acknowledged, stored


def prepare(root: Path, url: str | None) -> None:
    with Project.init(root, db_url=url) as p:
        f = root.parent / "doc.txt"
        f.write_text(("Some months I pay, some months I cannot. " * 200).strip(), encoding="utf-8")
        p.documents.import_files([f])
        for i in range(10):
            p.codes.add(f"code{i}")


def bench_agreement(root: Path, docs: int, size: int, each: int) -> None:
    rng = random.Random(7)
    with Project.init(root) as p:
        files = []
        for i in range(docs):
            f = root.parent / f"doc{i:03d}.txt"
            f.write_text(transcript(rng, size), encoding="utf-8")
            files.append(f)
        p.documents.import_files(files)
        for i in range(20):
            p.codes.add(f"code{i}")
        lengths = {d.name: d.chars for d in p.documents.list()}
        for coder in ("A", "B"):
            reqs = []
            for _ in range(each):
                name = rng.choice(sorted(lengths))
                start = rng.randrange(lengths[name] - 400)
                reqs.append(
                    CodingRequest(
                        name, start, start + rng.randint(20, 400), f"code{rng.randrange(20)}", coder
                    )
                )
            p.codings.apply_many(reqs)
        times = {}
        for unit in ("char", "sentence"):
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                data = agreement(p, ["A,B"], unit=unit)
                runs.append(time.perf_counter() - t0)
            times[unit] = statistics.median(runs)
        n = sum(1 for _ in p.codings.list())
    print(
        f"agreement, 2 coders, {docs} documents of {size // 1000} KB, {n} codings, "
        f"{len(data['rows'])} rows: char {times['char']:.2f} s, sentence "
        f"{times['sentence']:.2f} s (median of 3, database to result)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--processes", type=int, default=8)
    ap.add_argument("--each", type=int, default=250)
    ap.add_argument("--skip-agreement", action="store_true")
    args = ap.parse_args()
    if not args.skip_agreement:
        with tempfile.TemporaryDirectory() as tmp:
            bench_agreement(Path(tmp) / "agree", 100, 40_000, 20_000)
    with tempfile.TemporaryDirectory() as tmp, server(durable=True) as pg:
        for label, url in (("PostgreSQL", create_database(pg, "bench")), ("SQLite", None)):
            root = Path(tmp) / label
            root.mkdir()
            prepare(root / "p", url)
            wall, acknowledged, stored = run(root / "p", args.processes, args.each)
            print(
                f"{label}: {args.processes} processes x {args.each} codings: {wall:.1f} s, "
                f"{stored / wall:.0f} codings/s; acknowledged {acknowledged}, stored {stored}, "
                f"lost {acknowledged - stored}"
            )


if __name__ == "__main__":
    main()
