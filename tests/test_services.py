"""The service layer as Python callers use it: import, cases, attributes, codes, codings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot, write

from qcode import Project
from qcode.errors import ConflictError, InputFileError, InvalidInputError, NotFoundError
from qcode.text import normalize, text_hash

TRANSCRIPT = (
    "Interviewer: How much do you pay each month?\r\n"
    "Respondent: About 845 yuan. I want to keep the money in my own hands! 👍🏽\r\n"
    "\r\n"
    "Interviewer: 为什么？\r\n"
    "受访者：每个月都要交固定的钱。可是我的收入不是固定的。\r\n"
)


@pytest.fixture
def doc(project: Project, tmp_path: Path) -> str:
    path = write(tmp_path / "int01.txt", TRANSCRIPT)
    project.documents.import_files([path], attrs=["occupation=rider", "age=34"])
    return "int01"


def test_import_normalises_once_and_stores_units(project: Project, doc: str) -> None:
    text = project.documents.text(doc)
    assert text == normalize(TRANSCRIPT)
    info = project.documents.get(doc)
    assert info.hash == text_hash(text) and info.chars == len(text)
    assert info.case == "int01"
    turns = project.documents.units(doc, "turn")
    assert [t["speaker"] for t in turns] == ["Interviewer", "Respondent", "Interviewer", "受访者"]
    sentences = [u["text"] for u in project.documents.units(doc, "sentence")]
    assert "每个月都要交固定的钱。" in sentences and "可是我的收入不是固定的。" in sentences
    assert "I want to keep the money in my own hands!" in sentences
    for kind in ("sentence", "paragraph", "turn"):
        for u in project.documents.units(doc, kind):
            assert u["text"] == text[u["start"] : u["end"]]


def test_typed_case_attributes(project: Project, doc: str) -> None:
    assert project.attributes.values("case") == {"int01": {"age": 34, "occupation": "rider"}}
    types = {a.name: a.type for a in project.attributes.list()}
    assert types == {"age": "number", "occupation": "text"}
    project.attributes.define("interviewed", "date", "case")
    project.attributes.set("int01", {"interviewed": "2024-03-05", "union": "no"})
    vals = project.attributes.values("case", "int01")["int01"]
    assert vals["interviewed"] == "2024-03-05" and vals["union"] is False
    with pytest.raises(InvalidInputError, match="is a number"):
        project.attributes.set("int01", {"age": "thirty"})
    with pytest.raises(InvalidInputError, match="is a date"):
        project.attributes.set("int01", {"interviewed": "March"})
    project.attributes.set("int01", {"platform": "Meituan"}, scope="document")
    assert project.attributes.values("document") == {"int01": {"platform": "Meituan"}}


def test_duplicate_content_is_detected(project: Project, doc: str, tmp_path: Path) -> None:
    again = write(tmp_path / "copy" / "other-name.txt", TRANSCRIPT.replace("\r\n", "\n"))
    result = project.documents.import_files([again])
    assert result.imported == []
    assert result.skipped[0].duplicate_of == "int01"
    forced = project.documents.import_files([again], allow_duplicates=True)
    assert [d.name for d in forced.imported] == ["other-name"]


def test_name_clash_and_bad_files_leave_project_unchanged(
    project: Project, doc: str, tmp_path: Path
) -> None:
    before = snapshot(project)
    good = write(tmp_path / "good.txt", "Interviewer: fine.")
    clash = write(tmp_path / "b" / "int01.txt", "different text")
    empty = write(tmp_path / "empty.txt", "  \n")
    binary = tmp_path / "pic.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    cases = [
        (clash, "already exists"),
        (empty, "empty"),
        (binary, "binary"),
        (latin, "--encoding"),
        (tmp_path / "missing.txt", "no such file"),
        (tmp_path, "already exists"),  # a folder: its first bad file (b/int01.txt) stops it
    ]
    for bad, problem in cases:
        with pytest.raises(InputFileError, match=problem) as exc:
            project.documents.import_files([good, bad])
        assert str(exc.value).startswith(str(bad))
        assert snapshot(project) == before


def test_one_case_for_many_documents(project: Project, tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "I: one")
    b = write(tmp_path / "b.txt", "I: two")
    project.documents.import_files([a, b], case="P07", doc_attrs=["wave=2"])
    assert [(c.name, c.documents) for c in project.cases.list()] == [("P07", 2)]
    assert project.attributes.values("document") == {"a": {"wave": 2}, "b": {"wave": 2}}


def test_code_tree_rules(project: Project) -> None:
    project.codes.add("pressure")
    project.codes.add("fixed", parent="pressure", color="#112233")
    project.codes.add("fixed")  # same name, different parent: allowed
    with pytest.raises(ConflictError, match="already exists"):
        project.codes.add("fixed", parent="pressure")
    with pytest.raises(InvalidInputError, match="contains '/'"):
        project.codes.add("a/b")
    with pytest.raises(InvalidInputError, match="#RRGGBB"):
        project.codes.add("c", color="red")
    assert project.codes.get("fixed").path == "fixed"  # a full path wins over a bare name
    project.codes.add("y", parent="fixed")
    project.codes.add("y", parent="pressure")
    with pytest.raises(NotFoundError, match="ambiguous; give its path: fixed/y, pressure/y"):
        project.codes.get("y")
    assert project.codes.get("pressure/fixed").color == "#112233"
    project.codes.rename("pressure", "financial pressure")
    assert [c.path for c in project.codes.list()] == [
        "financial pressure",
        "financial pressure/fixed",
        "financial pressure/y",
        "fixed",
        "fixed/y",
    ]
    with pytest.raises(ConflictError, match="sub-codes"):
        project.codes.move("financial pressure", "financial pressure/fixed")
    with pytest.raises(ConflictError, match="already exists there"):
        project.codes.move("fixed", "financial pressure")


def test_move_refuses_a_name_clash_at_the_top(project: Project) -> None:
    project.codes.add("pressure")
    project.codes.add("fixed", parent="pressure")
    project.codes.add("fixed")
    with pytest.raises(ConflictError, match="already exists there"):
        project.codes.move("pressure/fixed", None)
    project.codes.add("other")
    assert project.codes.move("pressure/fixed", "other").path == "other/fixed"


def test_codings_snap_and_refuse_bad_ranges(project: Project, doc: str) -> None:
    text = project.documents.text(doc)
    project.codes.add("emoji")
    thumb = text.index("👍🏽")
    c = project.codings.apply(doc, thumb + 1, thumb + 2, "emoji")  # inside the emoji
    assert (c.start, c.end, c.text) == (thumb, thumb + 2, "👍🏽")
    before = snapshot(project)
    for start, end, msg in [
        (5, 5, "empty"),
        (9, 3, "ends before it starts"),
        (-1, 4, "negative"),
        (0, len(text) + 1, "past the end"),
    ]:
        with pytest.raises(InvalidInputError, match=msg):
            project.codings.apply(doc, start, end, "emoji")
    with pytest.raises(NotFoundError, match="no document"):
        project.codings.apply("nope", 0, 3, "emoji")
    with pytest.raises(NotFoundError, match="--create"):
        project.codings.apply(doc, 0, 3, "unknown code")
    again = project.codings.apply(doc, thumb, thumb + 2, "emoji")  # the same coding: it is there
    assert (again.id, again.existed, c.existed) == (c.id, True, False)
    assert snapshot(project) == before


def test_codings_store_exact_text_and_record_coder(project: Project, doc: str) -> None:
    text = project.documents.text(doc)
    ((a, b),) = project.codings.find_text(doc, "keep the money in my own hands")
    c = project.codings.apply(doc, a, b, "in vivo/keep the money", coder="bob", create=True)
    assert c.code == "in vivo/keep the money" and c.coder == "bob"
    ((a2, b2),) = project.codings.find_text(doc, "收入不是固定的")
    project.codings.apply(doc, a2, b2, "in vivo/keep the money")
    for row in project.codings.list():
        assert row.text == text[row.start : row.end]
    assert [r.coder for r in project.codings.list()] == ["bob", "alice"]
    assert project.codings.list(coder="bob")[0].start == a
    assert len(project.codings.list(code="in vivo", include_subcodes=True)) == 2


def test_code_merge_moves_codings_and_drops_duplicates(project: Project, doc: str) -> None:
    project.codes.add("a")
    project.codes.add("b")
    project.codes.add("child", parent="a")
    project.codings.apply(doc, 0, 11, "a")
    project.codings.apply(doc, 0, 11, "b")  # same span, same coder: becomes a duplicate
    project.codings.apply(doc, 13, 16, "a")
    merged = project.codes.merge("a", "b")
    assert merged.codings == 2
    assert [c.path for c in project.codes.list()] == ["b", "b/child"]


def test_code_delete_is_refused_while_codings_exist(project: Project, doc: str) -> None:
    project.codes.add("a")
    project.codes.add("child", parent="a")
    project.codings.apply(doc, 0, 11, "a/child")
    with pytest.raises(ConflictError, match="1 coding"):
        project.codes.delete("a")
    assert project.codes.delete("a", force=True) == 1
    assert project.codes.list() == [] and project.codings.list() == []


def test_codings_from_csv_are_all_or_nothing(project: Project, doc: str, tmp_path: Path) -> None:
    project.codes.add("x")
    good = write(
        tmp_path / "ok.csv", "document,start,end,code,coder\nint01,0,11,x,bob\nint01,13,16,y,\n"
    )
    with pytest.raises(NotFoundError, match=r"ok.csv: line 3: no code 'y'"):
        project.codings.apply_file(good)
    assert project.codings.list() == []
    made = project.codings.apply_file(good, create=True)
    assert [(m.code, m.coder) for m in made] == [("x", "bob"), ("y", "alice")]
    bad = write(tmp_path / "bad.csv", "document,start,end,code\nint01,0,5,x\nint01,zero,5,x\n")
    with pytest.raises(InputFileError, match="bad.csv: line 3: start 'zero' is not a whole"):
        project.codings.apply_file(bad)
    jl = write(
        tmp_path / "more.jsonl", '{"document": "int01", "start": 20, "end": 30, "code": "x"}\n'
    )
    assert len(project.codings.apply_file(jl)) == 1
    past = write(
        tmp_path / "past.jsonl", '{"document": "int01", "start": 0, "end": 99999, "code": "x"}\n'
    )
    with pytest.raises(InvalidInputError, match="past.jsonl: line 1: .*past the end"):
        project.codings.apply_file(past)
