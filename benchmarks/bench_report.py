"""Figures for the write-up: the framework matrix and the theory report on a generated study of
300 interviews of 60 KB, 500 codes (20 categories of 24 codes) and 50,000 codings, one case per
interview.

- the framework matrix of 300 cases x 20 categories, to a table and to XLSX, beside
  ``qcode matrix --level axial`` (counts only, the simplest matrix there is) on the same project;
- the theory report with figures (the core category and the 19 categories related to it), to
  Word and to HTML, beside writing the same codings out as a Markdown segments export.

Run with ``.venv/bin/python benchmarks/bench_report.py`` (``--keep DIR`` builds the study there
once and reuses it). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_foundation import transcript

from qcode import Project
from qcode.services.codings import CodingRequest

N_DOCS, SIZE, N_CATEGORIES, PER_CATEGORY, N_CODINGS = 300, 60_000, 20, 24, 50_000
CATEGORIES = [f"category {c:02d}" for c in range(N_CATEGORIES)]  # the core one too


def build(root: Path) -> Project:
    rng = random.Random(17)
    p = Project.init(root, name="Benchmark study")
    src = root / "transcripts"
    src.mkdir()
    files = []
    for i in range(N_DOCS):
        f = src / f"int{i:03d}.txt"
        f.write_text(transcript(rng, SIZE), encoding="utf-8")
        files.append(f)
    t0 = time.perf_counter()
    p.documents.import_files(files)
    print(f"built: {N_DOCS} documents of {SIZE // 1000} KB in {time.perf_counter() - t0:.1f} s")
    p.attributes.define("occupation", "text")
    for i in range(N_DOCS):
        p.cases.assign(f"int{i:03d}", f"P{i:03d}")
        p.attributes.set(f"P{i:03d}", {"occupation": rng.choice(["rider", "driver", "courier"])})
    paths = []
    for c in range(N_CATEGORIES):
        cat = f"category {c:02d}"
        p.codes.add(cat, level="axial", description=f"What {cat} means.")
        for k in range(PER_CATEGORY):
            p.codes.add(f"code {k:02d}", parent=cat)
            paths.append(f"{cat}/code {k:02d}")
    p.structure.set_core("category 00")
    slots = [
        "causal condition of",
        "context of",
        "consequence of",
        "action/interaction strategy for",
    ]
    for c in range(1, N_CATEGORIES):
        p.structure.relate(f"category {c:02d}", slots[c % len(slots)], "category 00")
    seen: set[tuple[int, int, int, str]] = set()
    reqs: list[CodingRequest] = []
    while len(reqs) < N_CODINGS:
        d, a = rng.randrange(N_DOCS), rng.randrange(0, SIZE - 400)
        key = (d, a, a + rng.randint(40, 400), rng.choice(paths))
        if key not in seen:
            seen.add(key)
            reqs.append(CodingRequest(f"int{d:03d}", key[1], key[2], key[3]))
    for i in range(0, len(reqs), 10_000):
        p.codings.apply_many(reqs[i : i + 10_000])
    for c in range(N_CATEGORIES):
        p.memos.add(f"memo on category {c:02d}", "Some *thoughts*.", "code", [])
    p.memos.add("Storyline", "The story in **one** paragraph.", "storyline")
    print(f"built: {len(reqs)} codings, {len(paths) + N_CATEGORIES} codes")
    return p


def timed(label: str, fn: Callable[[], Any], repeat: int = 1) -> float:
    """Best wall-clock time of ``repeat`` runs, with the CPU time of that run (this process and
    the figure-drawing processes it waited for): on a loaded machine the CPU time says more."""
    best, cpu = float("inf"), 0.0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), os.times()
        fn()
        t1, c1 = time.perf_counter(), os.times()
        if t1 - t0 < best:
            best = t1 - t0
            cpu = sum(c1[:4]) - sum(c0[:4])
    print(f"{label:<58} {best:7.2f} s  (CPU {cpu:.2f} s)")
    return best


async def screen_moves(p: Project) -> list[float]:
    """Key press (the grid's cursor action) to the end of the next screen refresh, on the matrix
    screen, moving right and down through the grid."""
    from textual.screen import Screen
    from textual.widgets import DataTable

    from qcode.tui.app import QcodeApp

    stamps: dict[str, float] = {"start": 0.0}
    refreshes: list[float] = []
    refresh = Screen._compositor_refresh

    def timed_refresh(self: Screen[object]) -> None:
        refresh(self)
        refreshes.append(time.perf_counter())

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    for name in ("action_cursor_right", "action_cursor_down"):
        original = getattr(DataTable, name)

        def stamped(self: object, _orig: Any = original) -> None:
            stamps["start"] = time.perf_counter()
            _orig(self)

        setattr(DataTable, name, stamped)
    out = []
    app = QcodeApp(p)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("8")
        await pilot.pause(2)
        for key in ["right"] * 10 + ["down"] * 20:
            await pilot.press(key)
            await pilot.pause(0.05)
            out.append(next(t for t in refreshes if t > stamps["start"]) - stamps["start"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="build the study in DIR once and reuse it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "study"
        p = Project.open(root) if (root / "qcode.toml").exists() else build(root)
        out = Path(tmp)
        from rich.console import Console

        from qcode.interchange import grid
        from qcode.services.framework_matrix import framework_matrix
        from qcode.services.report import write_report
        from qcode.services.segments import export_segments

        def matrix_table() -> None:  # what qcode matrix framework prints
            from qcode.cli import app, output
            from qcode.cli.matrices import framework

            app._state["project"] = root
            from contextlib import redirect_stdout

            saved = output.out
            output.out = Console(file=io.StringIO(), width=240)
            try:
                with redirect_stdout(io.StringIO()):
                    framework(
                        "cases", ",".join(CATEGORIES), None, None, [], "occupation", "table", None
                    )
            finally:
                output.out = saved

        def matrix_xlsx() -> None:
            m = framework_matrix(p, "cases", CATEGORIES, attributes=["occupation"])
            header = ["case", "occupation", *m.columns]
            body = [
                [n, v["occupation"], *(c.text() for c in cells)]
                for n, v, cells in zip(m.rows, m.values, m.cells, strict=True)
            ]
            grid.write_xlsx(out / "m.xlsx", "matrix", header, body, 2, m.attribute_types)

        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average {load} on {os.cpu_count()} cores; {N_DOCS} x {N_CATEGORIES} matrix")
        timed(
            "qcode matrix --level axial (counts only, baseline)",
            lambda: p.analysis.matrix(level="axial"),
            3,
        )
        timed("framework matrix 300 x 20 to a table", matrix_table, 3)
        timed("framework matrix 300 x 20 to XLSX", matrix_xlsx, 3)
        timed(
            "segments export to Markdown (baseline)",
            lambda: export_segments(p, out / "s.md", "md"),
        )
        timed(
            "theory report, 20 categories, 3 quotes, figures, DOCX",
            lambda: write_report(p, out / "r.docx", core=True, with_figures=True),
        )
        timed(
            "theory report, 20 categories, 3 quotes, figures, HTML",
            lambda: write_report(p, out / "r.html", core=True, with_figures=True),
        )
        timed(
            "theory report without figures, DOCX",
            lambda: write_report(p, out / "r2.docx", core=True),
        )
        import asyncio
        import statistics

        moves = asyncio.run(screen_moves(p))
        print(
            f"{'matrix screen (8): key press to repaint, cell to cell':<58} median "
            f"{1000 * statistics.median(moves):.1f} ms, max {1000 * max(moves):.1f} ms"
        )
        p.close()


if __name__ == "__main__":
    main()
