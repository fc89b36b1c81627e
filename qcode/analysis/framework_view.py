"""The framework view: codes aggregated onto the elements of the study's framework, so that one
can read which resilience types co-occur with which dilemmas, and through which codes.

- An element's codings are the codings of the codes linked to it and of their sub-codes (a
  category linked to an element brings its codes along).
- Two elements co-occur as their codings do, under the same unit as code co-occurrence (see
  ``qcode.analysis.cooccurrence``): for ``overlap``, pairs of overlapping codings, one under each
  element; a coding under both elements (its code is linked to both) counts once, as its own
  pair. For units, units where both elements are present.
- "Through" lists, for a pair of elements, the pairs of codes (one under each element) that
  co-occur, with their counts, and codes under both, paired with themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qcode.analysis.cooccurrence import Span, cooccurrence


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
    through: dict[tuple[Element, Element], list[dict[str, Any]]] = defaultdict(list)
    for p in cooccurrence(spans, unit, units, 1):
        for ea in of[p.code_a]:
            for eb in of[p.code_b]:
                o = oriented(ea, eb)
                if o is not None:
                    a, b = (p.code_b, p.code_a) if o[2] else (p.code_a, p.code_b)
                    through[(o[0], o[1])].append({"code_a": a, "code_b": b, "count": p.count})
    codings: dict[str, int] = defaultdict(int)
    for s in spans:
        codings[s.code] += 1
    for code, n in codings.items():  # a code under both elements: paired with itself
        for i, ea in enumerate(of[code]):
            for eb in of[code][i + 1 :]:
                o = oriented(ea, eb)
                if o is not None:
                    through[(o[0], o[1])].append({"code_a": code, "code_b": code, "count": n})

    by_key = {e.key: e for e in linked}
    out = []
    for p in cooccurrence(element_spans(spans, linked), unit, units, max(1, min_count)):
        o = oriented(by_key[p.code_a], by_key[p.code_b])
        if o is None:
            continue
        ea, eb, swapped = o
        n_a, n_b = (p.n_b, p.n_a) if swapped else (p.n_a, p.n_b)
        out.append(
            ElementPair(
                ea.dimension,
                ea.name,
                eb.dimension,
                eb.name,
                n_a,
                n_b,
                p.count,
                p.c,
                p.jaccard,
                sorted(through[(ea, eb)], key=lambda t: (-t["count"], t["code_a"], t["code_b"])),
            )
        )
    return sorted(out, key=lambda e: (-e.count, e.element_a, e.element_b))


def through_text(through: Sequence[dict[str, Any]], limit: int | None = None) -> str:
    """The code pairs carrying an element pair, as one line: "a ~ b (3); c (2)"."""
    return "; ".join(
        (t["code_a"] if t["code_a"] == t["code_b"] else f"{t['code_a']} ~ {t['code_b']}")
        + f" ({t['count']})"
        for t in through[:limit]
    )
