"""qcode matrix framework: counts as qcode matrix and crosstab count them, summaries in their
cells, and files a person can read (XLSX with wrapped text, frozen panes and typed attributes;
DOCX; Markdown; CSV; JSON)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.services.framework_matrix import first_words


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("example") / "flexible-employment"
    with Project.open(built_example(root)) as p:
        yield p


def _framework(cli: Any, root: str, *args: str) -> dict[str, Any]:
    r = cli("-p", root, "matrix", "framework", "--format", "json", *args)
    assert r.code == 0, r.err
    data: dict[str, Any] = r.json()
    return data


def test_counts_equal_qcode_matrix(example: Project, cli: Any) -> None:
    root = str(example.root)
    for level_args, matrix_args in (
        (["--level", "axial"], ["--level", "axial"]),
        (["--level", "open"], []),
    ):
        fm = _framework(cli, root, "--rows", "documents", *level_args)
        m = cli("-p", root, "matrix", "--format", "json", *matrix_args).json()
        expected = {
            (code, doc): v
            for code, values in zip(m["rows"], m["values"], strict=True)
            for doc, v in zip(m["columns"], values, strict=True)
            if v
        }
        got = {
            (code, rec["row"]): cell["count"]
            for rec in fm["records"]
            for code, cell in rec["cells"].items()
            if cell["count"]
        }
        assert got == expected and got
    # the old command still takes its options
    assert cli("-p", root, "matrix", "--count", "documents", "--format", "csv").code == 0


def test_case_rows_add_up_to_crosstab(example: Project, cli: Any) -> None:
    root = str(example.root)
    fm = _framework(cli, root, "--with-attributes", "occupation")
    ct = cli("-p", root, "crosstab", "occupation", "--level", "axial", "--format", "json").json()
    by_value: dict[tuple[str, str], int] = defaultdict(int)
    for rec in fm["records"]:
        for code, cell in rec["cells"].items():
            by_value[(code, rec["attributes"]["occupation"])] += cell["count"]
    expected = {
        (code, col): v
        for code, values in zip(ct["rows"], ct["values"], strict=True)
        for col, v in zip(ct["columns"], values, strict=True)
        if v
    }
    assert {k: v for k, v in by_value.items() if v} == expected
    # --where narrows the rows as it narrows crosstab's documents
    some = _framework(cli, root, "--where", "union_member=true")
    union = {c for c, a in example.attributes.values("case").items() if a["union_member"]}
    assert {r["row"] for r in some["records"]} == union


def test_summaries_fill_their_cells(example: Project, cli: Any) -> None:
    root = str(example.root)
    fm = _framework(cli, root, "--codes", "Economic pressure")
    cell = fm["records"][0]["cells"]["Economic pressure"]
    case = fm["records"][0]["row"]
    assert cell["summary"] is None and cell["count"] == len(cell["segments"])
    example.summaries.set(
        case, "Economic pressure", "Short of *cash* each winter.", cell["segments"]
    )
    try:
        again = _framework(cli, root, "--codes", "Economic pressure")
        assert again["records"][0]["cells"]["Economic pressure"]["summary"] == (
            "Short of *cash* each winter."
        )
        r = cli(
            "-p", root, "matrix", "framework", "--codes", "Economic pressure", "--format", "csv"
        )
        rows = list(csv.reader(io.StringIO(r.out)))
        assert rows[0] == ["case", "Economic pressure"]
        assert rows[1] == [case, "Short of *cash* each winter."]
        other = rows[2][1]
        assert other.split(" segment")[0].isdigit() and ": " in other
    finally:
        example.summaries.delete(case, "Economic pressure")


def test_xlsx_docx_md(example: Project, cli: Any, tmp_path: Path) -> None:
    import docx
    import openpyxl

    root = str(example.root)
    args = ["matrix", "framework", "--with-attributes", "occupation,union_member"]
    xlsx = tmp_path / "m.xlsx"
    assert cli("-p", root, *args, "--format", "xlsx", "-o", str(xlsx)).code == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.freeze_panes == "D2"  # header row, and the case with its attributes, stay put
    header = [c.value for c in ws[1]]
    assert header[:3] == ["case", "occupation", "union_member"]
    fm = _framework(cli, root, "--with-attributes", "occupation,union_member")
    assert header[3:] == fm["columns"]
    assert isinstance(ws.cell(2, 3).value, bool)  # a boolean attribute stays a boolean
    assert ws.cell(2, 4).alignment.wrap_text
    assert ws.max_row == 1 + len(fm["records"])
    first = fm["records"][0]["cells"][fm["columns"][0]]
    assert ws.cell(2, 4).value.startswith(f"{first['count']} segment")

    out = tmp_path / "m.docx"
    assert cli("-p", root, *args, "--format", "docx", "-o", str(out)).code == 0
    d = docx.Document(str(out))
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["case", "occupation", "union_member"]
    assert len(table.rows) == 1 + len(fm["records"])

    md = cli("-p", root, *args, "--format", "md")
    lines = md.out.splitlines()
    assert lines[2].startswith("| case | occupation | union_member |")
    assert len([ln for ln in lines if ln.startswith("| P")]) == len(fm["records"])


def test_typed_date_and_number_attributes(project: Project, cli: Any, tmp_path: Path) -> None:
    import openpyxl

    project.documents.import_files([write(tmp_path / "a.txt", "R: fine.\n")], case="A")
    project.attributes.define("interviewed", "date")
    project.attributes.define("age", "number")
    project.attributes.set("A", {"interviewed": "2024-03-05", "age": "41"})
    project.codes.add("fine")
    project.codings.apply("a", 3, 8, "fine")
    out = tmp_path / "m.xlsx"
    r = cli(
        "-p",
        str(project.root),
        "matrix",
        "framework",
        "--with-attributes",
        "interviewed,age",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(2, 2).value.date().isoformat() == "2024-03-05"
    assert ws.cell(2, 3).value == 41
    assert ws.cell(2, 4).value == "1 segment: fine."


def test_docx_keeps_a_summarys_markdown_and_says_yes_or_no(
    project: Project, cli: Any, tmp_path: Path
) -> None:
    import docx

    project.documents.import_files([write(tmp_path / "a.txt", "R: fine.\n")], case="A")
    project.documents.import_files([write(tmp_path / "b.txt", "R: also_fine *x*.\n")], case="B")
    project.attributes.define("member", "boolean")
    project.attributes.set("A", {"member": "yes"})
    project.attributes.set("B", {"member": "no"})
    project.codes.add("fine")
    project.codings.apply("a", 3, 8, "fine")
    project.codings.apply("b", 3, 17, "fine")
    project.summaries.set("A", "fine", "Pays **in full**, *now*.")
    out = tmp_path / "m.docx"
    args = ["matrix", "framework", "--with-attributes", "member", "--format", "docx", "-o"]
    r = cli("-p", str(project.root), *args, str(out))
    assert r.code == 0, r.err
    rows = docx.Document(str(out)).tables[0].rows
    assert [c.text for c in rows[1].cells] == ["A", "yes", "Pays in full, now."]
    runs = [(run.text, run.bold, run.italic) for run in rows[1].cells[2].paragraphs[0].runs]
    assert ("in full", True, None) in runs and ("now", None, True) in runs
    # a cell without a summary shows the coded words as they are, underscores and stars kept
    assert [c.text for c in rows[2].cells] == ["B", "no", "1 segment: also_fine *x*."]


def test_refusals(example: Project, cli: Any, tmp_path: Path) -> None:
    root = str(example.root)
    base = ["-p", root, "matrix", "framework"]
    for args, message in (
        (["--format", "xlsx"], "--output"),
        (["--format", "pdf"], "unknown format"),
        (["--codes", "Economic pressure", "--level", "axial"], "one of"),
        (["--rows", "people"], "unknown rows"),
        (["--codes", "no such code"], "no such code"),
        (["--with-attributes", "shoe_size"], "shoe_size"),
        (["--set", "nope"], "no set"),
        (["--format", "md", "-o", str(tmp_path / "missing" / "m.md")], "does not exist"),
    ):
        r = cli(*base, *args)
        assert r.code == 1 and message in r.err and r.err.count("\n") == 1, (args, r.err)


def test_first_words() -> None:
    assert first_words("one two three four five six seven eight nine") == (
        "one two three four five six seven eight …"
    )
    assert (
        first_words("我交不起社保，因为收入太不稳定了，每个月都不一样")
        == "我交不起社保，因为收入太不稳定了…"
    )
    assert first_words("short") == "short"


def test_terminal_table_one_line_a_case(example: Project, cli: Any) -> None:
    from rich.cells import cell_len

    r = cli("-p", str(example.root), "matrix", "framework", "--with-attributes", "occupation")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    cases = sorted(example.attributes.values("case"))
    assert [ln.split(" │ ")[0].strip() for ln in lines[4:]] == cases
    widths = {cell_len(ln.split(" │ ")[2]) for ln in lines[4:]}
    assert max(widths) <= 40  # a cell's first words, cut to the column (Chinese counted twice)
    assert any("外卖骑手" in ln for ln in lines[4:])


def test_a_cell_read_again_leaves_out_what_went_and_reads_only_its_context(
    project: Project, tmp_path: Path
) -> None:
    from qcode.services.framework_matrix import context, framework_cell, framework_matrix

    text = "alpha beta gamma delta " * 40 + "THE SEGMENT" + " epsilon zeta\neta theta" * 40
    short = "R: 我交的是最低档。Rent first."
    project.documents.import_files([write(tmp_path / "a.txt", text)], case="Li")
    project.documents.import_files([write(tmp_path / "b.txt", short)], case="Li")
    project.codes.add("rent")
    at = text.index("THE")
    project.codings.apply("a", at, at + 11, "rent")
    project.codings.apply("a", 0, 5, "rent")
    project.codings.apply("b", 3, 10, "rent")
    project.summaries.set("Li", "rent", "Rent comes first")
    m = framework_matrix(project)
    ids = m.cells[0][0].segments
    assert len(ids) == 3

    def read() -> Any:
        return framework_cell(project, m.rows_of, m.row_ids[0], m.column_ids[0], ids)

    view = read()
    assert [(s.document, s.code, s.start, s.end) for s in view.segments] == [
        ("a", "rent", 0, 5),
        ("a", "rent", at, at + 11),
        ("b", "rent", 3, 10),
    ]
    for seg, doc in zip(view.segments, (text, text, short), strict=True):
        assert (seg.before, seg.after) == context(doc, seg.start, seg.end)  # as from the whole
        assert seg.text == doc[seg.start : seg.end]
    assert view.segments[1].before.startswith("…") and view.segments[1].after.endswith("…")
    assert view.segments[2].before == "R: " and view.segments[2].text == "我交的是最低档"
    assert view.gone == [] and view.summary == "Rent comes first" and view.marked == []

    project.codings.remove([ids[1]])
    project.summaries.delete("Li", "rent")
    view = read()
    assert [s.id for s in view.segments] == [ids[0], ids[2]] and view.gone == [ids[1]]
    assert view.summary is None and view.summary_id is None
    project.summaries.set("Li", "rent", "written since", [ids[2]])
    project.documents.delete("b", force=True)
    view = read()
    assert [s.id for s in view.segments] == [ids[0]] and view.gone == [ids[1], ids[2]]
    assert view.summary == "written since" and view.marked == []  # its link went with "b"
