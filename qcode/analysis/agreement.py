"""Inter-coder agreement, every statistic with its published definition spelled out.

Plain data in, plain data out: no database, usable from a notebook. Offsets are code points of
the stored text, ranges half-open ``[start, end)``. The work is done on NumPy columns with
sorted sweeps over range endpoints, never character by character.

Input
- A :class:`Coding` is one coder's coding of one code: ``(document, code, coder, start, end)``.
- ``lengths`` maps each document in scope to its length in code points. Codings of documents,
  coders or codes outside the scope are ignored; a coding that leaves its document is an error.
- ``examined`` (optional) maps a document to the coders who coded it at all. A coder who did not
  examine a document gives *missing* values there (Krippendorff's alpha allows them); a coder
  with codings in a document always counts as having examined it. Without ``examined``, every
  coder examined every document.
- Within one coder and one code, overlapping codings count each character once.

1. Character level, per code and document, as NVivo's coding comparison query defines it
   (NVivo help, "Coding comparison query": "How is the percentage agreement calculated?", "How
   is the Kappa coefficient calculated?"). Two coders (or two groups of coders, whose codings are
   pooled) A and B; every character of the document is classified as coded by both, by A only,
   by B only, or by neither (:class:`CharTable`).
   - percent agreement = 100 * (both + neither) / length;
   - Cohen's kappa = (Po - Pe) / (1 - Pe) with Po = (both + neither) / N and
     Pe = (a * b + (N - a) * (N - b)) / N**2, a and b the characters each coded; NVivo writes
     the same as (TA - sum EF) / (TU - sum EF) with EF1 = a * b / N, EF2 = (N - a)(N - b) / N.
   - Degenerate cases: when both coders coded none of the document, or both coded all of it,
     Pe = Po = 1 and the formula is 0/0; kappa is then 1 (complete agreement, as NVivo reports
     it). When one coded nothing and the other something, kappa is exactly 0. An empty document
     has neither statistic (``None``).
   - Totals over documents, three ways, labelled: ``mean`` (plain mean of the documents'
     values), ``weighted`` (mean weighted by document length) and ``pooled`` (one 2x2 table of
     characters summed over the documents, and its percentage and kappa).
2. Unit level (:func:`unit_agreement`): the units are the characters, or given ranges
   (sentences, paragraphs, speaker turns). A code is *present* for a coder in a unit when one
   of the coder's codings of it shares at least one character with the unit (touching is not
   sharing). For each code:
   - Krippendorff's alpha, nominal, on the binary presence values, computed from the coincidence
     matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
     o_ck = sum over units u of n_uc * (n_uk - [c = k]) / (m_u - 1), over units with m_u >= 2
     values; n_c = sum_k o_ck; n = sum_c n_c; alpha = 1 - (n - 1) * sum_{c != k} o_ck /
     sum_{c != k} n_c * n_k. Missing values (coders who did not examine the document) are
     simply absent from m_u. Undefined (``None``) when no unit has two values or every value
     is the same (no variation: expected disagreement 0).
   - Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters") with
     three or more coders, over the units every coder examined: P_i = (sum_j n_ij**2 - n) /
     (n * (n - 1)), P = mean P_i, p_j = sum_i n_ij / (N * n), Pe = sum_j p_j**2,
     kappa = (P - Pe) / (1 - Pe); ``None`` when Pe = 1. (With two coders it would be Scott's pi,
     so it is not reported; Cohen's kappa is.)
   - Cohen's kappa with exactly two coders, over the units both examined, defined as above.
   - percent agreement: units where every coder present agrees, over units with two or more
     coders present.
3. Unitizing: Krippendorff's alphas for a textual continuum, in
   :mod:`qcode.analysis.agreement_unitizing` (and importable from here).
4. :func:`disagreements`: for each code and document, the maximal ranges coded by some but not
   all of the coders who examined the document, with who coded them.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from qcode.analysis.agreement_columns import (
    Array,
    Coding,
    CodingColumns,
    Range,
    _bincount,
    _columns,
    _coverage,
    _group,
    _present,
    _runs,
    _to_unit_space,
)
from qcode.analysis.agreement_unitizing import (
    AlphaU2004,
    UnitizingAgreement,
    alpha_u_2004,
    unitizing_agreement,
)
from qcode.errors import InvalidInputError
from qcode.i18n import _

__all__ = [
    "alpha_from_coincidences",
    "alpha_u_2004",
    "AlphaU2004",
    "char_table",
    "character_agreement",
    "CharTable",
    "CodeAgreement",
    "Coding",
    "CodingColumns",
    "cohen_kappa_2x2",
    "coincidence_matrix",
    "Disagreement",
    "disagreements",
    "DocumentAgreement",
    "fleiss_kappa",
    "krippendorff_alpha",
    "Range",
    "Total",
    "unit_agreement",
    "UnitAgreement",
    "unitizing_agreement",
    "UnitizingAgreement",
    "UNITS",
    "value_counts",
]

UNITS = ("char", "sentence", "paragraph", "turn")  # the units of :func:`unit_agreement`


# -- small exact statistics ------------------------------------------------------------------


def cohen_kappa_2x2(both: float, only_a: float, only_b: float, neither: float) -> float | None:
    """Cohen's kappa of a 2x2 table; 1.0 when both raters put everything in one class (Po = Pe =
    1, NVivo's "complete agreement"); ``None`` for an empty table."""
    n = both + only_a + only_b + neither
    if n <= 0:
        return None
    a, b = both + only_a, both + only_b
    po = (both + neither) / n
    pe = (a * b + (n - a) * (n - b)) / (n * n)
    if pe >= 1.0:
        return 1.0
    return (po - pe) / (1.0 - pe)


