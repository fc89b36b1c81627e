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
3. Unitizing (:func:`unitizing_agreement`): Krippendorff's alphas for a textual continuum as
   ATLAS.ti reports them (Krippendorff, Mathet, Bouvry and Widlöcher 2016, "On the reliability
   of unitizing textual continua: Further developments", Quality & Quantity 50:2347-2364;
   Krippendorff 2019, Content Analysis, 4th ed., section 12.6). The documents examined by every
   coder are laid end to end into one continuum of length L; each coder divides it into
   *segments* valued by a code (their codings, overlapping ones of the same code merged,
   touching ones kept apart) and *gaps* (value phi, everything else). With m coders:
   - observed coincidences l_ck = 1/(m - 1) * sum over ordered pairs of coders i != j and their
     sections g, h of |S_igc intersect S_jhk| (lengths of intersections), so l.. = m * L;
   - expected coincidences e_ck = l.. * (l_c. * l_.k - [c = k] * W_c) / (l..**2 - sum_c W_c),
     where W_c = sum of squared lengths of the segments valued c (a segment's characters come
     together) and W_phi = total length of the gaps (a gap's characters are independent);
   - u-alpha (nominal) = 1 - (l.. - sum_c l_cc) / (l.. - sum_c e_cc);
   - |u-alpha (binary) = the same on both matrices collapsed to phi versus "any code": whether
     coders agree on what is relevant at all, whatever the code;
   - cu-alpha = the same on the submatrix l*_ck of codes only (phi row and column dropped),
     with e*_ck = l*.. * (l*_c. * l*_.k - [c = k] * W*_c) / (l*..**2 - sum W*_c), where W*_c
     sums, over the segments valued c, the square of the segment's own share of l*
     (1/(m - 1) * sum over the other coders j of |S intersect coded_j|): whether coders who
     both coded a stretch gave it the same code.
   Per code, |u-alpha is also computed for that code alone (coded with it or not), which needs
   no exclusivity; u-alpha, |u-alpha over the codes and cu-alpha need the codes to be mutually
   exclusive within each coder's coding (as ATLAS.ti requires within a semantic domain) and
   are ``None`` otherwise (with the first overlap named). Each is ``None`` when its expected
   disagreement is 0.
4. :func:`disagreements`: for each code and document, the maximal ranges coded by some but not
   all of the coders who examined the document, with who coded them.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

import numpy as np

from qcode.errors import InvalidInputError

Range = tuple[int, int]
Array = np.ndarray[Any, Any]

UNITS = ("char", "sentence", "paragraph", "turn")  # the units of :func:`unit_agreement`


class Coding(NamedTuple):
    """One coder's coding of one code: which document, which code, who, where."""

    document: Hashable
    code: str
    coder: str
    start: int
    end: int


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
        raise InvalidInputError("counts must be a units x values table")
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
        raise InvalidInputError("Fleiss' kappa needs the same number (two or more) of raters")
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
        raise InvalidInputError("a coder cannot be in both groups compared")
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
        raise InvalidInputError("agreement needs two or more coders")
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
        return {
            **asdict(self),
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
        raise InvalidInputError("at most 62 coders can be compared at once")
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
    for i, j in zip(idx.tolist(), ends.tolist(), strict=True):
        gi, bits = int(grp_i[i]), int(mask[i])
        d = gi % n_docs
        yes = tuple(c for k, c in enumerate(coders) if bits >> k & 1)
        no = tuple(c for k, c in enumerate(coders) if present[d, k] and not bits >> k & 1)
        out.append(
            Disagreement(
                cols.docs[d], cols.codes[gi // n_docs], int(left[i]), int(right[j]), yes, no
            )
        )
    return out


# -- unitizing: Krippendorff's u-alpha family ---------------------------------------------------


@dataclass(frozen=True)
class UnitizingAgreement:
    """Krippendorff's unitizing alphas over one continuum (see the module's notes).

    ``per_code`` holds each code's own |u-alpha (coded with it or not). ``overlap`` names the
    first place where one coder applied two of the codes to the same text, which leaves
    ``u_alpha``, ``binary`` and ``cu_alpha`` undefined."""

    codes: tuple[str, ...]
    coders: tuple[str, ...]
    length: int
    u_alpha: float | None
    binary: float | None
    cu_alpha: float | None
    per_code: dict[str, float | None]
    documents: tuple[Hashable, ...]
    skipped_documents: tuple[Hashable, ...] = ()
    overlap: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "codes": list(self.codes),
            "coders": list(self.coders),
            "documents": list(self.documents),
            "skipped_documents": list(self.skipped_documents),
        }


def unitizing_agreement(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    examined: Mapping[Hashable, Collection[str]] | None = None,
) -> UnitizingAgreement:
    """u-alpha, |u-alpha and cu-alpha for ``codes`` (or every code in scope) over the documents
    every coder examined, laid end to end in ``lengths`` order; each code's own |u-alpha."""
    coders = list(dict.fromkeys(coders))
    m = len(coders)
    if m < 2:
        raise InvalidInputError("agreement needs two or more coders")
    cols = _columns(codings, lengths, coders, codes)
    present = _present(cols, examined)
    whole: Array = np.all(present, axis=1)
    offset = np.concatenate([[0], np.cumsum(np.where(whole, cols.lengths, 0))])
    total = int(offset[-1])
    keep = whole[cols.doc]
    start = (offset[:-1][cols.doc] + cols.start)[keep]
    end = (offset[:-1][cols.doc] + cols.end)[keep]
    code, coder = cols.code[keep], cols.coder[keep]
    n_codes = len(cols.codes)
    # each coder's segments of each code: overlapping codings merged, touching ones kept apart
    g, s, e = _runs(code * m + coder, start, end, join_touching=False)
    seg_code, seg_coder = g // m, g % m
    per_code: dict[str, float | None] = {}
    for c, name in enumerate(cols.codes):
        sel = seg_code == c
        ell, w, _ = _u_coincidences(
            seg_coder[sel], np.ones(int(sel.sum()), np.int64), s[sel], e[sel], m, 2, total
        )
        per_code[name] = _u_alpha(ell, w, binary=False)
    # the codes as one nominal variable need them mutually exclusive within each coder
    overlap = _first_overlap(seg_coder, seg_code, s, e, total)
    if overlap is not None:
        coder_i, code_i, code_j, where = overlap
        d = int(np.searchsorted(offset, where, side="right")) - 1
        overlap_text = (
            f"{coders[coder_i]} coded {cols.codes[code_i]!r} and {cols.codes[code_j]!r} on "
            f"the same text in {cols.docs[d]!r} at {where - int(offset[d])}"
        )
    else:
        overlap_text = None
    u_alpha = binary = cu_alpha = None
    if overlap is None and n_codes:
        ell, w, w_cu = _u_coincidences(seg_coder, seg_code + 1, s, e, m, n_codes + 1, total)
        u_alpha = _u_alpha(ell, w, binary=False)
        binary = _u_alpha(ell, w, binary=True)
        cu_alpha = _u_alpha(ell[1:, 1:], w_cu[1:], binary=False)
    return UnitizingAgreement(
        tuple(cols.codes),
        tuple(coders),
        total,
        u_alpha,
        binary,
        cu_alpha,
        per_code,
        tuple(d for d, w_ in zip(cols.docs, whole.tolist(), strict=True) if w_),
        tuple(d for d, w_ in zip(cols.docs, whole.tolist(), strict=True) if not w_),
        overlap_text,
    )


def _first_overlap(
    coder: Array, code: Array, start: Array, end: Array, length: int
) -> tuple[int, int, int, int] | None:
    """The first place (coder, earlier code, later code, position) where one coder's segments
    of two codes share text, or ``None``."""
    if len(coder) < 2:
        return None
    big = length + 1
    s, e = coder * big + start, coder * big + end
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    clash = np.flatnonzero(s[1:] < reach[:-1])
    if not len(clash):
        return None
    i = int(clash[0]) + 1
    j = int(np.flatnonzero(e[:i] > s[i])[-1])  # an earlier segment reaching past s[i]
    return int(coder[order[i]]), int(code[order[j]]), int(code[order[i]]), int(start[order[i]])


def _u_coincidences(
    coder: Array, value: Array, start: Array, end: Array, m: int, n_values: int, length: int
) -> tuple[Array, Array, Array]:
    """Observed coincidences l (value 0 is phi, the gaps), the self-pairing terms W of the
    expected coincidences, and W* for cu-alpha, from each coder's disjoint segments."""
    ell = np.zeros((n_values, n_values))
    share = np.zeros(len(start))  # each segment's intersections with other coders' segments
    order = np.lexsort((start, coder))
    coder, value, start, end = coder[order], value[order], start[order], end[order]
    bounds = np.searchsorted(coder, np.arange(m + 1))
    for i in range(m):
        for j in range(i + 1, m):
            si, sj = slice(bounds[i], bounds[i + 1]), slice(bounds[j], bounds[j + 1])
            cuts = np.unique(np.concatenate([[0, length], start[si], end[si], start[sj], end[sj]]))
            left, size = cuts[:-1], np.diff(cuts)
            vi, ki = _value_at(left, start[si], end[si], value[si])
            vj, kj = _value_at(left, start[sj], end[sj], value[sj])
            pair = np.bincount(vi * n_values + vj, weights=size, minlength=n_values**2)
            pair = pair.reshape(n_values, n_values)
            ell += pair + pair.T
            both = (ki >= 0) & (kj >= 0)
            np.add.at(share, bounds[i] + ki[both], size[both])
            np.add.at(share, bounds[j] + kj[both], size[both])
    ell /= m - 1
    share /= m - 1
    seg_len = (end - start).astype(np.float64)
    w = np.bincount(value, weights=seg_len * seg_len, minlength=n_values)
    w[0] = m * length - seg_len.sum()  # the gaps: one term per character
    w_cu = np.bincount(value, weights=share * share, minlength=n_values)
    w_cu[0] = 0.0
    return ell, w, w_cu


def _value_at(left: Array, start: Array, end: Array, value: Array) -> tuple[Array, Array]:
    """For each position, the value of the disjoint, sorted segment containing it (0 in a gap)
    and the segment's index (-1 in a gap)."""
    k = np.searchsorted(start, left, side="right") - 1
    inside = k >= 0
    inside[inside] = end[k[inside]] > left[inside]
    k = np.where(inside, k, -1)
    found = np.zeros(len(left), dtype=np.int64)
    found[inside] = value[k[inside]]
    return found, k


def _u_alpha(ell: Array, w: Array, binary: bool) -> float | None:
    total = float(ell.sum())
    if total <= 0:
        return None
    margin = ell.sum(axis=1)
    denominator = total * total - float(w.sum())
    if denominator <= 0:
        return None
    eps = total * (np.outer(margin, margin) - np.diag(w)) / denominator
    if binary:
        observed = float(ell[0, 1:].sum() + ell[1:, 0].sum())
        expected = float(eps[0, 1:].sum() + eps[1:, 0].sum())
    else:
        observed = total - float(np.trace(ell))
        expected = total - float(np.trace(eps))
    if expected <= 1e-12 * total:
        return None
    return 1.0 - observed / expected


# -- columns and sweeps -------------------------------------------------------------------------


@dataclass
class _Columns:
    docs: list[Hashable]
    codes: list[str]
    coders: list[str]
    lengths: Array  # per document
    touched: Array  # documents x coders: the coder has codings (of any code) in the document
    doc: Array
    code: Array
    coder: Array
    start: Array
    end: Array


def _group(x: str | Collection[str]) -> tuple[str, ...]:
    members = (x,) if isinstance(x, str) else tuple(dict.fromkeys(x))
    if not members:
        raise InvalidInputError("a group of coders cannot be empty")
    return members


def _columns(
    codings: Iterable[Coding],
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None,
) -> _Columns:
    docs = list(lengths)
    doc_index = {d: i for i, d in enumerate(docs)}
    coder_index = {c: i for i, c in enumerate(coders)}
    rows = [
        (doc_index[c.document], c.code, coder_index[c.coder], c.start, c.end)
        for c in codings
        if c.document in doc_index and c.coder in coder_index
    ]
    touched = np.zeros((len(docs), len(coders)), dtype=bool)
    if rows:
        touched[[r[0] for r in rows], [r[2] for r in rows]] = True
    code_list = sorted({r[1] for r in rows}) if codes is None else list(dict.fromkeys(codes))
    code_index = {c: i for i, c in enumerate(code_list)}
    rows = [r for r in rows if r[1] in code_index]
    size = np.array([lengths[d] for d in docs], dtype=np.int64)
    if np.any(size < 0):
        raise InvalidInputError("a document length cannot be negative")
    doc = np.array([r[0] for r in rows], dtype=np.int64)
    code = np.array([code_index[r[1]] for r in rows], dtype=np.int64)
    coder = np.array([r[2] for r in rows], dtype=np.int64)
    start = np.array([r[3] for r in rows], dtype=np.int64)
    end = np.array([r[4] for r in rows], dtype=np.int64)
    bad = (start < 0) | (end < start) | (end > size[doc] if len(doc) else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"coding [{start[i]}, {end[i]}) does not fit document {docs[doc[i]]!r} "
            f"of length {size[doc[i]]}"
        )
    return _Columns(docs, code_list, list(coders), size, touched, doc, code, coder, start, end)


def _present(cols: _Columns, examined: Mapping[Hashable, Collection[str]] | None) -> Array:
    """documents x coders: who examined each document (or has codings of any code in it)."""
    if examined is None:
        return np.ones((len(cols.docs), len(cols.coders)), dtype=bool)
    present = cols.touched.copy()
    index = {c: i for i, c in enumerate(cols.coders)}
    for d, doc in enumerate(cols.docs):
        for c in examined.get(doc, ()):
            if c in index:
                present[d, index[c]] = True
    return present


def _runs(
    group: Array, start: Array, end: Array, join_touching: bool = True
) -> tuple[Array, Array, Array]:
    """The union of the ranges in each group, as disjoint runs sorted by group and start.
    Empty ranges are dropped; runs that only touch are joined when ``join_touching``."""
    keep = end > start
    group, start, end = group[keep], start[keep], end[keep]
    if not len(group):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    big = int(end.max()) + 1
    s = group * big + start
    e = group * big + end
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > reach[:-1] if join_touching else s[1:] >= reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(s)) - 1
    run_s, run_e = s[first], reach[last]
    g = run_s // big
    return g, run_s - g * big, run_e - g * big


def _bincount(group: Array, weights: Array, size: int) -> Array:
    counts = np.bincount(group, weights=weights.astype(np.float64), minlength=size)
    return np.rint(counts).astype(np.int64)


def _coverage(cols: _Columns, m: int) -> tuple[Array, Array]:
    """For each code and document, how many positions exactly k coders cover (k = 1..m; column
    0 is left for the caller), and how many each coder covers."""
    n_docs, n_codes = len(cols.docs), len(cols.codes)
    n_pairs = n_docs * n_codes
    pair = cols.code * n_docs + cols.doc
    g, s, e = _runs(pair * m + cols.coder, cols.start, cols.end)
    per_coder = _bincount(g, e - s, n_pairs * m).reshape(n_codes, n_docs, m)
    grp = g // m
    pos = np.concatenate([s, e])
    delta = np.concatenate([np.ones(len(s), np.int64), -np.ones(len(e), np.int64)])
    grp2 = np.concatenate([grp, grp])
    order = np.lexsort((pos, grp2))
    pos, delta, grp2 = pos[order], delta[order], grp2[order]
    depth = np.cumsum(delta)
    same = grp2[1:] == grp2[:-1]
    size = (pos[1:] - pos[:-1])[same]
    key = (grp2[:-1] * (m + 1) + depth[:-1])[same]
    hist = _bincount(key, size, n_pairs * (m + 1)).reshape(n_codes, n_docs, m + 1)
    return hist, per_coder


def _to_unit_space(
    cols: _Columns, units: Mapping[Hashable, Sequence[Range]]
) -> tuple[_Columns, Array]:
    """Codings as ranges of unit indices: a coding covers the units it shares a character
    with. Returns the new columns and the number of units per document."""
    starts, ends, n_units = [], [], []
    for d, doc in enumerate(cols.docs):
        us = np.asarray(units.get(doc, ()), dtype=np.int64).reshape(-1, 2)
        if len(us) and (
            np.any(us[:, 0] >= us[:, 1])
            or np.any(us[1:, 0] < us[:-1, 1])
            or us[0, 0] < 0
            or us[-1, 1] > cols.lengths[d]
        ):
            raise InvalidInputError(
                f"the units of {doc!r} must be sorted, non-empty, non-overlapping ranges "
                "inside the document"
            )
        starts.append(us[:, 0])
        ends.append(us[:, 1])
        n_units.append(len(us))
    count = np.array(n_units, dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(count)])
    big = int(max(cols.lengths.max(initial=0), 0)) + 1
    doc_of_unit = np.repeat(np.arange(len(cols.docs)), count)
    u_start = doc_of_unit * big + np.concatenate(starts or [np.zeros(0, np.int64)])
    u_end = doc_of_unit * big + np.concatenate(ends or [np.zeros(0, np.int64)])
    base = cols.doc * big
    lo = np.searchsorted(u_end, base + cols.start, side="right") - offset[cols.doc]
    hi = np.searchsorted(u_start, base + cols.end, side="left") - offset[cols.doc]
    lo = np.clip(lo, 0, count[cols.doc]) if len(lo) else lo
    hi = np.clip(hi, 0, count[cols.doc]) if len(hi) else hi
    # a coding that touches no unit (or an empty coding) becomes an empty range
    hi = np.maximum(hi, lo)
    empty = cols.end <= cols.start
    hi = np.where(empty, lo, hi)
    new = _Columns(
        cols.docs,
        cols.codes,
        cols.coders,
        count,
        cols.touched,
        cols.doc,
        cols.code,
        cols.coder,
        lo,
        hi,
    )
    return new, count
