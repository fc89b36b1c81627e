"""Whose words a quote is: the case a coded span is linked to (a focus-group speaker made a
case of their own), else the document's case; in ``qcode quotes`` and in the theory report."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from qcode import Project

GROUP = (
    "Moderator: Who pays for the insurance?\n"
    "W01: I pay it myself, every month, out of the delivery money.\n"
    "W02: I stopped paying when the platform cut the bonus.\n"
    "W01: Only the lowest band, and only in the slow season.\n"
)
SOLO = "I drive for two platforms and I pay nothing into the fund.\n"


@pytest.fixture
def group(tmp_path: Path) -> Project:
    p = Project.init(tmp_path / "proj", name="fg")
    fg, solo = tmp_path / "focus-group.txt", tmp_path / "solo.txt"
    fg.write_text(GROUP, encoding="utf-8")
    solo.write_text(SOLO, encoding="utf-8")
    p.documents.import_files(
        [fg], case="Group 1", attrs={"site": "Hangzhou"}, speakers_as_cases=True
    )
    p.documents.import_files([solo], case="D07", attrs={"site": "Shenzhen"})
    p.attributes.set("W01", {"site": "Ningbo"})
    p.attributes.set("W02", {"site": "Wenzhou"})
    text = p.documents.text("focus-group")
    for needle in ("I pay it myself", "I stopped paying", "Only the lowest band"):
        a = text.index(needle)
        p.codings.apply("focus-group", a, text.index("\n", a), "Paying in", create=True)
    b = SOLO.index("I pay nothing")
    p.codings.apply("solo", b, len(SOLO) - 1, "Paying in", create=True)
    return p


def test_a_quote_takes_the_case_its_span_is_linked_to(group: Project) -> None:
    from qcode.services.quotes import quotes

    found = quotes(group, "Paying in", n=10, attributes=["site"])
    got = sorted((q.text[:12], q.speaker, q.case, q.attributes["site"]) for q in found)
    assert got == [
        ("I pay it mys", "W01", "W01", "Ningbo"),
        ("I pay nothin", None, "D07", "Shenzhen"),  # no link: the document's case
        ("I stopped pa", "W02", "W02", "Wenzhou"),
        ("Only the low", "W01", "W01", "Ningbo"),
    ]
    # spread over cases first: three cases, so three quotes from three speakers
    assert sorted(q.case or "" for q in quotes(group, "Paying in", n=3)) == ["D07", "W01", "W02"]


def test_quotes_command_and_report_show_the_linked_case(group: Project, tmp_path: Path) -> None:
    root = str(group.root)
    r = run_cli("-p", root, "quotes", "Paying in", "--n", "4", "--format", "json")
    assert r.code == 0, r.err
    by_text = {q["text"][:12]: q["case"] for q in r.json()}
    assert by_text["I stopped pa"] == "W02" and by_text["I pay nothin"] == "D07"
    out = tmp_path / "r.md"
    r = run_cli(
        "-p", root, "report", "--category", "Paying in", "--quotes", "4",
        "--with-attributes", "site", "-o", str(out),
    )  # fmt: skip
    assert r.code == 0, r.err
    md = out.read_text("utf-8")
    assert "W02, case W02, site: Wenzhou" in md and "case Group 1" not in md
    assert "from 3 cases" in md


def test_quotes_of_a_query(group: Project) -> None:
    text = group.documents.text("focus-group")
    a = text.index("the platform cut the bonus")
    group.codings.apply(
        "focus-group", a, a + len("the platform cut the bonus"), "Bonus cut", create=True
    )
    r = run_cli(
        "-p", str(group.root), "quotes", "--query", "'Paying in' overlaps 'Bonus cut'",
        "--n", "10", "--format", "json", "--with-attributes", "site",
    )  # fmt: skip
    assert r.code == 0, r.err
    got = sorted((q["code"], q["text"], q["case"], q["attributes"]["site"]) for q in r.json())
    assert got == [
        ("Bonus cut", "the platform cut the bonus", "W02", "Wenzhou"),
        ("Paying in", "I stopped paying when the platform cut the bonus.", "W02", "Wenzhou"),
    ]
    # the codings the query's hits are made of: a reference each, its text the coding's
    codings = {c.uuid: c.text for c in group.codings.list()}
    assert all(codings[q["coding_guid"]] == q["text"] for q in r.json())
    md = run_cli("-p", str(group.root), "quotes", "--query", "'Paying in' outside 'Bonus cut'")
    assert md.code == 0 and md.out.startswith("## Quotes: query 'Paying in' outside")
    assert "I pay nothing" in md.out and "I stopped paying" not in md.out
    for args, message in (
        (["--query", 'text "pay"'], "names no codes"),
        ([], "give a CODE or --query"),
        (["Paying in", "--query", "'Paying in'"], "give a CODE or --query"),
        (["--query", "'Paying inn'"], "did you mean 'Paying in'"),
    ):
        r = run_cli("-p", str(group.root), "quotes", *args)
        assert r.code == 1 and r.err.count("\n") == 1 and message in r.err, (args, r.err)
