"""Co-occurrence against hand-worked fixtures, ATLAS.ti's manual example, and a naive method."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.analysis.cooccurrence import Span, cooccurrence, overlap_pair_counts


def table(pairs: list) -> dict[tuple[str, str], tuple[int, int, int]]:  # type: ignore[type-arg]
    return {(p.code_a, p.code_b): (p.n_a, p.n_b, p.count) for p in pairs}


def test_touching_spans_do_not_cooccur_but_one_shared_character_does() -> None:
    spans = [Span("d", "A", 0, 5), Span("d", "B", 5, 9)]
    assert cooccurrence(spans) == []
    assert table(cooccurrence([Span("d", "A", 0, 5), Span("d", "B", 4, 9)])) == {
        ("A", "B"): (1, 1, 1)
    }
    # different documents never overlap
    assert cooccurrence([Span("d", "A", 0, 5), Span("e", "B", 0, 5)]) == []


def test_nested_and_several_overlaps_at_once() -> None:
    spans = [
        Span("d", "A", 0, 10),
        Span("d", "B", 2, 5),  # inside A, overlaps C
        Span("d", "C", 4, 8),  # inside A
        Span("d", "B", 9, 12),  # overlaps the end of A only
        Span("d", "A", 3, 4),  # a second A inside the first: never paired with A
    ]
    got = table(cooccurrence(spans))
    assert got == {("A", "B"): (2, 2, 3), ("A", "C"): (2, 1, 1), ("B", "C"): (2, 1, 1)}
    pair = {(p.code_a, p.code_b): p for p in cooccurrence(spans)}
    assert pair[("A", "C")].c == pytest.approx(1 / (2 + 1 - 1))
    assert pair[("A", "B")].jaccard is None  # not defined for the overlap unit


def test_atlas_ti_manual_example() -> None:
    """ATLAS.ti's manual: code A on 100 quotations, B on 10, 5 co-occurrences:
    c = 5 / (100 + 10 - 5), about 0.048, with a warning for the unequal frequencies."""
    spans = [Span(i, "A", 0, 10) for i in range(100)]
    spans += [Span(i, "B", 5, 15) for i in range(5)]  # overlapping A in 5 documents
    spans += [Span(100 + i, "B", 0, 10) for i in range(5)]  # alone
    (p,) = cooccurrence(spans)
    assert (p.n_a, p.n_b, p.count) == (100, 10, 5)
    assert p.c == pytest.approx(5 / 105) and round(p.c, 3) == 0.048
    assert p.warning is True


def test_units_count_units_where_both_are_present() -> None:
    units = {"d": [(0, 10), (10, 20), (20, 30)]}
    spans = [
        Span("d", "A", 5, 15),
        Span("d", "B", 12, 25),
        Span("d", "C", 25, 30),
        Span("d", "D", 5, 10),
    ]  # ends where unit 1 starts: present in unit 0 only
    pairs = {(p.code_a, p.code_b): p for p in cooccurrence(spans, "sentence", units)}
    assert set(pairs) == {("A", "B"), ("B", "C"), ("A", "D")}
    ab = pairs[("A", "B")]
    assert (ab.n_a, ab.n_b, ab.count) == (2, 2, 1)
    assert ab.jaccard == pytest.approx(1 / 3) == ab.c
    docs = cooccurrence(spans + [Span("e", "A", 0, 1)], "document")
    assert table(docs)[("A", "B")] == (2, 1, 1)
    assert cooccurrence(spans, "sentence", units, min_count=2) == []


def naive_overlap(spans: list[Span]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = defaultdict(int)
    for x, y in combinations(spans, 2):
        if x.document == y.document and x.code != y.code and x.start < y.end and y.start < x.end:
            out[tuple(sorted((x.code, y.code)))] += 1  # type: ignore[index]
    return dict(out)


def naive_units(
    spans: list[Span], units: dict[str, list[tuple[int, int]]]
) -> dict[tuple[str, str], int]:
    members: dict[tuple[str, int], set[str]] = defaultdict(set)
    for s in spans:
        for i, (a, b) in enumerate(units[s.document]):
            if s.start < b and a < s.end:
                members[(s.document, i)].add(s.code)
    out: dict[tuple[str, str], int] = defaultdict(int)
    for codes in members.values():
        for a, b in combinations(sorted(codes), 2):
            out[(a, b)] += 1
    return dict(out)


SPANS = st.lists(
    st.tuples(
        st.sampled_from("xy"), st.sampled_from("ABCD"), st.integers(0, 60), st.integers(1, 15)
    ).map(lambda t: Span(t[0], t[1], t[2], t[2] + t[3])),
    max_size=40,
)


@settings(max_examples=200)
@given(SPANS)
def test_sweep_matches_all_pairs(spans: list[Span]) -> None:
    assert {(p.code_a, p.code_b): p.count for p in cooccurrence(spans)} == naive_overlap(spans)


@settings(max_examples=100)
@given(SPANS)
def test_dense_and_sparse_counting_agree(spans: list[Span]) -> None:
    codes = sorted({s.code for s in spans})
    columns = [
        [ord(s.document) for s in spans],
        [codes.index(s.code) for s in spans],
        [s.start for s in spans],
        [s.end for s in spans],
    ]
    dense = overlap_pair_counts(*columns, len(codes))
    sparse = overlap_pair_counts(*columns, len(codes), dense_limit=0)
    assert [x.tolist() for x in dense] == [x.tolist() for x in sparse]


@settings(max_examples=200)
@given(SPANS, st.lists(st.integers(1, 80), min_size=1, max_size=8, unique=True))
def test_unit_presence_matches_brute_force(spans: list[Span], cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), 100]
    ranges = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
    units = {"x": ranges, "y": ranges[::2]}  # units need not cover the whole text
    got = {(p.code_a, p.code_b): p.count for p in cooccurrence(spans, "turn", units)}
    assert got == naive_units(spans, units)


# -- through the project and the command line ---------------------------------------------------
from pathlib import Path  # noqa: E402

from conftest import write  # noqa: E402

from qcode import Project  # noqa: E402


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    p = project
    a = write(tmp_path / "a.txt", "I: one two. three four.\nR: five six. seven eight.")
    b = write(tmp_path / "b.txt", "I: alpha beta.\nR: gamma delta.")
    p.documents.import_files([a], attrs=["occupation=rider"])
    p.documents.import_files([b], attrs=["occupation=driver"])
    p.codes.add("cat", level="axial")
    p.codes.add("x", parent="cat")
    p.codes.add("y", parent="cat")
    p.codes.add("z")
    p.codings.apply("a", 3, 10, "cat/x", coder="ann")  # "one two"
    p.codings.apply("a", 7, 22, "z", coder="ann")  # "two. three four"
    p.codings.apply("a", 27, 35, "cat/y", coder="bo")  # "five six"
    p.codings.apply("a", 30, 47, "z", coder="bo")  # overlaps y
    p.codings.apply("b", 3, 8, "cat/x", coder="ann")  # "alpha"
    p.codings.apply("b", 8, 13, "z", coder="ann")  # touches x only
    return p


def test_project_cooccurrence_and_filters(coded: Project) -> None:
    got = table(coded.analysis.cooccur())
    assert got == {("cat/x", "z"): (2, 3, 1), ("cat/y", "z"): (1, 3, 1)}
    assert table(coded.analysis.cooccur(coders=["ann"])) == {("cat/x", "z"): (2, 2, 1)}
    assert table(coded.analysis.cooccur(where=["occupation=driver"])) == {}
    assert table(coded.analysis.cooccur(level="axial")) == {}  # z belongs to no category
    coded.codes.add("context", level="axial")
    coded.codes.move("z", "context")
    assert table(coded.analysis.cooccur(level="axial")) == {("cat", "context"): (3, 3, 2)}
    coded.codes.move("context/z", None)
    sentences = table(coded.analysis.cooccur(unit="sentence"))
    # z is in five sentences (two in each turn of a, "alpha beta." in b); x in two; both are in
    # "one two." and in "alpha beta.", where x and z only touch: no overlap, same sentence
    assert sentences[("cat/x", "z")] == (2, 5, 2)
    turns = table(coded.analysis.cooccur(unit="turn"))
    # z is in three turns (both of a, the first of b)
    assert turns == {("cat/x", "z"): (2, 3, 2), ("cat/y", "z"): (1, 3, 1)}


def test_cooccur_command(coded: Project, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(coded.root)]
    rows = cli(*p, "cooccur", "--format", "json").json()
    assert rows[0].keys() >= {"code_a", "code_b", "n_a", "n_b", "count", "c", "jaccard"}
    assert all(r["code_a"] < r["code_b"] and r["count"] > 0 for r in rows)
    assert all(r["jaccard"] is None for r in rows)
    unit = cli(*p, "cooccur", "--unit", "paragraph", "--coder", "bo", "--format", "json").json()
    assert [(r["code_a"], r["code_b"], r["jaccard"]) for r in unit] == [("cat/y", "z", 1.0)]
    csv_out = cli(*p, "cooccur", "--format", "csv", "--min", "1").out.splitlines()
    assert (
        csv_out[0] == ("code_a,code_b,n_a,n_b,count,c,jaccard,warning,overlapping_a,overlapping_b")
        and len(csv_out) == 3
    )
    bad = cli(*p, "cooccur", "--unit", "chapter")
    assert bad.code == 1 and "unknown unit 'chapter'" in bad.err
    bad = cli(*p, "cooccur", "--where", "nothing=1")
    assert bad.code == 1 and "no attribute 'nothing'" in bad.err


def brute_overlapping(spans: list[Span], a: str, b: str) -> tuple[int, int]:
    """Codings of a that share a character with some coding of b, and the other way round."""

    def hits(x: Span, code: str) -> bool:
        return any(
            y.code == code and y.document == x.document and x.start < y.end and y.start < x.end
            for y in spans
        )

    return (
        sum(1 for s in spans if s.code == a and hits(s, b)),
        sum(1 for s in spans if s.code == b and hits(s, a)),
    )


def test_overlap_c_is_read_on_codings_and_stays_at_most_one() -> None:
    """One coding of A overlapping two of B is two pairs: the pair count stays 2 in its own
    column, but every coding of each code co-occurs with the other, so c is 1, not 2."""
    spans = [Span("d", "A", 0, 10), Span("d", "B", 1, 3), Span("d", "B", 5, 8)]
    (p,) = cooccurrence(spans)
    assert (p.n_a, p.n_b, p.count) == (1, 2, 2)
    assert (p.overlapping_a, p.overlapping_b) == (1, 2)
    assert p.c == pytest.approx(1.0)
    # a pair count equal to n_a + n_b still gives a number
    spans = [
        Span("d", "A", 0, 10),
        Span("d", "A", 2, 9),
        Span("d", "B", 1, 3),
        Span("d", "B", 5, 8),
    ]
    (p,) = cooccurrence(spans)
    assert p.count == 4 == p.n_a + p.n_b and p.c == pytest.approx(1.0)


def test_overlap_c_in_unit_interval_on_1000_random_projects() -> None:
    import random

    rng = random.Random(20)
    for _ in range(1000):
        spans = []
        for _ in range(rng.randint(1, 30)):
            start = rng.randint(0, 80)
            spans.append(
                Span(rng.choice("xyz"), rng.choice("ABCD"), start, start + rng.randint(1, 25))
            )
        for p in cooccurrence(spans):
            assert p.c is not None and 0.0 <= p.c <= 1.0, (p, spans)
            x, y = brute_overlapping(spans, p.code_a, p.code_b)
            assert (p.overlapping_a, p.overlapping_b) == (x, y)
            n12 = (x + y) / 2
            assert p.c == pytest.approx(n12 / (p.n_a + p.n_b - n12), abs=1e-15)


@settings(max_examples=100)
@given(SPANS)
def test_overlapping_codings_match_brute_force_dense_and_sparse(spans: list[Span]) -> None:
    from qcode.analysis.cooccurrence import overlap_table

    codes = sorted({s.code for s in spans})
    columns = [
        [ord(s.document) for s in spans],
        [codes.index(s.code) for s in spans],
        [s.start for s in spans],
        [s.end for s in spans],
    ]
    dense = overlap_table(*columns, len(codes))
    sparse = overlap_table(*columns, len(codes), dense_limit=0)
    assert [x.tolist() for x in dense] == [x.tolist() for x in sparse]
    for i, j, _, x, y in zip(*[v.tolist() for v in dense], strict=True):
        assert (x, y) == brute_overlapping(spans, codes[i], codes[j])


def test_framework_view_overlap_c_stays_in_the_unit_interval() -> None:
    """Elements pool several codes, so one coding of an element often overlaps several of the
    other's: c is read on codings there too."""
    import random

    from qcode.analysis.framework_view import Element, framework_view

    linked = {
        Element("type", "t1"): ["A"],
        Element("type", "t2"): ["B", "C"],
        Element("dilemma", "d1"): ["B", "D"],
    }
    rng = random.Random(3)
    for _ in range(300):
        spans = []
        for _ in range(rng.randint(1, 25)):
            start = rng.randint(0, 60)
            spans.append(Span("x", rng.choice("ABCD"), start, start + rng.randint(1, 25)))
        for p in framework_view(spans, linked, [("type", "dilemma")]):
            assert p.c is not None and 0.0 <= p.c <= 1.0, (p, spans)
    # one coding of t1 (code A) overlapping two of d1: two pairs, every coding co-occurs
    spans = [Span("x", "A", 0, 10), Span("x", "D", 1, 3), Span("x", "D", 5, 8)]
    (p,) = framework_view(spans, linked, [("type", "dilemma")])
    assert (p.count, p.c) == (2, 1.0)


