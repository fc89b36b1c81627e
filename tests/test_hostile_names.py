"""Names with control characters and terminal escapes: refused when typed, cleaned (and
reported) when read from a file, and never written raw to the terminal."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write

from qcode import Project
from qcode.services.coders import list_coders
from qcode.text.safety import clean_label, visible

TITLE = "\x1b]0;owned\x07"  # retitles the terminal
CLEAR = "income\x1b[2J\x1b[H"  # clears it
C1 = "rent\x9b2J"  # the 8-bit CSI
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def no_raw(text: str) -> None:
    assert RAW.search(text) is None, repr(text)


@pytest.fixture
def proj(tmp_path: Path, cli: Any) -> Path:
    root = tmp_path / "study"
    assert cli("init", str(root), "--name", "Study").code == 0
    write(tmp_path / "int01.txt", "Interviewer: Do you pay?\nR: Some months I pay.")
    assert cli("-p", str(root), "import", str(tmp_path / "int01.txt"), "--case", "P1").code == 0
    assert cli("-p", str(root), "codes", "add", "money").code == 0
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("codes", "add", TITLE),
        ("codes", "add", CLEAR),
        ("codes", "add", C1),
        ("codes", "add", "a\x07b"),
        ("codes", "rename", "money", CLEAR),
        ("cases", "add", TITLE),
        ("cases", "rename", "P1", CLEAR),
        ("coders", "add", C1),
        ("attrs", "define", "age\x1b[31m"),
        ("attrs", "set", "P1", "age\x1b[31m=3"),
        ("code", "int01", "0", "5", CLEAR, "--create"),
        ("code", "int01", "0", "5", "money", "--coder", TITLE),
    ],
)
def test_typed_names_with_controls_are_refused(proj: Path, cli: Any, args: tuple[str, ...]) -> None:
    with Project.open(proj) as p:
        before = snapshot(p)
    r = cli("-p", str(proj), *args)
    assert r.code == 1, (r.code, r.out, r.err)
    lines = r.err.splitlines()
    assert len(lines) == 1 and "control character" in lines[0], r.err
    no_raw(r.err + r.out)
    with Project.open(proj) as p:
        assert snapshot(p) == before


def test_ordinary_names_still_pass(proj: Path, cli: Any) -> None:
    for name in ("income swings", "收入 波动", "café [draft]", "emoji 😀"):
        r = cli("-p", str(proj), "codes", "add", name)
        assert r.code == 0, r.err
    got = {c["name"] for c in cli("-p", str(proj), "codes", "list", "--json").json()}
    assert {"income swings", "收入 波动", "café [draft]", "emoji 😀"} <= got


def _plant(root: Path, code: str = CLEAR, case: str = TITLE, coder: str = C1) -> None:
    """Names with escapes, as an older qcode or another tool could have stored them."""
    from sqlalchemy import update

    from qcode.store.models import Case, Code, Coder

    with Project.open(root) as p, p.engine.begin() as c:
        c.execute(update(Code).where(Code.name == "money").values(name=code))
        c.execute(update(Case).where(Case.name == "P1").values(name=case + "[bold]P1[/bold]"))
        c.execute(update(Coder).values(name=coder))


@pytest.mark.parametrize(
    "args",
    [
        ("codes", "list"),
        ("freq",),
        ("cases", "list"),
        ("coders", "list"),
        ("codings",),
        ("matrix",),
        ("codes", "list", "--json"),
        ("coders", "list", "--json"),
        ("codes", "show", CLEAR),
    ],
)
def test_output_never_writes_a_raw_escape(proj: Path, cli: Any, args: tuple[str, ...]) -> None:
    assert cli("-p", str(proj), "code", "int01", "0", "11", "money").code == 0
    _plant(proj)
    r = cli("-p", str(proj), *args)
    assert r.code == 0, r.err
    no_raw(r.out)
    no_raw(r.err)
    if "--json" in args:
        names = {row["name"] for row in r.json()}  # escaped, not mangled: the names read back
        assert CLEAR in names or C1 in names


def test_table_cells_are_not_rich_markup(proj: Path, cli: Any) -> None:
    _plant(proj)
    r = cli("-p", str(proj), "cases", "list")
    assert r.code == 0, r.err
    assert "[bold]P1[/bold]" in r.out and "\\x1b]0;owned" in r.out


def test_clean_label_removes_whole_sequences() -> None:
    assert clean_label(TITLE + "x") == "x"
    assert clean_label(CLEAR) == "income"
    assert clean_label(C1) == "rent"
    assert clean_label("a\tb\nc") == "a b c"
    assert clean_label("plain") == "plain"
    assert visible("a\x1bb\nc") == "a\\x1bb\\x0ac"
    assert visible("a\x1bb\nc", keep_lines=True) == "a\\x1bb\nc"


def test_codebook_files_are_cleaned_with_a_report(proj: Path, cli: Any, tmp_path: Path) -> None:
    book = {
        "format": "qcode-codebook",
        "version": 1,
        "codes": [
            {"path": TITLE, "level": "open"},
            {"path": CLEAR, "level": "axial"},
            {"path": CLEAR + "/child\x07", "level": "open"},
        ],
        "relations": [{"source": CLEAR + "/child\x07", "type": "causes", "target": TITLE}],
    }
    jf = write(tmp_path / "book.json", json.dumps(book))
    r = cli("-p", str(proj), "codebook", "import", str(jf), "--json")
    assert r.code == 0, r.err
    notes = r.json()["notes"]
    assert sum("held control characters" in n for n in notes) == 3, notes
    paths = {c["path"] for c in cli("-p", str(proj), "codes", "list", "--json").json()}
    assert {"unnamed code", "income", "income/child"} <= paths
    no_raw(json.dumps(notes, ensure_ascii=False))
    csv = write(tmp_path / "book.csv", 'path,description\n"rent\x9b2J",x\n"a\x1b[1m/b",y\n')
    r = cli("-p", str(proj), "codebook", "import", str(csv))
    assert r.code == 0, r.err
    no_raw(r.out + r.err)
    paths = {c["path"] for c in cli("-p", str(proj), "codes", "list", "--json").json()}
    assert {"rent", "a", "a/b"} <= paths


def test_qdpx_and_merge_bring_clean_names(proj: Path, cli: Any, tmp_path: Path) -> None:
    assert cli("-p", str(proj), "code", "int01", "0", "11", "money").code == 0
    other, c1 = tmp_path / "other", tmp_path / "c1"
    shutil.copytree(proj, other)
    shutil.copytree(proj, c1)
    _plant(other)
    # XML 1.0 holds no C0 control, but it does hold C1 ones: the 8-bit CSI and OSC
    _plant(c1, "income\x9b2J\x9bH", "\x9d0;owned\x9c", "rent\x9b2J")
    out = tmp_path / "x.qdpx"
    assert cli("-p", str(c1), "export", "-o", str(out)).code == 0
    r = cli("init", str(tmp_path / "from"), "--from", str(out), "--json")
    assert r.code == 0, r.err
    assert any("held control characters" in n for n in r.json()["notes"])
    with Project.open(tmp_path / "from") as p:
        names = [c.name for c in p.codes.list()] + [c.name for c in p.cases.list()]
        names += [c.name for c in list_coders(p)]
    assert all(RAW.search(n) is None for n in names), names
    assert {"income", "[bold]P1[/bold]", "rent"} <= set(names), names

    fresh = tmp_path / "fresh"
    assert cli("init", str(fresh)).code == 0
    r = cli("-p", str(fresh), "merge", str(other), "--json")
    assert r.code == 0, r.err
    assert any("held control characters" in n for n in r.json()["notes"])
    with Project.open(fresh) as p:
        names = [c.name for c in p.codes.list()] + [c.name for c in p.cases.list()]
        names += [c.name for c in list_coders(p)]
    assert all(RAW.search(n) is None for n in names), names


def test_spreadsheet_columns_and_cases_are_cleaned(proj: Path, cli: Any, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "survey.csv",
        'id,"age\x1b[31m",Q1\n"P9\x1b]0;x\x07",34,I pay rent\n',
    )
    r = cli("-p", str(proj), "import", str(sheet), "--text-columns", "Q1", "--case-column", "id")
    assert r.code == 0, r.err
    assert "held control characters" in r.err
    no_raw(r.out + r.err)
    with Project.open(proj) as p:
        assert "P9" in {c.name for c in p.cases.list()}
        assert "age" in {a.name for a in p.attributes.list()}


def test_the_workbench_never_writes_a_raw_escape(proj: Path, tmp_path: Path) -> None:
    import asyncio
    import io

    from rich.console import Console

    from qcode.tui.app import QcodeApp

    hostile = write(tmp_path / "int02.txt", "R: money \x1b]0;owned\x07 matters \x9b2J here.")
    with Project.open(proj) as p:
        p.documents.import_files([hostile])
    _plant(proj)
    seen: list[str] = []

    async def main() -> None:
        with Project.open(proj) as p:
            app = QcodeApp(p)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                console = Console(file=io.StringIO(), force_terminal=True)
                for _ in range(2):  # the first document, then the next
                    strips = app.screen._compositor.render_strips()
                    seen.append("".join(s.render(console) for s in strips))
                    await pilot.press("]")
                    await pilot.pause()

    asyncio.run(main())
    styles = re.compile(r"\x1b\[[0-9;:]*m|\x1b\]8;[^\x1b]*\x1b\\\\")
    for text in seen:
        no_raw(styles.sub("", text))
