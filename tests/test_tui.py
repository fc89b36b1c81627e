"""The coding workbench driven as a person would: keys and mouse, then the database checked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FRAMEWORK, write

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.memos import MemosScreen
from qcode.tui.widgets.pickers import MemoEditor, Picker
from qcode.tui.widgets.transcript import TranscriptView

EN = (
    "Interviewer: How much do you pay?\n"
    "Respondent: About 845 yuan. I keep the money 👍🏽 in my own hands! Really.\n"
)
ZH = "访谈者：你现在交养老保险吗？\n受访者：交过一段时间。后来收入掉下来，就断了！\n"
SIZE = (150, 40)


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files(
        [write(tmp_path / "a-english.txt", EN), write(tmp_path / "b-chinese.txt", ZH)]
    )
    return project


def run_app(
    project: Project,
    scenario: Callable[[Any, QcodeApp], Awaitable[None]],
    size: tuple[int, int] = SIZE,
) -> None:
    """The app on project under a pilot: ``scenario(pilot, app)``, each key waiting only as the
    pilot's own keys wait."""

    async def main() -> None:
        app = QcodeApp(project)
        async with app.run_test(size=size) as pilot:
            await scenario(pilot, app)

    asyncio.run(main())


def drive(
    project: Project,
    scenario: Callable[[Any, QcodeApp], Awaitable[None]],
    size: tuple[int, int] = SIZE,
) -> None:
    """run_app from a settled start, each key press and click waiting for what it sets off."""

    async def settled(pilot: Any, app: QcodeApp) -> None:
        settles(pilot)
        await settle(pilot)
        await scenario(pilot, app)

    run_app(project, settled, size)