def test_an_empty_table_says_why_and_which_unit_has_pairs(project: Project, tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(project.root)]
    empty = cli(*p, "cooccur")
    assert empty.code == 0 and "no codings yet" in empty.err
    project.documents.import_files([write(tmp_path / "d.txt", "Alpha beta. Gamma delta.\n")])
    project.codings.apply("d", 0, 5, "a", create=True)
    got = cli(*p, "cooccur")
    assert "only one code has codings" in got.err
    project.codings.apply("d", 6, 10, "b", create=True)  # the same sentence, no overlap
    got = cli(*p, "cooccur")
    assert (
        got.code == 0
        and "no two codes co-occur with --unit overlap: --unit sentence finds 1 pair" in got.err
    )
    assert "no categories" in cli(*p, "cooccur", "--level", "axial").err
    assert cli(*p, "cooccur", "--format", "json").out.strip() == "[]"  # nothing but data there
    assert "no two codes share any unit" in cli(*p, "cooccur", "--min", "2").err
    # the network without co-occurrence edges says the same, and the unit with pairs is silent
    net = cli(*p, "network")
    assert net.code == 0 and "0 edges" in net.out
    assert "no two codes co-occur with --unit overlap: --unit sentence finds 1 pair" in net.err
    assert cli(*p, "network", "--unit", "sentence").err == ""


