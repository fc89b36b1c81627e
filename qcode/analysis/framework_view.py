"""The framework view: codes aggregated onto the elements of the study's framework, so that one
can read which resilience types co-occur with which dilemmas, and through which codes.

- An element's codings are the codings of the codes linked to it and of their sub-codes (a
  category linked to an element brings its codes along).
- Two elements co-occur as their codings do, under the same unit as code co-occurrence (see
  ``qcode.analysis.cooccurrence``). For ``overlap``: the unordered pairs of overlapping codings
  with one coding under each element, each pair once even when both codings are under both
  elements; a coding under both elements is a pair by itself. For units: units where both
  elements are present.
- "Through" lists, for a pair of elements, the pairs of codes (one under each element) that
  co-occur, with their counts, each pair of codes once; a code under both elements is paired
  with itself, counting (overlap) its codings and the overlapping pairs among them, or (units)
  the units holding it. For ``overlap`` an element pair's count is the sum of its "through",
  and its c-coefficient is read on codings as for codes: from the numbers of each element's
  codings that overlap a coding of the other (a coding under both overlaps itself).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qcode.analysis.cooccurrence import (
    Span,
    c_coefficient,
    cooccurrence,
    overlap_c,
    overlap_counts,
    unit_presence,
)


@dataclass(frozen=True)
class Element:
    dimension: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.dimension}/{self.name}"


@dataclass
class ElementPair:
    dimension_a: str
    element_a: str
    dimension_b: str
    element_b: str
    n_a: int
    n_b: int
    count: int
    c: float | None
    jaccard: float | None
    through: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def members(code: str, linked: Mapping[Element, Sequence[str]]) -> list[Element]:
    """The elements a code counts for: those linked to it or to a category above it."""
    return [
        e
        for e, paths in linked.items()
        if any(code == p or code.startswith(p + "/") for p in paths)
    ]


def element_spans(spans: Sequence[Span], linked: Mapping[Element, Sequence[str]]) -> list[Span]:
    """Each coding once per element it counts for, under the element's key."""
    of = {code: members(code, linked) for code in {s.code for s in spans}}
    return [Span(s.document, e.key, s.start, s.end) for s in spans for e in of[s.code]]


def framework_view(
    spans: Sequence[Span],
    linked: Mapping[Element, Sequence[str]],
    pairs_of_dimensions: Sequence[tuple[str, str]],
    unit: str = "overlap",
    units: Mapping[Hashable, Sequence[tuple[int, int]]] | None = None,
    min_count: int = 1,
) -> list[ElementPair]:
    """Co-occurrence of elements of the dimension pairs asked for (e.g. resilience type with
    dilemma), each with the code pairs it runs through; sorted by count."""
    of = {code: members(code, linked) for code in {s.code for s in spans}}
    first_of = {frozenset(pair): pair[0] for pair in reversed(pairs_of_dimensions)}

    def oriented(ea: Element, eb: Element) -> tuple[Element, Element, bool] | None:
        """The two elements in the order their dimensions were asked for, and whether that
        swapped them; None for a pair of dimensions not asked for."""
        first = first_of.get(frozenset((ea.dimension, eb.dimension)))
        if first is None or ea.dimension == eb.dimension:
            return None
        return (ea, eb, False) if ea.dimension == first else (eb, ea, True)

    # the code pairs under each pair of elements, in one pass over the code pairs
    # (a pair of codes both under both elements is listed once, not once each way round)
    through: dict[tuple[Element, Element], list[dict[str, Any]]] = defaultdict(list)
    for p in cooccurrence(spans, unit, units, 1):
        listed: set[tuple[Element, Element]] = set()
        for ea in of[p.code_a]:
            for eb in of[p.code_b]:
                o = oriented(ea, eb)
                if o is not None and (o[0], o[1]) not in listed:
                    listed.add((o[0], o[1]))
                    a, b = (p.code_b, p.code_a) if o[2] else (p.code_a, p.code_b)
                    through[(o[0], o[1])].append({"code_a": a, "code_b": b, "count": p.count})
    for code, n in _self_counts(spans, unit, units).items():  # a code under both elements
        for i, ea in enumerate(of[code]):
            for eb in of[code][i + 1 :]:
                o = oriented(ea, eb)
                if o is not None:
                    through[(o[0], o[1])].append({"code_a": code, "code_b": code, "count": n})

    by_key = {e.key: e for e in linked}
    espans = element_spans(spans, linked)
    found: list[tuple[Element, Element, int, int, int]] = []  # elements, n_a, n_b, count
    overlapping: dict[tuple[str, str], tuple[int, int]] = {}
    if unit == "overlap":
        n_el: dict[str, int] = defaultdict(int)
        for sp in espans:
            n_el[sp.code] += 1
        for (ka, kb), (_, x, y) in overlap_counts(espans).items():
            overlapping[(ka, kb)], overlapping[(kb, ka)] = (x, y), (y, x)
        for (ea, eb), ts in through.items():
            found.append((ea, eb, n_el[ea.key], n_el[eb.key], sum(t["count"] for t in ts)))
    else:
        for p in cooccurrence(espans, unit, units, 1):
            o = oriented(by_key[p.code_a], by_key[p.code_b])
            if o is not None:
                n_a, n_b = (p.n_b, p.n_a) if o[2] else (p.n_a, p.n_b)
                found.append((o[0], o[1], n_a, n_b, p.count))
    out = []
    for ea, eb, n_a, n_b, count in found:
        if count < max(1, min_count):
            continue
        if unit == "overlap":  # on codings, as for codes: in [0, 1]
            c = overlap_c(*overlapping.get((ea.key, eb.key), (0, 0)), n_a, n_b)
        else:
            c = c_coefficient(count, n_a, n_b)
        out.append(
            ElementPair(
                ea.dimension,
                ea.name,
                eb.dimension,
                eb.name,
                n_a,
                n_b,
                count,
                c,
                None if unit == "overlap" else c,
                sorted(through[(ea, eb)], key=lambda t: (-t["count"], t["code_a"], t["code_b"])),
            )
        )
    return sorted(out, key=lambda e: (-e.count, e.element_a, e.element_b))


def _self_counts(
    spans: Sequence[Span], unit: str, units: Mapping[Hashable, Sequence[tuple[int, int]]] | None
) -> dict[str, int]:
    """Per code, what it counts paired with itself: for ``overlap`` its codings and the
    overlapping pairs among them; for units, the units holding it."""
    if unit == "document":
        return dict(Counter(code for _, code in {(s.document, s.code) for s in spans}))
    if unit != "overlap":
        return {code: len(us) for code, us in unit_presence(spans, units or {}).items()}
    n = Counter(s.code for s in spans)
    ranges: dict[tuple[Hashable, str], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        ranges[(s.document, s.code)].append((s.start, s.end))
    for (_, code), rs in ranges.items():
        rs.sort()
        for i, (_, end) in enumerate(rs):
            for start, _ in rs[i + 1 :]:
                if start >= end:
                    break
                n[code] += 1
    return dict(n)


def through_text(through: Sequence[dict[str, Any]], limit: int | None = None) -> str:
    """The code pairs carrying an element pair, as one line: "a ~ b (3); c (2)"."""
    return "; ".join(
        (t["code_a"] if t["code_a"] == t["code_b"] else f"{t['code_a']} ~ {t['code_b']}")
        + f" ({t['count']})"
        for t in through[:limit]
    )