def coincidence_matrix(counts: Any, weights: Any = None) -> Array:
    """Krippendorff's coincidence matrix from ``counts[u, c]``, the number of coders who gave
    value c to unit u (missing values not counted), each unit counted ``weights[u]`` times.
    Units with fewer than two values are not pairable and are left out."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2:
        raise InvalidInputError(_("counts must be a units x values table"))
    w = np.ones(len(counts)) if weights is None else np.asarray(weights, dtype=np.float64)
    m_u = counts.sum(axis=1)
    keep = m_u >= 2
    counts, w, m_u = counts[keep], w[keep], m_u[keep]
    scaled = counts * (w / (m_u - 1))[:, None]
    o = scaled.T @ counts
    o[np.diag_indices_from(o)] -= scaled.sum(axis=0)
    return o


def alpha_from_coincidences(o: Any) -> float | None:
    """Nominal alpha from a coincidence matrix: 1 - (n - 1) * sum_{c != k} o_ck /
    sum_{c != k} n_c n_k; ``None`` when there is nothing to pair or no variation."""
    o = np.asarray(o, dtype=np.float64)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    observed = n - float(np.trace(o))
    expected = (n * n - float((n_c * n_c).sum())) / (n - 1) if n > 1 else 0.0
    if expected <= 0:
        return None
    return 1.0 - observed / expected


def krippendorff_alpha(counts: Any, weights: Any = None) -> float | None:
    """Krippendorff's alpha (nominal) from a units x values table of counts (see
    :func:`coincidence_matrix`)."""
    return alpha_from_coincidences(coincidence_matrix(counts, weights))


def value_counts(data: Sequence[Sequence[Hashable | None]]) -> tuple[Array, list[Hashable]]:
    """A coders x units reliability data matrix (``None`` for a missing value) turned into the
    units x values counts table the functions here take, with the values in sorted order."""
    values = sorted({v for row in data for v in row if v is not None}, key=repr)
    index = {v: i for i, v in enumerate(values)}
    n_units = max((len(row) for row in data), default=0)
    counts = np.zeros((n_units, len(values)), dtype=np.int64)
    for row in data:
        for u, v in enumerate(row):
            if v is not None:
                counts[u, index[v]] += 1
    return counts, values


def fleiss_kappa(counts: Any, weights: Any = None) -> float | None:
    """Fleiss' kappa from ``counts[i, j]``, the number of raters who put subject i in category
    j; every subject must have the same number of raters n >= 2. ``weights[i]`` counts subject
    i that many times. ``None`` when there are no subjects or Pe = 1."""
    counts = np.asarray(counts, dtype=np.float64)
    w = np.ones(len(counts)) if weights is None else np.asarray(weights, dtype=np.float64)
    keep = w > 0
    counts, w = counts[keep], w[keep]
    if not len(counts):
        return None
    raters = counts.sum(axis=1)
    n = float(raters[0])
    if n < 2 or np.any(raters != n):
        raise InvalidInputError(_("Fleiss' kappa needs the same number (two or more) of raters"))
    total = float(w.sum())
    p_i = ((counts * counts).sum(axis=1) - n) / (n * (n - 1))
    p_bar = float((w * p_i).sum()) / total
    p_j = (counts * w[:, None]).sum(axis=0) / (total * n)
    p_e = float((p_j * p_j).sum())
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


# -- character level (NVivo) -----------------------------------------------------------------


@dataclass(frozen=True)
class CharTable:
    """The characters of one or more documents by who coded them with one code."""

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def percent_agreement(self) -> float | None:
        """Characters coded by both or by neither, as a percentage (0-100) of all."""
        return 100.0 * (self.both + self.neither) / self.total if self.total else None

    @property
    def kappa(self) -> float | None:
        return cohen_kappa_2x2(self.both, self.only_a, self.only_b, self.neither)

    def __add__(self, other: CharTable) -> CharTable:
        return CharTable(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "total": self.total,
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
        }


@dataclass(frozen=True)
class DocumentAgreement:
    """One code in one document, character by character."""

    document: Hashable
    length: int
    table: CharTable

    @property
    def percent_agreement(self) -> float | None:
        return self.table.percent_agreement

    @property
    def kappa(self) -> float | None:
        return self.table.kappa

    def as_json(self) -> dict[str, Any]:
        return {"document": self.document, "length": self.length, **self.table.as_json()}


@dataclass(frozen=True)
class Total:
    """A total over documents; ``method`` is ``mean``, ``weighted`` or ``pooled``."""

    method: str
    percent_agreement: float | None
    kappa: float | None
    documents: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CodeAgreement:
    """NVivo-style comparison of one code between coders (or groups) A and B."""

    code: str
    a: tuple[str, ...]
    b: tuple[str, ...]
    documents: list[DocumentAgreement]
    mean: Total
    weighted: Total
    pooled: Total
    table: CharTable  # the pooled table

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "a": list(self.a),
            "b": list(self.b),
            "documents": [d.as_json() for d in self.documents],
            "mean": self.mean.as_json(),
            "weighted": self.weighted.as_json(),
            "pooled": self.pooled.as_json(),
        }


def _totals(docs: list[DocumentAgreement]) -> tuple[Total, Total, Total, CharTable]:
    defined = [d for d in docs if d.length > 0]
    pooled = sum((d.table for d in docs), CharTable(0, 0, 0, 0))
    if defined:
        pa = np.array([d.percent_agreement for d in defined], dtype=np.float64)
        kp = np.array([d.kappa for d in defined], dtype=np.float64)
        ln = np.array([d.length for d in defined], dtype=np.float64)
        mean = Total("mean", float(pa.mean()), float(kp.mean()), len(defined))
        weighted = Total(
            "weighted",
            float((pa * ln).sum() / ln.sum()),
            float((kp * ln).sum() / ln.sum()),
            len(defined),
        )
    else:
        mean = Total("mean", None, None, 0)
        weighted = Total("weighted", None, None, 0)
    pooled_total = Total("pooled", pooled.percent_agreement, pooled.kappa, len(defined))
    return mean, weighted, pooled_total, pooled


def char_table(length: int, a: Iterable[Range], b: Iterable[Range]) -> CharTable:
    """The 2x2 table of one document's characters for coder A's and coder B's ranges."""
    (agreement,) = character_agreement(
        [Coding(0, "", "a", s, e) for s, e in a] + [Coding(0, "", "b", s, e) for s, e in b],
        {0: length},
        "a",
        "b",
        codes=[""],
    )
    return agreement.table