def test_the_cooccur_table_shows_what_c_is_reckoned_from(
    coded: Project,
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """By overlap, the codings of each code that overlap the other (c's n12 is their mean); by
    units, no Jaccard column beside c, which is the same number there."""
    monkeypatch.setenv("COLUMNS", "300")  # every row on one line
    p = ["-p", str(coded.root)]
    rows = {(r["code_a"], r["code_b"]): r for r in cli(*p, "cooccur", "--format", "json").json()}
    lines = cli(*p, "cooccur").out.splitlines()
    header = [h.strip() for h in lines[1].split("┃")]
    assert header == [
        "code A",
        "code B",
        "n A",
        "n B",
        "count",
        "A overlapping",
        "B overlapping",
        "c",
        "note",
    ]
    for line in lines[3:]:
        cells = [c.strip() for c in line.split("│")]
        r = rows[(cells[0], cells[1])]
        n12 = (r["overlapping_a"] + r["overlapping_b"]) / 2
        assert cells[5:8] == [str(r["overlapping_a"]), str(r["overlapping_b"]), f"{r['c']:.3f}"]
        assert abs(r["c"] - n12 / (r["n_a"] + r["n_b"] - n12)) < 1e-12
    assert len(lines) == 3 + len(rows)
    units = cli(*p, "cooccur", "--unit", "turn").out.splitlines()
    assert [h.strip() for h in units[1].split("┃")] == [
        "code A",
        "code B",
        "n A",
        "n B",
        "count",
        "c",
        "note",
    ]
