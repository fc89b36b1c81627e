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

from qcode.analysis.cooccurrence import Pair, Span, cooccurrence


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
    cache: dict[str, list[Element]] = {}
    out = []
    for s in spans:
        if s.code not in cache:
            cache[s.code] = members(s.code, linked)
        out += [Span(s.document, e.key, s.start, s.end) for e in cache[s.code]]
    return out


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
    by_key = {e.key: e for e in linked}
    espans = element_spans(spans, linked)
    raw = {(p.code_a, p.code_b): p for p in cooccurrence(espans, unit, units, 1)}
    code_pairs = cooccurrence(spans, unit, units, 1)
    wanted = {frozenset(p) for p in pairs_of_dimensions}
    out = []
    for (ka, kb), p in raw.items():
        ea, eb = by_key[ka], by_key[kb]
        if ea.dimension == eb.dimension or frozenset((ea.dimension, eb.dimension)) not in wanted:
            continue
        if p.count < max(1, min_count):
            continue
        # orient as the dimension pair was asked for
        first = next(a for a, b in pairs_of_dimensions if {a, b} == {ea.dimension, eb.dimension})
        if ea.dimension != first:
            ea, eb = eb, ea
            p = Pair(p.code_b, p.code_a, p.n_b, p.n_a, p.count, p.c, p.jaccard, p.warning)
        c_denominator = p.n_a + p.n_b - p.count
        c = p.count / c_denominator if c_denominator > 0 else None
        out.append(
            ElementPair(
                ea.dimension,
                ea.name,
                eb.dimension,
                eb.name,
                p.n_a,
                p.n_b,
                p.count,
                c,
                c if unit != "overlap" else None,
                _through(ea, eb, linked, code_pairs, spans),
            )
        )
    return sorted(out, key=lambda e: (-e.count, e.element_a, e.element_b))


def _through(
    ea: Element,
    eb: Element,
    linked: Mapping[Element, Sequence[str]],
    code_pairs: Sequence[Pair],
    spans: Sequence[Span],
) -> list[dict[str, Any]]:
    def under(code: str, e: Element) -> bool:
        return any(code == p or code.startswith(p + "/") for p in linked[e])

    out = []
    for p in code_pairs:
        for a, b in ((p.code_a, p.code_b), (p.code_b, p.code_a)):
            if under(a, ea) and under(b, eb):
                out.append({"code_a": a, "code_b": b, "count": p.count})
    shared: dict[str, int] = defaultdict(int)
    for s in spans:
        if under(s.code, ea) and under(s.code, eb):
            shared[s.code] += 1
    out += [{"code_a": c, "code_b": c, "count": k} for c, k in shared.items()]
    return sorted(out, key=lambda t: (-t["count"], t["code_a"], t["code_b"]))
