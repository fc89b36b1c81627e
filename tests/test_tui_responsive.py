"""Never a frozen key: on the codebook, memos, analysis and queue screens a key is handled while
a slow service call runs. The call is held (as another coder's lock or a large project would hold
it) until the test lets it go; the test presses another key first and checks that it was handled
before the call returned. On the UI thread the key would wait for the call."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_tui import settle
from textual.widgets import Input, OptionList, Tree

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.memos import MemosScreen

HOLD = 3.0  # seconds a held call waits at most (what a test on old code waits per key)


class Held:
    """A service method that waits, once entered, until released."""

    def __init__(self, owner: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.returned = threading.Event()
        original = getattr(owner, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.release.wait(HOLD)
            try:
                return original(*args, **kwargs)
            finally:
                self.returned.set()

        monkeypatch.setattr(owner, name, held)

    async def wait_entered(self) -> None:
        for _ in range(int(HOLD / 0.02)):
            if self.entered.is_set():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the held service was never called")


async def responds(pilot: Any, held: Held, keys: list[str], handled: Callable[[], bool]) -> None:
    """Press ``keys`` while ``held`` runs: they are handled before it returns."""
    await held.wait_entered()
    await pilot.press(*keys)
    await pilot.pause()
    try:
        assert not held.returned.is_set(), "the keys waited for the service call"
        assert handled()
    finally:
        held.release.set()
    await settle(pilot)


async def leaves_for_coding(app: QcodeApp, pilot: Any, held: Held, key: str) -> None:
    """Open the screen of ``key`` while ``held`` runs: 1 goes back to the coding screen before the
    call returns."""
    await pilot.press(key)
    await responds(pilot, held, ["1"], lambda: isinstance(app.screen, CodingScreen))


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files(
        [write(tmp_path / "a.txt", "R: I pay the minimum. Income swings a lot.\nR: I stopped.")]
    )
    for name in ("minimum", "swings"):
        p.codes.add(name)
    p.codings.apply("a", 3, 21, "minimum")
    p.codings.apply("a", 9, 42, "swings")
    p.memos.add("first memo", "about the minimum")
    return p


def run(study: Project, body: Callable[[QcodeApp, Any], Any]) -> None:
    async def main() -> None:
        app = QcodeApp(study)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await body(app, pilot)

    asyncio.run(main())


def test_codebook_opening_a_code_leaves_keys_free(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body(app: QcodeApp, pilot: Any) -> None:
        held = Held(study.codings, "list", monkeypatch)  # the code's segments
        await leaves_for_coding(app, pilot, held, "2")
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one("#cb-segments", OptionList).option_count == 1

    run(study, body)


def test_codebook_renaming_leaves_keys_free(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body(app: QcodeApp, pilot: Any) -> None:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CodebookScreen) and screen.code == "minimum"
        held = Held(study.codes, "rename", monkeypatch)
        await pilot.press("r", "end", *"-low", "enter")
        tree = screen.query_one("#cb-tree", Tree)
        line = tree.cursor_line
        await responds(pilot, held, ["down"], lambda: tree.cursor_line == line + 1)
        assert "minimum-low" in [c.path for c in study.codes.list()]

    run(study, body)


def test_memos_listing_and_saving_leave_keys_free(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body(app: QcodeApp, pilot: Any) -> None:
        await leaves_for_coding(app, pilot, Held(study.memos, "list", monkeypatch), "3")
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        assert screen.query_one("#memo-title", Input).value == "first memo"
        held = Held(study.memos, "add", monkeypatch)
        await pilot.press("ctrl+n", *"second", "ctrl+s")
        listing = screen.query_one("#memo-list", OptionList)
        await responds(pilot, held, ["escape"], lambda: listing.has_focus)
        assert sorted(m.title for m in study.memos.list()) == ["first memo", "second"]

    run(study, body)


def test_analysis_counting_leaves_keys_free(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body(app: QcodeApp, pilot: Any) -> None:
        await leaves_for_coding(app, pilot, Held(study.analysis, "cooccur", monkeypatch), "4")
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysisScreen) and len(screen.pairs) == 1
        held = Held(study.analysis, "cooccur", monkeypatch)
        await pilot.press("u")  # counted again by sentence
        await responds(pilot, held, ["m"], lambda: screen.measure == "c")

    run(study, body)


def test_queue_listing_leaves_keys_free(study: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.services import autocode

    async def body(app: QcodeApp, pilot: Any) -> None:
        await leaves_for_coding(app, pilot, Held(autocode, "suggestions", monkeypatch), "6")

    run(study, body)


def test_a_long_transcript_shows_before_its_sentences_are_read_and_lays_out_only_near_the_view(
    study: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = "R: 我交的是最低档。The base is 845 yuan a month! Income swings a lot.\n"
    text = line * 6_000  # 400 KB in 6,000 lines: more than is laid out whole at once
    study.documents.import_files([write(tmp_path / "long.txt", text)])
    docs = study.documents
    read = docs.unit_ranges
    sentences = threading.Event()

    def held(ref: str, kinds: Any = ("sentence",)) -> Any:
        if "sentence" in kinds:  # the turns (for the speaker labels) are read at once
            sentences.wait(HOLD)
        return read(ref, kinds)

    async def body(app: QcodeApp, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        monkeypatch.setattr(docs, "unit_ranges", held)
        screen.open_document("long")
        view = screen.view
        for _ in range(int(HOLD / 0.02)):
            await pilot.pause(0.02)
            if view.text == text:
                break
        try:
            assert view.text == text, "the text waited for its sentences"
            layout = view._layout
            assert layout is not None
            laid = sum(layout.laid(i) for i in range(layout.lines))
            assert 0 < laid < 300, f"{laid} of {layout.lines} lines laid out to show one screen"
            view.focus()
            await pilot.press("s")
            assert view.selection is None  # not yet: a notice says so
            assert any("still reading" in n.message for n in app._notifications)
        finally:
            sentences.set()
        await settle(pilot)
        at = len(line) * 10 + line.index("The") + 5
        view.select(at, at)
        await pilot.press("s")
        a = len(line) * 10 + line.index("The")
        assert view.selection == (a, a + len("The base is 845 yuan a month!"))

    run(study, body)


def test_matrix_reading_and_saving_leave_keys_free(
    study: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable, TextArea

    from qcode.services import framework_matrix
    from qcode.tui.screens.matrix import MatrixScreen

    for name, case in (("li", "Li"), ("wang", "Wang")):
        study.documents.import_files(
            [write(tmp_path / f"{name}.txt", f"R: I pay, {name}.\n")], case=case
        )
        study.codings.apply(name, 3, 9, "minimum")

    async def body(app: QcodeApp, pilot: Any) -> None:
        held = Held(framework_matrix, "framework_matrix", monkeypatch)  # the grid
        await pilot.press("8")
        await responds(pilot, held, ["1"], lambda: isinstance(app.screen, CodingScreen))
        await pilot.press("8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        grid = screen.query_one(DataTable)
        held = Held(framework_matrix, "framework_cell", monkeypatch)  # a cell's segments
        await pilot.press("right")
        await responds(pilot, held, ["down"], lambda: grid.cursor_coordinate.row == 1)
        await pilot.press("up")
        await settle(pilot)
        held = Held(study.summaries, "set", monkeypatch)  # the summary saved
        screen.query_one("#mx-summary", TextArea).focus()
        await pilot.press(*"pays the minimum", "ctrl+s")
        await responds(pilot, held, ["escape"], lambda: grid.has_focus)
        assert [s.body for s in study.summaries.list()] == ["pays the minimum"]

    run(study, body)
