"""Inter-coder agreement against published worked examples, independent libraries
(``krippendorff``, ``statsmodels``) and literal per-character or per-section computations."""

from __future__ import annotations

from fractions import Fraction
from itertools import permutations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qcode.analysis.agreement import (
    CharTable,
    Coding,
    char_table,
    character_agreement,
    coincidence_matrix,
    disagreements,
    fleiss_kappa,
    krippendorff_alpha,
    unit_agreement,
    unitizing_agreement,
    value_counts,
)
from qcode.errors import InvalidInputError

# -- character level: NVivo's coding comparison --------------------------------------------------


def test_nvivo_help_example_percentage_agreement() -> None:
    """NVivo help, "Coding comparison query", "How is the percentage agreement calculated?": a
    document of 1000 characters, 50 coded by both users, 150 by only one of them, 800 by
    neither: (800 + 50) / 1000 = 85%. The split of the 150 does not matter."""
    for a, b in [([(0, 150)], [(100, 200)]), ([(0, 200)], [(150, 200)]), ([(0, 50)], [(0, 200)])]:
        t = char_table(1000, a, b)
        assert (t.both, t.only_a + t.only_b, t.neither) == (50, 150, 800)
        assert t.percent_agreement == 85.0


def test_nvivo_help_kappa_steps() -> None:
    """The help page's kappa: EF1 = units coded by A x units coded by B / all units; EF2 = units
    not coded by A x units not coded by B / all units; K = (TA - sum EF) / (TU - sum EF). The
    page gives no kappa for its example (it depends on who coded the 150), so take A = 100 of
    them and B = 50, worked by those steps."""
    t = char_table(1000, [(0, 150)], [(100, 200)])
    assert (t.both, t.only_a, t.only_b, t.neither) == (50, 100, 50, 800)
    ef1 = Fraction(150 * 100, 1000)  # A coded 150 characters, B 100
    ef2 = Fraction(850 * 900, 1000)
    ta, tu = 850, 1000
    k = (ta - (ef1 + ef2)) / (tu - (ef1 + ef2))
    assert k == Fraction(7, 22)
    assert t.kappa == pytest.approx(float(k), abs=1e-15)


def test_degenerate_kappas_as_nvivo_reports_them() -> None:
    # neither coded: complete agreement, Po = Pe = 1 -> kappa 1 (NVivo: "complete agreement")
    nothing = char_table(100, [], [])
    assert (nothing.percent_agreement, nothing.kappa) == (100.0, 1.0)
    everything = char_table(100, [(0, 100)], [(0, 60), (60, 100)])
    assert (everything.percent_agreement, everything.kappa) == (100.0, 1.0)
    # one coded nothing, the other something: kappa exactly 0
    one = char_table(100, [(10, 30)], [])
    assert one.percent_agreement == 80.0 and one.kappa == 0.0
    # an empty document has neither statistic
    empty = char_table(0, [], [])
    assert (empty.percent_agreement, empty.kappa) == (None, None)


def test_a_coders_overlapping_ranges_count_each_character_once() -> None:
    t = char_table(50, [(0, 10), (5, 15), (14, 20)], [(18, 25), (19, 21)])
    assert (t.both, t.only_a, t.only_b, t.neither) == (2, 18, 5, 25)


def test_totals_three_ways() -> None:
    codings = [
        Coding("d1", "x", "ann", 0, 50),  # d1: 100 chars, ann 0-50, bo 25-75
        Coding("d1", "x", "bo", 25, 75),
        Coding("d2", "x", "ann", 0, 300),  # d2: 300 chars, both everything
        Coding("d2", "x", "bo", 0, 300),
        Coding("d2", "x", "cy", 0, 10),  # a third coder, not compared
        Coding("d3", "x", "ann", 0, 10),  # d3 is not in scope
    ]
    (x,) = character_agreement(codings, {"d1": 100, "d2": 300}, "ann", "bo")
    d1, d2 = x.documents
    assert d1.table == CharTable(25, 25, 25, 25) and d1.percent_agreement == 50.0
    assert d1.kappa == 0.0  # Po = 0.5, Pe = 0.5
    assert d2.table == CharTable(300, 0, 0, 0) and d2.kappa == 1.0
    assert (x.mean.percent_agreement, x.mean.kappa) == (75.0, 0.5)
    assert x.weighted.percent_agreement == pytest.approx((50 * 100 + 100 * 300) / 400)
    assert x.weighted.kappa == pytest.approx((0 * 100 + 1 * 300) / 400)
    assert x.table == CharTable(325, 25, 25, 25)
    po, pe = 350 / 400, (350 * 350 + 50 * 50) / 400**2
    assert x.pooled.percent_agreement == 87.5
    assert x.pooled.kappa == pytest.approx((po - pe) / (1 - pe))
    assert [t.method for t in (x.mean, x.weighted, x.pooled)] == ["mean", "weighted", "pooled"]
    assert x.as_json()["pooled"]["kappa"] == x.pooled.kappa