def character_agreement(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    a: str | Collection[str],
    b: str | Collection[str],
    codes: Sequence[str] | None = None,
    skip_uncoded: bool = False,
) -> list[CodeAgreement]:
    """NVivo's coding comparison of A and B (a coder, or a group whose codings are pooled) for
    each code (``codes``, or every code in scope, sorted) in every document of ``lengths``.
    NVivo lists every file in scope, including those where neither coded the code (100%,
    kappa 1), and so does this unless ``skip_uncoded``; the totals use the listed documents."""
    side_a, side_b = _group(a), _group(b)
    if set(side_a) & set(side_b):
        raise InvalidInputError(_("a coder cannot be in both groups compared"))
    cols = _columns(codings, lengths, [*side_a, *side_b], codes)
    n_docs, n_codes = len(cols.docs), len(cols.codes)
    n_pairs = n_docs * n_codes
    pair = cols.code * n_docs + cols.doc
    side = (cols.coder >= len(side_a)).astype(np.int64)
    g, s, e = _runs(pair * 2 + side, cols.start, cols.end)
    coded = _bincount(g, e - s, 2 * n_pairs).reshape(n_pairs, 2)
    g, s, e = _runs(pair, cols.start, cols.end)
    union = _bincount(g, e - s, n_pairs)
    both = coded[:, 0] + coded[:, 1] - union
    length = np.tile(cols.lengths, n_codes)
    rows = np.stack([both, coded[:, 0] - both, coded[:, 1] - both, length - union], axis=1)
    out = []
    for c, code in enumerate(cols.codes):
        docs = []
        for d, doc in enumerate(cols.docs):
            row = rows[c * n_docs + d].tolist()
            if skip_uncoded and row[0] + row[1] + row[2] == 0:
                continue
            docs.append(DocumentAgreement(doc, int(cols.lengths[d]), CharTable(*row)))
        mean, weighted, pooled, table = _totals(docs)
        out.append(CodeAgreement(code, side_a, side_b, docs, mean, weighted, pooled, table))
    return out


