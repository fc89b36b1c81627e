"""The analysis screen driven by keys: units, sorting, co-coded segments, the figure."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_tui import settles
from textual.widgets import DataTable, Static

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.coding import CodingScreen


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files(
        [write(tmp_path / "a.txt", "R: I pay the minimum. Income swings a lot.\nR: I stopped.")]
    )
    p.codes.add("minimum")
    p.codes.add("swings")
    p.codes.add("stopped")
    p.codings.apply("a", 3, 21, "minimum")  # I pay the minimum.
    p.codings.apply("a", 9, 42, "swings")  # the minimum. Income swings a lot.
    p.codings.apply("a", 22, 42, "stopped")  # Income swings a lot. (overlaps both)
    p.codings.apply("a", 46, 56, "stopped")  # I stopped. (second turn)
    return p


def rows(screen: AnalysisScreen) -> list[tuple[str, str, str]]:
    """(code A, code B, count) of every row, in the table's order."""
    t = screen.query_one(DataTable)
    return [(r[0], r[1], r[4]) for r in (t.get_row_at(i) for i in range(t.row_count))]


def test_analysis_screen(coded: Project) -> None:
    async def main() -> None:
        app = QcodeApp(coded)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.pause()
            await pilot.press("4")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AnalysisScreen)
            # overlap: minimum-swings and stopped-swings overlap; minimum-stopped only touch
            assert sorted(rows(screen)) == [("minimum", "swings", "1"), ("stopped", "swings", "1")]
            status = str(screen.query_one("#an-status", Static).render())
            assert "unit overlap" in status
            await pilot.press("u", "u", "u")  # sentence, paragraph, turn
            await pilot.pause()
            assert "unit turn" in str(screen.query_one("#an-status", Static).render())
            # every pair shares the first turn
            assert sorted(rows(screen)) == [
                ("minimum", "stopped", "1"),
                ("minimum", "swings", "1"),
                ("stopped", "swings", "1"),
            ]
            await pilot.press("m")  # sort by the c-coefficient, highest first
            await pilot.pause()
            t = screen.query_one(DataTable)
            cs = [float(t.get_row_at(i)[5]) for i in range(t.row_count)]
            assert cs == sorted(cs, reverse=True) and cs[0] == 1.0
            first = t.get_row_at(0)
            assert (first[0], first[1]) == ("minimum", "swings")
            await pilot.press("r")
            await pilot.pause()
            assert [float(t.get_row_at(i)[5]) for i in range(t.row_count)] == sorted(cs)
            # the pair's segments side by side
            await pilot.press("r")
            t.move_cursor(row=0)
            await pilot.press("enter")
            await pilot.pause()
            a = str(screen.query_one("#an-a", Static).render())
            b = str(screen.query_one("#an-b", Static).render())
            assert "I pay the minimum." in a and "the minimum. Income swings a lot." in b
            assert "1 places (turn)" in str(screen.query_one("#an-pair", Static).render())
            # the figure, drawn in the background, lands in the project's figures folder
            await pilot.press("f")
            for _ in range(200):
                await pilot.pause(0.05)
                if (coded.root / "figures" / "network-open-turn.png").exists():
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()
            png = coded.root / "figures" / "network-open-turn.png"
            assert png.stat().st_size > 1000
            # o opens the place in the coding screen with the segment selected
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)

    asyncio.run(main())


def test_analysis_screen_axial_level(coded: Project) -> None:
    coded.codes.add("money", level="axial")
    coded.codes.move("minimum", "money")
    coded.codes.move("swings", "money")
    coded.codes.add("exit", level="axial")
    coded.codes.move("stopped", "exit")

    async def main() -> Any:
        app = QcodeApp(coded)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("4", "l")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AnalysisScreen)
            # categories as the union of their codes: of money's codings only swings overlaps exit's
            assert rows(screen) == [("exit", "money", "1")]

    asyncio.run(main())


def _empty_line(project: Project, keys: str = "", coders: list[str] | None = None) -> str:
    """What the analysis screen shows in the table's place, after ``keys``."""

    async def main() -> str:
        app = QcodeApp(project, coders)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("4", *keys)
            screen = app.screen
            assert isinstance(screen, AnalysisScreen)
            table, empty = screen.query_one(DataTable), screen.query_one("#an-empty", Static)
            assert table.row_count == 0 and not table.display and empty.display
            return str(empty.render())

    return asyncio.run(main())


def test_an_empty_table_says_why(project: Project, tmp_path: Path) -> None:
    p = project
    p.documents.import_files(
        [write(tmp_path / "a.txt", "R: I pay the minimum. Income swings a lot.\nR: I stopped.")]
    )
    assert "no codings yet" in _empty_line(p)
    p.codes.add("minimum")
    p.codings.apply("a", 3, 21, "minimum")
    assert "only one code has codings" in _empty_line(p)
    p.codes.add("stopped")
    p.codings.apply("a", 22, 42, "stopped")  # the next sentence: no overlap, no shared sentence
    line = _empty_line(p)
    assert "no two codes co-occur by unit overlap" in line
    assert "unit paragraph has 1 pair (u)" in line  # the next unit that has pairs
    from qcode.services.coders import add_coder

    add_coder(p, "bob")  # a coder who has coded nothing yet
    assert "no codings by bob" in _empty_line(p, coders=["bob"])
    assert "no coder 'nobody'" in _empty_line(p, coders=["nobody"])
    assert "no categories (axial codes) yet" in _empty_line(p, "l")


def test_a_table_with_pairs_shows_no_reason(coded: Project) -> None:
    async def main() -> None:
        app = QcodeApp(coded)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("4")
            screen = app.screen
            assert screen.query_one(DataTable).display
            assert not screen.query_one("#an-empty", Static).display

    asyncio.run(main())


def test_a_figure_without_a_cjk_font_is_reported(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qcode.analysis import figures

    monkeypatch.setattr(figures, "_fonts", lambda: ["DejaVu Sans"])  # no font with Han here
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", "受访者：我交最低档。收入波动很大。")])
    p.codes.add("最低档")
    p.codes.add("收入波动")
    p.codings.apply("a", 4, 10, "最低档")
    p.codings.apply("a", 7, 17, "收入波动")

    async def main() -> list[str]:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("4", "f")
            for _ in range(200):
                await app.workers.wait_for_complete()
                await pilot.pause(0.05)
                if not app.busy:
                    break
            return [n.message for n in app._notifications]

    toasts = asyncio.run(main())
    warned = [t for t in toasts if t.startswith("warning: ")]
    assert len(warned) == 1 and "no font here" in warned[0] and "\n" not in warned[0]
    assert any(t.startswith("wrote ") for t in toasts)
    assert (p.root / "figures" / "network-open-overlap.png").exists()
