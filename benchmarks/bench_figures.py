"""Figures for figures: a 500-code network with every co-occurring pair drawn, to PNG at 300 dpi,
placed as qcode places labels now and as it did before (labels on their nodes, nodes pushed
apart), each with the overlaps the checker finds in the drawn figure; and the layered figure of
the bundled example study.

Run with ``.venv/bin/python benchmarks/bench_figures.py``. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from figure_data import sample_network  # noqa: E402

from qcode import Project  # noqa: E402
from qcode.analysis.figure_check import findings, read  # noqa: E402
from qcode.analysis.network_figure import draw_network  # noqa: E402


def timed(fn, runs: int = 3) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times), out


def main() -> None:
    draw_network(sample_network(10), Path(tempfile.mkdtemp()) / "warm.png")  # loads matplotlib
    g = sample_network(500, "en")
    print(f"network: {g.number_of_nodes()} codes, {g.number_of_edges()} edges")
    with tempfile.TemporaryDirectory() as out:
        for placement in ("beside", "push"):
            for lang in ("en", "zh"):
                gl = g if lang == "en" else sample_network(500, "zh")
                path = Path(out) / f"{placement}-{lang}.png"
                med, worst, _ = timed(
                    lambda gl=gl, path=path, placement=placement: draw_network(
                        gl, path, placement=placement
                    )
                )
                found = findings(read(path))
                kinds = {
                    k: sum(1 for f in found if f.kind == k)
                    for k in ("overlap", "covers-node", "outside")
                }
                hidden = read(path).hidden
                print(
                    f"  {placement:6} {lang}: PNG 300 dpi median {med:.2f} s (max {worst:.2f}); "
                    f"overlaps {kinds['overlap']}, labels on other nodes {kinds['covers-node']}, "
                    f"outside {kinds['outside']}; unlabelled {hidden}"
                )
        tmp = Path(out) / "study"
        shutil.copytree(
            ROOT / "projects" / "flexible-employment", tmp, ignore=shutil.ignore_patterns(".qcode*")
        )
        subprocess.run(
            [str(Path(sys.executable).with_name("qcode")), "build", str(tmp)],
            check=True,
            capture_output=True,
        )
        p = Project.open(tmp)
        study = p.analysis.network(include=["framework", "hierarchy", "relations"])
        path = Path(out) / "layered.png"
        med, worst, _ = timed(lambda: draw_network(study, path, layout="layered"))
        found = findings(read(path))
        print(
            f"layered figure of the example study ({study.number_of_nodes()} nodes, "
            f"{study.number_of_edges()} edges): PNG 300 dpi median {med:.2f} s (max {worst:.2f}); "
            f"findings {len(found)}"
        )


if __name__ == "__main__":
    main()
