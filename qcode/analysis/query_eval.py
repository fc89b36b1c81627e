"""Evaluating a parsed query over one document's ranges: pure functions over plain data.

A value is a list of :class:`Hit` (half-open ``[start, end)`` code-point ranges with the codes
and coders behind them), sorted by ``(start, end)``, one hit per distinct range (hits of the same
range are merged, their codes and coders united). Definitions (README, "Queries"):

- a code, text search or set: its ranges;
- ``A or B``: the ranges of either;
- ``A and B``: in ``match`` mode the overlap ``[max start, min end)`` of every pair of
  overlapping ranges; in a unit mode the units holding both;
- ``not A``: in ``match`` mode the stretches of the document no range of A covers; in a unit mode
  the units A does not touch;
- ``only one of (...)`` / ``at least k of (...)``: in ``match`` mode the maximal stretches covered
  by one (at least k) of the operands, cut where the set of covering operands changes; in a unit
  mode the units touched by exactly one (at least k) of them;
- ``A inside B``: A's ranges contained in a range of B (equal counts as inside);
  ``A outside B``: A's ranges that share no code point with B; ``A overlaps B``: those that share
  at least one; ``A followed by B within N u``: A's ranges with a range of B starting at or after
  A's end, at most N chars (or N units: the unit of B's start minus the unit of A's last code
  point) later; ``A near B within N u``: the same in either direction, overlapping counting as 0.
  A position's unit is the last unit starting at or before it.

Everything is computed from sorted starts and running maxima of ends, so the work grows with
the ranges and the overlapping pairs, never with all pairs.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from qcode.analysis.query_parse import And, Count, Node, Not, Or, Relation

EMPTY: frozenset[str] = frozenset()


class Hit(NamedTuple):
    start: int
    end: int
    codes: frozenset[str] = EMPTY
    coders: frozenset[str] = EMPTY


@dataclass
class DocData:
    """What evaluation needs of one document: its length, its units by kind (sorted, disjoint
    ranges: ``sentences``, ``paragraphs``, ``turns``) and a leaf's hits by the leaf node."""

    length: int
    units: Mapping[str, Sequence[tuple[int, int]]] = field(default_factory=dict)
    leaf: Callable[[Node], list[Hit]] = lambda node: []


def normal(hits: Sequence[Hit]) -> list[Hit]:
    """Sorted, one hit per range, annotations united."""
    if len(hits) < 2:
        return list(hits)
    by: dict[tuple[int, int], Hit] = {}
    for h in hits:
        key = (h.start, h.end)
        old = by.get(key)
        if old is None:
            by[key] = h
        elif not (h.codes <= old.codes and h.coders <= old.coders):
            by[key] = Hit(h.start, h.end, old.codes | h.codes, old.coders | h.coders)
    return [by[k] for k in sorted(by)]


def unit_ranges(doc: DocData, unit: str) -> Sequence[tuple[int, int]]:
    if unit == "document":
        return [(0, doc.length)] if doc.length else []
    return doc.units.get(unit, ())


def to_units(hits: Sequence[Hit], units: Sequence[tuple[int, int]]) -> list[Hit]:
    """The units each hit touches (shares a code point with), annotations united per unit."""
    if not hits or not units:
        return []
    starts = [u[0] for u in units]
    codes: dict[int, set[str]] = {}
    coders: dict[int, set[str]] = {}
    for h in hits:
        i = max(bisect.bisect_right(starts, h.start) - 1, 0)
        while i < len(units) and units[i][0] < h.end:
            if units[i][1] > h.start:
                codes.setdefault(i, set()).update(h.codes)
                coders.setdefault(i, set()).update(h.coders)
            i += 1
    return [
        Hit(units[i][0], units[i][1], frozenset(codes[i]), frozenset(coders[i]))
        for i in sorted(codes)
    ]


def _union(a: Sequence[Hit], b: Sequence[Hit]) -> list[Hit]:
    return normal([*a, *b])


