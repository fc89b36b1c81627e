"""Tables: frequencies, the code x document matrix, crosstabs, saturation (hand-worked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.analysis.cooccurrence import Span
from qcode.analysis.tables import covered_length, crosstab, frequencies, saturation


def test_frequencies_count_codings_documents_cases_and_characters() -> None:
    spans = [
        Span("d1", "a", 0, 10),
        Span("d1", "a", 5, 15),  # overlaps the first: characters 0-15 once
        Span("d2", "a", 0, 4),
        Span("d3", "a", 0, 1),
        Span("d2", "b", 2, 3),
    ]
    case_of = {"d1": "ann", "d2": "ann", "d3": None}  # d3 has no case: its own
    got = {
        f.code: (f.codings, f.documents, f.cases, f.characters) for f in frequencies(spans, case_of)
    }
    assert got == {"a": (4, 3, 2, 15 + 4 + 1), "b": (1, 1, 1, 1)}
    assert covered_length([(0, 5), (5, 8), (10, 12), (11, 20)]) == 8 + 10


def test_crosstab_counts_and_group_sizes() -> None:
    spans = [
        Span("d1", "a", 0, 5),
        Span("d1", "a", 6, 9),
        Span("d2", "a", 0, 5),
        Span("d3", "b", 0, 5),
    ]
    groups = {"d1": "rider", "d2": "driver", "d3": "rider", "d4": None}
    cases = {"d1": "c1", "d2": "c2", "d3": "c1", "d4": "c3"}
    m = crosstab(spans, groups, "codings", cases)
    assert m.columns == ["driver", "rider", "(none)"]
    assert m.rows == ["a", "b"] and m.values == [[1, 2, 0], [0, 1, 0]]
    assert m.totals == [1, 2, 1]  # documents per group
    m = crosstab(spans, groups, "cases", cases)
    assert m.values == [[1, 1, 0], [0, 1, 0]] and m.totals == [1, 1, 1]
    m = crosstab(spans, groups, "documents", cases)
    assert m.values == [[1, 1, 0], [0, 1, 0]]


def _order(n: int) -> list[tuple[str, str]]:
    return [(f"d{i}", f"P{i:02d}") for i in range(1, n + 1)]


def test_saturation_worked_example() -> None:
    # base (P01-P04) holds 10 unique codes; P05 adds one (k), P07 none, ...
    codes = {
        "d1": {"a", "b", "c", "d", "e"},
        "d2": {"a", "f", "g", "h", "i"},
        "d3": {"j", "a"},
        "d4": set(),
        "d5": {"k", "a"},
        "d6": {"b"},
        "d7": {"c"},
        "d8": {"l"},
    }
    sat = saturation(_order(8), codes, base_size=4, run_length=2, threshold=0.05)
    assert sat.base_codes == 10 and sat.total_codes == 12
    assert [len(s.new) for s in sat.steps] == [5, 4, 1, 0, 1, 0, 0, 1]
    assert [s.cumulative for s in sat.steps] == [5, 9, 10, 10, 11, 11, 11, 12]
    # runs move one document at a time: P05-06 (1 new: 10%), P06-07 (0: 0%), P07-08 (1: 10%)
    assert [(r.first, r.last, r.new, r.ratio) for r in sat.runs] == [
        (5, 6, 1, 0.1),
        (6, 7, 0, 0.0),
        (7, 8, 1, 0.1),
    ]
    assert (sat.saturation_at, sat.confirmed_by) == (5, 7)
    assert sat.statement().startswith("saturation at 5 documents (base 4, run 2")
    # a 10% threshold is met by the first run already
    loose = saturation(_order(8), codes, 4, 2, 0.10)
    assert (loose.saturation_at, loose.confirmed_by) == (4, 6)
    # a run of three never reaches 0%: every window of three after the base brings a new code
    strict = saturation(_order(8), codes, 4, 3, 0.0)
    assert strict.saturation_at is None and "not reached" in strict.statement()


# -- through the project and the command line ---------------------------------------------------
@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    texts = {
        "P01": ("rider", "2024-03-02", "R: one. two.\nR: three."),
        "P02": ("driver", "2024-03-01", "R: four. five."),
        "P03": ("rider", "2024-03-04", "R: six."),
    }
    for name, (occupation, date, text) in texts.items():
        p.documents.import_files(
            [write(tmp_path / f"{name}.txt", text)],
            attrs=[f"occupation={occupation}", f"date={date}"],
        )
    p.codes.add("cat", level="axial")
    p.codes.add("x", parent="cat")
    p.codes.add("y")
    p.codes.add("never used")
    p.codings.apply("P01", 3, 7, "cat/x", coder="ann")
    p.codings.apply("P01", 8, 12, "cat/x", coder="ann")
    p.codings.apply("P01", 16, 22, "y", coder="bo")
    p.codings.apply("P02", 3, 8, "y", coder="ann")
    p.codings.apply("P03", 3, 7, "cat/x", coder="bo")
    return p


def test_project_tables(study: Project) -> None:
    a = study.analysis
    freq = {f.code: (f.codings, f.documents, f.cases) for f in a.frequencies()}
    assert freq == {"cat/x": (3, 2, 2), "y": (2, 2, 2), "never used": (0, 0, 0), "cat": (0, 0, 0)}
    assert {f.code: f.codings for f in a.frequencies(level="axial")} == {"cat": 3}
    assert {f.code: f.codings for f in a.frequencies(coders=["bo"]) if f.codings} == {
        "cat/x": 1,
        "y": 1,
    }
    m = a.matrix()
    assert m.columns == ["P01", "P02", "P03"]
    assert dict(zip(m.rows, m.values, strict=True))["cat/x"] == [2, 0, 1]
    m = a.crosstab("occupation", "documents", where=["occupation=rider"])
    assert m.columns == ["rider"] and dict(zip(m.rows, m.values, strict=True)) == {
        "cat/x": [2],
        "y": [1],
    }
    by_date = a.saturation(order="date", base_size=1, run_length=1, threshold=0.0)
    assert [s.document for s in by_date.steps] == ["P02", "P01", "P03"]
    assert [len(s.new) for s in by_date.steps] == [1, 1, 0]
    assert (by_date.saturation_at, by_date.confirmed_by) == (2, 3)


def test_table_commands(study: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(study.root)]
    rows = cli(*p, "freq", "--format", "json").json()
    assert rows[0] == {"code": "cat/x", "codings": 3, "documents": 2, "cases": 2, "characters": 12}
    out = cli(*p, "crosstab", "occupation", "--format", "csv").out.splitlines()
    assert (
        out[0] == "code,driver,rider"
        and "cat/x,0,3" in out
        and out[-1] == "(documents in group),1,2"
    )
    # the totals row says what it counts: documents per group, whatever the cells count
    shown = cli(*p, "crosstab", "occupation").out
    assert "(documents in group)" in shown and "codings in group" not in shown
    by_case = cli(*p, "crosstab", "occupation", "--count", "cases", "--format", "json").json()
    assert by_case["totals_of"] == "cases"
    assert "(cases in group)" in cli(*p, "crosstab", "occupation", "--count", "cases").out
    out = cli(*p, "matrix", "--count", "documents", "--format", "csv").out.splitlines()
    assert out[1:] == ["cat/x,1,0,1", "y,1,1,0"]
    sat = cli(*p, "saturation", "--base", "1", "--run", "1", "--threshold", "0", "--format", "json")
    data = sat.json()
    # imported order: P01 has both codes, P02 brings none new
    assert data["saturation_at"] == 1 and data["base_codes"] == 2 and "statement" in data
    fig = tmp_path / "sat.png"
    r = cli(*p, "saturation", "--base", "1", "--run", "1", "--figure", str(fig))
    assert r.code == 0 and fig.stat().st_size > 1000
    bad = cli(*p, "crosstab", "nothing")
    assert bad.code == 1 and bad.err.strip() == "error: no attribute 'nothing'"
    bad = cli(*p, "saturation", "--order", "occupation", "--threshold", "150")
    assert bad.code == 1 and "percentage" in bad.err
    bad = cli(*p, "freq", "--figure", str(tmp_path / "f.bmp"))
    assert bad.code == 1 and "f.bmp: a figure must end in .png, .svg or .pdf" in bad.err
    assert not (tmp_path / "f.bmp").exists()


def test_a_filter_value_no_document_has_is_refused_with_the_values_there(
    study: Project, cli: Any
) -> None:
    """A slip in --where (a value no document has, or its case) is an error naming the values
    there, not an empty table; conditions each met by some document but not together give
    an empty table as before."""
    root = str(study.root)
    for command in (["cooccur"], ["freq"], ["matrix"], ["crosstab", "occupation"]):
        r = cli("-p", root, *command, "--where", "occupation=Rider")
        assert r.code == 1, (command, r.out, r.err)
        assert (
            r.err.strip() == "error: no document has occupation=Rider (occupation: driver, rider)"
        )
    r = cli("-p", root, "freq", "--where", "occupation=driver", "--where", "date=2024-03-04")
    assert r.code == 0, r.err
    r = cli("-p", root, "freq", "--where", "occupation=rider", "--format", "json")
    assert r.code == 0 and {f["code"] for f in r.json() if f["codings"]} == {"cat/x", "y"}


def test_frequencies_by_category_list_only_the_categories(study: Project, cli: Any) -> None:
    """``freq --level axial`` counts categories: no open code comes with zeros, as if it had
    not been coded; an unused category still does."""
    study.codes.add("empty category", level="axial")
    r = cli("-p", str(study.root), "freq", "--level", "axial", "--format", "json")
    assert r.code == 0, r.err
    assert [(f["code"], f["codings"]) for f in r.json()] == [("cat", 3), ("empty category", 0)]


def test_a_crosstab_of_a_yes_no_attribute_heads_its_columns_as_the_listings_show_them(
    study: Project, cli: Any
) -> None:
    study.attributes.define("contract", "boolean", scope="document")
    study.attributes.set("P01", {"contract": "yes"}, scope="document")
    study.attributes.set("P02", {"contract": "no"}, scope="document")
    r = cli("-p", str(study.root), "crosstab", "contract", "--format", "csv")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0].split(",")[1:] == ["no", "yes", "(none)"]