# -- unit level: alpha, Fleiss, Cohen ----------------------------------------------------------


@dataclass(frozen=True)
class UnitAgreement:
    """Agreement on one code's presence in units (characters, sentences, paragraphs, turns).

    ``units``: units with two or more coders present (the pairable ones); ``coded``: per coder,
    the units they coded, among the units of documents they examined."""

    code: str
    unit: str
    coders: tuple[str, ...]
    units: int
    percent_agreement: float | None
    alpha: float | None
    fleiss_kappa: float | None
    cohen_kappa: float | None
    coded: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "coders": list(self.coders)}


def unit_agreement(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    units: Mapping[Hashable, Sequence[Range]] | None = None,
    examined: Mapping[Hashable, Collection[str]] | None = None,
    unit: str | None = None,
) -> list[UnitAgreement]:
    """Per code: alpha, Fleiss' kappa (three or more coders), Cohen's kappa (two) and percent
    agreement on the code's presence in units. ``units`` maps each document to its units as
    sorted, non-overlapping ranges (a document absent from it has none); without ``units`` every
    character is a unit. ``unit`` only labels the result (``char`` or ``units`` by default)."""
    coders = list(dict.fromkeys(coders))
    if len(coders) < 2:
        raise InvalidInputError(_("agreement needs two or more coders"))
    label = unit or ("char" if units is None else "units")
    cols = _columns(codings, lengths, coders, codes)
    present = _present(cols, examined)
    if units is not None:
        cols, n_units = _to_unit_space(cols, units)
    else:
        n_units = cols.lengths
    m = len(coders)
    hist, per_coder = _coverage(cols, len(coders))
    m_d = present.sum(axis=1)  # coders present per document
    out = []
    for c, code in enumerate(cols.codes):
        h = hist[c].copy()  # documents x (m + 1): units covered by exactly k coders
        h[:, 0] = n_units - h[:, 1:].sum(axis=1)
        k = np.broadcast_to(np.arange(m + 1), h.shape)
        md = np.broadcast_to(m_d[:, None], h.shape)
        use = (md >= 2) & (h > 0)
        counts = np.stack([(md - k)[use], k[use]], axis=1)
        weight = h[use]
        n = float(weight.sum())
        alpha = krippendorff_alpha(counts, weight) if n else None
        agree = weight[(counts[:, 1] == 0) | (counts[:, 0] == 0)].sum()
        percent = 100.0 * float(agree) / n if n else None
        fleiss = None
        if m >= 3:
            full = counts.sum(axis=1) == m
            if full.any():
                fleiss = fleiss_kappa(counts[full], weight[full])
        cohen = None
        if m == 2:
            both_docs = m_d == 2
            total = float(n_units[both_docs].sum())
            ca, cb = per_coder[c, both_docs, 0].sum(), per_coder[c, both_docs, 1].sum()
            both = float(hist[c, both_docs, 2].sum())
            if total:
                cohen = cohen_kappa_2x2(both, ca - both, cb - both, total - ca - cb + both)
        coded = {coder: int(per_coder[c, present[:, i], i].sum()) for i, coder in enumerate(coders)}
        out.append(
            UnitAgreement(code, label, tuple(coders), int(n), percent, alpha, fleiss, cohen, coded)
        )
    return out