def _overlap_pairs(a: Sequence[Hit], b: Sequence[Hit]) -> list[Hit]:
    """The overlap of every overlapping pair (a from ``a``, b from ``b``): a sweep by start
    keeping the ranges still open on each side (a few ranges: compared directly)."""
    if len(a) * len(b) <= 16:
        pairs = [
            Hit(max(x.start, y.start), min(x.end, y.end), x.codes | y.codes, x.coders | y.coders)
            for x in a
            for y in b
            if x.start < y.end and y.start < x.end
        ]
        return normal(pairs) if len(pairs) > 1 else pairs
    events = sorted(
        [(h.start, 0, h) for h in a] + [(h.start, 1, h) for h in b], key=lambda e: e[:2]
    )
    active: tuple[list[Hit], list[Hit]] = ([], [])
    out = []
    for start, side, h in events:
        other = [o for o in active[1 - side] if o.end > start]
        active[1 - side][:] = other
        for o in other:
            out.append(Hit(start, min(h.end, o.end), h.codes | o.codes, h.coders | o.coders))
        active[side].append(h)
    return normal(out)


def _gaps(hits: Sequence[Hit], length: int) -> list[Hit]:
    out, pos = [], 0
    for h in hits:  # sorted by start
        if h.start > pos:
            out.append(Hit(pos, h.start))
        pos = max(pos, h.end)
    if pos < length:
        out.append(Hit(pos, length))
    return out


def _pieces(values: Sequence[Sequence[Hit]], keep: Callable[[int], bool]) -> list[Hit]:
    """Maximal stretches where the set of covering operands is constant and its size passes
    ``keep``, annotated with the hits that cover them."""
    bounds = sorted({p for v in values for h in v for p in (h.start, h.end)})
    if len(bounds) < 2:
        return []
    index = {p: i for i, p in enumerate(bounds)}
    n = len(bounds) - 1
    cover: list[set[int]] = [set() for _ in range(n)]
    codes: list[set[str]] = [set() for _ in range(n)]
    coders: list[set[str]] = [set() for _ in range(n)]
    for k, v in enumerate(values):
        for h in v:
            for i in range(index[h.start], index[h.end]):
                cover[i].add(k)
                codes[i].update(h.codes)
                coders[i].update(h.coders)
    out: list[Hit] = []
    i = 0
    while i < n:
        j = i
        while j + 1 < n and cover[j + 1] == cover[i]:
            j += 1
        if cover[i] and keep(len(cover[i])):
            cs = set().union(*codes[i : j + 1])
            ds = set().union(*coders[i : j + 1])
            out.append(Hit(bounds[i], bounds[j + 1], frozenset(cs), frozenset(ds)))
        i = j + 1
    return out


def _ordinal(starts: Sequence[int], pos: int) -> int:
    """The unit of a position: the last unit starting at or before it (-1 before the first)."""
    return bisect.bisect_right(starts, pos) - 1


def _relation(node: Relation, a: Sequence[Hit], b: Sequence[Hit], doc: DocData) -> list[Hit]:
    if not a:
        return []
    bs = sorted(b, key=lambda h: (h.start, h.end))
    starts = [h.start for h in bs]
    maxend: list[int] = []
    top = -1
    for h in bs:
        top = max(top, h.end)
        maxend.append(top)
    ends = sorted(h.end for h in bs)
    op = node.op

    def before_max_end(pos: int, strict: bool) -> int:
        """The largest end among B's ranges starting before (or at) ``pos``."""
        i = (bisect.bisect_left if strict else bisect.bisect_right)(starts, pos) - 1
        return maxend[i] if i >= 0 else -1

    if op in ("inside", "overlaps", "outside"):
        out = []
        for h in a:
            if op == "inside":
                ok = before_max_end(h.start, strict=False) >= h.end
            else:
                ok = before_max_end(h.end, strict=True) > h.start
                ok = ok if op == "overlaps" else not ok
            if ok:
                out.append(h)
        return out
    n = node.n
    if node.unit == "chars":

        def after(h: Hit) -> bool:
            i = bisect.bisect_left(starts, h.end)
            return i < len(starts) and starts[i] - h.end <= n

        def before(h: Hit) -> bool:
            i = bisect.bisect_right(ends, h.start) - 1
            return i >= 0 and h.start - ends[i] <= n

    else:
        us = [u[0] for u in doc.units.get(node.unit, ())]

        def after(h: Hit) -> bool:
            i = bisect.bisect_left(starts, h.end)
            return i < len(starts) and _ordinal(us, starts[i]) - _ordinal(us, h.end - 1) <= n

        def before(h: Hit) -> bool:
            i = bisect.bisect_right(ends, h.start) - 1
            return i >= 0 and _ordinal(us, h.start) - _ordinal(us, ends[i] - 1) <= n

    if op == "followed_by":
        return [h for h in a if after(h)]
    return [h for h in a if before_max_end(h.end, strict=True) > h.start or after(h) or before(h)]


