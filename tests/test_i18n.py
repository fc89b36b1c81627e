"""The Chinese interface: the language chosen, the catalogue complete, every user-facing string
marked, no English string of the catalogue on any workbench screen in zh at 80 columns."""

from __future__ import annotations

import ast
import asyncio
import builtins
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import EXAMPLE, FRAMEWORK
from rich.cells import cell_len
from test_tui import settle

from qcode import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "qcode/locale/zh/LC_MESSAGES/qcode.po"
MO = PO.with_suffix(".mo")
MARKED = [ROOT / "qcode"]


def first(value: Any) -> str:
    """A message's id or text; a plural's first form."""
    return value[0] if isinstance(value, tuple | list) else value


def po_catalogue() -> dict[tuple[str | None, str], str]:
    """(context, English) -> Chinese, from the .po file."""
    with PO.open("rb") as f:
        return {(m.context, first(m.id)): first(m.string) for m in read_po(f) if m.id}


def marked() -> set[tuple[str | None, str]]:
    """Every (context, string) marked with _(), N_(), ngettext() or pgettext() where the
    interface is translated."""
    from babel.messages.extract import extract

    found: set[tuple[str | None, str]] = set()
    for place in MARKED:
        if place.is_dir():
            found |= {(m[4], first(m[2])) for m in extract_from_dir(str(place))}
        else:
            with place.open("rb") as f:
                found |= {(m[3], first(m[1])) for m in extract("python", f)}
    return {m for m in found if m[1]} | {(None, text) for text in command_help()}


def command_help() -> set[str]:
    """Every command's help (its docstring's paragraphs) and its parameters' help."""
    import typer

    from qcode.cli.localise import messages
    from qcode.cli.main import app

    return set(messages(typer.main.get_command(app)))


def marked_strings() -> set[str]:
    return {text for _context, text in marked()}


@pytest.fixture
def zh() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_the_catalogue_translates_every_marked_string() -> None:
    catalogue = po_catalogue()
    untranslated = sorted(str(m) for m in marked() if not catalogue.get(m))
    assert untranslated == []


