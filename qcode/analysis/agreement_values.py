"""Agreement on values: the codes of a set as the values of one variable, and attributes.

1. Categories (:func:`category_agreement`): the codes of a set are taken as mutually exclusive
   values of one nominal variable per unit (sentence, paragraph, speaker turn). A coder's value
   for a unit is the category whose codings share a character with it; a unit given none is
   its own value ``NONE`` (or missing with ``none_missing``); a unit given two or more of the
   categories by one coder is reported as a :class:`CategoryConflict` and that value is
   missing, never counted as one of them. On this variable:
   - Krippendorff's alpha (nominal), over every unit with two or more values (missing values
     allowed), from the coincidence matrix as in :mod:`qcode.analysis.agreement`;
   - Fleiss' kappa (Fleiss 1971), over the units every coder gave a value;
   - Cohen's kappa (Cohen 1960) for each pair of coders, over the units both gave a value:
     (Po - Pe) / (1 - Pe), Po the share of units on which they agree, Pe = sum_c p_ac * p_bc from
     each coder's own shares of the values; ``None`` when Pe = 1.
2. Weighted alpha (:func:`weighted_alpha`, Krippendorff 2011, "Computing Krippendorff's
   Alpha-Reliability"): alpha = 1 - (n - 1) * sum_ck o_ck * d_ck / sum_ck n_c * n_k * d_ck,
   with the squared differences d_ck of the level of measurement, for values c < k in order:
   - nominal: 0 if c = k, else 1;
   - ordinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2, ranks from the values' frequencies;
   - interval: (c - k) ** 2;
   - ratio: ((c - k) / (c + k)) ** 2 (0 when c = k = 0).
   Used on coders' values of an attribute (:func:`attribute_agreement`).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from qcode.analysis.agreement import coincidence_matrix, fleiss_kappa, krippendorff_alpha
from qcode.analysis.agreement_columns import Array, Coding, Range, _columns, _present
from qcode.errors import InvalidInputError
from qcode.i18n import _

LEVELS = ("nominal", "ordinal", "interval", "ratio")
NONE = "(none)"  # the value of a unit a coder gave none of the categories


def distances(values: Sequence[Any], n_c: Any, level: str) -> Array:
    """The squared differences d_ck between sorted ``values`` at ``level``; ``n_c`` are the
    values' frequencies among the pairable values (for ranks)."""
    if level not in LEVELS:
        raise InvalidInputError(
            _("unknown level {level!r} ({v1})").format(level=level, v1=", ".join(LEVELS))
        )
    k = len(values)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        n_c = np.asarray(n_c, dtype=np.float64)
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        lo, hi = (
            np.minimum.outer(np.arange(k), np.arange(k)),
            np.maximum.outer(np.arange(k), np.arange(k)),
        )
        between = cum[hi + 1] - cum[lo]
        return (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError(
            _("{level} alpha needs numbers as values").format(level=level)
        ) from None
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if np.any(v < 0):
        raise InvalidInputError(_("ratio alpha needs values of zero or more"))
    total = v[:, None] + v[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(total > 0, ((v[:, None] - v[None, :]) / total) ** 2, 0.0)
    return np.asarray(d)


def weighted_alpha(
    counts: Any, values: Sequence[Any], level: str = "nominal", weights: Any = None
) -> float | None:
    """Krippendorff's alpha at ``level`` from a units x values table of counts, the columns
    being ``values`` in ascending order; ``None`` when nothing can be paired or there is no
    variation."""
    o = coincidence_matrix(counts, weights)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    if n <= 1:
        return None
    d = distances(values, n_c, level)
    expected = float((np.outer(n_c, n_c) * d).sum())
    if expected <= 0:
        return None
    return 1.0 - (n - 1) * float((o * d).sum()) / expected


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa of two coders' nominal values, over the units both gave a value."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return None
    n = len(pairs)
    po = sum(1 for x, y in pairs if x == y) / n
    values = {v for p in pairs for v in p}
    pe = sum(
        (sum(1 for x, _ in pairs if x == v) / n) * (sum(1 for _, y in pairs if y == v) / n)
        for v in values
    )
    if pe >= 1.0:
        return None
    return (po - pe) / (1.0 - pe)


# -- categories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryConflict:
    """A unit to which one coder gave two or more of the categories."""

    document: Hashable
    unit: int  # the unit's index in its document, from 0
    start: int
    end: int
    coder: str
    codes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "codes": list(self.codes)}


@dataclass(frozen=True)
class PairKappa:
    coder_a: str
    coder_b: str
    units: int  # units both gave a value
    kappa: float | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement on the categories as one nominal variable (see the module's notes).

    ``units``: all units of the documents in scope; ``pairable``: those with two or more
    values; ``complete``: those every coder gave a value (Fleiss' kappa's subjects)."""

    categories: tuple[str, ...]
    coders: tuple[str, ...]
    unit: str
    none_missing: bool
    units: int
    pairable: int
    complete: int
    alpha: float | None
    fleiss_kappa: float | None
    cohen_kappa: list[PairKappa]
    conflicts: list[CategoryConflict] = field(default_factory=list)
    values: dict[str, dict[str, int]] = field(default_factory=dict)  # coder -> value -> units

    def as_json(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("cohen_kappa", "conflicts")},
            "categories": list(self.categories),
            "coders": list(self.coders),
            "cohen_kappa": [p.as_json() for p in self.cohen_kappa],
            "conflicts": [c.as_json() for c in self.conflicts],
        }


def category_values(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    categories: Sequence[str],
    units: Mapping[Hashable, Sequence[Range]],
    examined: Mapping[Hashable, Collection[str]] | None = None,
    none_missing: bool = False,
) -> tuple[Array, list[tuple[Hashable, int, int, int]], list[CategoryConflict]]:
    """The coders x units matrix of values: a category's index, ``len(categories)`` for none
    (or -1 with ``none_missing``), -1 for missing (not examined, or a conflict); the units as
    (document, index, start, end); and the conflicts."""
    from qcode.analysis.agreement_columns import _to_unit_space

    cats = list(dict.fromkeys(categories))
    coders = list(dict.fromkeys(coders))
    cols = _columns(codings, lengths, coders, cats)
    present = _present(cols, examined)
    ucols, count = _to_unit_space(cols, units)
    offset = np.concatenate([[0], np.cumsum(count)])
    n_units, m, k = int(offset[-1]), len(coders), len(cats)
    # every (unit, coder, category) present, each once
    reps = ucols.end - ucols.start
    first = np.repeat(offset[ucols.doc] + ucols.start, reps)
    step = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    unit_of = first + step
    key = np.unique((unit_of * m + np.repeat(ucols.coder, reps)) * k + np.repeat(ucols.code, reps))
    cell, cat = key // k, key % k
    cells, first_i, n_cats = np.unique(cell, return_index=True, return_counts=True)
    value = np.full(n_units * m, -1 if none_missing else k, dtype=np.int64)
    value[cells] = np.where(n_cats == 1, cat[first_i], -1)
    table: Array = value.reshape(n_units, m)
    doc_of_unit = np.repeat(np.arange(len(cols.docs)), count)
    table[~present[doc_of_unit]] = -1
    unit_list = []
    for doc in cols.docs:
        for i, (s, e) in enumerate(units.get(doc, ())):
            unit_list.append((doc, i, int(s), int(e)))
    conflicts = []
    for c, f, n in zip(cells.tolist(), first_i.tolist(), n_cats.tolist(), strict=True):
        if n > 1:
            u, who = divmod(c, m)
            doc, i, s, e = unit_list[u]
            codes = tuple(cats[x] for x in cat[f : f + n].tolist())
            conflicts.append(CategoryConflict(doc, i, s, e, coders[who], codes))
    return table.T, unit_list, conflicts


def category_agreement(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    categories: Sequence[str],
    units: Mapping[Hashable, Sequence[Range]],
    unit: str = "units",
    examined: Mapping[Hashable, Collection[str]] | None = None,
    none_missing: bool = False,
) -> CategoryAgreement:
    """Alpha (nominal), Fleiss' kappa and Cohen's kappa per pair of coders on the categories as
    one variable per unit (see the module's notes)."""
    coders = list(dict.fromkeys(coders))
    cats = list(dict.fromkeys(categories))
    if len(coders) < 2:
        raise InvalidInputError(_("agreement needs two or more coders"))
    if len(cats) < 2:
        raise InvalidInputError(_("agreement on categories needs two or more categories"))
    data, unit_list, conflicts = category_values(
        codings, lengths, coders, cats, units, examined, none_missing
    )
    k = len(cats) + 1
    counts = np.zeros((data.shape[1], k), dtype=np.int64)
    for row in data:
        valued = row >= 0
        np.add.at(counts, (np.flatnonzero(valued), row[valued]), 1)
    m_u = counts.sum(axis=1)
    alpha = krippendorff_alpha(counts) if np.any(m_u >= 2) else None
    full = m_u == len(coders)
    fleiss = fleiss_kappa(counts[full]) if full.any() else None
    rows = [[int(v) if v >= 0 else None for v in row] for row in data.tolist()]
    pairs = [
        PairKappa(
            coders[i],
            coders[j],
            sum(
                1 for x, y in zip(rows[i], rows[j], strict=True) if x is not None and y is not None
            ),
            cohen_kappa(rows[i], rows[j]),
        )
        for i, j in combinations(range(len(coders)), 2)
    ]
    names = [*cats, NONE]
    values = {
        coder: {names[v]: int((data[i] == v).sum()) for v in range(k) if (data[i] == v).any()}
        for i, coder in enumerate(coders)
    }
    return CategoryAgreement(
        tuple(cats),
        tuple(coders),
        unit,
        none_missing,
        len(unit_list),
        int((m_u >= 2).sum()),
        int(full.sum()),
        alpha,
        fleiss,
        pairs,
        conflicts,
        values,
    )


# -- attributes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeAgreement:
    """Krippendorff's alpha of coders' values of one attribute, at each level that applies."""

    attribute: str
    coders: tuple[str, ...]
    units: int  # cases (or documents) with at least one coder's value
    pairable: int  # of which with two or more values
    alpha: dict[str, float | None]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "coders": list(self.coders)}


def attribute_agreement(
    attribute: str,
    values: Mapping[str, Mapping[Hashable, Any]],
    levels: Sequence[str] = LEVELS,
) -> AttributeAgreement:
    """``values`` maps each coder to their value for each unit (a case or a document); a unit
    a coder gave no value is missing. Alpha at each of ``levels`` (the metric levels need
    numbers)."""
    coders = list(values)
    if len(coders) < 2:
        raise InvalidInputError(_("agreement needs two or more coders"))
    unit_keys = list(dict.fromkeys(u for c in coders for u in values[c]))
    distinct = sorted({v for c in coders for v in values[c].values()})
    index = {v: i for i, v in enumerate(distinct)}
    counts = np.zeros((len(unit_keys), len(distinct)), dtype=np.int64)
    for u, key in enumerate(unit_keys):
        for c in coders:
            if key in values[c]:
                counts[u, index[values[c][key]]] += 1
    alpha = {level: weighted_alpha(counts, distinct, level) for level in levels}
    return AttributeAgreement(
        attribute,
        tuple(coders),
        len(unit_keys),
        int((counts.sum(axis=1) >= 2).sum()),
        alpha,
    )
