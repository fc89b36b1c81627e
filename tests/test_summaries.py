"""Summaries of framework-matrix cells: written, linked to codings, undone, kept consistent,
exported to .qdpx as notes the codings refer to (read back by qcode and by pyqdpx), merged."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, snapshot, write

from qcode import Project
from qcode.errors import InvalidInputError, NotFoundError
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.services.merge import merge_project

TEXT_A = "I: Do you pay?\nR: Some months I pay, some months I cannot. 😀 Rent first.\n"
TEXT_B = "I: And your family?\nR: My son says keep the money in my own hands.\n"


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files([write(tmp_path / "int01.txt", TEXT_A)], case="Li")
    project.documents.import_files([write(tmp_path / "int02.txt", TEXT_B)], case="Wang")
    project.codes.add("income", level="axial")
    project.codes.add("swings", parent="income")
    project.codes.add("family")
    return project


def test_set_show_relink_delete_and_undo(proj: Project) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    c2 = proj.codings.apply("int01", 43, 64, "income/swings")
    c3 = proj.codings.apply("int02", 23, 50, "family")
    before = snapshot(proj)
    s = proj.summaries.set("Li", "income", "Pays *when* it can.", [c1.id])
    assert (s.row_kind, s.row, s.code, s.segments) == ("case", "Li", "income", [c1.id])
    again = proj.summaries.set("Li", "income", "Pays when work allows.", [c2.id, c1.id])
    assert again.id == s.id and sorted(again.segments) == [c1.id, c2.id]
    assert proj.summaries.get("Li", "income").body == "Pays when work allows."
    # a document row, and a coding outside the cell refused
    d = proj.summaries.set("int02", "family", "Son advises.", [c3.id], kind="document")
    assert (d.row_kind, d.row) == ("document", "int02")
    with pytest.raises(InvalidInputError, match="not in this case"):
        proj.summaries.set("Wang", "income", "x", [c1.id])
    with pytest.raises(InvalidInputError, match="coded 'family'"):
        proj.summaries.set("Wang", "income", "x", [c3.id])
    with pytest.raises(NotFoundError, match="no case or document 'Zhao'"):
        proj.summaries.set("Zhao", "income", "x")
    assert [x.row for x in proj.summaries.list()] == ["Li", "int02"]
    proj.summaries.mark(s.id, [c2.id], on=False)
    assert proj.summaries.get("Li", "income").segments == [c1.id]
    proj.summaries.delete("Li", "income")
    with pytest.raises(NotFoundError):
        proj.summaries.get("Li", "income")
    for _ in range(5):
        proj.history.undo()
    assert snapshot(proj) == before


def test_deleting_what_a_summary_names(proj: Project) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    proj.summaries.set("Li", "income", "text", [c1.id])
    proj.summaries.set("Wang", "family", "text")
    proj.codings.remove([c1.id])
    assert proj.summaries.get("Li", "income").segments == []
    proj.codes.delete("family", force=True)
    assert [x.code for x in proj.summaries.list()] == ["income"]
    proj.cases.delete("Li", force=True)
    assert proj.summaries.list() == []
    proj.history.undo()
    assert [x.row for x in proj.summaries.list()] == ["Li"]


def test_merging_codes_moves_and_joins_summaries(proj: Project) -> None:
    proj.codes.add("money")
    proj.summaries.set("Li", "family", "Family first.")
    proj.summaries.set("Li", "money", "Money short.")
    proj.summaries.set("Wang", "money", "Saves.")
    proj.codes.merge("money", "family")
    got = {(x.row, x.code): x.body for x in proj.summaries.list()}
    assert got == {("Li", "family"): "Family first.\n\nMoney short.", ("Wang", "family"): "Saves."}


def _notes_seen_by_pyqdpx(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The notes (GUID -> text) and each coded selection's note references, as pyqdpx parses
    the file (it has no API for notes: they are read from the document it parsed)."""
    from pyqdpx import QDPX

    qde: Any = QDPX(str(path)).get_project()
    soup = qde._bs4_obj
    notes = {n["guid"]: n.find("PlainTextContent").get_text() for n in soup.find_all("Note")}
    refs: dict[str, list[str]] = {}
    for source in qde.sources.values():
        for sel in source.coded_selections.values():
            tag = soup.find("PlainTextSelection", attrs={"guid": sel.guid})
            refs[sel.text] = [r["targetGUID"] for r in tag.find_all("NoteRef")]
    return notes, refs