def test_the_compiled_catalogue_is_the_po_file() -> None:
    po = {k: v for k, v in po_catalogue().items() if v}
    with MO.open("rb") as f:
        mo = {(m.context, first(m.id)): first(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "run make locale"


def test_placeholders_survive_translation() -> None:
    for (_context, msgid), text in po_catalogue().items():
        assert set(re.findall(r"{[^}]*}", msgid)) == set(re.findall(r"{[^}]*}", text)), msgid


# -- every user-facing literal in the workbench is marked ------------------------------------------
SHOWN_FIRST = {
    "notify",
    "Label",
    "Static",
    "Button",
    "Picker",
    "Prompt",
    "Confirm",
    "Option",
    "Markdown",
    "update",  # a Static's or Label's new text
    "show_state",
}


def _unmarked(node: ast.expr | None) -> bool:
    """A literal, or an f-string, with words, not inside a _()/N_()/ngettext() call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):  # words in its literal parts
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return bool(re.search(r"[A-Za-z]{2,}", "".join(map(str, parts))))
    if isinstance(node, ast.IfExp):  # "a" if x else "b": either may be shown
        return _unmarked(node.body) or _unmarked(node.orelse)
    if isinstance(node, ast.BoolOp):  # x or "default"
        return any(_unmarked(v) for v in node.values)
    return False


def unmarked_literals(path: Path, only_help: bool = False) -> list[str]:
    """Unmarked literals shown by the workbench; ``only_help``: only command-line help."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arguments) and not only_help:  # def f(placeholder="words")
            named = node.posonlyargs + node.args
            pairs = list(zip(named[len(named) - len(node.defaults) :], node.defaults, strict=True))
            pairs += [
                (a, d)
                for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True)
                if d is not None
            ]
            found += [
                f"{path.name}:{d.lineno}"
                for a, d in pairs
                if a.arg in ("placeholder", "title", "label") and _unmarked(d)
            ]
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        shown: list[ast.expr | None] = []
        if name == "Binding":
            shown = [node.args[2] if len(node.args) > 2 else None]
            shown += [k.value for k in node.keywords if k.arg in ("description", "tooltip")]
        elif name in SHOWN_FIRST and node.args or name == "Text" and node.args:
            shown = [node.args[0]]
        elif name == "assemble":  # Text.assemble("words", ("words", style), ...)
            shown = [a.elts[0] if isinstance(a, ast.Tuple) and a.elts else a for a in node.args]
        shown += [k.value for k in node.keywords if k.arg in ("placeholder", "title")]
        if only_help:
            shown = []
        shown += [k.value for k in node.keywords if k.arg in ("help", "short_help", "epilog")]
        found += [f"{path.name}:{n.lineno}" for n in shown if n is not None and _unmarked(n)]
    return found


def test_no_unmarked_literal_in_the_workbench() -> None:
    files = sorted((ROOT / "qcode/tui").rglob("*.py"))
    assert [hit for f in files for hit in unmarked_literals(f)] == []


def test_no_unmarked_help_in_the_command_line() -> None:
    files = sorted((ROOT / "qcode/cli").glob("*.py"))
    assert [hit for f in files for hit in unmarked_literals(f, only_help=True)] == []


def _unmarked_message(node: ast.expr) -> bool:
    """A message with words left unmarked, also as a part of ``+`` or of ``a if c else b``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # not a path's "/"
        return _unmarked_message(node.left) or _unmarked_message(node.right)
    if isinstance(node, ast.IfExp):
        return _unmarked_message(node.body) or _unmarked_message(node.orelse)
    return _unmarked(node)


PROGRAM_ERRORS = {name for name in dir(builtins) if name.endswith("Error")}  # ValueError ...


def unmarked_refusals(path: Path) -> list[str]:
    """``SomethingError("words")`` (or an f-string with words, raised or made to be raised) not
    marked, but for a program's own errors (ValueError, TypeError ...); an
    ``InputFileError(path, "problem")``'s problem and a ``QuerySyntaxError(column, "problem")``'s
    likewise."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
        if not name.endswith("Error") or name in PROGRAM_ERRORS:
            continue
        # the message, or the problem after a file's name or a query's column
        if any(_unmarked_message(a) for a in node.args[:2]):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_unmarked_refusal_anywhere() -> None:
    """The services, readers, exchange formats, analysis, text, store and settings: every
    refusal reaches the researcher, on the command line or in the workbench."""
    files = sorted((ROOT / "qcode").rglob("*.py"))
    assert [hit for f in files for hit in unmarked_refusals(f)] == []


def test_the_check_finds_an_unmarked_refusal(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        'raise NotFoundError(f"no code {ref!r}")\n'
        'raise InputFileError(path, "is empty")\n'
        'raise InvalidInputError("a" + (f" by {c}" if c else ""))\n'
        'problem = InputFileError(path, "no such file" if gone else _("is not a file"))\n'
        'raise NotFoundError(_("no code {ref!r}").format(ref=ref))\n'
        'raise InputFileError(path, _("is empty"))\n'
        'raise ValueError(f"not a number: {x!r}")\n'
        'raise QuerySyntaxError(col, "the regex is empty")\n'
    )
    hits = ["probe.py:1", "probe.py:2", "probe.py:3", "probe.py:4", "probe.py:8"]
    assert unmarked_refusals(probe) == hits


def unmarked_merge_lines(path: Path) -> list[str]:
    """A merge's conflict (``conflict(...)``, ``self.conflict(...)``) or note or conflict line
    (``res.notes.append(...)``, ``res.conflicts.append(...)``) with words not marked."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
        owner = f.value if isinstance(f, ast.Attribute) else None
        listed = isinstance(owner, ast.Attribute) and owner.attr in ("notes", "conflicts")
        if (name == "conflict" or (name == "append" and listed)) and _unmarked_message(
            node.args[0]
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_unmarked_merge_conflict_or_note() -> None:
    files = sorted((ROOT / "qcode/services").glob("merge*.py"))
    assert len(files) >= 4
    assert [hit for f in files for hit in unmarked_merge_lines(f)] == []


def test_the_check_finds_an_unmarked_merge_line(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        'self.conflict(f"code {path!r}: {f} changed on both sides")\n'
        'conflict("memo was edited on both sides", can_take=False)\n'
        'self.res.notes.append(f"document {a!r} there is {b!r} here")\n'
        'res.conflicts.append("a" + (f" kept as {t!r}" if t else ""))\n'
        'self.conflict(_("code {path!r}: {f} differs").format(path=path, f=f))\n'
        "self.conflict(w.both(label, k), can_take=False)\n"
        'self.res.notes.append(_("document {name!r} there").format(name=n))\n'
        'names.append("a list of words")\n'
    )
    assert unmarked_merge_lines(probe) == ["probe.py:1", "probe.py:2", "probe.py:3", "probe.py:4"]


def test_a_merge_conflict_in_chinese(env: dict[str, str], tmp_path: Path) -> None:
    from mergekit import interviews, two_sides

    from qcode import Project

    a, b = two_sides(tmp_path, interviews)
    with Project.open(b) as p:
        p.codes.edit("family", color="#112233")
        p.codes.delete("rent", force=True)
    with Project.open(a) as p:
        p.codes.edit("family", color="#445566")
        p.codings.apply("int01", 64, 74, "rent")
    out = qcode("--lang", "zh", "-p", str(a), "merge", str(b), "--dry-run", env=env)
    assert out.returncode == 3, out.stderr
    assert "冲突：编码 'family'：两个项目都更改了颜色" in out.stderr, out.stderr
    assert (
        "冲突：编码 'rent'已在另一项目中删除，但在本项目中有更改（此后本项目中新增 1 条编码记录）"
        in out.stderr
    ), out.stderr
    out = qcode("--lang", "zh", "-p", str(a), "merge", str(b), env=env)
    assert "合并停在 2 处冲突" in out.stderr and "changed" not in out.stderr, out.stderr
    english = qcode("-p", str(a), "merge", str(b), "--dry-run", env=env).stderr
    assert "conflict: code 'family': color changed on both sides" in english, english


# -- every text drawn into a figure is marked ------------------------------------------------------
FIGURE_TEXT = {  # matplotlib's calls that put text on a figure: the text's argument
    "set_title": 0,
    "set_xlabel": 0,
    "set_ylabel": 0,
    "set_label": 0,
    "suptitle": 0,
    "supxlabel": 0,
    "supylabel": 0,
    "annotate": 0,
    "text": 2,  # fig.text(x, y, text), ax.text(x, y, text)
    "_draw_caption": 1,  # figure_kinds._draw_caption(fig, text, width)
}
FIGURE_DRAWERS = {  # qcode's figure functions: their texts given by keyword, a chart's series
    "bar_chart",
    "heatmap",
    "saturation_curve",
    "draw_network",
    "write_html",
    "codeline",
    "stripes",
    "paradigm_map",
}


def unmarked_figure_texts(source: str, name: str = "probe.py") -> list[str]:
    """A title, axis label, legend entry (``label=``), caption or other text drawn into a figure
    with words not marked, given to matplotlib or to one of qcode's figure functions (their
    ``title``, ``xlabel``, ``label`` and ``caption``, a bar chart's series names)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        fname = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
        shown: list[ast.expr] = []
        if fname in FIGURE_TEXT and len(node.args) > FIGURE_TEXT[fname]:
            shown.append(node.args[FIGURE_TEXT[fname]])
        if fname in FIGURE_TEXT or fname in ("bar", "barh", "plot", "scatter", "Line2D"):
            shown += [k.value for k in node.keywords if k.arg == "label"]  # a legend's entry
        if fname in FIGURE_DRAWERS:
            keys = ("title", "xlabel", "label", "caption")
            shown += [k.value for k in node.keywords if k.arg in keys]
            shown += [
                key for a in node.args if isinstance(a, ast.Dict) for key in a.keys if key
            ]  # the series of a bar chart, named in its legend
        found += [f"{name}:{n.lineno}" for n in shown if _unmarked_message(n)]
    return found


def test_no_unmarked_text_in_a_figure() -> None:
    """The figure modules and everything that draws a figure: no title, label or caption
    reaches a figure in English when the interface speaks Chinese."""
    files = sorted((ROOT / "qcode").rglob("*.py"))
    hits = [h for f in files for h in unmarked_figure_texts(f.read_text("utf-8"), f.name)]
    assert hits == []


def test_the_check_finds_an_unmarked_figure_text() -> None:
    probe = (
        'ax.set_title(f"Code line: {document}", fontsize=8)\n'
        'ax.set_xlabel("documents in order")\n'
        'ax.bar(x, new, label="new codes")\n'
        '_draw_caption(fig, "The paradigm model" + (f"; empty: {e}." if e else "."), w)\n'
        'fig.text(0.5, 0.1, f"{n} nodes", ha="center")\n'
        'bar_chart(labels, {"codings": a, _("cases"): b}, path, title="Code frequencies")\n'
        'heatmap(r, c, v, figure, title=f"codes x {a}", label="co-occurrence count")\n'
        'Line2D([], [], color=c, label="relation")\n'
        'ax.set_title(_("Code line: {document}").format(document=d))\n'
        "ax.text(6, y, text[a:b].rstrip(), fontsize=6)\n"
        'fig.text(0.5, 1, title, ha="center")\n'
        'heatmap(r, c, v, figure, title=_("matrix query"), label=term(count))\n'
        'p.documents.text("P01")\n'
    )
    assert unmarked_figure_texts(probe) == [
        "probe.py:1",
        "probe.py:2",
        "probe.py:3",
        "probe.py:4",
        "probe.py:5",
        "probe.py:6",
        "probe.py:6",
        "probe.py:7",
        "probe.py:7",
        "probe.py:8",
    ]


def unmarked_output(path: Path) -> list[str]:
    """An ``ok()``, ``warn()``, ``plain()`` or progress line, or a ``table()``'s title or column
    header, with words not marked (the header's right-justified columns name it as it is shown,
    so they too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        name = node.func.id
        shown: list[ast.expr] = []
        if name in ("ok", "warn", "plain", "working"):  # working(): the progress line
            shown = [node.args[0]]
        elif name == "table":
            shown = [node.args[0]]
            lists = node.args[1:2] + [k.value for k in node.keywords if k.arg == "justify_right"]
            for names in lists:
                if isinstance(names, ast.List):
                    shown += [e for e in names.elts if not isinstance(e, ast.Starred)]
        found += [f"{path.name}:{n.lineno}" for n in shown if _unmarked_message(n)]
    return found


def test_no_unmarked_line_error_or_table_header_in_the_command_line() -> None:
    files = sorted((ROOT / "qcode/cli").glob("*.py"))
    assert [hit for f in files for hit in unmarked_output(f)] == []
    assert [hit for f in files for hit in unmarked_refusals(f)] == []


def test_the_check_finds_an_unmarked_line_or_header(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        'ok(f"added code {c.path!r}")\n'
        'warn("no codes" + suffix)\n'
        'table("codes", [_("id"), "name", *extra], rows)\n'
        'table(None, [_("id")], rows, justify_right=["id"])\n'
        'ok(_("added code {path!r}").format(path=c.path))\n'
        'table(_("codes"), [_("id"), "", *m.columns], rows, justify_right=list(m.columns))\n'
        'ok(f"  {word}: {item}")\n'
    )
    assert unmarked_output(probe) == ["probe.py:1", "probe.py:2", "probe.py:3", "probe.py:3"] + [
        "probe.py:4"
    ]


def test_the_command_lines_results_and_refusals_in_chinese(
    env: dict[str, str], tmp_path: Path
) -> None:
    zh = env | {"QCODE_LANGUAGE": "zh"}
    study = tmp_path / "study"
    made = qcode("init", str(study), "--name", "t", env=zh)
    assert made.returncode == 0 and made.stdout.startswith("已在 "), made.stdout
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "a.txt").write_text("We kept the money in our own hands.\n", encoding="utf-8")
    at = ["-p", str(study)]
    for args, message in [
        (["import", str(tmp_path / "missing.txt")], ": 没有这个文件"),
        (["import", str(tmp_path / "empty.txt")], ": 为空"),
        (["cases", "delete", "nobody"], "没有个案 'nobody'"),
        (["cooccur", "--unit", "bogus"], "未知的单位 'bogus'"),
        (["undo"], "没有可撤销的步骤"),
    ]:
        out = qcode(*at, *args, env=zh)
        assert out.returncode == 1 and out.stderr.startswith("错误："), out.stderr
        assert message in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr
    assert qcode(*at, "import", str(tmp_path / "a.txt"), env=zh).stdout.startswith("已导入 'a'")
    listed = qcode(*at, "docs", "list", env=zh).stdout
    assert "字符数" in listed and "chars" not in listed, listed
    checked = qcode(*at, "check", env=zh).stdout
    assert "完整性" in checked and "通过" in checked, checked
    assert not re.search(r"[A-Za-z]{2,}", checked), checked
    assert "integrity" in qcode(*at, "check", env=env).stdout
    english = qcode(*at, "cases", "delete", "nobody", env=env).stderr
    assert english == "error: no case 'nobody'\n"


def test_a_services_refusal_in_chinese(zh: None, sample: Any) -> None:
    from qcode.errors import ConflictError, InvalidInputError

    with pytest.raises(InvalidInputError, match="^编码名称不能为空$"):
        sample.codes.add("  ")
    name = sample.codes.list()[0].path
    with pytest.raises(ConflictError, match="已有名为"):
        sample.codes.add(name)
    i18n.set_language("en")
    with pytest.raises(InvalidInputError, match="^a code name cannot be empty$"):
        sample.codes.add("  ")


def test_the_check_finds_an_unmarked_literal(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        'self.notify("saved")\nself.notify(f"{n} saved")\nself.notify(_("ok"))\n'
        'typer.Option(1, "--n", help="How many.")\ntyper.Option(1, help=N_("How many."))\n'
        'Text.assemble(("Code", "bold"), " saved", _(" ok"))\nText("no codes yet")\n'
        'self.notify(_("on") if x else "off")\nself.notify(x or "nothing here")\n'
        'self.notify(_("on") if x else _("off"))\n'
        'Option(f"+ new: {q}", id=q)\ndef f(placeholder: str = "type to filter"): ...\n'
    )
    assert unmarked_literals(probe) == [
        "probe.py:1",
        "probe.py:2",
        "probe.py:4",
        "probe.py:6",
        "probe.py:6",
        "probe.py:7",
        "probe.py:8",
        "probe.py:9",
        "probe.py:11",
        "probe.py:12",
    ]


# -- choosing the language --------------------------------------------------------------------------
def qcode(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from qcode.cli.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("QCODE_", "LC_", "LANG"))}
    return clean | {"QCODE_CONFIG": str(tmp_path / "config.toml"), "LANG": "C.UTF-8"}


def test_lang_option_chooses_chinese_for_help_and_errors(env: dict[str, str]) -> None:
    out = qcode("--lang", "zh", "--help", env=env)
    assert "扎根理论质性编码" in out.stdout and "编码:" in out.stdout
    assert "Grounded-theory" not in out.stdout
    bad = qcode("--lang", "zh", "-p", "/nonexistent", "info", env=env)
    assert bad.returncode == 1 and bad.stderr.startswith("错误：")
    assert "Grounded-theory" in qcode("--help", env=env).stdout


def test_user_settings_and_locale_choose_chinese(env: dict[str, str], tmp_path: Path) -> None:
    assert "扎根理论" in qcode("--help", env=env | {"LANG": "zh_CN.UTF-8"}).stdout
    (tmp_path / "config.toml").write_text('language = "zh"\n', encoding="utf-8")
    assert "扎根理论" in qcode("--help", env=env).stdout
    assert "Grounded-theory" in qcode("--lang", "en", "--help", env=env).stdout


def test_an_unknown_language_is_a_usage_error(env: dict[str, str]) -> None:
    out = qcode("--lang", "fr", "--help", env=env)
    assert out.returncode == 2 and "--lang" in out.stderr and "Traceback" not in out.stderr


# -- every screen in zh at 80 columns ---------------------------------------------------------------
@pytest.fixture
def sample(tmp_path: Path, built_example: Callable[[Path], Path]) -> Iterator[Any]:
    from qcode import Project

    with Project.open(built_example(tmp_path / "flexible-employment")) as p:
        yield p


def screen_lines(app: Any) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def english_left(lines: list[str], data: str) -> list[str]:
    """The catalogue's English strings that are on screen (words of the study's own data,
    such as an English code name, excepted)."""
    text = "\n".join(lines)
    left = []
    # a history action is a name ("autocode", "codes.add"), as a command is: shown in hints
    names = {text for context, text in marked() if context == "history action"}
    for msgid in marked_strings() - names:
        words = re.sub(r"{\w*}", " ", msgid).strip(" .:()|")
        if len(words) < 4 or not re.search(r"[A-Za-z]{3}", words):
            continue
        pattern = r"(?<![A-Za-z])" + re.escape(words) + r"(?![A-Za-z])"
        if re.search(pattern, text) and not re.search(pattern, data):
            left.append(words)
    return sorted(left)


def run(app: Any, scenario: Any) -> None:
    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


@pytest.mark.parametrize("key", list("12345678"))
def test_every_screen_in_chinese_at_80_columns(zh: None, sample: Any, key: str) -> None:
    from qcode.tui.app import QcodeApp

    p = sample
    data = "\n".join(
        [c.name for c in p.codes.list()]
        + [d.name for d in p.documents.list()]
        + [p.documents.text(d.name) for d in p.documents.list()]
        + [m.title for m in p.memos.list()]
    )
    app = QcodeApp(p)
    seen: list[str] = []

    async def scenario(pilot: Any) -> None:
        await pilot.press(key)
        await settle(pilot)
        seen.extend(screen_lines(app))

    run(app, scenario)
    assert english_left(seen, data) == []
    assert re.search(r"[\u4e00-\u9fff]", seen[-1])  # the footer
    palette = "^p " + i18n._("palette")
    assert seen[-1].rstrip().endswith(palette), seen[-1]  # whole, beside the keys, not over them
    assert all(cell_len(line) == 80 for line in seen)  # wide characters keep the width


def test_the_footer_is_english_again_in_english(sample: Any) -> None:
    from qcode.tui.app import QcodeApp

    i18n.set_language("en")
    app = QcodeApp(sample)
    seen: list[str] = []

    async def scenario(pilot: Any) -> None:
        seen.extend(screen_lines(app))

    run(app, scenario)
    assert "code" in seen[-1] and "palette" in seen[-1]


def test_the_chinese_help_has_every_section_and_key_of_the_english() -> None:
    def shape(text: str) -> list[int]:
        """Rows of each table, section by section."""
        return [s.count("\n|") for s in text.split("\n## ")]

    def keys(text: str) -> list[str]:
        return re.findall(r"`([^`]+)`", text)

    en = (ROOT / "qcode/tui/help.md").read_text(encoding="utf-8")
    zh = (ROOT / "qcode/tui/help.zh.md").read_text(encoding="utf-8")
    assert shape(zh) == shape(en)
    assert set(keys(en)) <= set(keys(zh))


def test_the_help_screen_in_chinese(zh: None, sample: Any) -> None:
    from qcode.tui.app import QcodeApp

    app = QcodeApp(sample)
    seen: list[str] = []

    async def scenario(pilot: Any) -> None:
        await pilot.press("f1")
        await settle(pilot)
        seen.extend(screen_lines(app))

    run(app, scenario)
    text = "\n".join(seen)
    assert "所有界面" in text and "Everywhere" not in text
    # the table's cells folded, not cut short with an ellipsis (the screen beneath aside)
    cells = [line[line.find("│") : line.rfind("│")] for line in seen if "│" in line]
    assert any("命令面板：加编码" in c for c in cells) and not [c for c in cells if "…" in c]
    assert all(cell_len(line) == 80 for line in seen)


def test_the_command_palette_in_chinese(zh: None, sample: Any) -> None:
    from qcode.tui.app import QcodeApp
    from qcode.tui.commands import QcodeCommands

    app = QcodeApp(sample)
    texts: list[str] = []

    async def scenario(pilot: Any) -> None:
        texts.extend(e[0] for e in QcodeCommands(app.screen)._entries())

    run(app, scenario)
    assert "切换到编码簿界面" in texts and "操作：本土编码" in texts
    assert not [t for t in texts if t.startswith(("Switch", "Action", "Apply", "Open", "Jump"))]


# -- the command line's help in zh ------------------------------------------------------------------
def _commands() -> list[list[str]]:
    import typer

    from qcode.cli.main import app

    def walk(cmd: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def help_of(args: list[str]) -> str:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from qcode.cli.main import main

    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main([*args, "--help"]) == 0
    return out.getvalue()


def _command(path: list[str]) -> Any:
    import typer

    from qcode.cli.main import app

    cmd = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]
    return cmd


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "qcode")
def test_every_command_help_in_chinese(zh: None, path: list[str]) -> None:
    from qcode.cli.localise import BUILT_IN, english, paragraphs

    text = help_of(["--lang", "zh", *path])
    flat = " ".join(text.split())
    cmd = _command(path)
    english_help = [*paragraphs(english(cmd) or ""), *(english(p) for p in cmd.params)]
    english_help += [english(p) for p in [cmd.get_help_option(_ctx(cmd))] if p is not None]
    english_help += [*BUILT_IN[:5]]
    # the first words of each sub-command's short help, listed under "命令"
    english_help += [" ".join(paragraphs(english(s) or "x")[0].split()[:4]) for s in _subs(cmd)]
    left = [
        m for m in english_help if m and re.search(r"[a-z]{3}", m) and " ".join(m.split()) in flat
    ]
    assert left == [], text
    # the types of the values, Typer's <str> <int> <path> <list[str]> ..., and [OPTIONS]
    assert not re.search(r"<(list\[)?(str|int|float|bool|path|datetime)\b", text), text
    assert "[OPTIONS]" not in text, text
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert all(cell_len(line) <= 80 for line in text.splitlines()), text


def _ctx(cmd: Any) -> Any:
    return cmd.context_class(cmd)


def _subs(cmd: Any) -> list[Any]:
    return [s for s in getattr(cmd, "commands", {}).values() if not s.hidden]


def test_the_english_help_is_unchanged_in_english() -> None:
    i18n.set_language("en")
    text = help_of(["codes", "add"])
    assert text.startswith("Usage: qcode codes add [OPTIONS]")
    assert "--parent <str>" in text and "--level <str>" in text, text
    assert "Add a code (or, with --level axial/selective, a category)." in text
    assert "Show this message and exit." in text and "Options:" in text


def test_usage_errors_in_chinese(env: dict[str, str]) -> None:
    out = qcode("--lang", "zh", "codes", "add", "--parnt", "x", env=env)
    assert out.returncode == 2
    assert out.stderr.startswith("错误：没有这个选项：--parnt（可能的选项：--parent）"), out.stderr
    out = qcode("--lang", "zh", "codes", "add", env=env)
    assert "缺少参数 'name'。" in out.stderr and "Missing" not in out.stderr
    out = qcode("--lang", "zh", "cooccur", "--min", "abc", env=env)
    assert "'--min' 的值无效：应为整数" in out.stderr, out.stderr
    out = qcode("--lang", "zh", "nocmd", env=env)
    assert "没有这个命令 'nocmd'。" in out.stderr
    out = qcode("--lang", "zh", "cods", env=env)  # a near miss: Typer suggests the commands
    assert "没有这个命令 'cods'。是不是要用 'codes'" in out.stderr, out.stderr
    assert "Did you mean" not in out.stderr and "。." not in out.stderr, out.stderr
    out = qcode("--lang", "zh", "codes", "lst", env=env)
    assert "是不是要用 'list'？" in out.stderr and "Did you" not in out.stderr, out.stderr
    assert "No such option: --parnt" in qcode("codes", "add", "--parnt", env=env).stderr
    assert "Did you mean 'codes'" in qcode("cods", env=env).stderr


def test_a_group_alone_prints_its_help(env: dict[str, str]) -> None:
    out = qcode("--lang", "zh", "codes", env=env)
    assert out.returncode == 2 and out.stdout.startswith("用法: qcode codes")
    assert "错误" not in out.stderr


def test_the_types_of_values_in_chinese_help(zh: None) -> None:
    from qcode.cli.localise import local_types

    assert local_types("--min <int>") == "--min <整数>"
    assert local_types("--coder <list[str]>") == "--coder <文本…>"
    assert local_types("--compare <str,str>...") == "--compare <文本,文本>..."
    assert local_types("--unit <overlap|turn>") == "--unit <overlap|turn>"  # as typed
    text = help_of(["--lang", "zh", "cooccur"])
    assert text.startswith("用法: qcode cooccur [选项]") and "--min <整数>" in text, text


def test_chinese_help_wraps_by_display_width() -> None:
    from qcode.cli.localise import wrap

    text = "资料：.txt .md .pdf、文件夹（递归），或带 --text-columns 的电子表格（.csv .xlsx）。"
    for width in range(16, 60):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.startswith(("）", "。", "，", " ")) for line in lines)
        assert not any(line.endswith("（") for line in lines)


def test_textuals_own_commands_in_chinese(zh: None, sample: Any) -> None:
    from qcode.tui.app import QcodeApp

    app = QcodeApp(sample)
    titles: list[str] = []
    placeholder: list[str] = []

    async def scenario(pilot: Any) -> None:
        titles.extend(c.title + " " + c.help for c in app.get_system_commands(app.screen))
        await pilot.press("ctrl+p")
        await settle(pilot)
        placeholder.extend(screen_lines(app))

    run(app, scenario)
    assert "按键 显示当前部件的帮助和可用按键一览" in titles
    assert not [t for t in titles if re.search(r"[A-Za-z]{4}", t)], titles
    assert "搜索命令" in "\n".join(placeholder) and "Search for" not in "\n".join(placeholder)


def test_the_transcripts_margin_is_one_straight_column_at_80_columns(zh: None, sample: Any) -> None:
    from qcode.tui.app import QcodeApp

    app = QcodeApp(sample)
    seen: list[str] = []

    async def scenario(pilot: Any) -> None:
        seen.extend(screen_lines(app))

    run(app, scenario)
    # the rows of text laid out for the width the scrollbar leaves, not the width before it
    columns = {line.find("│") for line in seen[1:-2] if "│" in line}
    assert len(columns) == 1, seen


def test_the_negative_number_hint_and_the_search_flags_in_chinese(env: dict[str, str]) -> None:
    bad = qcode("--lang", "zh", "code", "int01", "-5", "10", "cost", env=env)
    assert (
        bad.returncode == 2 and "要给出负数" in bad.stderr and "read as an option" not in bad.stderr
    )
    from qcode import i18n
    from qcode.tui.widgets.findbar import Query

    i18n.set_language("zh")
    try:
        assert Query("x").describe() == "纯文本，不区分大小写"
    finally:
        i18n.set_language("en")


# -- a figure drawn in zh ---------------------------------------------------------------------------
def _example_words(p: Any) -> set[str]:
    """The English words of the study's own names: codes, documents, the framework's dimensions
    and elements, the cases' attributes, the study's name (a figure shows them as they are)."""
    import yaml

    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    names = [c.path for c in p.codes.list(counts=False)] + [d.name for d in p.documents.list()]
    names += [p.settings.name, framework["name"], (EXAMPLE / "cases.csv").read_text("utf-8")]
    for dim in framework["dimensions"]:
        names += [dim["name"], dim["key"], *(e["name"] for e in dim["elements"])]
    return {w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name)}


FIGURE_COMMANDS = {  # a figure of each kind, as the command line draws it
    "freq": ["freq", "--figure", "{f}"],
    "matrix": ["matrix", "--figure", "{f}"],
    "crosstab": ["crosstab", "occupation", "--figure", "{f}"],
    "saturation": ["saturation", "--figure", "{f}"],
    "network": ["network", "--figure", "{f}", "--include", "framework,relations,hierarchy"],
    "layered": ["network", "--figure", "{f}", "--layout", "layered", "--include", "framework"],
    "framework": [
        "framework",
        "view",
        "--between",
        "structural_driver,resilience_type",
        "--figure",
        "{f}",
    ],
    "codeline": ["figure", "codeline", "P01", "{f}"],
    "paradigm": ["figure", "paradigm", "Participation resilience", "{f}"],
}


@pytest.mark.parametrize("kind", list(FIGURE_COMMANDS))
def test_a_figure_drawn_in_chinese_speaks_chinese(
    zh: None, sample: Any, tmp_path: Path, kind: str
) -> None:
    """Its title, axis labels, legend and caption in Chinese, every one with a font that has
    its characters; the English left is the study's own names and numbers."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from qcode.analysis.figure_check import read
    from qcode.cli.main import main

    figure = tmp_path / f"{kind}.svg"
    args = [a.format(f=figure) for a in FIGURE_COMMANDS[kind]]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(["--lang", "zh", "-p", str(sample.root), *args])
    assert rc == 0, err.getvalue()
    labels = read(figure).labels
    assert [lab.text for lab in labels if lab.missing] == []  # no boxes for want of a font
    chinese = [lab.text for lab in labels if re.search(r"[\u4e00-\u9fff]", lab.text)]
    assert chinese, [lab.text for lab in labels]
    known = _example_words(sample)
    english = sorted(
        {
            w
            for lab in labels
            for w in re.findall(r"[A-Za-z]{2,}", lab.text)
            if w.lower() not in known
        }
        - {"Strauss", "Corbin"}  # the paradigm model's authors
    )
    assert english == [], [lab.text for lab in labels]


