"""qcode segments export: one row per coding as csv, xlsx and md, read back and checked."""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import Result, write

from qcode import Project
from qcode.errors import InvalidInputError, NotFoundError
from qcode.interchange.segments import (
    CASE_PREFIX,
    DOC_PREFIX,
    LEAD_COLUMNS,
    TRAIL_COLUMNS,
    MemoNote,
    SegmentRow,
    SegmentTable,
    write_segments,
)
from qcode.services.memos import Target
from qcode.services.segments import SegmentFilter, export_segments, segment_table

P01 = "Interviewer: How much?\r\nR: 845 yuan 😀 太贵了。\r\nR: =SUM(A1) #N/A\r\n"
P02 = "R: four. five."


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files(
        [write(tmp_path / "P01.txt", P01)],
        attrs=["occupation=rider", "age=34", "since=2020-01-02", "active=yes"],
        doc_attrs=["occupation=courier", "date=2024-03-02"],
    )
    p.documents.import_files([write(tmp_path / "P02.txt", P02)], attrs=["occupation=driver"])
    p.codes.add("cat", level="axial")
    p.codes.add("x", parent="cat")
    p.codes.add("y")
    text = p.documents.text("P01")
    at = text.index("845")
    p.codings.apply("P01", at, text.index("\nR: =") + 8, "cat/x", coder="ann")  # two lines
    p.codings.apply("P01", at, at + 3, "y", coder="bo")
    p.codings.apply("P01", at, at + 3, "cat", coder="ann")
    p.codings.apply("P01", text.index("=SUM"), text.index("#N/A") + 4, "y", coder="ann")
    p.codings.apply("P02", 3, 8, "cat/x", coder="bo")
    first = p.codings.list("P01", "cat/x")[0].id
    p.memos.add("Price", "too dear\nfor her", targets=[Target("coding", str(first))])
    p.memos.add("Compare P02", targets=[Target("coding", str(first))])
    return p


def rows_of(p: Project, **scope: Any) -> list[tuple[str, int, int, str, str]]:
    return [
        (r.document, r.start, r.end, r.code, r.coder)
        for r in segment_table(p, SegmentFilter(**scope)).rows
    ]


def run(cli: Any, p: Project, *args: str) -> Result:
    return cli("-p", str(p.root), "segments", "export", *args)


def refused(r: Result, *words: str) -> None:
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert r.code != 0 and len(lines) == 1, r.err
    assert all(w in lines[0] for w in words), lines[0]