def test_groups_pool_their_coding_and_uncoded_documents_can_be_skipped() -> None:
    codings = [
        Coding("d1", "x", "ann", 0, 10),
        Coding("d1", "x", "cy", 5, 20),
        Coding("d1", "x", "bo", 0, 20),
    ]
    lengths = {"d1": 40, "d2": 40}
    (x,) = character_agreement(codings, lengths, ["ann", "cy"], "bo")
    assert x.documents[0].table == CharTable(20, 0, 0, 20)
    assert x.documents[1].table == CharTable(0, 0, 0, 40)  # listed as NVivo lists it
    (y,) = character_agreement(codings, lengths, ["ann", "cy"], "bo", skip_uncoded=True)
    assert [d.document for d in y.documents] == ["d1"]
    z = character_agreement(codings, lengths, "ann", "bo", codes=["x", "never"])[1]
    assert z.code == "never" and z.pooled.kappa == 1.0
    with pytest.raises(InvalidInputError):
        character_agreement(codings, lengths, ["ann", "bo"], "bo")


def naive_table(length: int, a: list[tuple[int, int]], b: list[tuple[int, int]]) -> CharTable:
    ma, mb = np.zeros(length, bool), np.zeros(length, bool)
    for s, e in a:
        ma[s:e] = True
    for s, e in b:
        mb[s:e] = True
    return CharTable(
        int((ma & mb).sum()), int((ma & ~mb).sum()), int((~ma & mb).sum()), int((~ma & ~mb).sum())
    )


RANGES = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 25)).map(lambda t: (t[0], min(t[0] + t[1], 80))),
    max_size=6,
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels' z statistic when se = 0
@settings(max_examples=200, deadline=None)
@given(RANGES, RANGES)
def test_char_table_matches_a_literal_count_and_statsmodels_kappa(a, b) -> None:  # type: ignore[no-untyped-def]
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    t = char_table(80, a, b)
    assert t == naive_table(80, a, b)
    coded_a, coded_b = t.both + t.only_a, t.both + t.only_b
    if coded_a in (0, 80) and coded_b == coded_a:
        assert t.kappa == 1.0  # Pe = 1: statsmodels gives nan here
    else:
        table = np.array([[t.both, t.only_a], [t.only_b, t.neither]])
        assert t.kappa == pytest.approx(inter_rater.cohens_kappa(table).kappa, abs=1e-12)


CODINGS = st.lists(
    st.tuples(
        st.sampled_from(["d1", "d2", "d3"]),
        st.sampled_from("xyz"),
        st.sampled_from(["ann", "bo", "cy"]),
        st.integers(0, 50),
        st.integers(0, 12),
    ).map(lambda t: Coding(t[0], t[1], t[2], t[3], min(t[3] + t[4], 50))),
    max_size=30,
)
LENGTHS = {"d1": 50, "d2": 55, "d3": 60}


@settings(max_examples=150)
@given(CODINGS)
def test_columnar_comparison_matches_document_by_document(codings: list[Coding]) -> None:
    result = character_agreement(codings, LENGTHS, "ann", "bo", codes=["x", "y", "z"])
    for code in result:
        for doc in code.documents:
            ann, bo = (
                [
                    (c.start, c.end)
                    for c in codings
                    if (c.document, c.code, c.coder) == (doc.document, code.code, who)
                ]
                for who in ("ann", "bo")
            )
            assert doc.table == naive_table(doc.length, ann, bo)