# -- the names of units, levels, types and fields inside Chinese lines ------------------------------
def run_in_chinese(root: Path, *args: str) -> str:
    """What ``qcode --lang zh -p root ARGS`` prints (in a process of its own)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("QCODE_", "LC_", "LANG"))}
    env |= {"QCODE_CONFIG": str(root / "no-user-settings.toml"), "LANG": "C.UTF-8"}
    done = qcode("--lang", "zh", "-p", str(root), *args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_units_levels_and_types_in_chinese_lines(zh: None, sample: Any) -> None:
    root = sample.root
    assert "共现（段落）" in run_in_chinese(root, "cooccur", "--unit", "paragraph")
    assert "框架视图（发言轮次）" in run_in_chinese(root, "framework", "view", "--unit", "turn")
    assert "编码 × 文档（字符数）" in run_in_chinese(root, "matrix", "--count", "characters")
    listed = run_in_chinese(root, "codes", "list")
    assert "主轴编码" in listed and not re.search(r"\b(axial|open|selective)\b", listed), listed
    info = run_in_chinese(root, "info")
    assert "可撤销步骤" in info and "undo_steps" not in info, info
    memos = run_in_chinese(root, "memos", "list")
    assert "故事线" in memos and "storyline" not in memos, memos
    shown = run_in_chinese(root, "memos", "show", "1")
    assert "-> 编码: " in shown, shown


def test_a_merge_lines_fields_in_chinese(zh: None) -> None:
    from qcode.services import mergewords as w

    code = w.label("code", "rent")
    assert w.both(code, "color") == "编码 'rent'：两个项目都更改了颜色"
    assert w.deleted(code, True, w.fields_changed(["memo links", "attribute values"], False)) == (
        "编码 'rent'已在本项目中删除，但在另一项目中有更改（更改了备忘录链接、属性值）"
    )
    assert "数值" in w.types_differ("age", "number", "text")
    i18n.set_language("en")
    assert w.both(w.label("code", "rent"), "color") == "code 'rent': color changed on both sides"


# -- the history's summaries, stored in English, shown in zh ---------------------------------------
def _summary_shapes(node: ast.expr) -> list[str]:
    """The summaries an expression can write, each placeholder as ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _summary_shapes(node.left) for b in _summary_shapes(node.right)]
    if isinstance(node, ast.IfExp):
        return _summary_shapes(node.body) + _summary_shapes(node.orelse)
    return []  # a summary made elsewhere (``ch.summary or ...``)


