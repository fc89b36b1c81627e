"""The command line as researchers and scripts use it: JSON keys, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE, Result, snapshot, write

from qcode import Project

TEXT = "Interviewer: How much?\nR: 845 yuan. Too much for me.\n受访者：太贵了。"


@pytest.fixture
def proj(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "study"
    assert cli("init", str(root), "--name", "Study", "--language", "en").code == 0
    write(tmp_path / "int01.txt", TEXT)
    r = cli(
        "-p",
        str(root),
        "import",
        str(tmp_path / "int01.txt"),
        "--case",
        "P1",
        "--attr",
        "occupation=rider",
        "--attr",
        "income=4000",
    )
    assert r.code == 0, r.err
    return root


def ok(r: Result) -> Result:
    assert r.code == 0, r.err
    return r


def fail(r: Result, *words: str) -> None:
    assert r.code != 0
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert len(lines) == 1, r.err
    for w in words:
        assert w in lines[0], lines[0]


def test_project_found_by_option_env_or_folder(proj: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert ok(cli("-p", str(proj), "info", "--json")).json()["documents"] == 1
    assert ok(cli("info", "--json", cwd=proj / ".")).json()["name"] == "Study"
    monkeypatch.setenv("QCODE_PROJECT", str(proj))
    assert ok(cli("info", "--json", cwd=proj.parent)).json()["codings"] == 0
    monkeypatch.delenv("QCODE_PROJECT")
    fail(cli("info", cwd=proj.parent), "not inside a qcode project")


def test_json_keys(proj: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(proj)]
    docs = ok(cli(*p, "docs", "list", "--json")).json()
    assert {"id", "name", "case", "chars"} <= docs[0].keys()
    assert (docs[0]["name"], docs[0]["case"], docs[0]["chars"]) == ("int01", "P1", len(TEXT))
    ok(cli(*p, "codes", "add", "cost", "--description", "money matters"))
    ok(cli(*p, "codes", "add", "too much", "--parent", "cost", "--color", "#123456"))
    codes = ok(cli(*p, "codes", "list", "--json")).json()
    assert {"id", "name", "path", "parent"} <= codes[1].keys()
    assert (codes[1]["path"], codes[1]["parent"]) == ("cost/too much", "cost")
    ok(cli(*p, "code", "int01", "30", "52", "cost/too much", "--coder", "bob"))
    rows = ok(cli(*p, "codings", "--json")).json()
    assert {"id", "document", "code", "coder", "start", "end", "text"} <= rows[0].keys()
    assert rows[0]["text"] == TEXT[30:52] == "yuan. Too much for me."
    assert (rows[0]["document"], rows[0]["code"], rows[0]["coder"]) == (
        "int01",
        "cost/too much",
        "bob",
    )
    cases = ok(cli(*p, "cases", "list", "--json")).json()
    assert cases[0]["attributes"] == {"income": 4000, "occupation": "rider"}


def test_code_by_text_and_all(proj: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(proj)]
    r = ok(cli(*p, "code", "int01", "--text", "much", "cost", "--create", "--all", "--json"))
    first, second = TEXT.index("much"), TEXT.rindex("much")
    assert [(c["start"], c["end"]) for c in r.json()] == [(first, first + 4), (second, second + 4)]
    assert (first, second) == (17, 40)
    one = ok(cli(*p, "code", "int01", "--text", "太贵了", "cost", "--json")).json()
    assert one[0]["text"] == "太贵了"
    fail(cli(*p, "code", "int01", "--text", "absent words", "cost"), "does not occur")


def test_uncode_undo_redo(proj: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(proj)]
    ok(cli(*p, "code", "int01", "0", "11", "q", "--create"))
    ok(cli(*p, "uncode", "int01", "0", "11", "q"))
    assert ok(cli(*p, "codings", "--json")).json() == []
    assert "undone" in ok(cli(*p, "undo")).out
    assert len(ok(cli(*p, "codings", "--json")).json()) == 1
    ok(cli(*p, "redo"))
    assert ok(cli(*p, "codings", "--json")).json() == []
    log = ok(cli(*p, "log", "--json")).json()
    assert [e["action"] for e in log][-3:] == ["uncode", "undo", "redo"]


def test_bad_input_is_one_line_nonzero_and_changes_nothing(proj: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(proj)]
    ok(cli(*p, "codes", "add", "cost"))
    with Project.open(proj) as pr:
        before = snapshot(pr)
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 10)
    undecodable = tmp_path / "gbk.txt"
    undecodable.write_bytes("受访者：太贵了".encode("gb18030"))
    cases = [
        (("import", str(tmp_path / "missing.txt")), ["missing.txt", "no such file"]),
        (("import", str(tmp_path)), ["e.txt", "empty"]),  # a folder stops at its first bad file
        (("import", str(binary)), ["x.txt", "binary"]),
        (("import", str(undecodable)), ["gbk.txt", "--encoding"]),
        (("import", str(write(tmp_path / "e.txt", ""))), ["e.txt", "empty"]),
        (("code", "int01", "0", "9999", "cost"), ["past the end"]),
        (("code", "int01", "5", "5", "cost"), ["empty"]),
        (("code", "nodoc", "0", "5", "cost"), ["no document 'nodoc'"]),
        (("code", "int01", "0", "5", "nocode"), ["no code 'nocode'"]),
        (("codes", "add", "a/b"), ["contains '/'"]),
        (("codes", "add", "cost"), ["already exists"]),
        (("codes", "delete", "nocode"), ["no code"]),
        (("code", "int01", "zero", "5", "cost"), ["START", "not a whole number"]),
        (("attrs", "set", "P1", "income=lots"), ["is a number"]),
    ]
    for args, words in cases:
        fail(cli(*p, *args), *words)
    with Project.open(proj) as pr:
        assert snapshot(pr) == before
    ok(cli(*p, "import", str(undecodable), "--encoding", "gb18030"))
    assert ok(cli(*p, "docs", "show", "gbk", "--json")).json()["text"] == "受访者：太贵了"


def test_duplicate_import_is_reported(proj: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dup = write(tmp_path / "again.txt", TEXT.replace("\n", "\r\n"))
    r = ok(cli("-p", str(proj), "import", str(dup), "--json"))
    data = r.json()
    assert data["imported"] == [] and data["skipped"][0]["duplicate_of"] == "int01"
    r = ok(cli("-p", str(proj), "import", str(dup)))
    assert "identical content to document 'int01'" in r.err


def test_codings_from_file_report_the_bad_line(proj: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = write(tmp_path / "c.csv", "document,start,end,code\nint01,0,11,a\nint01,3,2,a\n")
    fail(
        cli("-p", str(proj), "code", "--from", str(f), "--create"),
        "c.csv: line 3",
        "ends before it starts",
    )
    assert ok(cli("-p", str(proj), "codings", "--json")).json() == []


def test_sample_project_builds(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "sample"
    ok(cli("init", str(root)))
    files = sorted(str(f) for f in SAMPLE.glob("*.txt"))
    ok(cli("-p", str(root), "import", *files))
    ok(cli("-p", str(root), "code", "--from", str(SAMPLE / "codings.csv"), "--create"))
    rows = ok(cli("-p", str(root), "codings", "--json")).json()
    assert len(rows) == 14
    texts = {r["text"] for r in rows}
    assert "keep the money in my own hands" in texts and "不是劳动合同" in texts
    info = ok(cli("-p", str(root), "info", "--json")).json()
    assert (info["documents"], info["coders"]) == (3, 2)
    assert json.loads(ok(cli("-p", str(root), "docs", "list", "--json")).out)[2]["language"] == "zh"


def test_memos_from_the_command_line(proj: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(proj)]
    ok(cli(*p, "codes", "add", "cost"))
    body = write(tmp_path / "memo.md", "# Cost\nThe *fixed* contribution.")
    m = ok(
        cli(
            *p,
            "memos",
            "add",
            "Cost",
            "--file",
            str(body),
            "--type",
            "theory",
            "--code",
            "cost",
            "--doc",
            "int01",
            "--json",
        )
    ).json()
    assert m["body"] == "# Cost\nThe *fixed* contribution."
    assert [(lk["kind"], lk["label"]) for lk in m["links"]] == [
        ("code", "cost"),
        ("document", "int01"),
    ]
    found = ok(cli(*p, "memos", "list", "--search", "fixed", "--json")).json()
    assert [f["id"] for f in found] == [m["id"]]
    ok(cli(*p, "memos", "edit", str(m["id"]), "--title", "Cost barrier"))
    assert ok(cli(*p, "memos", "show", str(m["id"]), "--json")).json()["title"] == "Cost barrier"
    fail(cli(*p, "memos", "add", "x", "--code", "nope"), "no code 'nope'")
    fail(cli(*p, "memos", "show", "99"), "no memo with id 99")


def test_usage_errors_are_one_line(proj: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fail(cli("-p", str(proj), "import"), "Missing argument", "qcode import --help")
    fail(cli("-p", str(proj), "codes", "list", "--bogus"), "No such option: --bogus")
    fail(cli("-p", str(proj), "nosuchcommand"), "No such command")
    assert cli("-p", str(proj), "nosuchcommand").code == 2
    assert "\nCoding:\n  tui " in ok(cli("--help")).out
