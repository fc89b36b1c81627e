"""Figures for exchange: export of a generated project with 2,000 documents, 200 codes and
200,000 codings to REFI-QDA ``.qdpx``, and creation of a new project from that file (reading,
checking, segmenting every source and writing the database).

Run with ``.venv/bin/python benchmarks/bench_exchange.py`` (``--keep DIR`` builds the project there
once and reuses it, as bench_analysis.py does). Prints numbers; asserts only that what came back
has as many codings as what went out.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_analysis import build
from sqlalchemy import func, select

from qcode import Project
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.store.models import Coding


def run(p: Project, repeat: int) -> None:
    with p.read() as s:
        n = s.scalar(select(func.count(Coding.id)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "project.qdpx"
        exports, imports = [], []
        for i in range(repeat):
            t0 = time.perf_counter()
            report = export_qdpx(p, out)
            exports.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            q, _ = create_from_qdpx(Path(tmp) / f"in{i}", out)
            imports.append(time.perf_counter() - t0)
            with q.read() as s:
                back = s.scalar(select(func.count(Coding.id)))
            q.close()
            assert back == n == report.counts["codings"], (back, n)
        size = out.stat().st_size / 1e6
    print(f"{n} codings, .qdpx of {size:.1f} MB")
    print(
        f"export: median {statistics.median(exports):.1f} s (best {min(exports):.1f} s); "
        f"import: median {statistics.median(imports):.1f} s (best {min(imports):.1f} s); "
        f"{repeat} run(s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--codes", type=int, default=200)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Build the project here, or reuse it.")
    args = ap.parse_args()
    if args.keep is not None:
        p = (
            Project.open(args.keep)
            if (args.keep / "qcode.toml").exists()
            else build(args.keep, args.docs, args.codes, args.codings)
        )
        run(p, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(build(Path(tmp) / "p", args.docs, args.codes, args.codings), args.repeat)


if __name__ == "__main__":
    main()