def written_summaries(source: str) -> list[str]:
    """The summaries a module writes: ``ch.summary = ...`` and ``p.change(action, summary)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "summary" for t in node.targets
        ):
            found += _summary_shapes(node.value)
        elif isinstance(node, ast.BoolOp):
            continue
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "change"
            and len(node.args) >= 2
        ):
            found += _summary_shapes(node.args[1])
    return found


def test_every_summary_the_services_write_has_its_chinese_form() -> None:
    from qcode.services.historywords import FORMS

    forms = {re.sub(r"{[^}]*}", "{}", f) for f in FORMS}
    files = sorted((ROOT / "qcode/services").glob("*.py"))
    written = {s for f in files for s in written_summaries(f.read_text("utf-8"))}
    assert len(written) > 50
    assert sorted(written - forms) == []


def test_the_check_finds_a_summary_without_a_form() -> None:
    probe = (
        'ch.summary = f"add code {name!r}"\n'
        'ch.summary = f"delete code {p!r}" + (f" and {n} sub-code(s)" if n else "")\n'
        'with p.change("codes.add", f"tidy code {name!r}") as ch:\n    pass\n'
    )
    assert written_summaries(probe) == [
        "add code {}",
        "delete code {} and {} sub-code(s)",
        "delete code {}",
        "tidy code {}",
    ]


def test_stored_summaries_shown_in_chinese(zh: None, sample: Any) -> None:
    """As an older project stored them (in English), shown in Chinese; the store unchanged."""
    from qcode.services.historywords import shown

    p = sample
    p.codes.add("测试")
    p.codes.rename("测试", "rent again")
    p.attributes.define("age", "number", "document")
    entries = p.history.log(None, None, 3)
    stored = [e.summary for e in entries]
    assert "rename code '测试' to 'rent again'" in stored, stored
    assert "define document attribute 'age' (number)" in stored, stored
    assert shown("rename code '测试' to 'rent again'") == "把编码 '测试' 重命名为 'rent again'"
    assert shown("define document attribute 'age' (number)") == "定义文档属性 'age'（数值）"
    assert shown("delete code 'a' and 2 sub-code(s)") == "删除编码 'a' 及其 2 个子编码"
    assert shown("move code 'a/b' under the top") == "把编码 'a/b' 移到顶层"
    assert shown("import P01.txt as 'P01'") == "导入 P01.txt，命名为 'P01'"
    assert shown("a summary another tool wrote") == "a summary another tool wrote"
    logged = run_in_chinese(p.root, "log", "--limit", "3")
    assert "定义文档属性 'age'（数值）" in logged and "define document" not in logged, logged
    undone = run_in_chinese(p.root, "undo", "--project")
    assert undone.startswith("已撤销：定义文档属性 'age'（数值）"), undone
    i18n.set_language("en")
    assert shown("import P01.txt as 'P01'") == "import P01.txt as 'P01'"


def test_every_history_action_has_a_chinese_label() -> None:
    """The log's action column in Chinese: every action the services write (``change("...")``
    and the coding default) has a label, and it is Chinese."""
    from qcode.services.historywords import action_label

    actions = {"code"}
    for f in (ROOT / "qcode").rglob("*.py"):
        actions |= set(re.findall(r'\bchange\(\s*"([a-z_.]+)"', f.read_text(encoding="utf-8")))
    assert len(actions) > 40
    i18n.set_language("zh")
    try:
        labels = {a: action_label(a) for a in sorted(actions)}
    finally:
        i18n.set_language("en")
    assert [a for a, label in labels.items() if not re.search(r"[\u4e00-\u9fff]", label)] == []
    assert action_label("codes.add") == "codes.add"  # English: the name as stored


def test_fill_sets_latin_apart_from_han_only_at_the_seams() -> None:
    from qcode.i18n import fill

    i18n.set_language("zh")
    try:
        assert fill("{name}的子编码", name="Coping strategies") == "Coping strategies 的子编码"
        assert fill("{name}的子编码", name="外卖骑手") == "外卖骑手的子编码"
        assert fill("与之共现最多的{n}个类属", n=3) == "与之共现最多的 3 个类属"
        assert fill("以{name}为现象", name="（括号）A") == "以（括号）A 为现象"
        assert fill("{a}{b}：{c!r}", a="收入", b="Income", c="x") == "收入 Income：'x'"
        assert fill("{name}的", name="a中b") == "a中b 的"  # within a value: as written
        assert fill("{{x}}{n:,}条", n=12345) == "{x}12,345 条"
    finally:
        i18n.set_language("en")
    assert fill("{name}的子编码", name="Coping") == "Coping的子编码"  # English: format alone