def test_csv_holds_exact_text_attributes_and_memos(
    study: Project, cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "seg.csv"
    r = run(cli, study, "-o", str(out))
    assert r.code == 0 and "5 segments written" in r.out, r.err
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # RFC 4180 records, no BOM
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    header = list(reader.fieldnames or [])
    assert header[: len(LEAD_COLUMNS)] == list(LEAD_COLUMNS)
    assert header[-len(TRAIL_COLUMNS) :] == list(TRAIL_COLUMNS)
    # same-named case and document attributes get a column each
    assert {"case_occupation", "doc_occupation", "case_age", "doc_date"} <= set(header)
    assert [(r["document"], r["start"], r["code"], r["coder"]) for r in rows] == [
        ("P01", rows[0]["start"], "cat", "ann"),
        ("P01", rows[0]["start"], "y", "bo"),
        ("P01", rows[0]["start"], "cat/x", "ann"),
        ("P01", rows[3]["start"], "y", "ann"),
        ("P02", "3", "cat/x", "bo"),
    ]
    texts = {d: study.documents.text(d) for d in ("P01", "P02")}
    for row in rows:
        assert row["text"] == texts[row["document"]][int(row["start"]) : int(row["end"])]
    long = rows[2]
    assert long["text"] == "845 yuan 😀 太贵了。\nR: =SUM"  # CRLF stored as LF, kept in the field
    assert long["category"] == "cat" and long["speaker"] == "R" and long["code_level"] == "open"
    assert long["memo"] == "Price: too dear\nfor her\n---\nCompare P02"
    assert rows[0]["memo"] == ""
    assert (long["case"], long["case_occupation"], long["doc_occupation"]) == (
        "P01",
        "rider",
        "courier",
    )
    assert (long["case_age"], long["case_since"], long["case_active"]) == (
        "34",
        "2020-01-02",
        "true",
    )
    assert rows[4]["case_age"] == "" and rows[4]["doc_date"] == ""
    coding = study.codings.list("P01", "cat/x")[0]
    assert (long["coding_id"], long["coding_guid"]) == (str(coding.id), coding.uuid)
    assert long["created_utc"] == coding.created
    # Excel users may ask for a byte-order mark
    assert run(cli, study, "-o", str(out), "--bom").code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdocument,")


def test_xlsx_cells_are_typed_and_never_formulas(study: Project, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "seg.xlsx"
    assert run(cli, study, "--format", "xlsx", "-o", str(out)).code == 0
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    rows = [dict(zip(header, (c for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 5
    text = study.documents.text("P01")
    for row in rows[:4]:
        assert row["text"].value == text[row["start"].value : row["end"].value]
    formula = rows[3]
    assert formula["text"].value == "=SUM(A1) #N/A" and formula["text"].data_type == "s"
    long = rows[2]
    assert long["text"].value == "845 yuan 😀 太贵了。\nR: =SUM"
    assert isinstance(long["start"].value, int) and long["case_age"].value == 34
    assert long["case_active"].value is True
    assert long["case_since"].value == datetime(2020, 1, 2)  # a date cell
    assert long["case_since"].is_date and isinstance(long["created_utc"].value, datetime)
    assert long["case"].value == "P01" and long["doc_date"].value == datetime(2024, 3, 2)
    assert rows[4]["case_age"].value is None
    assert 8 <= ws.column_dimensions["A"].width <= 50 and ws.column_dimensions["J"].width == 80


def test_xlsx_escapes_what_xml_cannot_hold(tmp_path: Path) -> None:
    row = SegmentRow(
        "d", None, "c", None, "open", "ann", 0, 12, None, "a\x01b _x0041_", (), datetime(2024, 1, 1),
        1, "g1", "g2", "g3",
    )  # fmt: skip
    out = tmp_path / "ctl.xlsx"
    write_segments(out, SegmentTable([], [], [row]))
    with zipfile.ZipFile(out) as z:
        strings = z.read("xl/worksheets/sheet1.xml").decode()
    # OOXML escapes: Excel shows U+0001 and the literal "_x0041_" again
    assert "a_x0001_b _x005F_x0041_" in strings


def test_filters(study: Project) -> None:
    assert {c for *_, c in rows_of(study, coders=["bo"])} == {"bo"}
    assert {r[3] for r in rows_of(study, codes=["cat"])} == {"cat", "cat/x"}
    assert {r[3] for r in rows_of(study, codes=["cat"], subcodes=False)} == {"cat"}
    assert {r[3] for r in rows_of(study, codes=["cat/x", "y"])} == {"cat/x", "y"}
    assert {r[0] for r in rows_of(study, where=["occupation=driver"])} == {"P02"}
    assert {r[0] for r in rows_of(study, where=["date=2024-03-02"])} == {"P01"}
    assert {r[0] for r in rows_of(study, docs=["P02"])} == {"P02"}
    assert {r[0] for r in rows_of(study, cases=["P01"])} == {"P01"}
    assert {r[3] for r in rows_of(study, level="axial")} == {"cat", "cat/x"}
    assert rows_of(study, docs=["P02"], coders=["ann"]) == []
    for scope, message in [
        (dict(codes=["nope"]), "no code 'nope'"),
        (dict(coders=["zed"]), "no coder 'zed'"),
        (dict(docs=["P9"]), "no document 'P9'"),
        (dict(cases=["C9"]), "no case 'C9'"),
        (dict(where=["height=3"]), "no attribute 'height'"),
    ]:
        with pytest.raises(NotFoundError, match=message):
            segment_table(study, SegmentFilter(**scope))
    with pytest.raises(InvalidInputError, match="unknown level"):
        segment_table(study, SegmentFilter(level="core"))


def test_filters_from_the_command_line(study: Project, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"

    def exported(*args: str) -> list[tuple[str, str, str]]:
        assert run(cli, study, "-o", str(out), *args).code == 0
        with open(out, newline="", encoding="utf-8") as f:
            return [(r["document"], r["code"], r["coder"]) for r in csv.DictReader(f)]

    assert exported("--code", "cat", "--coder", "ann") == [
        ("P01", "cat", "ann"),
        ("P01", "cat/x", "ann"),
    ]
    assert exported("--code", "cat", "--no-subcodes") == [("P01", "cat", "ann")]
    assert exported("--where", "occupation=driver") == [("P02", "cat/x", "bo")]
    assert exported("--doc", "P01", "--coder", "bo") == [("P01", "y", "bo")]
    assert exported("--case", "P02", "--case", "P01", "--level", "axial", "--code", "cat/x") == [
        ("P01", "cat/x", "ann"),
        ("P02", "cat/x", "bo"),
    ]


def test_markdown_by_code_and_by_document(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "seg.md"
    assert export_segments(study, out) == 5
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# Coded segments: Test project\n\n5 segments, by code.")
    assert md.index("## cat\n") < md.index("## cat/x") < md.index("## y\n")
    assert "> 845 yuan 😀 太贵了。\n>\n> R: =SUM\n" in md
    assert "- Memo **Price**: too dear\n  for her\n- Memo **Compare P02**\n" in md
    assert "**P01** [" in md and "· case P01 · ann · speaker R" in md
    export_segments(study, out, group_by="document")
    md = out.read_text(encoding="utf-8")
    assert "## P01\n\ncase P01 · active: true · age: 34" in md and "occupation: courier" in md
    assert "**cat/x** [3, 8) · bo · speaker R\n\n> four.\n" in md


def test_empty_result_writes_the_header(study: Project, cli: Any, tmp_path: Path) -> None:
    r = run(cli, study, "-o", str(tmp_path / "none.csv"), "--doc", "P02", "--coder", "ann")
    assert r.code == 0 and "0 segments written" in r.out
    lines = (tmp_path / "none.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("document,case,code,")
    assert run(cli, study, "-o", str(tmp_path / "none.xlsx"), "--coder", "zed").code != 0
    assert (
        run(cli, study, "-o", str(tmp_path / "none.xlsx"), "--case", "P02", "--coder", "ann").code
        == 0
    )
    ws = openpyxl.load_workbook(tmp_path / "none.xlsx").active
    assert ws is not None and ws.max_row == 1 and ws["A1"].value == "document"
    assert "0 segments" in export_and_read(
        study, tmp_path / "none.md", coders=["ann"], docs=["P02"]
    )


def export_and_read(p: Project, path: Path, **scope: Any) -> str:
    export_segments(p, path, scope=SegmentFilter(**scope))
    return path.read_text(encoding="utf-8")


def test_refusals_are_one_line_and_write_nothing(study: Project, cli: Any, tmp_path: Path) -> None:
    for args, words in [
        (["--format", "pdf", "-o", "a.pdf"], ["unknown format 'pdf'"]),
        (["--format", "xlsx", "-o", "a.csv"], ["a.csv", "must end in .xlsx"]),
        (["-o", "a.txt"], ["a.txt", "--format"]),
        (["-o", "a.csv", "--code", "nope"], ["no code 'nope'"]),
        (["-o", "a.csv", "--coder", "zed"], ["no coder 'zed'"]),
        (["-o", "a.csv", "--doc", "P9"], ["no document 'P9'"]),
        (["-o", "a.md", "--group-by", "coder"], ["cannot group by 'coder'"]),
        (["-o", "missing/a.csv"], ["does not exist"]),
    ]:
        target = args[args.index("-o") + 1]
        args[args.index("-o") + 1] = str(tmp_path / target)
        refused(run(cli, study, *args), *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["P01.txt", "P02.txt", "proj"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    huge = "w" * 40_000  # more than an Excel cell holds
    row = SegmentRow(
        "d", None, "c", None, "open", "ann", 0, len(huge), None, huge, (MemoNote("t", ""),),
        datetime(2024, 1, 1), 1, "g1", "g2", "g3",
    )  # fmt: skip
    out = tmp_path / "seg.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(InvalidInputError, match="Excel cell holds at most 32,767"):
        write_segments(out, SegmentTable([], [], [row]))
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["seg.xlsx"]
    write_segments(tmp_path / "seg.csv", SegmentTable([], [], [row]))  # csv has no such limit
    with open(tmp_path / "seg.csv", newline="", encoding="utf-8") as f:
        assert next(csv.DictReader(f))["text"] == huge


def test_attribute_columns_cannot_collide() -> None:
    table = SegmentTable(["case", "guid"], ["case", "date"], [])
    assert len(set(table.header)) == len(table.header)
    fixed = LEAD_COLUMNS + TRAIL_COLUMNS
    assert not any(c.startswith((CASE_PREFIX, DOC_PREFIX)) for c in fixed)