# -- Krippendorff's alpha --------------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal data, four
# observers, twelve units, missing values ("." = None); alpha = 0.743. (The same table is the
# worked example of the R package icr's `codings` and of the PyPI package krippendorff.)
KRIPPENDORFF_2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Krippendorff (2004), Content Analysis 2nd ed., section 11.3.1, pp. 224-226: two observers,
# ten units, binary; also the example of ATLAS.ti's manual, "Methods for testing ICA" (percent
# agreement 60%, expected agreement 56% = (9.6 + 1.6) / 20). The data as in the R package
# jucor/krippendorff (data-raw/news_presence_krippendorff2004_11_3_1.csv, test: 0.0952).
KRIPPENDORFF_2004_BINARY = [
    [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
]


def test_krippendorff_2011_nominal_example_with_missing_values() -> None:
    counts, values = value_counts(KRIPPENDORFF_2011_C)
    assert values == [1, 2, 3, 4, 5]
    o = coincidence_matrix(counts)
    assert o.sum() == pytest.approx(40)  # n, the pairable values (unit 12 has one value)
    assert np.diag(o) == pytest.approx([7, 10, 8, 4, 3])
    assert o.sum(axis=1) == pytest.approx([9, 13, 10, 5, 3])  # n_c
    assert o[0, 1] == pytest.approx(4 / 3) and o[1, 2] == pytest.approx(4 / 3)
    assert round(krippendorff_alpha(counts) or 0, 3) == 0.743


def test_krippendorff_2004_binary_example() -> None:
    counts, _ = value_counts(KRIPPENDORFF_2004_BINARY)
    o = coincidence_matrix(counts)
    assert o == pytest.approx(np.array([[10, 4], [4, 2]]))
    n_c = o.sum(axis=1)
    expected = (n_c * (n_c - 1)) / (o.sum() - 1)  # 9.58 and 1.58: ATLAS.ti's 9.6 and 1.6
    assert np.round(expected, 1) == pytest.approx([9.6, 1.6])
    alpha = krippendorff_alpha(counts)
    assert alpha == pytest.approx(1 - 19 * 4 / (14 * 6)) and round(alpha or 0, 3) == 0.095


def test_the_binary_example_through_codings_and_units() -> None:
    """The same two coders as codings of one code in ten one-sentence units."""
    units = {"d": [(10 * i, 10 * i + 9) for i in range(10)]}
    codings = [
        Coding("d", "x", coder, 10 * u + 2, 10 * u + 5)
        for coder, row in zip(["jon", "han"], KRIPPENDORFF_2004_BINARY, strict=True)
        for u, v in enumerate(row)
        if v
    ]
    (x,) = unit_agreement(codings, {"d": 100}, ["jon", "han"], units=units, unit="sentence")
    assert (x.unit, x.units, x.percent_agreement) == ("sentence", 10, 60.0)
    assert round(x.alpha or 0, 3) == 0.095 and x.fleiss_kappa is None
    assert x.coded == {"jon": 2, "han": 4}
    # Cohen's kappa of the same table: Po = 0.6, Pe = 0.2 * 0.4 + 0.8 * 0.6 = 0.56
    assert x.cohen_kappa == pytest.approx((0.6 - 0.56) / (1 - 0.56))


def presence(
    codings: list[Coding],
    lengths: dict[str, int],
    coders: list[str],
    code: str,
    units: dict[str, list[tuple[int, int]]] | None,
    examined: dict[str, set[str]] | None = None,
) -> list[list[float]]:
    """Literal coders x units reliability data: 1 if a coding shares a character with the unit,
    0 if not, nan if the coder did not examine the document."""
    rows: list[list[float]] = [[] for _ in coders]
    for doc, length in lengths.items():
        us = units[doc] if units is not None else [(i, i + 1) for i in range(length)]
        for i, coder in enumerate(coders):
            seen = examined is None or coder in examined.get(doc, set())
            mine = [c for c in codings if c.document == doc and c.coder == coder]
            seen = seen or bool(mine)
            for a, b in us:
                hit = any(c.code == code and c.start < min(b, c.end) and a < c.end for c in mine)
                rows[i].append(float(hit) if seen else np.nan)
    return rows


UNIT_CASES = st.tuples(
    CODINGS,
    st.sampled_from([None, "sentences"]),
    st.sets(st.tuples(st.sampled_from(["d1", "d2", "d3"]), st.sampled_from(["ann", "bo", "cy"]))),
)
SENTENCES = {
    "d1": [(0, 10), (10, 25), (30, 50)],
    "d2": [(0, 5), (5, 6), (6, 40), (41, 55)],
    "d3": [(i, i + 7) for i in range(0, 56, 7)],
}


@settings(max_examples=120, deadline=None)
@given(UNIT_CASES)
def test_unit_alpha_matches_the_krippendorff_package(case) -> None:  # type: ignore[no-untyped-def]
    kd = pytest.importorskip("krippendorff")
    codings, kind, absent = case
    units = SENTENCES if kind else None
    coders = ["ann", "bo", "cy"]
    examined = {d: {c for c in coders if (d, c) not in absent} for d in LENGTHS}
    result = unit_agreement(codings, LENGTHS, coders, ["x", "y"], units, examined)
    for r in result:
        data = np.array(presence(codings, LENGTHS, coders, r.code, units, examined))
        pairable = (~np.isnan(data)).sum(axis=0) >= 2
        assert r.units == int(pairable.sum())
        values = data[:, pairable]
        if r.alpha is None:
            assert len(np.unique(values[~np.isnan(values)])) < 2
            continue
        expected = kd.alpha(reliability_data=data, level_of_measurement="nominal")
        assert r.alpha == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_nominal_alpha_matches_the_krippendorff_package_on_random_data(seed: int) -> None:
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 4, size=(rng.integers(2, 6), rng.integers(2, 30))).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    rows = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    counts, _ = value_counts(rows)
    ours = krippendorff_alpha(counts)
    paired = counts[counts.sum(axis=1) >= 2]
    assume(ours is not None and (paired.sum(axis=0) > 0).sum() >= 2)
    assert ours == pytest.approx(
        kd.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9
    )


