"""Code co-occurrence, with its definitions spelled out (peers compute it incompatibly).

Plain data in, plain data out: no database, usable from a notebook.

Units
- ``overlap``: two codings in the same document co-occur when they share at least one character.
  Ranges are half-open, so spans that only touch (``[0, 5)`` and ``[5, 9)``) do not co-occur.
  ``count`` is the number of pairs of codings (one of each code) that overlap; ``n_a`` and ``n_b``
  are the numbers of codings of each code in scope; ``overlapping_a`` and ``overlapping_b`` are
  the numbers of codings of each code that overlap at least one coding of the other.
- ``sentence``, ``paragraph``, ``turn``: a coding is present in every unit it shares a character
  with; ``count`` is the number of units where both codes are present, ``n_a`` and ``n_b`` the
  numbers of units where each is present.
- ``document``: as for units, the unit being the whole document.

Measures
- ``count`` as above;
- ``c``: ATLAS.ti's c-coefficient, ``n12 / (n_a + n_b - n12)``. For units ``n12`` is ``count``.
  For ``overlap`` it is read on the codings (ATLAS.ti's quotations), not on the pairs: ``n12 =
  (overlapping_a + overlapping_b) / 2``, the mean number of codings of each code that co-occur
  with the other. As ``n12 <= (n_a + n_b) / 2``, c lies in [0, 1], and is 1 exactly when every
  coding of each code overlaps the other code; with one-to-one overlaps ``n12 = count``. (The
  pair count can exceed ``n_a + n_b``: one coding of A overlapping two of B is two pairs.)
- ``jaccard``: for unit-based measures, ``|A ∩ B| / |A ∪ B|`` over the sets of units (the same
  number as ``c`` there); not defined for ``overlap`` (``None``);
- ``warning``: set when one code's n is more than five times the other's, where, as ATLAS.ti
  warns, the c-coefficient understates the association.

A code is never paired with itself (two coders' codings of one code do not co-occur).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
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
    overlapping_a: int | None = None
    overlapping_b: int | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def c_coefficient(n12: float, n1: int, n2: int) -> float | None:
    denominator = n1 + n2 - n12
    return n12 / denominator if denominator > 0 else None


def overlap_c(overlapping_a: int, overlapping_b: int, n_a: int, n_b: int) -> float | None:
    """The c-coefficient on codings: ``n12 = (overlapping_a + overlapping_b) / 2``, in [0, 1]."""
    return c_coefficient((overlapping_a + overlapping_b) / 2, n_a, n_b)


def make_pair(
    a: str,
    b: str,
    n_a: int,
    n_b: int,
    count: int,
    unit_based: bool,
    overlapping: tuple[int, int] | None = None,
) -> Pair:
    """A pair with its measures (``jaccard`` only for unit-based measures). For ``overlap``,
    ``overlapping`` gives the numbers of codings of each code that overlap the other."""
    small, large = sorted((n_a, n_b))
    if unit_based:
        c = c_coefficient(count, n_a, n_b)
        return Pair(a, b, n_a, n_b, count, c, c, large > 5 * small)
    if overlapping is None:
        raise ValueError("the overlap c-coefficient needs the overlapping codings of each code")
    c = overlap_c(*overlapping, n_a, n_b)
    return Pair(a, b, n_a, n_b, count, c, None, large > 5 * small, *overlapping)


def _pair(a: str, b: str, n: Mapping[str, int], count: int, unit_based: bool) -> Pair:
    return make_pair(a, b, n[a], n[b], count, unit_based)


def _overlapping_partners(doc: Any, code: Any, start: Any, end: Any) -> Any:
    """The sweep behind ``overlap``: the codes in sweep order, and an iterator over chunks
    ``(i, j)`` of indices (in that order) of every overlapping pair of codings, each pair once.

    With the codings of each document sorted by start, the codings that overlap coding i and
    start after it (or with it, later in the order) are exactly those from i + 1 up to the first
    one starting at or after i's end: a contiguous range, found for all i at once with a binary
    search. The k-th partners of all codings are then taken at once, for k = 1, 2, ...: the
    work is proportional to the number of overlapping pairs, not to all pairs in a document."""
    import numpy as np

    doc, code = np.asarray(doc, dtype=np.int64), np.asarray(code, dtype=np.int64)
    start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    if not len(doc):
        return code, iter(())
    big = int(end.max()) + 1
    base = (doc - doc.min()) * big
    key = base + start
    order = np.argsort(key, kind="stable")
    key, stop, code = key[order], (base + end)[order], code[order]
    first_after = np.searchsorted(key, stop, side="left")
    n_partners = first_after - np.arange(len(key)) - 1

    def chunks() -> Iterator[tuple[Any, Any]]:
        active, k = np.flatnonzero(n_partners), 1
        while active.size:
            yield active, active + k
            k += 1
            active = active[n_partners[active] >= k]

    return code, chunks()


class _KeyCounter:
    """Counts integer keys below ``size``: in one array while ``dense``, else collected and
    counted at the end."""

    def __init__(self, size: int, dense: bool) -> None:
        import numpy as np

        self.size, self.dense = size, dense
        self.flat = np.zeros(size if dense else 0, dtype=np.int64)
        self.chunks: list[Any] = []

    def add(self, keys: Any) -> None:
        import numpy as np

        if self.dense:
            self.flat += np.bincount(keys, minlength=self.size)
        else:
            self.chunks.append(keys)

    def result(self) -> tuple[Any, Any]:
        import numpy as np

        if self.dense:
            keys = np.flatnonzero(self.flat)
            return keys, self.flat[keys]
        keys, counts = np.unique(np.concatenate(self.chunks or [self.flat]), return_counts=True)
        return keys, counts.astype(np.int64)


def overlap_pair_counts(
    doc: Any, code: Any, start: Any, end: Any, n_codes: int, dense_limit: int = 1 << 22
) -> Any:
    """The core of ``overlap`` on integer NumPy arrays, one entry per coding: document, code
    index (``0 <= code < n_codes``), start and end. Returns three arrays ``(a, b, count)``, one
    entry per pair of codes (``a < b``) with at least one overlapping pair of codings, sorted.
    While ``n_codes ** 2`` is at most ``dense_limit`` the counts are added up in one array per
    pair of codes; beyond it, the pairs are collected and counted at the end."""
    a, b, count, _, _ = overlap_table(doc, code, start, end, n_codes, dense_limit, False)
    return a, b, count


def overlap_table(
    doc: Any,
    code: Any,
    start: Any,
    end: Any,
    n_codes: int,
    dense_limit: int = 1 << 22,
    with_codings: bool = True,
) -> Any:
    """:func:`overlap_pair_counts` with two more arrays: for each pair ``(a, b)``, how many
    codings of a overlap at least one coding of b, and how many of b overlap one of a (zeros
    unless ``with_codings``)."""
    import numpy as np

    size = n_codes * n_codes
    dense = size <= dense_limit
    code, chunks = _overlapping_partners(doc, code, start, end)
    pairs = _KeyCounter(size, dense)
    partner_keys = []
    for i, j in chunks:
        ci, cj = code[i], code[j]
        pairs.add(np.minimum(ci, cj) * n_codes + np.maximum(ci, cj))
        if with_codings:
            # (coding, the other's code), each once however many of that code it overlaps
            partner_keys.append(np.unique(np.concatenate([i * n_codes + cj, j * n_codes + ci])))
    keys, counts = pairs.result()
    lo, hi = keys // max(n_codes, 1), keys % max(n_codes, 1)
    different = lo != hi  # a code is never paired with itself
    lo, hi, counts = lo[different], hi[different], counts[different]
    over_a = np.zeros(len(lo), dtype=np.int64)
    over_b = np.zeros(len(lo), dtype=np.int64)
    if with_codings and partner_keys:
        partners = np.unique(np.concatenate(partner_keys))
        own = code[partners // n_codes]
        other = partners % n_codes
        overlapping = _KeyCounter(size, dense)
        overlapping.add(own * n_codes + other)
        m_keys, m_counts = overlapping.result()
        lookup = dict(zip(m_keys.tolist(), m_counts.tolist(), strict=True))
        over_a = np.array([lookup.get(k, 0) for k in (lo * n_codes + hi).tolist()], np.int64)
        over_b = np.array([lookup.get(k, 0) for k in (hi * n_codes + lo).tolist()], np.int64)
    return lo, hi, counts, over_a, over_b


def overlap_counts(spans: Iterable[Span]) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Per (code_a, code_b) with a < b: the pairs of overlapping codings of the two codes, and
    the numbers of codings of a and of b that overlap the other code."""
    spans = list(spans)
    codes = sorted({s.code for s in spans})
    code_index = {c: i for i, c in enumerate(codes)}
    doc_index: dict[Hashable, int] = {}
    doc = [doc_index.setdefault(s.document, len(doc_index)) for s in spans]
    a, b, counts, over_a, over_b = overlap_table(
        doc,
        [code_index[s.code] for s in spans],
        [s.start for s in spans],
        [s.end for s in spans],
        len(codes),
    )
    rows = zip(*(x.tolist() for x in (a, b, counts, over_a, over_b)), strict=True)
    return {(codes[i], codes[j]): (k, x, y) for i, j, k, x, y in rows}


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
        pairs = [
            make_pair(a, b, n[a], n[b], k, False, (x, y))
            for (a, b), (k, x, y) in overlap_counts(spans).items()
        ]
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
