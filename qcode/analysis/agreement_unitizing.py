"""Unitizing agreement: Krippendorff's alphas for a textual continuum.

The 2016 family (:func:`unitizing_agreement`), Krippendorff's alphas for a textual continuum as
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

Krippendorff's 2004 alpha-U (:func:`alpha_u_2004`; Krippendorff 2004, Content Analysis, 2nd
ed., section 12.4), which DKPro Statistics and the book's examples report, is a different
coefficient, computed per category c on the same continuum and labelled ``alpha_u_2004`` so
that nobody takes it for the 2016 family. Each coder's sections for c are the segments valued c
(units) and the maximal stretches between them (gaps, whatever other codes they hold). For a
section g of coder i (start b, length l) and h of coder j:
- two units that share a character: d = (b_g - b_h)**2 + (b_g + l_g - b_h - l_h)**2;
- a unit lying within a gap of the other: d = the unit's length squared;
- otherwise 0.
Observed disagreement Do_c = sum over ordered pairs of coders i != j and their sections of d,
divided by m (m - 1) L**2. Expected disagreement De_c = (2 / L) * sum over the units u of c (N_c
of them, all coders) of [(N_c - 1) / 3 * (2 l_u**3 - 3 l_u**2 + l_u) + l_u**2 * sum over the
gaps h (all coders) with l_h >= l_u of (l_h - l_u + 1)], divided by m L (m L - 1) - sum_u
l_u (l_u - 1). alpha_c = 1 - Do_c / De_c, and over the categories alpha-U = 1 - sum_c Do_c /
sum_c De_c; ``None`` where the expected disagreement is 0. Lengths are in code points.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from qcode.analysis.agreement_columns import Array, Coding, _columns, _present, _runs
from qcode.errors import InvalidInputError
from qcode.i18n import _


@dataclass(frozen=True)
class AlphaU2004:
    """Krippendorff's 2004 alpha-U (Content Analysis, 2nd ed., section 12.4): per code, the
    observed and expected disagreements and their alpha, and over the codes together."""

    alpha: float | None
    per_code: dict[str, dict[str, float | None]]
    label: str = "Krippendorff 2004 alpha-U (Content Analysis, 2nd ed., 12.4)"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


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
    alpha_u_2004: AlphaU2004 | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "alpha_u_2004": self.alpha_u_2004.as_json() if self.alpha_u_2004 else None,
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
        raise InvalidInputError(_("agreement needs two or more coders"))
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
        ell, w, _rest = _u_coincidences(
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
        alpha_u_2004(seg_coder, seg_code, s, e, m, list(cols.codes), total),
    )


def alpha_u_2004(
    coder: Array, code: Array, start: Array, end: Array, m: int, codes: list[str], length: int
) -> AlphaU2004:
    """Krippendorff's 2004 alpha-U from each coder's segments of each code on a continuum of
    ``length`` (segments of one coder and code disjoint, see the module's notes)."""
    per_code: dict[str, dict[str, float | None]] = {}
    total_do = total_de = 0.0
    big_l = float(length)
    for c, name in enumerate(codes):
        sel = code == c
        do, de = _do_de_2004(coder[sel], start[sel], end[sel], m, big_l)
        alpha = 1.0 - do / de if de > 0 else None
        per_code[name] = {"observed": do, "expected": de, "alpha": alpha}
        total_do += do
        total_de += de
    return AlphaU2004(1.0 - total_do / total_de if total_de > 0 else None, per_code)


def _do_de_2004(
    coder: Array, start: Array, end: Array, m: int, length: float
) -> tuple[float, float]:
    """Observed and expected disagreement of one category (see the module's notes)."""
    if length <= 0 or m < 2:
        return 0.0, 0.0
    order = np.lexsort((start, coder))
    coder, start, end = coder[order], start[order].astype(np.float64), end[order]
    end = end.astype(np.float64)
    bounds = np.searchsorted(coder, np.arange(m + 1))
    observed = 0.0
    gaps = []
    for i in range(m):
        si, ei = start[bounds[i] : bounds[i + 1]], end[bounds[i] : bounds[i + 1]]
        edges = np.concatenate([[0.0], ei]), np.concatenate([si, [length]])
        gap = edges[1] - edges[0]
        gaps.append(gap[gap > 0])
        for j in range(m):
            if i == j:
                continue
            sj, ej = start[bounds[j] : bounds[j + 1]], end[bounds[j] : bounds[j + 1]]
            # units of j sharing a character with each unit of i: a contiguous run
            lo = np.searchsorted(ej, si, side="right")
            hi = np.searchsorted(sj, ei, side="left")
            n = np.maximum(hi - lo, 0)
            a = np.repeat(np.arange(len(si)), n)
            b = np.repeat(lo, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
            observed += float(((si[a] - sj[b]) ** 2 + (ei[a] - ej[b]) ** 2).sum())
            # a unit within one of j's gaps: the pair (unit, gap) and, from j's side, (gap, unit)
            alone = n == 0
            observed += 2.0 * float(((ei - si)[alone] ** 2).sum())
    do = observed / (m * (m - 1) * length * length)
    lu = end - start
    if not len(lu):
        return do, 0.0
    gap_len = np.sort(np.concatenate(gaps)) if gaps else np.zeros(0)
    suffix = np.concatenate([np.cumsum(gap_len[::-1])[::-1], [0.0]])
    first = np.searchsorted(gap_len, lu, side="left")  # gaps at least as long as the unit
    count = len(gap_len) - first
    fit = suffix[first] - (lu - 1) * count  # sum over those gaps of (l_h - l_u + 1)
    n_c = len(lu)
    numerator = (2.0 / length) * float(
        ((n_c - 1) / 3 * (2 * lu**3 - 3 * lu**2 + lu) + lu**2 * fit).sum()
    )
    denominator = m * length * (m * length - 1) - float((lu * (lu - 1)).sum())
    de = numerator / denominator if denominator > 0 else 0.0
    return do, de


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