# -- Fleiss' kappa -------------------------------------------------------------------------------

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
# 76(5):378-382, table 1 (p. 379): 30 subjects, 6 raters each, 5 diagnostic categories; the
# raters' category per subject, as in dkpro-statistics' Fleiss1971Test.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]  # fmt: skip


def test_fleiss_1971_example() -> None:
    counts = np.array([[row.count(c) for c in range(1, 6)] for row in FLEISS_1971])
    assert counts.shape == (30, 5) and set(counts.sum(axis=1)) == {6}
    p_i = ((counts * counts).sum(axis=1) - 6) / (6 * 5)
    assert round(float(p_i.mean()), 4) == 0.5556  # P
    p_j = counts.sum(axis=0) / 180
    assert np.round(p_j, 3) == pytest.approx([0.144, 0.144, 0.167, 0.306, 0.239])
    assert round(float((np.round(p_j, 3) ** 2).sum()), 4) == 0.2201  # Pe from the printed p_j
    kappa = fleiss_kappa(counts)
    assert round(kappa or 0, 3) == 0.430
    # the same subjects, each listed once with a weight, or twice
    assert fleiss_kappa(np.vstack([counts, counts])) == pytest.approx(kappa)
    assert fleiss_kappa(counts, np.full(30, 3)) == pytest.approx(kappa)
    with pytest.raises(InvalidInputError):
        fleiss_kappa([[1, 2], [2, 2]])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_fleiss_matches_statsmodels_on_random_data(seed: int) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = np.random.default_rng(seed)
    raters, categories = int(rng.integers(3, 8)), int(rng.integers(2, 5))
    subjects = int(rng.integers(2, 40))
    counts = np.array(
        [rng.multinomial(raters, rng.dirichlet(np.ones(categories))) for _ in range(subjects)]
    )
    p_j = counts.sum(axis=0) / counts.sum()
    assume((p_j**2).sum() < 1)
    ours = fleiss_kappa(counts)
    assert ours == pytest.approx(inter_rater.fleiss_kappa(counts, method="fleiss"), abs=1e-9)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels' nan for Pe = 1
