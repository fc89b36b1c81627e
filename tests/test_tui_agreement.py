"""The agreement screen driven by keys: disagreements side by side, settled with one key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import write
from test_tui import settles
from textual.widgets import DataTable, Static

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.widgets.pickers import MemoEditor

TEXT = "R: I pay the minimum. Income swings a lot.\nR: I stopped paying last year."


@pytest.fixture
def two_coders(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", TEXT)])
    p.codes.add("minimum")
    p.codes.add("stopped")
    p.codings.apply("a", 3, 21, "minimum", coder="ana")  # I pay the minimum.
    p.codings.apply("a", 10, 21, "minimum", coder="ben")  # the minimum.
    p.codings.apply("a", 46, 55, "stopped", coder="ben")  # I stopped
    return p


def table_rows(screen: AgreementScreen) -> list[tuple[str, ...]]:
    t = screen.query_one(DataTable)
    return [tuple(str(c) for c in t.get_row_at(i)) for i in range(t.row_count)]


def test_agreement_screen_settles_disagreements(two_coders: Project) -> None:
    p = two_coders

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("5")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            assert table_rows(screen) == [
                ("a", "minimum", "3-10", "ana", "ben"),
                ("a", "stopped", "46-55", "ben", "ana"),
            ]
            coded = str(screen.query_one("#ag-coded", Static).render())
            uncoded = str(screen.query_one("#ag-uncoded", Static).render())
            assert coded.startswith("coded by ana") and "I pay the minimum" in coded
            assert uncoded.startswith("not coded by ben")
            await pilot.press("a")  # ben takes ana's version: "I pay " is coded
            await pilot.pause()
            assert table_rows(screen) == [("a", "stopped", "46-55", "ben", "ana")]
            await pilot.press("x")  # ben's "I stopped" is dropped
            await pilot.pause()
            assert table_rows(screen) == []
            assert "0 disagreements" in str(screen.query_one("#ag-status", Static).render())

    asyncio.run(main())
    got = sorted((c.coder, c.code, c.start, c.end) for c in p.codings.list())
    assert got == [("ana", "minimum", 3, 21), ("ben", "minimum", 3, 10), ("ben", "minimum", 10, 21)]


def test_discussion_memo_and_choosing_coders(two_coders: Project) -> None:
    p = two_coders

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("5")
            await pilot.pause()
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, MemoEditor)
            await pilot.press("tab", *"We read it differently.", "ctrl+s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            await pilot.press("c", *["backspace"] * 10, *"ana", "enter")
            await pilot.pause()
            assert "choose two or more" in str(screen.query_one("#ag-status", Static).render())

    asyncio.run(main())
    [memo] = p.memos.list()
    assert memo.title == "Discussion: minimum in a [3, 10)" and memo.type == "method"
    assert memo.body == "We read it differently."
    assert {(link.kind, link.start, link.end) for link in memo.links} >= {("document", 3, 10)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_headline_keeps_kappa_and_alpha_in_view_at_80_columns(
    two_coders: Project, lang: str
) -> None:
    from textual.geometry import Region

    from qcode import i18n

    async def main() -> str:
        app = QcodeApp(two_coders)
        async with app.run_test(size=(80, 24)) as pilot:
            settles(pilot)
            await pilot.press("5")
            await pilot.pause()
            status = app.screen.query_one("#ag-status", Static)
            w, h = status.size
            return "".join(s.text for s in status.render_lines(Region(0, 0, w, h)))

    i18n.set_language(lang)
    try:
        shown = asyncio.run(main()).replace(" ", "")
    finally:
        i18n.set_language("en")
    alpha = "Krippendorffα系数（u）" if lang == "zh" else "Krippendorff'salpha(u)"
    assert "κ" in shown or "kappa" in shown
    assert alpha in shown
    assert ("2disagreements" if lang == "en" else "分歧") in shown  # the line's end, too
