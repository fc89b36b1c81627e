"""The query screen (7) driven by keys: the live count, the hits, opening one, coding all hits
and saving the query as a set."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import write
from test_tui import run_app
from textual.widgets import DataTable, Input, Static

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.query import QueryScreen, QuerySuggester

TEXT = "R: The contribution is far too high. I like my bike.\nR: My income goes up and down.\n"


def _project(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "d.txt", TEXT)])
    p.codes.add("cost")
    p.codes.add("income volatility")
    p.codings.apply("d", 3, 35, "cost")
    p.codings.apply("d", 56, 83, "income volatility")
    return p


async def query_screen(pilot: Any, app: QcodeApp) -> QueryScreen:
    """The query screen, opened by its key."""
    await pilot.press("7")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QueryScreen)
    return screen


def test_query_screen_keys(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)

    async def go(pilot: Any, app: QcodeApp) -> None:
        screen = await query_screen(pilot, app)
        await pilot.press(*"cost or text 'bike'")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        status = str(screen.query_one("#qy-status", Static).render())
        assert "2 hit(s)" in status, status
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 2
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"to review", "enter")
        await pilot.pause()
        assert len(p.codings.list(code="to review")) == 2
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"cost or bike", "enter")
        await pilot.pause()
        assert p.sets.show("cost or bike").query == "cost or text 'bike'"
        await pilot.press("enter")  # open the first hit in the transcript
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)

    run_app(p, go, size=(140, 40))


def test_query_screen_shows_errors_in_place(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("7")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"cost and")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#qy-status", Static).render())
        assert "column 9: expected a code" in status, status
        assert screen.query_one(Input).value == "cost and"

    run_app(p, go, size=(140, 40))


def test_completion_of_codes_and_operators() -> None:
    s = QuerySuggester(["cost", "income volatility"])

    async def main() -> None:
        assert await s.get_suggestion("cost fol") == "cost followed by"
        assert await s.get_suggestion("cost and inc") == "cost and income volatility"
        assert await s.get_suggestion("cost and 'inc") == "cost and 'income volatility'"

    asyncio.run(main())


def test_matrix_grid_cells_open_their_segments(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)

    async def go(pilot: Any, app: QcodeApp) -> None:
        screen = await query_screen(pilot, app)
        await pilot.press("escape", "m")
        await pilot.pause()
        await pilot.press(*"cost,income volatility", "enter")
        await pilot.pause()
        await pilot.press(*"text 'high',text 'down'", "enter")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert screen.matrix is not None and screen.matrix.values == [[1, 0], [0, 1]]
        assert table.row_count == 2
        await pilot.press("right", "enter")  # row cost, column text 'high'
        await pilot.pause()
        assert [h.text for h in screen.hits] == ["high"]

    run_app(p, go, size=(140, 40))


def test_saved_sets_listed_with_counts_and_run(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)
    p.sets.save("money", "cost or text 'bike'")

    async def go(pilot: Any, app: QcodeApp) -> None:
        screen = await query_screen(pilot, app)
        await pilot.press("escape", "l")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[:2] == ["money", "2"]
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.hits) == 2 and screen.query_one(Input).value == 'set "money"'

    run_app(p, go, size=(140, 40))


def test_saved_sets_appear_in_the_code_tree_with_their_counts(
    project: Project, tmp_path: Path
) -> None:
    from textual.widgets import Tree

    p = _project(project, tmp_path)
    p.sets.save("cost or bike", "cost or text 'bike'")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        tree = screen.query_one("#codes", Tree)
        top = [n for n in tree.root.children if str(n.label) == "Sets"]
        assert len(top) == 1 and top[0] is tree.root.children[-1]
        assert [str(n.label) for n in top[0].children] == ["◆ cost or bike 2"]
        # choosing a set says what it holds and codes nothing
        before = len(p.codings.list())
        tree.select_node(top[0].children[0])
        await pilot.pause()
        assert len(p.codings.list()) == before

    run_app(p, go, size=(140, 40))
