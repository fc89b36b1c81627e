"""The workbench as a researcher lives in it (issue: nothing mislabelled, nothing lost): each
test drives the app with keys and checks what the project then holds or the screen shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_tui import codings, drive, settle, view

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.pickers import Prompt

EN = (
    "Interviewer: How much do you pay?\n"
    "Respondent:   I keep it / in my own hands!  \n"
    "Interviewer: And the others?\n"
    "Respondent: Some pay, some don't.\n"
)
ZH = "访谈者：你现在交养老保险吗？\n受访者：灵活就业的人都不交养老保险。\n"


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files(
        [write(tmp_path / "a-english.txt", EN), write(tmp_path / "b-chinese.txt", ZH)]
    )
    return project


# -- in vivo -----------------------------------------------------------------------------------
def test_in_vivo_name_is_trimmed_of_labels_and_editable_and_flagged(
    proj: Project, cli: Any
) -> None:
    turn = EN.index("Respondent:")
    end = EN.index("\n", turn)

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(turn, end)
        await pilot.press("v")
        assert isinstance(app.screen, Prompt)
        field = app.screen.query_one("#prompt-input")
        assert field.value == "I keep it ∕ in my own hands!"  # type: ignore[attr-defined]
        await pilot.press("end", *"!", "enter")
        await pilot.pause()

    drive(proj, go)
    [c] = codings(proj)
    assert c[3] == "I keep it ∕ in my own hands!!"
    listed = {c["path"]: c for c in cli("codes", "list", "--json", cwd=proj.root).json()}
    assert listed["I keep it ∕ in my own hands!!"]["in_vivo"] is True


def test_in_vivo_escape_creates_nothing(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("v", "escape")
        await pilot.pause()

    drive(proj, go)
    assert codings(proj) == [] and proj.codes.list() == []


# -- word selection ----------------------------------------------------------------------------
def test_word_selection_never_takes_a_leading_or_trailing_space(proj: Project) -> None:
    label_end = EN.index("Respondent:") + len("Respondent:")

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        v.cursor = label_end + 1  # inside the spaces after the label
        await pilot.press("ctrl+shift+right")
        a, b = v.selection or (0, 0)
        assert EN[a:b] == "I"
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        a, b = v.selection or (0, 0)
        assert EN[a:b] == "I keep it"
        # backwards from the end of the line, over its trailing spaces
        v.cursor = EN.index("\n", label_end)
        v.mark = None
        await pilot.press("ctrl+shift+left", "ctrl+shift+left")
        a, b = v.selection or (0, 0)
        assert EN[a:b] == "own hands!"
        # a double click on a word takes the word alone
        v.select_word_at(EN.index("keep") + 1)
        a, b = v.selection or (0, 0)
        assert EN[a:b] == "keep"

    drive(proj, go)


def test_chinese_moves_by_word_with_the_project_word_list(proj: Project, tmp_path: Path) -> None:
    words = write(tmp_path / "words.txt", "灵活就业\n养老保险\n")
    toml = proj.root / "qcode.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'\n[text]\nuserdict = "{words}"\n')
    start = ZH.index("灵活就业")

    async def go(pilot: Any, app: QcodeApp) -> None:
        app.open_document("b-chinese")
        await settle(pilot)
        v = view(app)
        v.cursor, v.mark = start, None
        await pilot.press("ctrl+shift+right")
        assert v.selection == (start, start + 4)  # 灵活就业, not the clause up to 。
        await pilot.press("ctrl+shift+right")
        a, b = v.selection or (0, 0)
        assert ZH[a:b] == "灵活就业的"
        v.select_word_at(ZH.index("养老保险", start) + 1)
        a, b = v.selection or (0, 0)
        assert ZH[a:b] == "养老保险"

    with Project.open(proj.root) as fresh:
        drive(fresh, go)


# -- next and previous coded span ----------------------------------------------------------------
def _notices(app: QcodeApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_p_moves_backwards_and_n_p_wrap_with_a_notice(proj: Project) -> None:
    spans = [(0, 11), (13, 16), (EN.index("keep"), EN.index("keep") + 4)]
    for a, b in spans:
        proj.codings.apply("a-english", a, b, "mark", create=True)

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        v.cursor, v.mark = 0, None
        await pilot.press("n")
        assert v.selection == spans[1]
        await pilot.press("n")
        assert v.selection == spans[2]
        await pilot.press("p")
        assert v.selection == spans[1]
        await pilot.press("p")
        assert v.selection == spans[0]
        assert not any("wrapped" in m for m in _notices(app))
        await pilot.press("p")
        assert v.selection == spans[2]
        assert any("wrapped to the last" in m for m in _notices(app))
        await pilot.press("n")
        assert v.selection == spans[0]
        assert any("wrapped to the first" in m for m in _notices(app))
        # N and P do the same among the tree code's spans
        app.screen.tree_code = "mark"  # type: ignore[attr-defined]
        await pilot.press("P")
        assert v.selection == spans[2]
        await pilot.press("P")
        assert v.selection == spans[1]

    drive(proj, go)


def test_coding_a_span_again_says_it_is_coded_already_and_leaves_undo_alone(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 11, "speaker", create=True)
    proj.codings.apply("b-chinese", 0, 3, "speaker")
    steps = len(proj.history.log())

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("c", *"speaker", "enter")
        await settle(pilot)
        assert any("already coded with speaker" in m for m in _notices(app))

    drive(proj, go)
    assert len(codings(proj)) == 2 and len(proj.history.log()) == steps


# -- aggregate counts of categories ------------------------------------------------------------
def _category(proj: Project) -> None:
    proj.codes.add("dilemma", level="axial")
    proj.codes.add("cost", parent="dilemma")
    proj.codes.add("trust", parent="dilemma")
    proj.codings.apply("a-english", 0, 11, "dilemma/cost")
    proj.codings.apply("a-english", 13, 16, "dilemma/trust")
    proj.codings.apply("b-chinese", 0, 3, "dilemma/trust")


def test_categories_count_their_sub_codes_in_the_cli(proj: Project, cli: Any) -> None:
    _category(proj)
    rows = {
        c["path"]: c for c in cli("codes", "list", "--aggregate", "--json", cwd=proj.root).json()
    }
    assert (rows["dilemma"]["codings"], rows["dilemma"]["codings_with_subcodes"]) == (0, 3)
    assert rows["dilemma"]["documents_with_subcodes"] == 2
    assert rows["dilemma/cost"]["codings_with_subcodes"] == 1
    shown = cli("codes", "show", "dilemma", cwd=proj.root).json()
    assert shown["codings_with_subcodes"] == 3 and shown["documents_with_subcodes"] == 2
    assert "codings_with_subcodes" not in cli("codes", "list", "--json", cwd=proj.root).json()[0]
    table = cli("codes", "list", "--aggregate", cwd=proj.root).out
    row = next(line for line in table.splitlines() if "dilemma" in line)
    assert [cell.strip() for cell in row.split("│")][3:7] == ["0", "0", "3", "2"]


def test_categories_show_own_and_aggregate_counts_and_sub_codes_segments(proj: Project) -> None:
    _category(proj)

    async def go(pilot: Any, app: QcodeApp) -> None:
        tree = app.screen.query_one("#codes")
        first = str(tree.get_node_at_line(0).label)  # type: ignore[attr-defined]
        assert first == "■ dilemma 0·3"  # own · with sub-codes, in the narrow pane
        await pilot.press("2")
        await pilot.pause()
        app.show_code("dilemma")
        await pilot.pause()
        label = str(app.screen.query_one("#cb-tree").get_node_at_line(0).label)  # type: ignore[attr-defined]
        assert "0 own · 3 with sub-codes · 2 docs" in label
        info = str(app.screen.query_one("#cb-info").render())
        assert "codings: 0 own · 3 with sub-codes, in 2 documents" in info
        segments = app.screen.query_one("#cb-segments")
        assert segments.option_count == 3  # type: ignore[attr-defined]
        # a coding added on the coding screen updates the category's aggregate in place
        await pilot.press("1")
        await pilot.pause()
        view(app).select(EN.index("keep"), EN.index("keep") + 4)
        app.screen.apply_code("dilemma/cost")  # type: ignore[attr-defined]
        await settle(pilot)
        first = str(app.screen.query_one("#codes").get_node_at_line(0).label)  # type: ignore[attr-defined]
        assert first == "■ dilemma 0·4"

    drive(proj, go)


# -- the margin --------------------------------------------------------------------------------
def test_margin_shows_a_count_when_codes_do_not_fit_and_details_list_them_all(
    proj: Project,
) -> None:
    names = ["alpha code", "beta code", "gamma code", "delta code", "epsilon code"]
    for i, name in enumerate(names):
        proj.codings.apply("a-english", 2 * i, 2 * i + 5, name, create=True)

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        row = "".join(seg.text for seg in v.render_line(0))
        margin = row[row.rindex("│") :]
        shown = margin.count("■")
        assert 1 <= shown < 5 and f"+{5 - shown}" in margin
        v.cursor, v.mark = 0, None
        v.post_message(v.CursorMoved(v))
        await pilot.pause()
        details = str(app.screen.query_one("#details").render())
        assert all(name in details for name in names)

    drive(proj, go)


# -- search ------------------------------------------------------------------------------------
def test_find_in_the_transcript_highlights_and_n_shift_n_move_between_hits(proj: Project) -> None:
    hits = [i for i in range(len(EN)) if EN.lower().startswith("some", i)]  # Some, some

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        await pilot.press("slash", *"some")  # case-insensitive by default
        assert v.hits.ranges == [(h, h + 4) for h in hits]
        await pilot.press("enter")
        assert v.has_focus and v.selection == (hits[0], hits[0] + 4)
        # drawn highlighted
        row = v._layout.row_of(hits[1]) if v._layout else 0  # type: ignore[union-attr]
        strip = v._render_row(row, v.rich_style)
        styled = [seg for seg in strip if seg.text == "some"]
        assert styled and styled[0].style and styled[0].style.bgcolor is not None
        await pilot.press("n")
        assert v.selection == (hits[1], hits[1] + 4)
        await pilot.press("n")
        assert v.selection == (hits[0], hits[0] + 4)
        assert any("wrapped to the first hit" in m for m in _notices(app))
        await pilot.press("N")
        assert v.selection == (hits[1], hits[1] + 4)
        # whole word and regex toggles
        await pilot.press("slash", *"pay", "alt+w")
        assert len(v.hits) == 2  # "pay" twice as a word (not in "paying")
        await pilot.press("home", "shift+end", "backspace", *r"s\w+e", "alt+r")
        assert [EN[a:b] for a, b in v.hits.ranges] == ["Some", "some"]
        await pilot.press("alt+c")  # match case
        assert [EN[a:b] for a, b in v.hits.ranges] == ["some"]
        await pilot.press("escape")
        assert v.hits.ranges == [] and v.has_focus

    drive(proj, go)


def test_find_chinese_substring(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        app.open_document("b-chinese")
        await settle(pilot)
        await pilot.press("slash", *"养老", "enter")
        i = ZH.index("养老")
        j = ZH.index("养老", i + 1)
        assert view(app).hits.ranges == [(i, i + 2), (j, j + 2)]

    drive(proj, go)


def test_find_across_documents_opens_and_codes_hits_in_one_undo_step(proj: Project) -> None:
    from qcode.tui.screens.search import SearchScreen

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"养老", "enter")
        options = app.screen.query_one("#sa-hits")
        assert options.option_count == 2  # type: ignore[attr-defined]
        assert "你现在交养老保险吗" in str(options.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        await pilot.press("C", *"pension", "enter")
        assert {(c[0], c[4]) for c in codings(proj)} == {("b-chinese", "养老")}
        assert len(codings(proj)) == 2
        await pilot.press("down", "c", *"pension", "enter")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("enter")  # opens the highlighted hit
        assert view(app).text == ZH
        j = ZH.index("养老", ZH.index("养老") + 1)
        assert view(app).selection == (j, j + 2)

    drive(proj, go)
    proj.history.undo()
    assert codings(proj) == []  # the two hits were coded in one step


# -- clear feedback ----------------------------------------------------------------------------
def test_tui_with_an_unknown_coder_says_so(proj: Project, cli: Any) -> None:
    proj.codings.apply("a-english", 0, 11, "role", create=True)
    r = cli("tui", "--coder", "nobody", cwd=proj.root)
    assert r.code == 1
    assert r.err.strip().splitlines() == [
        "error: no coder 'nobody' in this project (its coders: alice)"
    ]


def test_toasts_keep_square_brackets(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        app.screen.notify("[0, 11) of 'a' [bold]as is[/bold]")
        await pilot.pause()
        [n] = list(app._notifications)
        assert n.message == "[0, 11) of 'a' [bold]as is[/bold]" and n.markup is False

    drive(proj, go)


def test_agreement_headline_shows_kappa_and_alpha(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 11, "role", coder="ana", create=True)
    proj.codings.apply("a-english", 0, 16, "role", coder="ben")
    proj.codings.apply("a-english", 34, 44, "role", coder="ben")

    async def go(pilot: Any, app: QcodeApp) -> None:
        await pilot.press("5")
        status = str(app.screen.query_one("#ag-status").render())
        assert "pooled agreement" in status
        assert "Cohen's kappa" in status and "Krippendorff's alpha" in status

    drive(proj, go)


def test_command_palette_reaches_every_screen_and_keyed_action(proj: Project) -> None:
    from qcode.tui.commands import QcodeCommands, actions

    async def go(pilot: Any, app: QcodeApp) -> None:
        entries = [e[0] for e in QcodeCommands(app.screen)._entries()]
        for label in ("Coding", "Codebook", "Memos", "Analysis", "Agreement", "Queue"):
            assert f"Switch to {label}" in entries
        names = {a[0] for a in actions(app)}
        assert {"Action: in vivo", "Action: find", "Action: find all", "Action: help"} <= names
        assert "Action: sentence" in names  # the transcript's own keys too
        await pilot.press("ctrl+p", *"switch to queue")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen"

    drive(proj, go)


# -- keymap and theme --------------------------------------------------------------------------
def test_keys_remapped_in_the_user_settings_work_and_help_shows_them(
    proj: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = write(tmp_path / "config.toml", '[keymap]\napply_code = "k"\nfind = "ctrl+g"\n')
    monkeypatch.setenv("QCODE_CONFIG", str(config))
    from qcode.tui.widgets.pickers import Picker

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("k")
        assert isinstance(app.screen, Picker)
        await pilot.press(*"role", "enter")
        assert codings(proj)[0][3] == "role"
        await pilot.press("ctrl+g")
        assert app.screen.query_one("#find-input").has_focus
        await pilot.press("escape", "f1")
        table = app.key_table()
        assert "| `apply_code` | k |" in table and "| `find` | ctrl+g |" in table
        shown = " ".join(str(m._markdown) for m in app.screen.query("Markdown"))  # type: ignore[attr-defined]
        assert "`apply_code` | k |" in shown

    drive(proj, go)


def test_the_chosen_theme_is_kept_in_the_user_settings(
    proj: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("QCODE_CONFIG", str(config))

    async def go(pilot: Any, app: QcodeApp) -> None:
        assert not config.exists()  # opening the app writes nothing
        app.theme = "nord"
        await settle(pilot)

    drive(proj, go)
    assert 'theme = "nord"' in config.read_text(encoding="utf-8")

    async def again(pilot: Any, app: QcodeApp) -> None:
        assert app.theme == "nord"

    drive(proj, again)


# -- coding stripes, wrapping, narrow terminals ------------------------------------------------
def test_g_toggles_coding_stripes_one_column_per_code_in_view(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 40, "alpha", create=True)
    proj.codings.apply("a-english", 13, 60, "beta", create=True)  # overlaps alpha

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        plain = "".join(seg.text for seg in v.render_line(0))
        await pilot.press("g")
        assert v.stripes
        assert [s.code for s in v.stripe_codes()] == ["alpha", "beta"]
        row0 = list(v.render_line(0))
        assert [seg.text for seg in row0[:2]] == ["▌", "▌"]  # both codes on the first row
        colours = [seg.style.color.triplet.hex.upper() for seg in row0[:2] if seg.style]  # type: ignore[union-attr]
        assert colours == [c.color.upper() for c in proj.codes.list()]
        details = str(app.screen.query_one("#details").render())
        assert "stripes, left to right:" in details and "alpha" in details
        assert "".join(seg.text for seg in v.render_line(0)) != plain
        await pilot.press("g")
        assert "".join(seg.text for seg in v.render_line(0)) == plain

    drive(proj, go)


def test_chinese_rows_follow_the_line_breaking_rules(project: Project, tmp_path: Path) -> None:
    from qcode.tui.layout import CLOSING, OPENING

    text = "受访者：交过一段时间。后来收入掉下来，就断了！（因为）《养老保险》说得很清楚。" * 4
    project.documents.import_files([write(tmp_path / "zh.txt", text)])

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        assert v._layout is not None
        rows = [v.text[a:b] for a, b in v._layout.rows if b > a]
        assert len(rows) > 3
        for row in rows:
            assert row[0] not in CLOSING and row[-1] not in OPENING, row

    for size in ((80, 24), (60, 20), (71, 24)):
        drive(project, go, size=size)


def test_narrow_terminal_drops_the_side_panes_and_the_margin(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        assert not app.screen.query_one("#right").display
        assert v.margin_width == 0 and v.text_width >= 50
        assert "│" not in "".join(seg.text for seg in v.render_line(0))

    drive(proj, go, size=(60, 20))


# -- the memo dialog ---------------------------------------------------------------------------
def test_memo_dialog_offers_the_type_previews_markdown_and_tab_reaches_the_body(
    proj: Project,
) -> None:
    from qcode.tui.widgets.pickers import MemoEditor

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("m")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"why", "tab")
        assert app.screen.query_one("#memo-body").has_focus
        await pilot.press(*"# Heading")
        await pilot.pause()
        preview = app.screen.query_one("#memo-markdown")
        assert "Heading" in str(preview._markdown)  # type: ignore[attr-defined]
        await pilot.press("tab")
        select = app.screen.query_one("#memo-type")
        assert select.has_focus
        select.value = "theory"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")

    drive(proj, go)
    [memo] = proj.memos.list()
    assert (memo.title, memo.type) == ("why", "theory")


def test_memo_dialog_in_chinese_shows_types_and_preview_in_chinese(proj: Project) -> None:
    from textual.widgets import Select

    from qcode import i18n
    from qcode.tui.widgets.pickers import MemoEditor

    shown: dict[str, Any] = {}

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("m")
        assert isinstance(app.screen, MemoEditor)
        select = app.screen.query_one("#memo-type", Select)
        shown["types"] = [str(prompt) for prompt, _value in select._options]
        shown["preview"] = str(app.screen.query_one("#memo-markdown")._markdown)  # type: ignore[attr-defined]
        select.value = "theory"
        await pilot.press(*"为什么", "ctrl+s")

    i18n.set_language("zh")
    try:
        drive(proj, go)
    finally:
        i18n.set_language("en")
    assert "自由" in shown["types"] and "理论" in shown["types"] and "free" not in shown["types"]
    assert "preview" not in shown["preview"] and "Markdown" in shown["preview"]
    [memo] = proj.memos.list()
    assert memo.type == "theory"  # the value stays the services' name


# -- the code tree -----------------------------------------------------------------------------
def test_code_tree_filters_sorts_and_recolours(proj: Project) -> None:
    proj.codings.apply("a-english", 0, 11, "zeta", create=True)
    proj.codings.apply("a-english", 13, 16, "zeta")
    proj.codings.apply("a-english", 34, 44, "alpha", create=True)
    proj.codes.add("mid")

    def labels(app: QcodeApp) -> list[str]:
        tree = app.screen.query_one("#codes")
        return [
            str(tree.get_node_at_line(i).label).split()[1]  # type: ignore[attr-defined]
            for i in range(tree.last_line + 1)  # type: ignore[attr-defined]
        ]

    async def go(pilot: Any, app: QcodeApp) -> None:
        assert labels(app) == ["alpha", "mid", "zeta"]
        await pilot.press("o")  # frequency
        assert labels(app) == ["zeta", "alpha", "mid"]
        await pilot.press("o")  # recency: alpha was applied last
        assert labels(app) == ["alpha", "zeta", "mid"]
        app.screen.query_one("#code-filter").focus()
        await pilot.press(*"ZE")
        assert labels(app) == ["zeta"]
        app.screen.query_one("#codes").focus()
        await pilot.press("C", *"#123abc", "enter")
        assert proj.codes.get("zeta").color == "#123ABC"

    drive(proj, go)


def test_an_in_vivo_name_leaves_out_the_punctuation_of_the_clauses_around_it() -> None:
    from qcode.tui.widgets.pickers import in_vivo_name

    text = "Well, it just takes money, you know. 我说，劳务外包公司，不管。"
    a = text.index(", it")
    assert in_vivo_name(text, a, text.index(" you")) == "it just takes money"
    b = text.index("，劳务")
    assert in_vivo_name(text, b, text.index("不管")) == "劳务外包公司"
    assert in_vivo_name(text, text.index("you"), text.index("我")) == "you know."  # its own stop
    assert in_vivo_name(text, a, a + 1) == ","  # nothing but punctuation: kept, to be edited


def test_a_reopened_document_shows_its_cursor_and_s_selects_the_last_sentence(
    proj: Project, tmp_path: Path
) -> None:
    text = "".join(f"R: Line {i} is here. It ends.\n" for i in range(300)) + "R: The last one."
    proj.documents.import_files([write(tmp_path / "c-long.txt", text)])
    uuid = proj.documents.get("c-long").uuid
    proj.set_pref(f"pos:{uuid}", str(len(text)))  # left with the cursor after the last word
    proj.set_pref("last_document", "c-long")

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        assert v.text == text and v.cursor == len(text)
        await settle(pilot)  # the sentences come after the text (a second worker call)
        assert v._layout is not None
        row = v._layout.row_of(v.cursor)
        top = int(v.scroll_y)
        assert top <= row < top + v.scrollable_content_region.height, (top, row)
        await pilot.press("s")
        assert v.selection == (text.index("The last one."), len(text))

    drive(proj, go)


def test_the_context_of_a_hit_does_not_start_with_the_punctuation_before_it(
    proj: Project, tmp_path: Path
) -> None:
    from qcode.services.search import CONTEXT, search_documents

    words = "交了有" * 13  # the context window then starts just at the 。 before them
    text = "问：我说不清。" + words + "七八年了吧。"
    assert len(words) == CONTEXT - 1
    proj.documents.import_files([write(tmp_path / "c-zh.txt", text)])
    [hit] = search_documents(proj, "七八年")
    assert hit.left == words and hit.match == "七八年"


def test_a_hit_opened_in_another_document_stays_in_view(proj: Project, tmp_path: Path) -> None:
    text = "".join(f"R: Line {i} is here.\n" for i in range(400)) + "R: the pension at the end.\n"
    proj.documents.import_files([write(tmp_path / "c-long.txt", text)])
    a = text.index("pension")

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        app.screen.open_document("c-long", then=lambda: v.select(a, a + 7))  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.pause()
        assert v.text == text and v.selection == (a, a + 7)
        assert v._layout is not None
        row, top = v._layout.row_of(a), int(v.scroll_y)
        assert top <= row < top + v.scrollable_content_region.height, (top, row)

    drive(proj, go)


def test_the_end_of_a_long_transcript_is_reachable_and_counted_exactly(
    proj: Project, tmp_path: Path
) -> None:
    # lines whose rows are hard to guess from their length: wide characters, long words
    text = "".join(
        f"R: {'养老保险' * (i % 9)} {'contribution ' * (i % 13)}{'x' * (i % 70)}\n"
        for i in range(4_000)
    )
    proj.documents.import_files([write(tmp_path / "c-long.txt", text)])

    async def go(pilot: Any, app: QcodeApp) -> None:
        app.screen.open_document("c-long")  # type: ignore[attr-defined]
        await settle(pilot)
        v = view(app)
        v.focus()
        v.select(len(text) - 2, len(text) - 2)
        await pilot.pause()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert v._layout is not None
        assert v.virtual_size.height == len(v._layout)  # exact near the end
        last = len(v._layout) - 1
        assert int(v.scroll_y) <= last < int(v.scroll_y) + v.scrollable_content_region.height

    drive(proj, go)
