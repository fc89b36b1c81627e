"""Code co-occurrence, with its definitions spelled out (peers compute it incompatibly).

Plain data in, plain data out: no database, usable from a notebook.

Units
- ``overlap``: two codings in the same document co-occur when they share at least one character.
  Ranges are half-open, so spans that only touch (``[0, 5)`` and ``[5, 9)``) do not co-occur.
  ``count`` is the number of pairs of codings (one of each code) that overlap; ``n_a`` and ``n_b``
  are the numbers of codings of each code in scope.
- ``sentence``, ``paragraph``, ``turn``: a coding is present in every unit it shares a character
  with; ``count`` is the number of units where both codes are present, ``n_a`` and ``n_b`` the
  numbers of units where each is present.
- ``document``: as for units, the unit being the whole document.

Measures
- ``count`` as above;
- ``c``: ATLAS.ti's c-coefficient, ``count / (n_a + n_b - count)``;
- ``jaccard``: for unit-based measures, ``|A ∩ B| / |A ∪ B|`` over the sets of units (the same
  number as ``c`` there); not defined for ``overlap`` (``None``), where ``count`` counts pairs;
- ``warning``: set when one code's n is more than five times the other's, where, as ATLAS.ti
  warns, the c-coefficient understates the association.

A code is never paired with itself (two coders' codings of one code do not co-occur).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

UNITS = ("overlap", "sentence", "paragraph", "turn", "document")


class Span(NamedTuple):
    """A coding as analysis sees it: which document, which code, where."""

    document: Hashable
    code: str
    start: int
    end: int


@dataclass
class Pair:
    code_a: str
    code_b: str
    n_a: int
    n_b: int
    count: int
    c: float | None
    jaccard: float | None
    warning: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def c_coefficient(n12: int, n1: int, n2: int) -> float | None:
    denominator = n1 + n2 - n12
    return n12 / denominator if denominator > 0 else None


def make_pair(a: str, b: str, n_a: int, n_b: int, count: int, unit_based: bool) -> Pair:
    """A pair with its measures (``jaccard`` only for unit-based measures)."""
    c = c_coefficient(count, n_a, n_b)
    small, large = sorted((n_a, n_b))
    return Pair(a, b, n_a, n_b, count, c, c if unit_based else None, large > 5 * small)


def _pair(a: str, b: str, n: Mapping[str, int], count: int, unit_based: bool) -> Pair:
    return make_pair(a, b, n[a], n[b], count, unit_based)


def overlap_pair_counts(
    doc: Any, code: Any, start: Any, end: Any, n_codes: int, dense_limit: int = 1 << 22
) -> Any:
    """The core of ``overlap`` on integer NumPy arrays, one entry per coding: document, code
    index (``0 <= code < n_codes``), start and end. Returns three arrays ``(a, b, count)``, one
    entry per pair of codes (``a < b``) with at least one overlapping pair of codings, sorted.

    With the codings of each document sorted by start, the codings that overlap coding i and
    start after it (or with it, later in the order) are exactly those from i + 1 up to the first
    one starting at or after i's end: a contiguous range, found for all i at once with a binary
    search. The k-th partners of all codings are then counted at once, for k = 1, 2, ...: the
    work is proportional to the number of overlapping pairs, not to all pairs in a document.
    While ``n_codes ** 2`` is at most ``dense_limit`` the counts are added up in one array per
    pair of codes; beyond it, the pairs are collected and counted at the end.
    """
    import numpy as np

    doc, code = np.asarray(doc, dtype=np.int64), np.asarray(code, dtype=np.int64)
    start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    size = n_codes * n_codes
    dense = size <= dense_limit
    flat = np.zeros(size if dense else 0, dtype=np.int64)
    chunks = []
    if len(doc):
        big = int(end.max()) + 1
        base = (doc - doc.min()) * big
        key = base + start
        order = np.argsort(key, kind="stable")
        key, stop, code = key[order], (base + end)[order], code[order]
        first_after = np.searchsorted(key, stop, side="left")
        n_partners = first_after - np.arange(len(key)) - 1
        active, k = np.flatnonzero(n_partners), 1
        while active.size:
            a, b = code[active], code[active + k]
            pair = np.minimum(a, b) * n_codes + np.maximum(a, b)
            if dense:
                flat += np.bincount(pair, minlength=size)
            else:
                chunks.append(pair)
            k += 1
            active = active[n_partners[active] >= k]
    if dense:
        keys = np.flatnonzero(flat)
        counts = flat[keys]
    else:
        keys, counts = np.unique(np.concatenate(chunks or [flat]), return_counts=True)
    lo, hi = keys // max(n_codes, 1), keys % max(n_codes, 1)
    different = lo != hi  # a code is never paired with itself
    return lo[different], hi[different], counts[different].astype(np.int64)


def overlap_counts(spans: Iterable[Span]) -> dict[tuple[str, str], int]:
    """Pairs of overlapping codings of different codes, per (code_a, code_b) with a < b."""
    spans = list(spans)
    codes = sorted({s.code for s in spans})
    code_index = {c: i for i, c in enumerate(codes)}
    doc_index: dict[Hashable, int] = {}
    doc = [doc_index.setdefault(s.document, len(doc_index)) for s in spans]
    a, b, counts = overlap_pair_counts(
        doc,
        [code_index[s.code] for s in spans],
        [s.start for s in spans],
        [s.end for s in spans],
        len(codes),
    )
    return {
        (codes[i], codes[j]): k
        for i, j, k in zip(a.tolist(), b.tolist(), counts.tolist(), strict=True)
    }


def unit_presence(
    spans: Iterable[Span], units: Mapping[Hashable, Sequence[tuple[int, int]]]
) -> dict[str, set[tuple[Hashable, int]]]:
    """For each code, the units (document, index) it is present in. ``units`` maps a document to
    its units as non-overlapping ``(start, end)`` ranges sorted by start."""
    starts = {doc: [u[0] for u in us] for doc, us in units.items()}
    present: dict[str, set[tuple[Hashable, int]]] = defaultdict(set)
    for s in spans:
        us = units.get(s.document, ())
        if not us:
            continue
        # first unit that could contain s.start, then every unit starting before s.end
        i = max(0, bisect.bisect_right(starts[s.document], s.start) - 1)
        while i < len(us) and us[i][0] < s.end:
            if us[i][1] > s.start:
                present[s.code].add((s.document, i))
            i += 1
    return present


def cooccurrence(
    spans: Sequence[Span],
    unit: str = "overlap",
    units: Mapping[Hashable, Sequence[tuple[int, int]]] | None = None,
    min_count: int = 1,
) -> list[Pair]:
    """Every pair of codes that co-occur at least ``min_count`` times, sorted by code names.

    ``units`` is needed for ``sentence``, ``paragraph`` and ``turn`` (each document's ranges of
    that kind); ``document`` needs nothing more.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} ({', '.join(UNITS)})")
    if unit == "overlap":
        n: dict[str, int] = defaultdict(int)
        for s in spans:
            n[s.code] += 1
        counts = overlap_counts(spans)
        pairs = [_pair(a, b, n, k, False) for (a, b), k in counts.items()]
    else:
        if unit == "document":
            present: dict[str, set[tuple[Hashable, int]]] = defaultdict(set)
            for s in spans:
                present[s.code].add((s.document, 0))
        else:
            if units is None:
                raise ValueError(f"the {unit!r} unit needs the documents' units")
            present = unit_presence(spans, units)
        n = {code: len(us) for code, us in present.items()}
        codes = sorted(present)
        by_unit: dict[tuple[Hashable, int], list[str]] = defaultdict(list)
        for code in codes:
            for u in present[code]:
                by_unit[u].append(code)
        unit_counts: dict[tuple[str, str], int] = defaultdict(int)
        for members in by_unit.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    unit_counts[(a, b)] += 1
        pairs = [_pair(a, b, n, k, True) for (a, b), k in unit_counts.items()]
    return sorted(
        (p for p in pairs if p.count >= max(1, min_count)), key=lambda p: (p.code_a, p.code_b)
    )