@settings(max_examples=80, deadline=None)
@given(CODINGS, st.sampled_from([None, "sentences"]))
def test_unit_fleiss_and_cohen_match_statsmodels(codings: list[Coding], kind: str | None) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    units = SENTENCES if kind else None
    three = ["ann", "bo", "cy"]
    for r in unit_agreement(codings, LENGTHS, three, ["x", "y"], units):
        data = np.array(presence(codings, LENGTHS, three, r.code, units)).T.astype(int)
        table, _ = inter_rater.aggregate_raters(data, n_cat=2)
        expected = inter_rater.fleiss_kappa(table, method="fleiss")
        if np.isnan(expected):
            assert r.fleiss_kappa is None
        else:
            assert r.fleiss_kappa == pytest.approx(expected, abs=1e-9)
        assert r.cohen_kappa is None
    two = ["ann", "bo"]
    for r in unit_agreement(codings, LENGTHS, two, ["x", "y"], units):
        data = np.array(presence(codings, LENGTHS, two, r.code, units)).astype(int)
        table = np.array(
            [[((data[0] == i) & (data[1] == j)).sum() for j in (1, 0)] for i in (1, 0)]
        )
        assert r.fleiss_kappa is None
        if table[0, 0] + table[1, 1] == table.sum() and (table[0, 0] == 0 or table[1, 1] == 0):
            assert r.cohen_kappa == 1.0
        else:
            assert r.cohen_kappa == pytest.approx(inter_rater.cohens_kappa(table).kappa, abs=1e-9)


def test_units_and_missing_coders() -> None:
    codings = [
        Coding("d1", "x", "ann", 0, 10),
        Coding("d1", "x", "bo", 9, 12),  # shares one character with unit 0, touches unit 1
        Coding("d2", "x", "ann", 0, 5),
    ]
    units = {"d1": [(0, 10), (12, 20)], "d2": [(0, 10)]}
    lengths = {"d1": 20, "d2": 10}
    (x,) = unit_agreement(codings, lengths, ["ann", "bo"], units=units, examined={"d1": {"bo"}})
    # d2 was not examined by bo: its unit has one value and is not pairable
    assert x.units == 2 and x.percent_agreement == 100.0 and x.coded == {"ann": 2, "bo": 1}
    assert x.alpha == 1.0 and x.cohen_kappa == 1.0
    with pytest.raises(InvalidInputError, match="units of 'd1'"):
        unit_agreement(codings, lengths, ["ann", "bo"], units={"d1": [(5, 10), (0, 5)]})
    with pytest.raises(InvalidInputError, match="two or more coders"):
        unit_agreement(codings, lengths, ["ann"])
    with pytest.raises(InvalidInputError, match="does not fit"):
        unit_agreement([Coding("d2", "x", "ann", 5, 11)], lengths, ["ann", "bo"])


# -- disagreements -------------------------------------------------------------------------------


def test_disagreement_ranges() -> None:
    codings = [
        Coding("d", "x", "ann", 0, 10),
        Coding("d", "x", "bo", 5, 15),
        Coding("d", "x", "cy", 5, 8),
        Coding("d", "x", "cy", 8, 10),  # touching codings of one coder are one stretch
        Coding("e", "x", "ann", 0, 4),
    ]
    got = [
        (d.document, d.start, d.end, d.coded_by, d.not_coded_by)
        for d in disagreements(
            codings, {"d": 20, "e": 10}, ["ann", "bo", "cy"], examined={"e": {"ann", "bo"}}
        )
    ]
    assert got == [
        ("d", 0, 5, ("ann",), ("bo", "cy")),
        ("d", 10, 15, ("bo",), ("ann", "cy")),
        ("e", 0, 4, ("ann",), ("bo",)),  # cy did not examine e
    ]
    first = disagreements(codings, {"d": 20}, ["ann", "bo", "cy"])[0].as_json()
    assert (first["coded_by"], first["not_coded_by"]) == (["ann"], ["bo", "cy"])


@settings(max_examples=150)
@given(CODINGS)
def test_disagreements_match_a_literal_sweep(codings: list[Coding]) -> None:
    coders = ["ann", "bo", "cy"]
    got = disagreements(codings, LENGTHS, coders, ["x", "y", "z"])
    expected = []
    for code in "xyz":
        for doc, length in LENGTHS.items():
            who = [
                tuple(
                    c
                    for c in coders
                    if any(
                        k.coder == c
                        and k.code == code
                        and k.document == doc
                        and k.start <= i < k.end
                        for k in codings
                    )
                )
                for i in range(length)
            ]
            i = 0
            while i < length:
                j = i
                while j < length and who[j] == who[i]:
                    j += 1
                if 0 < len(who[i]) < 3:
                    rest = tuple(c for c in coders if c not in who[i])
                    expected.append((code, doc, i, j, who[i], rest))
                i = j
    assert [(d.code, d.document, d.start, d.end, d.coded_by, d.not_coded_by) for d in got] == (
        expected
    )


