"""Figures for keyword in context: ``qcode kwic TERM`` over about 18 MB of generated interview
text (3,600 documents of 5 KB), the whole process as a researcher runs it, as the default table,
with ``--all``, as CSV and as JSON; beside it the simplest alternative in the same run: reading
every text with sqlite3 and finding the term with Python's ``re`` (no context, no table).

Run with ``.venv/bin/python benchmarks/bench_kwic.py [--keep DIR]`` (``--keep`` builds the
project there once and reuses it). Prints numbers; asserts only that every way finds as many
hits.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_analysis import build

from qcode import Project

QCODE = [sys.executable, "-m", "qcode"]


def timed(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def simplest(db: Path, term: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    pattern = re.compile(r"\b" + re.escape(term) + r"\b", re.IGNORECASE)
    con = sqlite3.connect(db)
    n = size = 0
    for (text,) in con.execute("SELECT text FROM documents ORDER BY id"):
        size += len(text.encode("utf-8"))
        n += sum(1 for _ in pattern.finditer(text))
    con.close()
    return time.perf_counter() - t0, n, size


def run(root: Path, term: str, repeat: int) -> None:
    t_re, n_re, size = simplest(root / "project.db", term)
    print(f"{size / 1e6:.1f} MB of text; {n_re:,} hits of {term!r}")
    t_json, out = timed([*QCODE, "kwic", term, "--format", "json"], root, repeat)
    n = len(json.loads(out))
    assert n == n_re, (n, n_re)
    t_table, _ = timed([*QCODE, "kwic", term], root, repeat)
    t_all, out_all = timed([*QCODE, "kwic", term, "--all"], root, repeat)
    t_csv, out_csv = timed([*QCODE, "kwic", term, "--format", "csv"], root, repeat)
    assert len(out_csv.splitlines()) >= n + 1
    t_help, _ = timed([*QCODE, "--help"], root, repeat)
    print(f"whole process, median of {repeat}:")
    print(f"  qcode kwic (table, a screenful): {t_table:.2f} s")
    print(f"  qcode kwic --all (every hit):    {t_all:.2f} s ({len(out_all) / 1e6:.1f} MB out)")
    print(f"  qcode kwic --format csv:         {t_csv:.2f} s")
    print(f"  qcode kwic --format json:        {t_json:.2f} s")
    print(f"  qcode --help (start-up alone):   {t_help:.2f} s")
    print(f"simplest alternative (sqlite3 + re, in one process, no context): {t_re:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=3600)
    ap.add_argument("--term", default="contract")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Build the project here, or reuse it.")
    args = ap.parse_args()
    if args.keep is not None:
        if not (args.keep / "qcode.toml").exists():
            build(args.keep, args.docs, 10, 100).close()
        run(args.keep, args.term, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        p: Project = build(Path(tmp) / "p", args.docs, 10, 100)
        p.close()
        run(Path(tmp) / "p", args.term, args.repeat)


if __name__ == "__main__":
    main()