# -- disagreements -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """A maximal range of a document coded with ``code`` by ``coded_by`` and not by
    ``not_coded_by`` (both non-empty; coders who did not examine the document are in neither)."""

    document: Hashable
    code: str
    start: int
    end: int
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        # spelled out: ``asdict`` copies deeply and costs seconds for 100,000 ranges
        return {
            "document": self.document,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "coded_by": list(self.coded_by),
            "not_coded_by": list(self.not_coded_by),
        }


def disagreements(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    examined: Mapping[Hashable, Collection[str]] | None = None,
) -> list[Disagreement]:
    """Every range where the coders who examined a document differ on a code, sorted by code,
    document (in ``lengths`` order) and start. Neighbouring ranges with different sets of
    coders are listed apart."""
    coders = list(dict.fromkeys(coders))
    if len(coders) > 62:
        raise InvalidInputError(_("at most 62 coders can be compared at once"))
    cols = _columns(codings, lengths, coders, codes)
    present = _present(cols, examined)
    n_docs = len(cols.docs)
    pair = cols.code * n_docs + cols.doc
    g, s, e = _runs(pair * len(coders) + cols.coder, cols.start, cols.end)
    if not len(g):
        return []
    grp, who = g // len(coders), g % len(coders)
    bit = np.left_shift(np.int64(1), who)
    pos = np.concatenate([s, e])
    delta = np.concatenate([bit, -bit])
    grp2 = np.concatenate([grp, grp])
    order = np.lexsort((pos, grp2))
    pos, delta, grp2 = pos[order], delta[order], grp2[order]
    mask = np.cumsum(delta)
    same = grp2[1:] == grp2[:-1]
    left, right, mask, grp_i = pos[:-1][same], pos[1:][same], mask[:-1][same], grp2[:-1][same]
    full = (present.astype(np.int64) << np.arange(len(coders))).sum(axis=1)
    full_of = full[grp_i % n_docs]
    differ = (right > left) & (mask != 0) & (mask != full_of)
    left, right, mask, grp_i = left[differ], right[differ], mask[differ], grp_i[differ]
    if not len(left):
        return []
    # merge neighbours with the same coders
    start_new = np.ones(len(left), dtype=bool)
    start_new[1:] = (grp_i[1:] != grp_i[:-1]) | (left[1:] != right[:-1]) | (mask[1:] != mask[:-1])
    idx = np.flatnonzero(start_new)
    ends = np.append(idx[1:], len(left)) - 1
    out = []
    names: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    lefts, rights = left[idx].tolist(), right[ends].tolist()
    for gi, bits, lo, hi in zip(
        grp_i[idx].tolist(), mask[idx].tolist(), lefts, rights, strict=True
    ):
        d = gi % n_docs
        key = (bits, int(full[d]))
        if key not in names:  # the same coders differ in many places: name them once
            yes = tuple(c for k, c in enumerate(coders) if bits >> k & 1)
            no = tuple(c for k, c in enumerate(coders) if present[d, k] and not bits >> k & 1)
            names[key] = (yes, no)
        yes, no = names[key]
        out.append(Disagreement(cols.docs[d], cols.codes[gi // n_docs], lo, hi, yes, no))
    return out
