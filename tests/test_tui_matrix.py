"""The framework-matrix screen (8): the grid, a cell's segments in context, its summary written
and saved, segments marked; all through keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import write
from textual.widgets import DataTable, OptionList, Static, TextArea

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.matrix import MatrixScreen

TEXT_A = "I: Do you pay?\nR: Some months I pay, some months I cannot. Rent first.\n"
TEXT_B = "I: And your family?\nR: My son says keep the money in my own hands.\n"


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files([write(tmp_path / "int01.txt", TEXT_A)], case="Li")
    project.documents.import_files([write(tmp_path / "int02.txt", TEXT_B)], case="Wang")
    project.codes.add("income", level="axial")
    project.codes.add("swings", parent="income")
    project.codes.add("family", level="axial")
    project.codings.apply("int01", 18, 41, "income/swings")
    project.codings.apply("int01", 43, 62, "income/swings")
    project.codings.apply("int02", 23, 50, "family")
    return project


def test_matrix_screen(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("8")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MatrixScreen)
            grid = screen.query_one(DataTable)
            assert grid.row_count == 2 and len(grid.columns) == 3  # case, family, income
            await pilot.press("right")  # Li x income
            await pilot.pause()
            head = str(screen.query_one("#mx-cell", Static).render())
            assert "Li × income" in head and "2 segments" in head
            segs = screen.query_one("#mx-segments", OptionList)
            assert segs.option_count == 2
            assert "Some months I pay" in str(segs.get_option_at_index(0).prompt)
            screen.query_one("#mx-summary", TextArea).focus()
            await pilot.press(*"Pays when work allows")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert proj.summaries.get("Li", "income").body == "Pays when work allows"
            segs.focus()
            segs.highlighted = 1
            await pilot.press("m")
            await pilot.pause()
            second = proj.codings.list(document="int01")[1].id
            assert proj.summaries.get("Li", "income").segments == [second]
            assert "1 marked" in str(screen.query_one("#mx-cell", Static).render())
            await pilot.press("escape", "down")  # Wang x income: empty, no summary
            await pilot.pause()
            assert segs.option_count == 0
            assert screen.query_one("#mx-summary", TextArea).text == ""
            await pilot.press("up")
            await pilot.pause()
            assert screen.query_one("#mx-summary", TextArea).text == "Pays when work allows"

    asyncio.run(main())
