"""The framework-matrix screen (8): the grid, a cell's segments in context, its summary written
and saved, segments marked; all through keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import write
from test_tui import settle
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
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MatrixScreen)
            grid = screen.query_one(DataTable)
            assert grid.row_count == 2 and len(grid.columns) == 3  # case, family, income
            await pilot.press("right")  # Li x income
            await settle(pilot)
            head = str(screen.query_one("#mx-cell", Static).render())
            assert "Li × income" in head and "2 segments" in head
            segs = screen.query_one("#mx-segments", OptionList)
            assert segs.option_count == 2
            assert "Some months I pay" in str(segs.get_option_at_index(0).prompt)
            screen.query_one("#mx-summary", TextArea).focus()
            await pilot.press(*"Pays when work allows")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert proj.summaries.get("Li", "income").body == "Pays when work allows"
            segs.focus()
            segs.highlighted = 1
            await pilot.press("m")
            await settle(pilot)
            second = proj.codings.list(document="int01")[1].id
            assert proj.summaries.get("Li", "income").segments == [second]
            assert "1 marked" in str(screen.query_one("#mx-cell", Static).render())
            await pilot.press("escape", "down")  # Wang x income: empty, no summary
            await settle(pilot)
            assert segs.option_count == 0
            assert screen.query_one("#mx-summary", TextArea).text == ""
            await pilot.press("up")
            await settle(pilot)
            assert screen.query_one("#mx-summary", TextArea).text == "Pays when work allows"

    asyncio.run(main())


def test_leaving_a_cell_keeps_its_edited_summary(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("8")
            await settle(pilot)
            screen = app.screen
            await pilot.press("right")  # Li x income
            await settle(pilot)
            first = str(screen.query_one("#mx-segments", OptionList).get_option_at_index(0).prompt)
            assert "int01 [18, 41) · swings" in first  # where each segment is, and its code
            screen.query_one("#mx-summary", TextArea).focus()
            await pilot.press(*"Rent first")
            await pilot.press("escape", "down")  # to Wang x income, unsaved
            await settle(pilot)
            assert proj.summaries.get("Li", "income").body == "Rent first"
            await pilot.press("down", "up")  # moving through without editing writes nothing
            await settle(pilot)
            assert len(proj.summaries.list()) == 1

    asyncio.run(main())


def test_the_cell_heading_in_chinese(proj: Project) -> None:
    from qcode import i18n

    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("8", "right")
            await settle(pilot)
            head = str(app.screen.query_one("#mx-cell", Static).render())
            assert "2 个片段，0 个已标记" in head

    i18n.set_language("zh")
    try:
        asyncio.run(main())
    finally:
        i18n.set_language("en")


def test_context_is_cut_between_words() -> None:
    from qcode.services.framework_matrix import context

    text = "alpha beta gamma delta " * 10 + "THE SEGMENT" + " epsilon zeta eta theta" * 10
    start = text.index("THE")
    before, after = context(text, start, start + len("THE SEGMENT"), width=30)
    assert before.startswith("…") and before[1:].split(" ")[0] in {
        "alpha",
        "beta",
        "gamma",
        "delta",
    }
    assert after.endswith("…") and after[:-1].split(" ")[-1] in {"epsilon", "zeta", "eta", "theta"}
    assert context("short THE end", 6, 9) == ("short ", " end")  # no ellipsis: nothing cut
    zh = "访谈者：您现在和谁签的合同？" * 10
    before, _ = context(zh, 100, 110, width=20)  # no spaces: cut by characters
    assert before == "…" + zh[80:100]


def test_marking_before_writing_asks_for_the_summary_first(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("8", "right")
            await settle(pilot)
            segs = app.screen.query_one("#mx-segments", OptionList)
            segs.focus()
            segs.highlighted = 0
            await pilot.press("m")
            await settle(pilot)
            assert proj.summaries.list() == []
            assert any("write the summary first" in str(n.message) for n in app._notifications)

    asyncio.run(main())


def test_switching_screens_keeps_the_edited_summary(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("8", "right")
            await settle(pilot)
            app.screen.query_one("#mx-summary", TextArea).focus()
            await pilot.press(*"Rent first")
            await pilot.press("escape", "1")  # to the coding screen, unsaved
            await settle(pilot)
            assert proj.summaries.get("Li", "income").body == "Rent first"
            await pilot.press("8", "f5")
            await settle(pilot)
            assert len(proj.summaries.list()) == 1

    asyncio.run(main())


def test_a_coding_deleted_elsewhere_is_left_out_of_its_cell(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("8")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MatrixScreen)
            first = proj.codings.list(document="int01")[0].id
            proj.codings.remove([first])  # as `qcode uncode --id` from another process
            await pilot.press("right")  # Li x income, read when the screen opened
            await settle(pilot)
            assert app.screen is screen and app.is_running
            segs = screen.query_one("#mx-segments", OptionList)
            assert segs.option_count == 1
            assert "onths I cannot. Ren" in str(segs.get_option_at_index(0).prompt)
            head = str(screen.query_one("#mx-cell", Static).render())
            assert "1 segment," in head and "changed elsewhere" in head

    asyncio.run(main())


def test_a_document_or_summary_deleted_elsewhere_leaves_the_cell_empty(proj: Project) -> None:
    proj.summaries.set("Li", "income", "Pays when work allows")

    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("8")
            await settle(pilot)
            screen = app.screen
            proj.summaries.delete("Li", "income")
            proj.documents.delete("int01", force=True)
            await pilot.press("right")
            await settle(pilot)
            assert app.screen is screen and app.is_running
            assert screen.query_one("#mx-segments", OptionList).option_count == 0
            assert screen.query_one("#mx-summary", TextArea).text == ""
            head = str(screen.query_one("#mx-cell", Static).render())
            assert "0 segments" in head and "2 changed elsewhere" in head

    asyncio.run(main())


def test_a_summary_written_elsewhere_shows_in_its_cell(proj: Project) -> None:
    async def main() -> None:
        app = QcodeApp(proj)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("8")
            await settle(pilot)
            screen = app.screen
            proj.summaries.set("Li", "income", "Written by another coder")
            await pilot.press("right")
            await settle(pilot)
            assert screen.query_one("#mx-summary", TextArea).text == "Written by another coder"
            head = str(screen.query_one("#mx-cell", Static).render())
            assert "its summary changed elsewhere" in head
            await pilot.press("down")  # leaving it unedited writes nothing
            await settle(pilot)
            assert [s.body for s in proj.summaries.list()] == ["Written by another coder"]

    asyncio.run(main())