# -- unitizing: Krippendorff's u-alpha family ------------------------------------------------------

# Krippendorff (2019), Content Analysis 4th ed., section 12.6, Figure 12.11 (p. 340): three
# observers unitize a continuum of 60 with values 1-7; u-alpha = 0.510, |u-alpha = 0.413,
# cu-alpha = 0.724. Sections (1-based, inclusive) as transcribed in the R package quallmer's
# tests (tests/testthat/test-alpha_u.R).
BOOK_2019 = {
    "alex": [(1, 7, "1"), (8, 13, "2"), (31, 32, "5"), (33, 37, "6"), (38, 44, "6"), (45, 60, "7")],
    "paul": [(1, 7, "1"), (8, 13, "3"), (14, 21, "5"), (33, 44, "6")],
    "suzan": [
        (1, 7, "1"),
        (8, 13, "4"),
        (14, 21, "5"),
        (33, 37, "6"),
        (38, 41, "6"),
        (42, 44, "6"),
    ],
}


def book_codings() -> list[Coding]:
    return [Coding("t", v, who, s - 1, e) for who, segs in BOOK_2019.items() for s, e, v in segs]


def test_krippendorff_2019_unitizing_example() -> None:
    r = unitizing_agreement(book_codings(), {"t": 60}, list(BOOK_2019))
    assert r.length == 60 and r.overlap is None
    assert round(r.u_alpha or 0, 3) == 0.510
    # exact arithmetic gives 0.41360; the book's 0.413 is what expected coincidences rounded to
    # one decimal give (1 - 26 / 44.3 = 0.4131, the exact value being 44.338)
    assert r.binary == pytest.approx(0.4136, abs=5e-5)
    assert round(r.cu_alpha or 0, 3) == 0.724
    # values every observer gave to exactly the same stretches
    assert r.per_code["1"] == 1.0 and r.per_code["6"] == 1.0


def test_unitizing_hand_worked_binary_example() -> None:
    """L = 10, two coders, one code: A codes [2, 6), B codes [3, 8). Worked from the formulas."""
    # observed coincidences, both orders of the pair, 1/(m - 1) = 1:
    # A's gaps [0,2) [6,10) x B's gaps [0,3) [8,10): 2 + 2;  A gap x B code: [6,8) = 2;
    # A code x B gap: [2,3) = 1;  A code x B code: [3,6) = 3;  plus the transpose.
    ell = np.array([[4 + 4, 2 + 1], [1 + 2, 3 + 3]])
    assert ell.sum() == 2 * 10
    w_gap, w_code = 2 * 10 - (4 + 5), 4**2 + 5**2  # gaps: per character; segments: squared
    margin = ell.sum(axis=1)
    denominator = 20**2 - (w_gap + w_code)
    eps = [
        [Fraction(20 * (margin[0] ** 2 - w_gap), denominator), Fraction(20 * 11 * 9, denominator)],
        [Fraction(20 * 9 * 11, denominator), Fraction(20 * (margin[1] ** 2 - w_code), denominator)],
    ]
    assert sum(map(sum, eps)) == 20
    alpha = 1 - Fraction(20 - 14) / (20 - eps[0][0] - eps[1][1])
    assert alpha == Fraction(26, 55)
    codings = [Coding("d", "x", "a", 2, 6), Coding("d", "x", "b", 3, 8)]
    r = unitizing_agreement(codings, {"d": 10}, ["a", "b"])
    assert r.per_code["x"] == pytest.approx(float(alpha))
    assert r.u_alpha == pytest.approx(float(alpha)) and r.binary == pytest.approx(float(alpha))
    assert r.cu_alpha is None  # one code: nothing to disagree on among coded stretches


