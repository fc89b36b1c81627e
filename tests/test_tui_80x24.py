"""The workbench in a small terminal (80x24 and 60x20): every field of a dialog on the screen,
Tab reaching what the hint says, and digits switching screens after escape leaves a field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_tui import drive, view
from textual.widget import Widget

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.pickers import MemoEditor

EN = (
    "Interviewer: How much do you pay?\n"
    "Respondent: About 845 yuan, it just takes money, I keep the money in my own hands.\n"
)


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files([write(tmp_path / "a-english.txt", EN)])
    return project


def inside(widget: Widget, size: tuple[int, int]) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= size[0]
        and region.bottom <= size[1]
    )


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_memo_dialog_fits_and_tab_from_the_title_reaches_the_body(
    proj: Project, size: tuple[int, int]
) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        start = EN.index("it just takes money")
        view(app).select(start, start + len("it just takes money"))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MemoEditor)
        for name in ("#memo-title", "#memo-type", "#memo-body", "#memo-keys"):
            assert inside(screen.query_one(name), size), name
        await pilot.press(*"why", "tab")
        assert screen.query_one("#memo-body").has_focus
        await pilot.press(*"money is control", "ctrl+s")

    drive(proj, go, size=size)
    [memo] = proj.memos.list()
    assert (memo.title, memo.body, memo.type) == ("why", "money is control", "free")


def test_keys_typed_on_the_type_selector_never_save_an_empty_body_silently(
    proj: Project,
) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("m")
        screen = app.screen
        await pilot.press(*"why", "tab", "tab")
        assert screen.query_one("#memo-type").has_focus
        await pilot.press(*"lost words", "escape")
        await pilot.press("ctrl+s")
        assert app.screen is screen and proj.memos.list() == []  # warned, still open
        assert screen.query_one("#memo-body").has_focus
        await pilot.press(*"kept", "ctrl+s")
        assert app.screen is not screen

    drive(proj, go, size=(80, 24))
    [memo] = proj.memos.list()
    assert (memo.title, memo.body) == ("why", "kept")


def test_a_memo_with_only_a_title_still_saves_at_once(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("m", *"only a title", "ctrl+s")
        assert not isinstance(app.screen, MemoEditor)

    drive(proj, go, size=(80, 24))
    assert [(m.title, m.body) for m in proj.memos.list()] == [("only a title", "")]


# -- digits after a text field -----------------------------------------------------------------
def test_on_the_query_screen_escape_leaves_the_field_and_digits_switch_screens(
    proj: Project,
) -> None:
    from textual.widgets import DataTable, Input

    from qcode.tui.screens.matrix import MatrixScreen
    from qcode.tui.screens.query import QueryScreen

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("7")
        screen = app.screen
        assert isinstance(screen, QueryScreen)
        box = screen.query_one(Input)
        assert box.has_focus and "esc" in str(box.border_subtitle)
        assert inside(box, (80, 24))
        await pilot.press(*"cost", "escape")
        assert screen.query_one(DataTable).has_focus
        assert "esc" in str(box.border_subtitle)  # and how to come back
        await pilot.press("8")
        assert isinstance(app.screen, MatrixScreen)
        assert box.value == "cost"

    drive(proj, go, size=(80, 24))


def test_on_the_matrix_escape_leaves_the_summary_and_digits_switch_screens(
    proj: Project,
) -> None:
    from textual.widgets import TextArea

    from qcode.tui.screens.matrix import MatrixScreen
    from qcode.tui.screens.query import QueryScreen

    proj.codes.add("money", level="axial")
    proj.codings.apply("a-english", 0, 11, "money")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        summary = screen.query_one("#mx-summary", TextArea)
        summary.focus()
        await pilot.press(*"pays")
        assert "esc" in str(summary.border_subtitle)
        await pilot.press("escape", "7")
        assert isinstance(app.screen, QueryScreen)
        assert summary.text == "pays"

    drive(proj, go, size=(80, 24))


# -- the query screen's example ----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_query_placeholder_runs_on_the_example_study(tmp_path: Path, lang: str) -> None:

    import shutil

    from conftest import EXAMPLE
    from textual.widgets import Input

    from qcode import i18n
    from qcode.services.build import build

    root = tmp_path / "flexible-employment"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("project.db*", "qcode.toml"))
    shown: list[str] = []

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("7")
        shown.append(app.screen.query_one(Input).placeholder)

    i18n.set_language(lang)
    try:
        with build(root) as p:
            drive(p, go, size=(80, 24))
            [placeholder] = shown
            match = re.search(r"'.*", placeholder)
            assert match is not None, placeholder
            assert p.query.count(match.group(0)) > 0, placeholder
    finally:
        i18n.set_language("en")


# -- the help at 80 columns --------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_keys_are_never_broken_or_cut_in_a_small_terminal(
    proj: Project, lang: str, size: tuple[int, int]
) -> None:

    from textual.containers import VerticalScroll
    from textual.widgets._markdown import MarkdownTableContent

    from qcode import i18n
    from qcode.tui.screens.help import HelpScreen

    seen: list[str] = []
    keys: list[str] = []

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        for table in screen.query(MarkdownTableContent):
            for row in table.rows:
                keys.extend(re.findall(r"[!-~]+", row[0].plain))
        scroll = screen.query_one(VerticalScroll)
        region = scroll.content_region
        y = 0
        while True:
            scroll.scroll_to(y=y, animate=False)
            await pilot.pause()
            strips = app.screen._compositor.render_strips()[region.y : region.bottom]
            seen.extend(strip.crop(region.x, region.right).text for strip in strips)
            if y >= scroll.max_scroll_y:
                break
            y += region.height

    i18n.set_language(lang)
    try:
        drive(proj, go, size=size)
    finally:
        i18n.set_language("en")
    text = "\n".join(seen)
    assert len(keys) > 100
    broken = sorted({k for k in keys if not re.search(r"(?<![!-~])" + re.escape(k), text)})
    assert broken == []


# -- the footer at 80 columns ------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_screens_footer_shows_the_help_and_palette_keys_in_a_small_terminal(
    proj: Project, lang: str, size: tuple[int, int]
) -> None:
    """A newcomer in a small terminal sees, on every screen, where the help is: the screen's
    own keys fill the footer, each whole (those that do not fit are left out, not cut at the
    edge: ``m`` without ``move``), and F1 and the palette stay at its right."""
    from qcode import i18n

    help_word, palette = ("帮助", "命令") if lang == "zh" else ("help", "palette")
    shown: dict[str, str] = {}
    whole: dict[str, set[str]] = {}

    async def go(pilot: Any, app: QcodeApp) -> None:
        for key in "1234567":
            await pilot.press("escape", key)
            await pilot.pause()
            strips = app.screen._compositor.render_strips()
            shown[key] = strips[size[1] - 1].text
            whole[key] = {
                f"{app.get_key_display(b)} {b.description}"
                for _node, b, _on, _tip in app.screen.active_bindings.values()
                if b.show
            }

    i18n.set_language(lang)
    try:
        drive(proj, go, size=size)
    finally:
        i18n.set_language("en")
    for key, line in shown.items():
        assert f"f1 {help_word}" in line and palette in line, (key, line)
        own = line.split(f"f1 {help_word}")[0]
        items = re.split(r"\s{2,}", own.strip())
        assert items and all(item in whole[key] for item in items), (key, line)
