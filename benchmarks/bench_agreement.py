"""Agreement at scale: 3 coders x 50,000 codings each over 300 documents of 20 KB (20 codes), from
the database to the result, and ``qcode agreement`` as a whole (table and JSON), with wall time and
peak memory (maximum resident set of a fresh process for each measurement).

Compared in the same run with the simple approach: the codings read as one Python object each
(``Coding`` named tuples) and handed to the same statistics.

Run with ``.venv/bin/python benchmarks/bench_agreement.py`` (``--keep DIR`` keeps the generated
project there and reuses it on the next run).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_foundation import transcript  # noqa: E402

from qcode import Project  # noqa: E402
from qcode.services.codings import CodingRequest  # noqa: E402

DOCS, SIZE, CODES, EACH, CODERS = 300, 20_000, 20, 50_000, ("A", "B", "C")

MEASURE = """
import resource, sys, time
from qcode import Project
from qcode.services import agreement as service
root, mode = sys.argv[1], sys.argv[2]
if mode == "simple":
    from qcode.analysis.agreement import Coding

    def read_objects(c, q, tree, ids, coder_id):
        name_of = {v: k for k, v in coder_id.items()}
        return [
            Coding(ids[r.document_id], tree.path(r.code_id), name_of[r.coder_id], r.start, r.end)
            for r in c.execute(q)
            if r.document_id in ids
        ]

    service._read_columns = read_objects
with Project.open(root) as p:
    t0 = time.perf_counter()
    data = service.agreement(p, ["A,B,C"], unit="char")
    wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{wall:.2f} {peak:.0f} {len(data['rows'])}")
"""


def build(root: Path) -> None:
    rng = random.Random(7)
    with Project.init(root / "p") as p:
        files = []
        for i in range(DOCS):
            f = root / f"doc{i:03d}.txt"
            f.write_text(transcript(rng, SIZE), encoding="utf-8")
            files.append(f)
        p.documents.import_files(files)
        for i in range(CODES):
            p.codes.add(f"code{i}")
        lengths = {d.name: d.chars for d in p.documents.list()}
        names = sorted(lengths)
        for coder in CODERS:
            reqs = []
            for _ in range(EACH):
                name = rng.choice(names)
                start = rng.randrange(lengths[name] - 400)
                reqs.append(
                    CodingRequest(
                        name,
                        start,
                        start + rng.randint(20, 400),
                        f"code{rng.randrange(CODES)}",
                        coder,
                    )
                )
            p.codings.apply_many(reqs)


def measure(project: Path, mode: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(project), mode],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


COMMAND = """
import resource, sys
from qcode.cli.main import run
sys.argv = ["qcode", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)
"""


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def command(project: Path, *extra: str) -> tuple[float, float, float]:
    """The whole command in a fresh process, start-up and printing included: wall time, CPU
    time (less sensitive to a loaded machine) and peak memory."""
    cpu0 = _cpu()
    t0 = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            COMMAND,
            "-p",
            str(project),
            "agreement",
            "--coders",
            ",".join(CODERS),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    return wall, _cpu() - cpu0, float(done.stderr.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--keep", type=Path, help="generate the project here once and reuse it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        if not (root / "p" / "project.db").exists():
            root.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            build(root)
            print(f"built the project in {time.perf_counter() - t0:.0f} s")
        project = root / "p"
        print(
            f"agreement, {len(CODERS)} coders x {EACH:,} codings over {DOCS} documents of "
            f"{SIZE // 1000} KB, {CODES} codes (database to result, median of 3, fresh process each)"
        )
        for mode, label in (
            ("columns", "qcode (integer columns)"),
            ("simple", "simple approach (one object per coding)"),
        ):
            runs = sorted(measure(project, mode) for _ in range(3))
            wall, peak = runs[1][0], max(r[1] for r in runs)
            print(f"  {label}: {wall:.2f} s, peak {peak:.0f} MB")
        for extra, label in (
            ((), "qcode agreement (tables)"),
            (("--json",), "qcode agreement --json"),
            (("--json", "--disagreements"), "qcode agreement --json --disagreements"),
        ):
            runs = sorted(command(project, *extra) for _ in range(3))
            print(
                f"  {label}: {runs[1][0]:.2f} s ({runs[1][1]:.2f} s CPU), "
                f"peak {max(r[2] for r in runs):.0f} MB"
            )


if __name__ == "__main__":
    main()