def test_unitizing_hand_worked_cu_example() -> None:
    """L = 8 with no gaps; A codes x [0,4) y [4,8), B codes x [0,6) y [6,8)."""
    # l* (both orders): x-x 4 + 4, x-y 2 (B's x [4,6) on A's y) twice, y-y 2 + 2
    ell = [[8, 2], [2, 4]]
    w = {"x": 4**2 + 6**2, "y": 4**2 + 2**2}  # every segment lies wholly on the other's codes
    total, mx, my = 16, 10, 6
    den = total**2 - (w["x"] + w["y"])
    exx, eyy = Fraction(total * (mx * mx - w["x"]), den), Fraction(total * (my * my - w["y"]), den)
    alpha = 1 - Fraction(total - ell[0][0] - ell[1][1]) / (total - exx - eyy)
    assert alpha == Fraction(37, 60)
    codings = [
        Coding("d", "x", "a", 0, 4),
        Coding("d", "y", "a", 4, 8),
        Coding("d", "x", "b", 0, 6),
        Coding("d", "y", "b", 6, 8),
    ]
    r = unitizing_agreement(codings, {"d": 8}, ["a", "b"])
    assert r.cu_alpha == pytest.approx(float(alpha))
    assert r.u_alpha == pytest.approx(float(alpha))  # no gaps: the same matrix
    assert r.binary is None  # everything coded by both: no variation


def test_unitizing_properties() -> None:
    codings = [
        Coding("d", "x", who, s, e)
        for who in ("a", "b", "c")
        for s, e in [(0, 5), (9, 12), (12, 20)]
    ] + [Coding("e", "y", who, 3, 7) for who in ("a", "b", "c")]
    perfect = unitizing_agreement(
        codings, {"d": 30, "e": 10, "f": 5}, ["a", "b", "c"], examined={"f": {"a"}}
    )
    assert (perfect.u_alpha, perfect.binary, perfect.cu_alpha) == (1.0, 1.0, 1.0)
    assert perfect.per_code == {"x": 1.0, "y": 1.0}
    assert perfect.length == 40 and perfect.skipped_documents == ("f",)
    nothing = unitizing_agreement([], {"d": 30}, ["a", "b"], codes=["x"])
    assert nothing.per_code == {"x": None} and nothing.u_alpha is None
    clash = codings + [Coding("d", "y", "b", 4, 6)]
    r = unitizing_agreement(clash, {"d": 30, "e": 10}, ["a", "b", "c"])
    assert r.u_alpha is r.binary is r.cu_alpha is None
    assert r.overlap == "b coded 'x' and 'y' on the same text in 'd' at 4"
    assert r.per_code["x"] == 1.0  # each code's own |u-alpha needs no exclusivity
    assert r.per_code["y"] is not None and r.per_code["y"] < 1
    with pytest.raises(InvalidInputError):
        unitizing_agreement(codings, {"d": 30, "e": 10}, ["a"])


def literal_unitizing(
    segments: dict[str, list[tuple[int, int, str]]], length: int, codes: list[str]
) -> tuple[float | None, float | None, float | None]:
    """u-alpha, |u-alpha and cu-alpha straight from the definitions, section by section."""
    sections = {}
    for who, segs in segments.items():
        out, cursor = [], 0
        for s, e, v in sorted(segs):
            if s > cursor:
                out.append((cursor, s, None))
            out.append((s, e, v))
            cursor = e
        if cursor < length:
            out.append((cursor, length, None))
        sections[who] = out
    values: list[str | None] = [None, *codes]
    m = len(sections)
    ell = {(c, k): Fraction(0) for c in values for k in values}
    share = {}
    for i, j in permutations(sections, 2):
        for a, b, c in sections[i]:
            for x, y, k in sections[j]:
                overlap = max(0, min(b, y) - max(a, x))
                ell[c, k] += Fraction(overlap, m - 1)
                if c is not None and k is not None:
                    share[i, a] = share.get((i, a), Fraction(0)) + Fraction(overlap, m - 1)
    w = {c: Fraction(0) for c in values}
    w_cu = {c: Fraction(0) for c in codes}
    for i, secs in sections.items():
        for a, b, c in secs:
            if c is None:
                w[None] += b - a
            else:
                w[c] += (b - a) ** 2
                w_cu[c] += share.get((i, a), Fraction(0)) ** 2

    def alpha(vals: list, ell: dict, w: dict, binary: bool = False) -> float | None:  # type: ignore[type-arg]
        total = sum(ell[c, k] for c in vals for k in vals)
        den = total**2 - sum(w[c] for c in vals)
        if total == 0 or den <= 0:
            return None
        margin = {c: sum(ell[c, k] for k in vals) for c in vals}
        eps = {
            (c, k): total * (margin[c] * margin[k] - (w[c] if c == k else 0)) / den
            for c in vals
            for k in vals
        }
        if binary:
            do = sum(ell[None, k] + ell[k, None] for k in codes)
            de = sum(eps[None, k] + eps[k, None] for k in codes)
        else:
            do = total - sum(ell[c, c] for c in vals)
            de = total - sum(eps[c, c] for c in vals)
        return None if de == 0 else float(1 - do / de)

    return alpha(values, ell, w), alpha(values, ell, w, True), alpha(codes, ell, w_cu)


