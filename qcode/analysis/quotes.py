"""Choosing the most representative quotes of a code.

The rule (the README states it too): quotes are spread over cases first, one from each case in
turn, the cases taken by how many of the code's segments they hold (most first, then by name);
within a case, a segment a summary draws on or a relation cites as evidence comes first, then
the segment whose length is nearest :data:`IDEAL_LENGTH` characters (long enough to stand alone,
short enough to quote), then the earliest. A range coded more than once (by two coders, say) is
quoted once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
IDEAL_LENGTH = 200


def representative(
    items: Sequence[T],
    n: int,
    case: Callable[[T], Hashable],
    span: Callable[[T], tuple[Hashable, int, int]],
    coding: Callable[[T], int],
    length: Callable[[T], int],
    marked: Collection[int] = (),
) -> list[T]:
    """Up to ``n`` of ``items`` by the rule above; ``case`` gives an item's case (or its document
    where it has none), ``span`` its (document, start, end), ``coding`` its coding id."""
    if n <= 0:
        return []
    seen: set[tuple[Hashable, int, int]] = set()
    groups: dict[Hashable, list[T]] = defaultdict(list)
    for it in sorted(items, key=lambda i: (coding(i) not in marked, span(i)[1:], coding(i))):
        if span(it) in seen:
            continue
        seen.add(span(it))
        groups[case(it)].append(it)
    for g in groups.values():
        g.sort(
            key=lambda i: (
                coding(i) not in marked,
                abs(length(i) - IDEAL_LENGTH),
                str(span(i)[0]),
                span(i)[1],
            )
        )
    order = sorted(groups, key=lambda c: (-len(groups[c]), str(c)))
    out: list[T] = []
    depth = 0
    while len(out) < n and any(depth < len(groups[c]) for c in order):
        for c in order:
            if depth < len(groups[c]) and len(out) < n:
                out.append(groups[c][depth])
        depth += 1
    return out


__all__ = ["IDEAL_LENGTH", "representative"]
