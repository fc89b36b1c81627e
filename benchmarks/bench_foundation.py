"""Figures for the foundation: import speed, per-coding cost, and listing a large project.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_foundation.py``). Prints numbers;
asserts nothing. ``--docs``, ``--codings`` and ``--big`` scale the three experiments down for a
quick look.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from qcode import Project
from qcode.services.codings import CodingRequest

WORDS = [
    "the",
    "contribution",
    "base",
    "is",
    "about",
    "845",
    "yuan",
    "a",
    "month",
    "and",
    "my",
    "income",
    "changes",
    "every",
    "month",
    "so",
    "I",
    "stopped",
    "paying",
    "last",
    "year",
    "platform",
    "orders",
    "rain",
    "heat",
    "rules",
    "contract",
    "employee",
    "pension",
    "scheme",
    "residents",
    "employees",
    "province",
    "records",
    "moved",
    "home",
    "village",
    "son",
    "state",
    "union",
    "accident",
    "policy",
    "commercial",
    "cover",
    "flexible",
    "work",
    "rider",
    "driver",
    "streamer",
    "designer",
    "keep",
    "money",
    "own",
    "hands",
]


def transcript(rng: random.Random, size: int, words: Sequence[str] = WORDS) -> str:
    """Interviewer and respondent turns of random sentences, ``size`` characters long."""
    lines, total, turn = [], 0, 0
    while total < size:
        speaker = "Interviewer" if turn % 2 == 0 else "Respondent"
        sentences = []
        for _ in range(rng.randint(1, 6)):
            chosen = rng.choices(words, k=rng.randint(4, 24))
            sentences.append(" ".join(chosen).capitalize() + rng.choice([".", ".", "?", "!"]))
        line = f"{speaker}: {' '.join(sentences)}"
        lines.append(line)
        total += len(line) + 1
        turn += 1
    return "\n".join(lines)[:size]


def bench_import(root: Path, n_docs: int, size: int) -> None:
    rng = random.Random(1)
    src = root / "transcripts"
    src.mkdir()
    paths = []
    for i in range(n_docs):
        p = src / f"int{i:04d}.txt"
        p.write_text(transcript(rng, size), encoding="utf-8")
        paths.append(p)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    p = Project.init(root / "import-project")
    t0 = time.perf_counter()
    result = p.documents.import_files(paths)
    dt = time.perf_counter() - t0
    units = p.info()["segments"]
    print(
        f"import: {len(result.imported)} transcripts, {mb:.1f} MB, {units} units stored: "
        f"{dt:.2f} s in all, {dt / mb:.3f} s per MB, {1000 * dt / n_docs:.1f} ms per transcript"
    )
    p.close()


def bench_codings(root: Path, n: int) -> None:
    p = Project.init(root / "coding-project")
    f = root / "one.txt"
    f.write_text(transcript(random.Random(2), 200_000), encoding="utf-8")
    p.documents.import_files([f])
    for i in range(20):
        p.codes.add(f"code {i}")
    rng = random.Random(3)
    spans = []
    for _ in range(n):
        a = rng.randrange(0, 199_000)
        spans.append((a, a + rng.randint(5, 800), f"code {rng.randrange(20)}"))
    t0 = time.perf_counter()
    for a, b, c in spans:
        p.codings.apply("one", a, b, c)
    dt = time.perf_counter() - t0
    print(
        f"codings, one transaction each: {n} through the service API: {dt:.2f} s, "
        f"{1000 * dt / n:.3f} ms per coding"
    )
    reqs = [CodingRequest("one", a, b, c, "batch") for a, b, c in spans]
    t0 = time.perf_counter()
    p.codings.apply_many(reqs)
    dt = time.perf_counter() - t0
    print(f"codings, one transaction for all: {n}: {dt:.2f} s, {1000 * dt / n:.3f} ms per coding")
    p.close()


def bench_big(root: Path, n_codings: int) -> None:
    p = Project.init(root / "big-project")
    rng = random.Random(4)
    src = root / "big"
    src.mkdir()
    paths = []
    for i in range(100):
        f = src / f"doc{i:03d}.txt"
        f.write_text(transcript(rng, 40_000), encoding="utf-8")
        paths.append(f)
    p.documents.import_files(paths)
    for i in range(200):
        p.codes.add(f"code {i:03d}", parent=None if i < 20 else f"code {i % 20:03d}")
    names = [c.path for c in p.codes.list()]
    made = 0
    while made < n_codings:
        reqs = []
        for _ in range(min(20_000, n_codings - made)):
            a = rng.randrange(0, 39_000)
            reqs.append(
                CodingRequest(
                    f"doc{rng.randrange(100):03d}",
                    a,
                    a + rng.randint(5, 900),
                    rng.choice(names),
                    rng.choice(["ann", "ben", "chen"]),
                )
            )
        try:
            p.codings.apply_many(reqs)
            made += len(reqs)
        except Exception:  # an accidental duplicate span: draw again
            continue
    exe = [sys.executable, "-m", "qcode.cli.main"]
    env = {**os.environ, "QCODE_PROJECT": str(p.root)}
    for args in (["info"], ["codes", "list"], ["codes", "list", "--json"]):
        best = min(_timed([*exe, *args], env) for _ in range(3))
        print(
            f"`qcode {' '.join(args)}` on {made} codings: {best:.3f} s (best of 3, whole process)"
        )
    t0 = time.perf_counter()
    p.info()
    t1 = time.perf_counter()
    p.codes.list()
    t2 = time.perf_counter()
    print(f"in-process: info {t1 - t0:.3f} s, codes list {t2 - t1:.3f} s")
    p.close()


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--size", type=int, default=40_000)
    ap.add_argument("--codings", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bench_import(root, args.docs, args.size)
        bench_codings(root, args.codings)
        bench_big(root, args.big)


if __name__ == "__main__":
    main()