@st.composite
def partitions(draw: st.DrawFn) -> dict[str, list[tuple[int, int, str]]]:
    out = {}
    for who in draw(st.sampled_from([["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d"]])):
        cuts = sorted(draw(st.sets(st.integers(1, 39), max_size=8)) | {0, 40})
        labels = draw(
            st.lists(
                st.sampled_from([None, "x", "y", "z"]),
                min_size=len(cuts) - 1,
                max_size=len(cuts) - 1,
            )
        )
        out[who] = [(s, e, v) for s, e, v in zip(cuts, cuts[1:], labels, strict=False) if v]
    return out


@settings(max_examples=120, deadline=None)
@given(partitions())
def test_unitizing_matches_the_literal_definitions(segments) -> None:  # type: ignore[no-untyped-def]
    codings = [Coding("d", v, who, s, e) for who, segs in segments.items() for s, e, v in segs]
    r = unitizing_agreement(codings, {"d": 40}, list(segments), codes=["x", "y", "z"])
    expected = literal_unitizing(segments, 40, ["x", "y", "z"])
    for got, want in zip((r.u_alpha, r.binary, r.cu_alpha), expected, strict=True):
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, abs=1e-9)
    for code in "xyz":
        only = {who: [s for s in segs if s[2] == code] for who, segs in segments.items()}
        (want, _, _) = literal_unitizing(only, 40, [code])
        got = r.per_code[code]
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, abs=1e-9)


def test_documents_are_laid_end_to_end() -> None:
    """Two documents give the same alphas as one continuum made of both."""
    book = book_codings()
    split = [
        c._replace(document="u", start=c.start - 30, end=c.end - 30) if c.start >= 30 else c
        for c in book
    ]
    one = unitizing_agreement(book, {"t": 60}, list(BOOK_2019))
    two = unitizing_agreement(split, {"t": 30, "u": 30}, list(BOOK_2019))
    assert two.documents == ("t", "u")
    assert (two.u_alpha, two.binary, two.cu_alpha) == pytest.approx(
        (one.u_alpha, one.binary, one.cu_alpha)
    )
    assert two.as_json()["documents"] == ["t", "u"]


@settings(max_examples=100, deadline=None)
@given(CODINGS, st.sampled_from([None, ["x", "z"]]))
def test_integer_columns_give_the_same_results_as_codings(
    codings: list[Coding], codes: list[str] | None
) -> None:
    """The database's path (codings read straight into integer columns, with a document and a
    coder outside the scope) computes what a list of codings does."""
    from qcode.analysis.agreement_columns import CodingColumns

    docs, code_names, coders = ["d0", "d1", "d2", "d3"], ["x", "y", "z"], ["ann", "bo", "cy", "dee"]
    extra = [Coding("d0", "x", "ann", 0, 5), Coding("d1", "y", "dee", 0, 5)]
    rows = codings + extra
    cc = CodingColumns(
        docs,
        code_names,
        coders,
        np.array([docs.index(c.document) for c in rows], dtype=np.int64),
        np.array([code_names.index(c.code) for c in rows], dtype=np.int64),
        np.array([coders.index(c.coder) for c in rows], dtype=np.int64),
        np.array([c.start for c in rows], dtype=np.int64),
        np.array([c.end for c in rows], dtype=np.int64),
    )
    who = ["ann", "bo", "cy"]
    for f in (
        lambda x: character_agreement(x, LENGTHS, "ann", "bo", codes),
        lambda x: unit_agreement(x, LENGTHS, who, codes),
        lambda x: unitizing_agreement(x, LENGTHS, who, codes),
        lambda x: disagreements(x, LENGTHS, who, codes),
    ):
        assert f(cc) == f(rows)
