"""The query language: each operator on constructed cases, the parser's errors, and the query
through the project, the command line and Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qcode import Project
from qcode.analysis.query_eval import DocData, Hit, evaluate
from qcode.analysis.query_parse import CodeRef, QuerySyntaxError, parse
from qcode.errors import QcodeError
from tests.conftest import write

SENTENCES = [(0, 10), (10, 20), (20, 30), (30, 40)]


def q(
    expr: str,
    hits: dict[str, list[tuple[int, int]]],
    length: int = 40,
    unit: str = "match",
    units: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    def leaf(node: Any) -> list[Hit]:
        assert isinstance(node, CodeRef)
        return [Hit(a, b, frozenset([node.ref]), frozenset(["ann"])) for a, b in hits[node.ref]]

    units_by = {"sentences": units or SENTENCES, "turns": [(0, 20), (20, 40)]}
    doc = DocData(length, units_by, leaf)
    return [(h.start, h.end) for h in evaluate(parse(expr), doc, unit)]


# -- boolean operators ---------------------------------------------------------------------------
def test_and_is_the_overlap_of_each_pair_and_touching_ranges_do_not_overlap() -> None:
    assert q("A and B", {"A": [(0, 10)], "B": [(5, 15)]}) == [(5, 10)]
    assert q("A and B", {"A": [(0, 5)], "B": [(5, 10)]}) == []
    assert q("A and B", {"A": [(0, 10), (20, 30)], "B": [(5, 25)]}) == [(5, 10), (20, 25)]


def test_and_in_a_unit_is_every_unit_holding_both() -> None:
    hits = {"A": [(0, 2)], "B": [(5, 7)]}
    assert q("A and B", hits) == []
    assert q("A and B", hits, unit="sentences") == [(0, 10)]
    assert q("A and B", {"A": [(0, 2)], "B": [(12, 14)]}, unit="sentences") == []
    assert q("A and B", {"A": [(0, 2)], "B": [(12, 14)]}, unit="turns") == [(0, 20)]


def test_or_unites_and_equal_ranges_are_one_result() -> None:
    assert q("A or B", {"A": [(0, 5)], "B": [(0, 5), (7, 9)]}) == [(0, 5), (7, 9)]


def test_not_is_what_is_not_covered_or_the_units_not_touched() -> None:
    assert q("not A", {"A": [(10, 20), (15, 25)]}) == [(0, 10), (25, 40)]
    assert q("not A", {"A": [(12, 14)]}, unit="sentences") == [(0, 10), (20, 30), (30, 40)]
    assert q("B and not A", {"A": [(5, 8)], "B": [(0, 10)]}) == [(0, 5), (8, 10)]


def test_only_one_of_and_at_least_n_of() -> None:
    hits = {"A": [(0, 10)], "B": [(5, 15)], "C": [(8, 20)]}
    assert q("only one of (A, B)", hits) == [(0, 5), (10, 15)]
    # cut where the covering operands change: {A,B} [5,8), {A,B,C} [8,10), {B,C} [10,15)
    assert q("at least 2 of (A, B, C)", hits) == [(5, 8), (8, 10), (10, 15)]
    assert q("at least 3 of (A, B, C)", hits) == [(8, 10)]
    assert q("only one of (A, B, C)", hits, unit="sentences") == []
    assert q("at least 2 of (A, B, C)", {"A": [(0, 1)], "B": [(31, 32)], "C": [(35, 36)]},
             unit="sentences") == [(30, 40)]  # fmt: skip


# -- relations -----------------------------------------------------------------------------------
def test_inside_counts_equal_as_inside() -> None:
    assert q("A inside B", {"A": [(5, 10), (0, 10), (5, 11)], "B": [(0, 10)]}) == [(0, 10), (5, 10)]


def test_outside_and_overlaps_share_no_or_some_code_point() -> None:
    hits = {"A": [(0, 5), (8, 12), (20, 25)], "B": [(5, 10)]}
    assert q("A overlaps B", hits) == [(8, 12)]
    assert q("A outside B", hits) == [(0, 5), (20, 25)]


def test_followed_by_within_chars_from_the_end_of_a_to_the_start_of_b() -> None:
    assert q("A followed by B within 3 chars", {"A": [(0, 5)], "B": [(8, 10)]}) == [(0, 5)]
    assert q("A followed by B within 3 chars", {"A": [(0, 5)], "B": [(9, 10)]}) == []
    assert q("A followed by B within 0 chars", {"A": [(0, 5)], "B": [(5, 10)]}) == [(0, 5)]
    # B starting before A ends does not follow it
    assert q("A followed by B within 9 chars", {"A": [(0, 5)], "B": [(2, 10)]}) == []


def test_followed_by_within_units() -> None:
    assert q("A followed by B within 0 sentences", {"A": [(0, 5)], "B": [(6, 8)]}) == [(0, 5)]
    assert q("A followed by B within 0 sentences", {"A": [(0, 5)], "B": [(12, 14)]}) == []
    assert q("A followed by B within 1 sentences", {"A": [(0, 5)], "B": [(12, 14)]}) == [(0, 5)]
    # A's last code point is in sentence 0 even when A ends exactly where sentence 1 starts
    assert q("A followed by B within 0 sentences", {"A": [(5, 10)], "B": [(10, 12)]}) == []
    assert q("A followed by B within 0 turns", {"A": [(0, 5)], "B": [(12, 14)]}) == [(0, 5)]


def test_near_works_both_ways() -> None:
    assert q("A near B within 2 chars", {"A": [(10, 15)], "B": [(5, 8)]}) == [(10, 15)]
    assert q("A near B within 1 chars", {"A": [(10, 15)], "B": [(5, 8)]}) == []
    assert q("A near B within 0 chars", {"A": [(10, 15)], "B": [(12, 30)]}) == [(10, 15)]
    assert q("A near B within 1 sentences", {"A": [(22, 25)], "B": [(12, 14)]}) == [(22, 25)]
    assert q("A near B within 0 sentences", {"A": [(22, 25)], "B": [(12, 14)]}) == []


def test_precedence_not_and_or_relations() -> None:
    hits = {"A": [(0, 10)], "B": [(5, 15)], "C": [(30, 35)]}
    assert q("A and B or C", hits) == [(5, 10), (30, 35)]
    assert q("C or A and B", hits) == [(5, 10), (30, 35)]
    assert q("not A inside B", hits) == [(0, 40)]  # not (A inside B): A is not inside B
    assert q("(A or C) outside B", hits) == [(30, 35)]


# -- parse errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "column", "says"),
    [
        ("'income' and or x", 14, "expected a code, a text search or '('"),
        ("A and", 6, "expected a code, a text search or '('"),
        ("(A or B", 8, "expected ')'"),
        ("A followed B within 2 chars", 12, "expected 'by' after 'followed'"),
        ("A followed by B", 16, "expected 'within'"),
        ("A near B within x chars", 17, "expected a number"),
        ("A near B within 2 lines", 19, "expected chars, sentences, paragraphs or turns"),
        ("at least 3 of (A, B)", 10, "can never hold"),
        ("at least 0 of (A, B)", 10, "out of range"),
        ("A near B within 2000000 chars", 17, "out of range"),
        ("text 'open", 6, "not closed"),
        ("text /open", 6, "not closed"),
        ("A )", 3, "')' without '('"),
        ("only one (A, B)", 10, "expected 'of'"),
    ],
)
def test_errors_name_the_column(expr: str, column: int, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(expr)
    assert info.value.column == column, str(info.value)
    assert says in str(info.value)
    assert str(info.value).startswith(f"query: column {column}: ")


def test_names_quoted_bare_words_joined_and_paths() -> None:
    tree: Any = parse("financial pressure/income volatility and 'and so on'")
    assert tree.left.ref == "financial pressure/income volatility"
    assert tree.right.ref == "and so on"


# -- through the project ---------------------------------------------------------------------------
TEXT = (
    "Interviewer: How do you pay into the scheme?\n"
    "Rider: My income goes up and down. So I skip contributions. The platform told me nothing.\n"
    "Interviewer: And your family?\n"
    "Rider: My family provides. 灵活就业 is hard.\n"
)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "int01.txt", TEXT)], attrs=["gender=woman"])
    p.documents.import_files(
        [write(tmp_path / "int02.txt", "Rider: I skip contributions.\n")], attrs=["gender=man"]
    )
    for c in ("income volatility", "contribution decisions", "family provides"):
        p.codes.add(c)

    def code(doc: str, needle: str, c: str, coder: str = "ann") -> None:
        text = p.documents.text(doc)
        a = text.index(needle)
        p.codings.apply(doc, a, a + len(needle), c, coder=coder)

    code("int01", "My income goes up and down", "income volatility")
    code("int01", "My income goes up and down. So I skip", "income volatility", "bo")
    code("int01", "So I skip contributions", "contribution decisions")
    code("int01", "My family provides", "family provides", "bo")
    code("int02", "I skip contributions", "contribution decisions", "bo")
    return p


def test_project_query_returns_records_in_document_order(study: Project) -> None:
    hits = study.query("'income volatility' and 'contribution decisions'")
    assert [(h.document, h.text, h.codes, h.coders) for h in hits] == [
        (
            "int01",
            "So I skip",
            ["contribution decisions", "income volatility"],
            ["ann", "bo"],
        )
    ]
    hits = study.query("contribution decisions")
    assert [h.document for h in hits] == ["int01", "int02"]
    json_keys = list(hits[0].as_json())
    assert json_keys == ["document", "case", "start", "end", "codes", "coders", "text"]


def test_to_pandas(study: Project) -> None:
    pd = pytest.importorskip("pandas")
    frame = study.query("contribution decisions").to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame["document"]) == ["int01", "int02"]


def test_scope_coder_case_and_where(study: Project) -> None:
    from qcode.services.scope import Scope

    assert len(study.query("contribution decisions", Scope(coders=("bo",)))) == 1
    assert len(study.query("contribution decisions", Scope(coders=["bo"]))) == 1  # type: ignore[arg-type]
    assert len(study.query("contribution decisions", Scope(where=("gender=man",)))) == 1
    assert len(study.query("contribution decisions", Scope(cases=("int01",)))) == 1
    with pytest.raises(QcodeError, match="no case 'int3'.*did you mean.*'int01'"):
        study.query("contribution decisions", Scope(cases=("int3",)))
    with pytest.raises(QcodeError, match="no attribute 'gendr'"):
        study.query("contribution decisions", Scope(where=("gendr=man",)))


def test_text_regex_and_word_searches(study: Project) -> None:
    assert [h.text for h in study.query('text "skip"')] == ["skip", "skip"]
    assert [h.text for h in study.query("text /FAMILY/i")] == ["family", "family"]
    assert [h.text for h in study.query("word 灵活就业")] == ["灵活就业"]
    found = study.query("text 'skip' inside 'income volatility'")
    assert [(h.document, h.text) for h in found] == [("int01", "skip")]
    assert [h.text for h in study.query("text /told me nothing/", unit="turn")] == [
        "Rider: My income goes up and down. So I skip contributions. The platform told me nothing."
    ]


def test_regex_time_limit_says_it_stopped(study: Project, tmp_path: Path) -> None:
    study.documents.import_files([write(tmp_path / "long.txt", "a" * 40 + "!\n")])
    with pytest.raises(QcodeError, match=r"stopped after 0.3 s"):
        study.query.run(r"text /(a|aa)+$/", regex_seconds=0.3)


def test_unknown_code_gets_the_closest_names(study: Project) -> None:
    with pytest.raises(QcodeError, match=r"column 13: no code 'famly provides'.*did you mean"):
        study.query("text 'x' or famly provides")


def test_code_the_results_in_one_undo_step(study: Project) -> None:
    n, had = study.query.code("contribution decisions", "to review")
    assert (n, had) == (2, 0)
    assert len(study.codings.list(code="to review")) == 2
    assert study.query.code("contribution decisions", "to review") == (0, 2)
    study.history.undo()  # the code and its codings went in one step, and go in one
    assert "to review" not in [c.path for c in study.codes.list()]


def test_results_to_the_review_queue(study: Project) -> None:
    from qcode.services.autocode import suggestions

    run, n = study.query.queue("contribution decisions", "decisions to check")
    assert n == 2 and [s.code for s in suggestions(study, run)] == ["decisions to check"] * 2
    assert study.codings.list(code="decisions to check") == []


def test_sets_save_run_as_operand_and_follow_the_codings(study: Project) -> None:
    info = study.sets.save("volatile", "'income volatility' or 'family provides'")
    assert info.count == 3
    assert len(study.query("set volatile and 'contribution decisions'")) == 1
    # re-evaluated as codings change
    text = study.documents.text("int02")
    study.codings.apply("int02", 0, 5, "income volatility", coder="ann")
    assert study.sets.show("volatile").count == 4 and text
    with pytest.raises(QcodeError, match="exists"):
        study.sets.save("volatile", "family provides")
    with pytest.raises(QcodeError, match="uses itself"):
        study.sets.save("volatile", "set volatile or family provides", replace=True)
    with pytest.raises(QcodeError, match="no set 'volatil'.*did you mean 'volatile'"):
        study.query("set volatil")
    study.sets.delete("volatile")
    assert study.sets.list() == []


def test_matrix_query(study: Project) -> None:
    from qcode.services.query_matrix import cell_records, matrix_query

    m = matrix_query(
        study, "income volatility,contribution decisions", "attribute:gender", "documents"
    )
    assert m.columns == ["man", "woman"] and m.values == [[0, 1], [1, 1]]
    m = matrix_query(study, "income volatility", "contribution decisions,family provides")
    assert m.values == [[1, 0]]  # two coders' overlaps with the same range: one segment
    hits = cell_records(study, m, "1,1")
    assert [(h.text, h.coders) for h in hits] == [("So I skip", ["ann", "bo"])]
    with pytest.raises(QcodeError, match="no attribute 'gendr'"):
        matrix_query(study, "income volatility", "attribute:gendr")


# -- the command line ---------------------------------------------------------------------------
def test_cli_query_json_and_bad_input(study: Project, cli: Any) -> None:
    r = cli("query", "contribution decisions", "--format", "json", cwd=study.root)
    assert r.code == 0
    rows = json.loads(r.out)
    assert [list(x) for x in rows] == [["document", "case", "start", "end", "codes", "coders",
                                        "text"]] * 2  # fmt: skip
    before = study.info()["events"]
    for args in (
        ["'income' and or x"],
        ["famly"],
        ["text /(/"],
        ["A near B within 2000000 chars"],
        ["contribution decisions", "--where", "nope=1"],
        ["contribution decisions", "--code", "x", "--unit", "clause"],
        ["contribution decisions", "--cell", "1,1"],
        ["--rows", "family provides", "--cols", "attribute:gender", "--code", "x"],
        ["--rows", "family provides", "--cols", "attribute:gender", "--count", "words"],
        ["--rows", "family provides", "--cols", "attribute:gender", "--cell", "3,1"],
        ["--rows", "family provides", "--cols", "attribute:gender", "-o", "m.txt"],
    ):
        r = cli("query", *args, cwd=study.root)
        assert r.code == 1, args
        assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err, r.err
    assert study.info()["events"] == before
    r = cli("query", "'income' and or x", cwd=study.root)
    assert "query: column 14: expected a code, a text search or '('" in r.err


def test_cli_code_sets_and_matrix(study: Project, cli: Any, tmp_path: Path) -> None:
    r = cli("query", "contribution decisions", "--code", "review me", cwd=study.root)
    assert r.code == 0 and "coded 2" in r.out
    assert cli("sets", "save", "cd", "contribution decisions", cwd=study.root).code == 0
    r = cli("sets", "list", "--json", cwd=study.root)
    assert [(s["name"], s["count"]) for s in json.loads(r.out)] == [("cd", 2)]
    r = cli("sets", "run", "cd", "--format", "csv", cwd=study.root)
    assert r.out.splitlines()[0] == "document,case,start,end,codes,coders,text"
    out = tmp_path / "m.xlsx"
    r = cli("query", "--rows", "set cd", "--cols", "attribute:gender", "-o", str(out),
            cwd=study.root)  # fmt: skip
    assert r.code == 0 and out.exists()
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None and [c.value for c in ws[2]] == ["set cd", 1, 1]
    r = cli("query", "--help", cwd=study.root)
    assert "followed by" in r.out and "only one of" in r.out


def test_analysis_commands_take_the_same_scope(study: Project, cli: Any) -> None:
    from qcode.services.scope import Scope

    a = study.analysis
    freq = {f.code: f.codings for f in a.frequencies(scope=Scope(cases=("int02",)))}
    assert freq["contribution decisions"] == 1 and freq["income volatility"] == 0
    r = cli("freq", "--case", "int02", "--format", "json", cwd=study.root)
    assert r.code == 0
    assert {f["code"]: f["codings"] for f in r.json()}["contribution decisions"] == 1
    r = cli("cooccur", "--case", "int01", "--format", "json", cwd=study.root)
    assert r.code == 0 and [(p["code_a"], p["code_b"]) for p in r.json()] == [
        ("contribution decisions", "income volatility")
    ]
    r = cli("cooccur", "--case", "int02", "--format", "json", cwd=study.root)
    assert r.code == 0 and r.json() == []
    r = cli("matrix", "--case", "nobody", cwd=study.root)
    assert r.code == 1 and "no case 'nobody'" in r.err


# -- saved sets beyond the project ------------------------------------------------------------------
def test_saved_queries_travel_in_the_json_codebook_and_as_refi_descriptions(
    study: Project, tmp_path: Path
) -> None:
    from qcode.services.codebook import export_codebook, import_codebook

    study.sets.save("volatile", "'income volatility' or 'family provides'", "to compare")
    cb = export_codebook(study, tmp_path / "cb.json")
    data = json.loads((tmp_path / "cb.json").read_text("utf-8"))
    assert data["sets"] == [
        {
            "name": "volatile",
            "guid": cb.sets[0].guid,
            "description": "to compare",
            "codes": [],
            "query": "'income volatility' or 'family provides'",
        }
    ]
    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "schemas/codebook.schema.json").read_text())
    jsonschema.validate(data, schema)
    export_codebook(study, tmp_path / "cb.qdc")
    xml = (tmp_path / "cb.qdc").read_text("utf-8")
    assert "qcode query: &apos;income volatility&apos;" in xml or "qcode query: 'income" in xml
    other = Project.init(tmp_path / "other")
    for c in ("income volatility", "family provides"):
        other.codes.add(c)
    import_codebook(other, tmp_path / "cb.qdc")
    info = other.sets.show("volatile")
    assert (info.query, info.description) == ("'income volatility' or 'family provides'",
                                              "to compare")  # fmt: skip
    third = Project.init(tmp_path / "third")
    import_codebook(third, tmp_path / "cb.json")
    assert third.sets.show("volatile", counts=False).query == info.query
    other.close()
    third.close()


def test_segments_export_of_a_saved_query(study: Project, cli: Any, tmp_path: Path) -> None:
    study.sets.save("iv in cd", "'income volatility' inside (text 'My income goes up and down')")
    out = tmp_path / "s.csv"
    r = cli("segments", "export", "-o", str(out), "--query", "iv in cd", cwd=study.root)
    assert r.code == 0, r.err
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(x["code"], x["coder"]) for x in rows] == [("income volatility", "ann")]
    r = cli("segments", "export", "-o", str(out), "--query", "famly provides", cwd=study.root)
    assert r.code == 1 and "did you mean" in r.err


def test_saved_sets_in_cooccur_crosstab_and_matrix(study: Project, cli: Any) -> None:
    study.sets.save("skipping", "text 'skip'")
    r = cli("cooccur", "--set", "skipping", "--format", "json", cwd=study.root)
    assert r.code == 0, r.err
    pairs = {(p["code_a"], p["code_b"]): p["count"] for p in r.json()}
    assert pairs[("contribution decisions", "set:skipping")] == 2
    assert pairs[("income volatility", "set:skipping")] == 1
    r = cli("crosstab", "gender", "--set", "skipping", "--format", "json", cwd=study.root)
    m = r.json()
    assert dict(zip(m["rows"], m["values"], strict=True))["set:skipping"] == [1, 1]
    r = cli("matrix", "--set", "skipping", "--format", "json", cwd=study.root)
    m = r.json()
    assert dict(zip(m["rows"], m["values"], strict=True))["set:skipping"] == [1, 1]
    r = cli("freq", "--set", "skiping", cwd=study.root)
    assert r.code == 1 and "no set 'skiping'" in r.err and "did you mean 'skipping'" in r.err


def test_matrix_query_heat_map(study: Project, cli: Any, tmp_path: Path) -> None:
    png = tmp_path / "m.png"
    r = cli("query", "--rows", "income volatility,contribution decisions", "--cols",
            "attribute:gender", "--count", "characters", "--figure", str(png), cwd=study.root)  # fmt: skip
    assert r.code == 0, r.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("query", "--rows", "income volatility", "--cols", "attribute:gender", "--format",
            "json", "--count", "characters", cwd=study.root)  # fmt: skip
    assert r.json()["values"] == [[0, len("My income goes up and down. So I skip")]]


def test_saved_queries_in_a_qdpx_project(study: Project, tmp_path: Path, cli: Any) -> None:
    from qcode.services.exchange import create_from_qdpx, export_qdpx

    study.sets.save("volatile", "'income volatility' or 'family provides'")
    report = export_qdpx(study, tmp_path / "p.qdpx")
    assert any("REFI-QDA has no place for a query" in n for n in report.notes)
    r = cli("codebook", "export", "-o", str(tmp_path / "cb.qdc"), cwd=study.root)
    assert r.code == 0 and "REFI-QDA has no place for a query" in r.out, r.out + r.err
    other, _ = create_from_qdpx(tmp_path / "copy", tmp_path / "p.qdpx")
    try:
        info = other.sets.show("volatile")
        assert info.query == "'income volatility' or 'family provides'" and info.count == 3
    finally:
        other.close()


def test_a_code_with_its_subcodes(study: Project) -> None:
    study.codes.add("pressure")
    study.codes.move("income volatility", "pressure")
    study.codes.move("family provides", "pressure")
    assert study.query("pressure") == []  # the code itself has no codings
    hits = study.query("'pressure'/*")
    assert [h.codes for h in hits] == [
        ["pressure/income volatility"],  # ann's
        ["pressure/income volatility"],  # bo's, longer
        ["pressure/family provides"],
    ]
    assert len(study.query("pressure/* and contribution decisions")) == 1
    tree: Any = parse("'a b'/* or a b/*")
    assert (tree.left.ref, tree.left.subcodes, tree.right.ref, tree.right.subcodes) == (
        "a b",
        True,
        "a b",
        True,
    )
    with pytest.raises(QuerySyntaxError, match="column 1"):
        parse("/*")


def test_saved_queries_in_readable_codebooks(study: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from qcode.services.codebook import export_codebook

    study.sets.save("volatile", "'income volatility' or 'family provides'")
    export_codebook(study, tmp_path / "cb.md")
    assert "- **volatile** (query: `'income volatility' or 'family provides'`)" in (
        tmp_path / "cb.md"
    ).read_text("utf-8")
    export_codebook(study, tmp_path / "cb.xlsx")
    rows = list(load_workbook(tmp_path / "cb.xlsx")["Sets"].iter_rows(values_only=True))
    assert rows[0][-1] == "query" and rows[1][-1] == "'income volatility' or 'family provides'"


def test_the_closest_names_are_offered_in_chinese_too(study: Project) -> None:
    from qcode import i18n

    i18n.set_language("zh")
    try:
        with pytest.raises(QcodeError, match=r"第 13 列.*famly provides.*是否指 'family provides'"):
            study.query("text 'x' or famly provides")
    finally:
        i18n.set_language("en")