def evaluate(node: Node, doc: DocData, unit: str = "match") -> list[Hit]:
    """The value of ``node`` in one document: in ``match`` mode ranges; in a unit mode
    (``sentences``, ``paragraphs``, ``turns``, ``document``) the boolean operators work on units
    and the result is made of units."""
    value = _eval(node, doc, unit)
    return normal(value) if unit == "match" else to_units(value, unit_ranges(doc, unit))


def _eval(node: Node, doc: DocData, unit: str) -> list[Hit]:
    if isinstance(node, Relation):
        return _relation(node, _eval(node.left, doc, unit), _eval(node.right, doc, unit), doc)
    if isinstance(node, And | Or | Not | Count):
        return _boolean(node, doc, unit)
    return normal(doc.leaf(node))


def _boolean(node: And | Or | Not | Count, doc: DocData, unit: str) -> list[Hit]:
    units = unit_ranges(doc, unit) if unit != "match" else ()

    def sub(n: Node) -> list[Hit]:
        v = _eval(n, doc, unit)
        return v if unit == "match" else to_units(v, units)

    if isinstance(node, Or):  # a chain of "or" united at once, not pair by pair
        chain: list[Node] = []
        stack: list[Node] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Or):
                stack += [n.right, n.left]
            else:
                chain.append(n)
        return normal([h for n in chain for h in sub(n)])
    if isinstance(node, And):
        left, right = sub(node.left), sub(node.right)
        if unit == "match":
            return _overlap_pairs(left, right)
        both = {(h.start, h.end) for h in right} & {(h.start, h.end) for h in left}
        return _union(
            [h for h in left if (h.start, h.end) in both],
            [h for h in right if (h.start, h.end) in both],
        )
    if isinstance(node, Not):
        inner = sub(node.operand)
        if unit == "match":
            return _gaps(inner, doc.length)
        touched = {(h.start, h.end) for h in inner}
        return [Hit(a, b) for a, b in units if (a, b) not in touched]
    values = [sub(o) for o in node.operands]
    k, exactly = node.k, node.exactly

    def keep(c: int) -> bool:
        return c == k if exactly else c >= k

    if unit == "match":
        return _pieces(values, keep)
    count: dict[tuple[int, int], int] = {}
    for v in values:
        for h in v:
            count[(h.start, h.end)] = count.get((h.start, h.end), 0) + 1
    return normal([h for v in values for h in v if keep(count[(h.start, h.end)])])


def conjunction(left: Sequence[Hit], right: Sequence[Hit], unit: str = "match") -> list[Hit]:
    """``L and R`` from the values of L and R (as :func:`evaluate` gives them): the cells of a
    matrix query, without evaluating each row and column again per cell."""
    if unit == "match":
        return _overlap_pairs(left, right)
    both = {(h.start, h.end) for h in right} & {(h.start, h.end) for h in left}
    return _union(
        [h for h in left if (h.start, h.end) in both],
        [h for h in right if (h.start, h.end) in both],
    )
