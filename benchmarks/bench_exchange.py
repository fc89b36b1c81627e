"""Figures for exchange: export of a generated project with 2,000 documents, 200 codes and
200,000 codings to REFI-QDA ``.qdpx``, and creation of a new project from that file (reading,
checking, segmenting every source and writing the database).

Run with ``.venv/bin/python benchmarks/bench_exchange.py`` (``--keep DIR`` builds the project there
once and reuses it, as bench_analysis.py does). Prints numbers: the service calls, the whole
``qcode export`` and ``qcode init --from`` commands, ``qcode merge`` of the whole project into an
empty one, and beside them the floor of unzipping the file and parsing its XML; asserts only that what came back has as many codings as what went out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench_analysis import build
from lxml import etree
from sqlalchemy import func, select

from qcode import Project
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.store.models import Coding

QCODE = [sys.executable, "-m", "qcode"]


def run(p: Project, repeat: int) -> None:
    with p.read() as s:
        n = s.scalar(select(func.count(Coding.id)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "project.qdpx"
        cli_out, cli_in, cli_merge, floor = [], [], [], []
        # the whole commands first, as a researcher runs them: after the service calls below
        # this process holds several hundred MB, and on this machine that alone made each
        # command about half a second slower
        for i in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(
                [*QCODE, "-p", str(p.root), "export", "--format", "qdpx", "-o", str(out)],
                check=True,
                capture_output=True,
            )
            cli_out.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run(
                [*QCODE, "init", str(Path(tmp) / f"cli{i}"), "--from", str(out)],
                check=True,
                capture_output=True,
            )
            cli_in.append(time.perf_counter() - t0)
            # a coder's copy of the whole project merged into an empty one (every coding new)
            empty = Path(tmp) / f"empty{i}"
            subprocess.run([*QCODE, "init", str(empty)], check=True, capture_output=True)
            t0 = time.perf_counter()
            subprocess.run(
                [*QCODE, "-p", str(empty), "merge", str(p.root)], check=True, capture_output=True
            )
            cli_merge.append(time.perf_counter() - t0)
            # the floor: unzipping the project file and parsing its XML, nothing else
            t0 = time.perf_counter()
            with zipfile.ZipFile(out) as z:
                etree.fromstring(z.read("project.qde"), etree.XMLParser(huge_tree=True))
            floor.append(time.perf_counter() - t0)
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
    print(f"{n} codings, .qdpx of {size:.1f} MB; load {load()}")
    print(
        f"export: median {statistics.median(exports):.1f} s (best {min(exports):.1f} s); "
        f"import: median {statistics.median(imports):.1f} s (best {min(imports):.1f} s); "
        f"{repeat} run(s)"
    )
    print(
        f"whole commands: qcode export {statistics.median(cli_out):.1f} s, "
        f"qcode init --from {statistics.median(cli_in):.1f} s (medians); "
        f"unzipping and parsing the XML alone {statistics.median(floor):.1f} s; load {load()}"
    )
    print(
        f"qcode merge of the whole project into an empty one {statistics.median(cli_merge):.1f} s "
        f"(median; init --from its .qdpx, the same rows, above); load {load()}"
    )


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


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