def test_round_trip_through_qdpx_and_pyqdpx(proj: Project, tmp_path: Path) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    proj.codings.apply("int02", 23, 50, "family")
    s = proj.summaries.set("Li", "income", "Pays when it can: **irregular**.", [c1.id])
    proj.summaries.set("int02", "family", "Son advises.", kind="document")
    proj.memos.add("a memo", "memo text", "theory")
    out = tmp_path / "study.qdpx"
    rep = export_qdpx(proj, out)
    assert rep.counts["summaries"] == 2 and rep.counts["notes"] == 1
    import zipfile

    from lxml import etree

    xsd = SHARED / "refi" / "xsd" / "Project-mrt2019.xsd"
    if xsd.is_file():  # the summaries' notes keep project.qde valid
        qde = etree.fromstring(zipfile.ZipFile(out).read("project.qde"))
        assert etree.XMLSchema(etree.parse(str(xsd))).validate(qde.getroottree())
    notes, refs = _notes_seen_by_pyqdpx(out)
    assert notes[s.uuid] == "Pays when it can: **irregular**."
    assert refs[c1.text] == [s.uuid]
    q, irep = create_from_qdpx(tmp_path / "back", out)
    with q:
        assert irep.counts["summaries"] == 2 and irep.counts["memos"] == 1
        back = {(x.row_kind, x.row, x.code): x for x in q.summaries.list()}
        mine = {(x.row_kind, x.row, x.code): x for x in proj.summaries.list()}
        assert back.keys() == mine.keys()
        for key, x in mine.items():
            assert (back[key].uuid, back[key].body) == (x.uuid, x.body)
        coding = q.codings.list(document="int01")[0]
        assert back[("case", "Li", "income")].segments == [coding.id]
        assert [m.title for m in q.memos.list()] == ["a memo"]


def test_merge_brings_in_the_other_coders_summaries(proj: Project, tmp_path: Path) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    proj.summaries.set("Li", "income", "mine")
    other = tmp_path / "other"
    shutil.copytree(proj.root, other)
    with Project.open(other) as q:
        q.summaries.set("Li", "income", "theirs", [c1.id])
        q.summaries.set("Wang", "family", "new from them")
    res = merge_project(proj, other, take="ours")
    assert res.added.get("summaries") == 1
    assert any("differs" in c for c in res.conflicts)
    got = {(x.row, x.code): (x.body, x.segments) for x in proj.summaries.list()}
    assert got == {("Li", "income"): ("mine", [c1.id]), ("Wang", "family"): ("new from them", [])}
    again = merge_project(proj, other, take="ours")
    assert again.added.get("summaries") is None
    assert len(proj.summaries.list()) == 2


def test_cli(proj: Project, cli: Any) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    root = str(proj.root)
    r = cli(
        "-p", root, "summaries", "set", "Li", "income", "--text", "hi", "--segments", str(c1.id)
    )
    assert r.code == 0, r.err
    r = cli("-p", root, "summaries", "show", "Li", "income", "--json")
    assert r.json()["body"] == "hi" and r.json()["segments"] == [c1.id]
    assert cli("-p", root, "summaries", "list", "--json").json()[0]["row"] == "Li"
    bad = cli("-p", root, "summaries", "set", "Li", "income", "--text", "x", "--segments", "1,a")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "'a'" in bad.err
    assert cli("-p", root, "summaries", "set", "Li", "nope", "--text", "x").code == 1
    assert cli("-p", root, "summaries", "delete", "Li", "income").code == 0
    assert cli("-p", root, "summaries", "list", "--json").json() == []


def test_a_blank_summary_is_refused_and_rows_are_named_either_way(proj: Project, cli: Any) -> None:
    c1 = proj.codings.apply("int01", 18, 41, "income/swings")
    root = str(proj.root)
    for blank in ("", "  \n"):
        r = cli("-p", root, "summaries", "set", "Li", "income", "--text", blank)
        assert r.code == 1 and r.err.count("\n") == 1 and "summaries delete" in r.err
    assert proj.summaries.list() == []
    # a blank summary would hide the cell's count: the matrix still shows it
    m = cli("-p", root, "matrix", "framework", "--codes", "income", "--format", "json").json()
    assert m["records"][0]["cells"]["income"]["count"] == 1
    # --rows as the matrix names them (plural) or as summaries do (singular)
    r = cli("-p", root, "summaries", "set", "int01", "income", "--text", "x", "--rows", "documents")
    assert r.code == 0, r.err
    assert proj.summaries.get("int01", "income", kind="document").segments == []
    r = cli("-p", root, "matrix", "framework", "--rows", "document", "--format", "json")
    assert r.code == 0 and r.json()["rows"] == "documents"
    assert c1.id in r.json()["records"][0]["cells"]["income"]["segments"]
