"""Agreement on values: weighted alpha at four levels against Krippendorff 2011's example C and
the krippendorff package; the codes of a set as one nominal variable per unit against
Fleiss 1971, statsmodels and scikit-learn."""

from __future__ import annotations

import random

import numpy as np
import pytest
from test_agreement import FLEISS_1971, KRIPPENDORFF_2011_C

from qcode.analysis.agreement import Coding, value_counts
from qcode.analysis.agreement_values import (
    NONE,
    attribute_agreement,
    category_agreement,
    weighted_alpha,
)
from qcode.errors import InvalidInputError

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C
EXAMPLE_C = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def test_krippendorff_2011_example_c_at_every_level() -> None:
    counts, values = value_counts(KRIPPENDORFF_2011_C)
    for level, published in EXAMPLE_C.items():
        assert round(weighted_alpha(counts, values, level) or 0, 3) == published


@pytest.mark.parametrize("seed", range(25))
def test_weighted_alpha_matches_the_krippendorff_package(seed: int) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    rng = random.Random(seed)
    m, n, k = rng.randint(2, 5), rng.randint(3, 30), rng.randint(2, 6)
    data = [[None if rng.random() < 0.2 else rng.randint(0, k) for _ in range(n)] for _ in range(m)]
    counts, values = value_counts(data)
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], float)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ours = weighted_alpha(counts, values, level)
        try:
            theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
        except ValueError:  # nothing pairable or one value only
            assert ours is None
            continue
        if ours is None:
            assert not np.isfinite(theirs) or len(values) < 2
        else:
            assert ours == pytest.approx(theirs, abs=1e-12)


def test_attribute_agreement_on_example_c() -> None:
    values = {
        f"coder{i}": {u: v for u, v in enumerate(row) if v is not None}
        for i, row in enumerate(KRIPPENDORFF_2011_C)
    }
    res = attribute_agreement("severity", values)
    assert {k: round(v or 0, 3) for k, v in res.alpha.items()} == EXAMPLE_C
    assert (res.units, res.pairable) == (12, 11)
    with pytest.raises(InvalidInputError, match="numbers"):
        attribute_agreement("x", {"a": {1: "low"}, "b": {1: "high"}}, ["interval"])


def sentences(n: int) -> dict[str, list[tuple[int, int]]]:
    return {"d": [(10 * i, 10 * i + 9) for i in range(n)]}


def codings_from(data: list[list[int | None]], cats: list[str]) -> list[Coding]:
    """Coder i gives unit u the category data[i][u] (1-based), or nothing."""
    return [
        Coding("d", cats[v - 1], f"c{i}", 10 * u + 1, 10 * u + 4)
        for i, row in enumerate(data)
        for u, v in enumerate(row)
        if v is not None
    ]


def test_fleiss_1971_through_codings_of_five_categories() -> None:
    cats = ["a", "b", "c", "d", "e"]
    data = [[row[r] for row in FLEISS_1971] for r in range(6)]  # rater r of each subject
    res = category_agreement(
        codings_from(data, cats), {"d": 300}, [f"c{i}" for i in range(6)], cats, sentences(30)
    )
    assert round(res.fleiss_kappa or 0, 3) == 0.430
    sm = pytest.importorskip("statsmodels.stats.inter_rater")
    table, _ = sm.aggregate_raters(np.array(data).T)
    assert res.fleiss_kappa == pytest.approx(sm.fleiss_kappa(table), abs=1e-14)
    assert (res.units, res.complete, res.conflicts) == (30, 30, [])


def test_krippendorff_2011_nominal_through_codings_with_none_missing() -> None:
    cats = ["1", "2", "3", "4", "5"]
    codings = codings_from(KRIPPENDORFF_2011_C, cats)
    coders = [f"c{i}" for i in range(4)]
    res = category_agreement(codings, {"d": 120}, coders, cats, sentences(12), none_missing=True)
    assert round(res.alpha or 0, 3) == 0.743
    # without --none-missing an uncoded unit is its own value
    res = category_agreement(codings, {"d": 120}, coders, cats, sentences(12))
    with_none = [[NONE if v is None else str(v) for v in row] for row in KRIPPENDORFF_2011_C]
    counts, values = value_counts(with_none)
    assert res.alpha == pytest.approx(weighted_alpha(counts, values, "nominal"), abs=1e-14)


@pytest.mark.parametrize("seed", range(20))
def test_categories_match_statsmodels_sklearn_and_krippendorff(seed: int) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    sm = pytest.importorskip("statsmodels.stats.inter_rater")
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(seed)
    m, n = rng.randint(2, 4), rng.randint(5, 40)
    cats = ["x", "y", "z"]
    data: list[list[int | None]] = [
        [rng.choice([None, 1, 2, 3]) for _ in range(n)] for _ in range(m)
    ]
    coders = [f"c{i}" for i in range(m)]
    res = category_agreement(codings_from(data, cats), {"d": 10 * n}, coders, cats, sentences(n))
    full = [[0 if v is None else v for v in row] for row in data]  # none is its own value 0
    matrix = np.array(full, dtype=float)
    if len({v for row in full for v in row}) > 1:
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert res.alpha == pytest.approx(expected, abs=1e-12)
    table, _ = sm.aggregate_raters(np.array(full).T)
    fk = sm.fleiss_kappa(table)
    if np.isfinite(fk) and res.fleiss_kappa is not None:
        assert res.fleiss_kappa == pytest.approx(fk, abs=1e-12)
    for pair in res.cohen_kappa:
        a, b = full[int(pair.coder_a[1:])], full[int(pair.coder_b[1:])]
        if len(set(a) | set(b)) > 1 and pair.kappa is not None:
            assert pair.kappa == pytest.approx(metrics.cohen_kappa_score(a, b), abs=1e-12)


def test_two_categories_from_one_coder_in_a_unit_are_reported_not_counted() -> None:
    codings = [
        Coding("d", "x", "A", 1, 4),
        Coding("d", "y", "A", 5, 8),  # A gives unit 0 both x and y
        Coding("d", "x", "B", 1, 4),
        Coding("d", "y", "A", 11, 14),
        Coding("d", "y", "B", 11, 14),
    ]
    res = category_agreement(codings, {"d": 30}, ["A", "B"], ["x", "y"], sentences(3))
    [conflict] = res.conflicts
    assert (conflict.document, conflict.unit, conflict.coder, conflict.codes) == (
        "d",
        0,
        "A",
        ("x", "y"),
    )
    assert (conflict.start, conflict.end) == (0, 9)
    # unit 0 has one value (B's x) and is not pairable; units 1 and 2 agree
    assert res.pairable == 2 and res.values["A"] == {"y": 1, NONE: 1}
    with pytest.raises(InvalidInputError, match="two or more categories"):
        category_agreement(codings, {"d": 30}, ["A", "B"], ["x"], sentences(3))