async def settle(pilot: Any) -> None:
    """Wait, as a person would, until the app's service calls (run in workers) have come back
    and their results are drawn."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if not getattr(app, "busy", False):
            await pilot.pause()
            if not getattr(app, "busy", False):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("the app's service calls never finished")


def settles(pilot: Any) -> None:
    """Make the pilot's key presses and clicks wait for what they set off."""
    for name in ("press", "click", "double_click"):
        original = getattr(pilot, name)

        async def acting(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            result = await _original(*args, **kwargs)
            await settle(pilot)
            return result

        setattr(pilot, name, acting)


def view(app: QcodeApp) -> TranscriptView:
    return app.screen.query_one(TranscriptView)


def codings(p: Project) -> list[tuple[str, int, int, str, str]]:
    return [(c.document, c.start, c.end, c.code, c.text) for c in p.codings.list()]


def test_select_by_keys_and_apply_through_the_picker(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        assert isinstance(app.screen, CodingScreen) and view(app).text == EN
        await pilot.press(*["shift+right"] * 11)
        assert view(app).selection == (0, 11)
        await pilot.press("c")
        assert isinstance(app.screen, Picker)
        await pilot.press(*"speaker role", "enter")
        await pilot.pause()
        assert codings(proj) == [("a-english", 0, 11, "speaker role", "Interviewer")]
        # the next selection: word-wise, then the last code again with r
        await pilot.press("down", "home", "ctrl+shift+right")
        assert view(app).selection == (34, 44)
        await pilot.press("r")
        assert codings(proj)[-1] == ("a-english", 34, 44, "speaker role", "Respondent")
        # enter on a code in the tree applies it too
        await pilot.press("shift+end")
        app.screen.query_one("#codes").focus()
        await pilot.press("enter")
        assert len(proj.codings.list()) == 3

    drive(proj, go)


def test_mouse_drag_shift_click_and_double_click(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.mouse_down(view(app), offset=(0, 0))
        await pilot.hover(view(app), offset=(11, 0))
        await pilot.mouse_up(view(app), offset=(11, 0))
        assert view(app).selection == (0, 11)
        await pilot.click(view(app), offset=(16, 0), shift=True)
        assert view(app).selection == (0, 16)
        await pilot.double_click(view(app), offset=(15, 0))
        assert view(app).selection == (13, 16)
        assert EN[13:16] == "How"

    drive(proj, go)


def test_in_vivo_memo_remove_undo_redo(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        start = EN.index("keep the money")
        view(app).select(start, start + len("keep the money"))
        await pilot.press("v", "enter")
        assert codings(proj) == [
            ("a-english", start, start + 14, "keep the money", "keep the money")
        ]
        await pilot.press("m")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"control", "ctrl+s")
        await pilot.pause()
        memo = proj.memos.list()[0]
        assert memo.title == "control" and memo.links[0].kind == "coding"
        await pilot.press("x")
        assert proj.codings.list() == []
        await pilot.press("ctrl+z")
        assert len(proj.codings.list()) == 1
        assert len(view(app).spans) == 1
        await pilot.press("ctrl+z", "ctrl+z")  # the memo, then the coding and its code
        assert proj.codings.list() == [] and proj.memos.list() == []
        await pilot.press("ctrl+y")
        assert len(proj.codings.list()) == 1

    drive(proj, go)


def test_remove_asks_which_when_codes_overlap(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 11, "one", create=True)
    proj.codings.apply("a-english", 0, 20, "two", create=True)

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("right")
        await pilot.press("x")
        assert isinstance(app.screen, Picker)
        await pilot.press(*"two", "enter")
        await pilot.pause()
        assert [c.code for c in proj.codings.list()] == ["one"]

    drive(proj, go)


def test_chinese_and_emoji_select_whole_characters(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        app.open_document("b-chinese")
        await settle(pilot)
        assert view(app).text == ZH
        await pilot.press("down", *["shift+right"] * 3, "c", *"role", "enter")
        await pilot.pause()
        assert codings(proj) == [("b-chinese", 15, 18, "role", "受访者")]
        await pilot.press("escape", "end", "shift+left", "shift+left")
        assert view(app).selection == (len(ZH) - 3, len(ZH) - 1)
        app.open_document("a-english")
        await settle(pilot)
        e = EN.index("👍🏽")
        view(app).select(e, e)
        await pilot.press("shift+right")
        assert view(app).selection == (e, e + 2)
        await pilot.press("c", *"emoji", "enter")
        await pilot.pause()
        assert codings(proj)[0][1:] == (e, e + 2, "emoji", "👍🏽")

    drive(proj, go)


def test_sentence_and_turn_keys_use_the_stored_units(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(50, 50)  # the cursor inside "About 845 yuan."
        await pilot.press("s")
        sentences = [(u["start"], u["end"]) for u in proj.documents.units("a-english", "sentence")]
        assert view(app).selection == sentences[1]
        await pilot.press("t")
        turns = [(u["start"], u["end"]) for u in proj.documents.units("a-english", "turn")]
        assert view(app).selection == turns[1]

    drive(proj, go)


def test_refresh_shows_changes_made_elsewhere(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        assert view(app).spans == []
        with Project.open(proj.root) as other:  # as the command line would
            other.codings.apply("a-english", 0, 11, "from cli", create=True)
        await pilot.press("f5")
        assert [s.code for s in view(app).spans] == ["from cli"]

    drive(proj, go)


def test_last_position_is_remembered(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("down", "right", "right")
        assert view(app).cursor == 36
        app.open_document("b-chinese")
        app.open_document("a-english")
        await settle(pilot)
        assert view(app).cursor == 36

    drive(proj, go)

    async def again(pilot: Any, app: QcodeApp) -> None:
        assert view(app).cursor == 36  # and across sessions

    drive(proj, again)


def test_narrow_terminal_collapses_side_panes(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        assert app.screen.has_class("narrow")
        assert not app.screen.query_one("#left").display
        assert view(app).text == EN

    drive(proj, go, size=(70, 24))


def test_codebook_rename_and_retrieval(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 11, "role", create=True)
    proj.codings.apply("a-english", 0, 11, "role", coder="second coder")  # the same span twice
    proj.codings.apply("b-chinese", 15, 18, "role")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("2")
        assert isinstance(app.screen, CodebookScreen)
        segments = app.screen.query_one("#cb-segments")
        assert segments.option_count == 3  # type: ignore[attr-defined]
        await pilot.press("r", *"speaker", "enter")
        await pilot.pause()
        assert [c.path for c in proj.codes.list()] == ["speaker"]
        app.screen.query_one("#cb-segments").focus()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert view(app).selection == (15, 18)

    drive(proj, go)


def test_memos_screen_write_and_search(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("3")
        assert isinstance(app.screen, MemosScreen)
        await pilot.press("2", "3")  # number keys switch screens from the memo list too
        assert isinstance(app.screen, MemosScreen)
        await pilot.press("ctrl+n", *"Storyline", "tab", *"fixed costs", "ctrl+s")
        await pilot.pause()
        memo = proj.memos.list()[0]
        assert (memo.title, memo.body) == ("Storyline", "fixed costs")
        app.screen.query_one("#memo-search").focus()
        await pilot.press(*"nothing")
        assert app.screen.query_one("#memo-list").option_count == 0  # type: ignore[attr-defined]

    drive(proj, go)


def test_viewer_shows_the_stored_text_of_every_bundled_document(
    tmp_path: Path, built_example: Callable[[Path], Path]
) -> None:
    with Project.open(built_example(tmp_path / "flexible-employment")) as p:

        async def go(pilot: Any, app: QcodeApp) -> None:
            for d in p.documents.list():
                app.open_document(d.name)
                await settle(pilot)
                assert view(app).text == p.documents.text(d.name)
                assert {s.id for s in view(app).spans} == {
                    c.id for c in p.codings.list(document=d.name)
                }

        drive(p, go)


def test_code_tree_counts_follow_coding(proj: Project) -> None:
    proj.codes.add("role")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press(*["shift+right"] * 11, "c", *"role", "enter")
        await pilot.pause()
        tree = app.screen.query_one("#codes")
        label = str(tree.get_node_at_line(0).label)  # type: ignore[attr-defined]
        assert label.endswith("role 1")
        await pilot.press("x")
        label = str(tree.get_node_at_line(0).label)  # type: ignore[attr-defined]
        assert label.endswith("role 0")

    drive(proj, go)


def test_mouse_selection_on_chinese_counts_two_cells_a_character(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        app.open_document("b-chinese")
        await settle(pilot)
        # row 1 is "受访者：交过…": cells 0-5 hold 受访者, cell 6 starts the full-width colon
        await pilot.mouse_down(view(app), offset=(0, 1))
        await pilot.hover(view(app), offset=(6, 1))
        await pilot.mouse_up(view(app), offset=(6, 1))
        assert view(app).selection == (15, 18)
        await pilot.press("v", "enter")
        assert codings(proj) == [("b-chinese", 15, 18, "受访者", "受访者")]

    drive(proj, go)


def test_digits_typed_into_inputs_do_not_switch_screens(proj: Project) -> None:
    proj.codes.add("code 2")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("f", *"b-2")
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.query_one("#doc-filter").value == "b-2"  # type: ignore[attr-defined]
        view(app).focus()
        await pilot.press(*["shift+right"] * 3, "c", *"code 2", "enter")
        await pilot.pause()
        assert [c.code for c in proj.codings.list()] == ["code 2"]

    drive(proj, go)


def test_memo_links_to_a_document_from_the_memos_screen(proj: Project) -> None:
    proj.memos.add("About B")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("3", "ctrl+l", *"b-chinese", "enter")
        await pilot.pause()
        links = proj.memos.list()[0].links
        assert [(lk.kind, lk.label) for lk in links] == [("document", "b-chinese")]

    drive(proj, go)


def test_codebook_structure_keys(proj: Project) -> None:
    from qcode.tui.widgets.pickers import TextPanel

    proj.codes.add("dilemma", level="axial")
    proj.codes.add("volatility", level="axial")
    proj.codes.add("resilience", level="axial")
    proj.framework.load(FRAMEWORK)

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        screen.select_code("resilience")
        await pilot.press("k")
        assert proj.codes.get("resilience").level == "selective"
        screen.select_code("volatility")
        await pilot.press("a", *"causal condition", "enter")
        await pilot.pause()
        await pilot.press(*"dilemma", "enter")
        await pilot.pause()
        rels = [(r.source, r.type, r.target) for r in proj.structure.list()]
        assert rels == [("volatility", "causal condition of", "dilemma")]
        await pilot.press("f", *"Financial resilience", "enter")
        await pilot.pause()
        fin = [
            e
            for d in proj.framework.show()["dimensions"]
            for e in d["elements"]
            if e["name"] == "Financial resilience"
        ][0]
        assert fin["codes"] == [{"code": "volatility", "relation": "indicates"}]
        screen.select_code("dilemma")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, TextPanel)
        assert "volatility" in app.screen.markdown and "*(empty)*" in app.screen.markdown
        await pilot.press("escape", "o")
        await pilot.pause()
        assert isinstance(app.screen, TextPanel)
        assert "Core category: resilience" in app.screen.markdown

    drive(proj, go)


def test_codebook_relation_picker_in_chinese(proj: Project) -> None:
    from textual.widgets import Input, OptionList

    from qcode import i18n
    from qcode.tui.widgets.pickers import Picker

    proj.codes.add("dilemma", level="axial")
    proj.codes.add("volatility", level="axial")
    shown: dict[str, Any] = {}

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        screen.select_code("volatility")
        await pilot.press("a")
        assert isinstance(app.screen, Picker)
        options = app.screen.query_one(OptionList)
        shown["types"] = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        shown["placeholder"] = app.screen.query_one(Input).placeholder
        await pilot.press(*"因果条件", "enter")
        await pilot.pause()
        await pilot.press("escape", "1")
        view(app).select(0, 5)
        await pilot.press("c", *"新的")  # no such code: the code picker offers it as new
        shown["new"] = [str(o.prompt) for o in app.screen.query_one(OptionList)._options]

    i18n.set_language("zh")
    try:
        drive(proj, go)
    finally:
        i18n.set_language("en")
    assert shown["types"][0] == "是……的因果条件（典范模型）"
    assert not any("condition" in t or "paradigm" in t for t in shown["types"])
    assert shown["placeholder"] == "输入以筛选"
    assert "+ 新建：新的" in shown["new"]
