"""The query engine against a brute-force evaluation written from the definitions alone (every
pair of ranges, every code point, every unit), on random documents with several coders and
overlapping codings of the same code, for every operator and their combinations; and the query
service against the same brute force on a random project read back from its database."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode import Project
from qcode.analysis.query_eval import DocData, Hit, evaluate
from qcode.analysis.query_parse import (
    And,
    CodeRef,
    Count,
    Node,
    Not,
    Or,
    Relation,
    parse,
)
from tests.conftest import write

CODES = ("A", "B", "C")
CODERS = ("ann", "bo", "cy")
Ann = tuple[frozenset[str], frozenset[str]]


# -- brute force, from the README's definitions ----------------------------------------------------
def merged(hits: list[tuple[int, int, Ann]]) -> dict[tuple[int, int], Ann]:
    out: dict[tuple[int, int], Ann] = {}
    for a, b, (codes, coders) in hits:
        old = out.get((a, b), (frozenset(), frozenset()))
        out[(a, b)] = (old[0] | codes, old[1] | coders)
    return out


def ordinal(units: list[tuple[int, int]], pos: int) -> int:
    found = -1
    for i, (a, _) in enumerate(units):
        if a <= pos:
            found = i
    return found


def touching(value: dict[tuple[int, int], Ann], u: tuple[int, int]) -> list[Ann]:
    return [ann for (a, b), ann in value.items() if a < u[1] and u[0] < b]


def as_units(value: dict[tuple[int, int], Ann], units: list[tuple[int, int]]) -> dict:  # type: ignore[type-arg]
    out = {}
    for u in units:
        anns = touching(value, u)
        if anns:
            out[u] = (
                frozenset().union(*(x[0] for x in anns)),
                frozenset().union(*(x[1] for x in anns)),
            )
    return out


def brute(node: Node, leaf: dict[str, list[tuple[int, int, Ann]]], length: int, units_by: dict,
          mode: str) -> dict[tuple[int, int], Ann]:  # type: ignore[type-arg]  # fmt: skip
    units = [(0, length)] if mode == "document" else units_by.get(mode, [])

    def sub(n: Node) -> dict[tuple[int, int], Ann]:
        v = brute(n, leaf, length, units_by, mode)
        return v if mode == "match" else as_units(v, units)

    if isinstance(node, CodeRef):
        return merged(leaf[node.ref])
    if isinstance(node, Or):
        return merged(
            [(a, b, x) for v in (sub(node.left), sub(node.right)) for (a, b), x in v.items()]
        )
    if isinstance(node, And):
        left, right = sub(node.left), sub(node.right)
        if mode != "match":
            both = set(left) & set(right)
            return merged(
                [(a, b, x) for v in (left, right) for (a, b), x in v.items() if (a, b) in both]
            )
        pairs = []
        for (a0, a1), x in left.items():
            for (b0, b1), y in right.items():
                if max(a0, b0) < min(a1, b1):
                    pairs.append((max(a0, b0), min(a1, b1), (x[0] | y[0], x[1] | y[1])))
        return merged(pairs)
    if isinstance(node, Not):
        inner = sub(node.operand)
        if mode != "match":
            return {u: (frozenset(), frozenset()) for u in units if u not in inner}
        covered = [any(a <= p < b for a, b in inner) for p in range(length)]
        out, p = {}, 0
        while p < length:
            if covered[p]:
                p += 1
                continue
            q = p
            while q < length and not covered[q]:
                q += 1
            out[(p, q)] = (frozenset(), frozenset())
            p = q
        return out
    if isinstance(node, Count):
        values = [sub(o) for o in node.operands]

        def keep(c: int) -> bool:
            return c == node.k if node.exactly else c >= node.k

        if mode != "match":
            return merged([(a, b, x) for v in values for (a, b), x in v.items()
                           if keep(sum((a, b) in w for w in values))])  # fmt: skip
        cover = [frozenset(i for i, v in enumerate(values) if any(a <= p < b for a, b in v))
                 for p in range(length)]  # fmt: skip
        out, p = {}, 0
        while p < length:
            q = p
            while q < length and cover[q] == cover[p]:
                q += 1
            if cover[p] and keep(len(cover[p])):
                anns = [x for v in values for (a, b), x in v.items() if a < q and p < b]
                out[(p, q)] = (frozenset().union(*(x[0] for x in anns)),
                               frozenset().union(*(x[1] for x in anns)))  # fmt: skip
            p = q
        return out
    assert isinstance(node, Relation)
    left = brute(node.left, leaf, length, units_by, mode)
    right = brute(node.right, leaf, length, units_by, mode)
    rel_units = units_by.get(node.unit, [])

    def dist_after(a1: int, b0: int) -> int:  # B starts at or after A's end
        if node.unit == "chars":
            return b0 - a1
        return ordinal(rel_units, b0) - ordinal(rel_units, a1 - 1)

    def holds(a0: int, a1: int, b0: int, b1: int) -> bool:
        overlap = a0 < b1 and b0 < a1
        if node.op == "inside":
            return b0 <= a0 and a1 <= b1
        if node.op in ("overlaps", "outside"):
            return overlap
        if node.op == "followed_by":
            return b0 >= a1 and dist_after(a1, b0) <= node.n
        if overlap:
            return True
        if b0 >= a1:
            return dist_after(a1, b0) <= node.n
        return dist_after(b1, a0) <= node.n

    out = {}
    for (a0, a1), x in left.items():
        found = any(holds(a0, a1, b0, b1) for b0, b1 in right)
        if found != (node.op == "outside"):
            out[(a0, a1)] = x
    return out


def brute_top(node: Node, leaf: Any, length: int, units_by: Any, mode: str) -> list[Any]:
    v = brute(node, leaf, length, units_by, mode)
    if mode != "match":
        v = as_units(v, [(0, length)] if mode == "document" else units_by.get(mode, []))
    return sorted((a, b, x[0], x[1]) for (a, b), x in v.items())


def engine(node: Node, leaf: Any, length: int, units_by: Any, mode: str) -> list[Any]:
    def hits(n: Node) -> list[Hit]:
        assert isinstance(n, CodeRef)
        return [Hit(a, b, x[0], x[1]) for a, b, x in leaf[n.ref]]

    found = evaluate(node, DocData(length, units_by, hits), mode)
    return [(h.start, h.end, h.codes, h.coders) for h in found]


# -- random documents and queries ------------------------------------------------------------------
@st.composite
def documents(draw: Any) -> tuple[int, dict, dict]:  # type: ignore[type-arg]
    length = draw(st.integers(10, 120))
    leaf: dict[str, list[tuple[int, int, Ann]]] = {}
    ends: list[int] = []
    for code in CODES:
        rows = []
        for _ in range(draw(st.integers(0, 8))):
            # often where another range ends: touching ranges are where definitions differ
            near_end = [e for e in ends if e < length]
            if near_end and draw(st.booleans()):
                a = draw(st.sampled_from(near_end)) + draw(st.integers(0, 2))
                a = min(a, length - 1)
            else:
                a = draw(st.integers(0, length - 1))
            b = draw(st.integers(a + 1, min(length, a + 30)))
            ends.append(b)
            for coder in draw(st.sets(st.sampled_from(CODERS), min_size=1)):
                rows.append((a, b, (frozenset([code]), frozenset([coder]))))
        leaf[code] = rows
    units_by = {}
    for kind in ("sentences", "paragraphs", "turns"):
        cuts = sorted(draw(st.sets(st.integers(1, length - 1), max_size=8)))
        bounds = [0, *cuts, length]
        ranges = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
        # some positions in no unit at all (blank lines between paragraphs)
        ranges = [(a, b - 1) if b - a > 2 and draw(st.booleans()) else (a, b) for a, b in ranges]
        units_by[kind] = ranges
    return length, leaf, units_by


def queries() -> Any:
    code = st.sampled_from(CODES).map(lambda c: CodeRef(0, c))
    unit = st.sampled_from(["chars", "sentences", "paragraphs", "turns"])

    def extend(inner: Any) -> Any:
        return st.one_of(
            st.builds(lambda a, b: And(0, a, b), inner, inner),
            st.builds(lambda a, b: Or(0, a, b), inner, inner),
            st.builds(lambda a: Not(0, a), inner),
            st.builds(
                lambda xs: Count(0, 1, True, tuple(xs)), st.lists(inner, min_size=1, max_size=3)
            ),
            st.lists(inner, min_size=2, max_size=3).flatmap(
                lambda xs: st.integers(1, len(xs)).map(lambda k: Count(0, k, False, tuple(xs)))
            ),
            st.builds(
                lambda op, a, b, n, u: Relation(0, op, a, b, n, u),
                st.sampled_from(["inside", "outside", "overlaps", "followed_by", "near"]),
                inner,
                inner,
                st.integers(0, 12),
                unit,
            ),
        )

    return st.recursive(code, extend, max_leaves=5)


MODES = st.sampled_from(["match", "sentences", "paragraphs", "turns", "document"])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), queries(), MODES)
def test_engine_matches_brute_force(doc: Any, node: Node, mode: str) -> None:
    length, leaf, units_by = doc
    assert engine(node, leaf, length, units_by, mode) == brute_top(
        node, leaf, length, units_by, mode
    )


# -- the service on a random project ---------------------------------------------------------------
EXPRESSIONS = [
    "A and B",
    "A or B or C",
    "not A",
    "A and not B",
    "only one of (A, B, C)",
    "at least 2 of (A, B, C)",
    "A inside B",
    "A outside B",
    "A overlaps (B or C)",
    "A followed by B within 5 chars",
    "A followed by B within 1 sentences",
    "A near B within 0 paragraphs",
    "(A and B) near C within 3 chars",
    "A inside (B or C) and not C",
]


def test_service_matches_brute_force_on_a_random_project(project: Project, tmp_path: Path) -> None:
    rnd = random.Random(16)
    p = project
    words = ["so", "I", "skip", "it.", "The", "platform", "told", "me", "nothing.", "My"]
    words += ["family", "helps.", "\nRider:", "\nInterviewer:", "\n\n"]
    for i in range(3):
        text = " ".join(rnd.choice(words) for _ in range(160))
        p.documents.import_files([write(tmp_path / f"d{i}.txt", text)])
    for c in CODES:
        p.codes.add(c)
    from qcode.services.codings import CodingRequest

    requests, seen = [], set()
    for _ in range(300):
        doc = f"d{rnd.randrange(3)}"
        n = len(p.documents.text(doc))
        a = rnd.randrange(n - 1)
        b = min(n, a + rnd.randint(1, 60))
        key = (doc, a, b, c := rnd.choice(CODES), coder := rnd.choice(CODERS))
        if key not in seen:
            seen.add(key)
            requests.append(CodingRequest(doc, a, b, c, coder))
    p.codings.apply_many(requests)
    stored = p.codings.list()
    assert len(stored) >= 250
    assert all(p.documents.units(f"d{i}", "turn") for i in range(3))
    for mode_cli, mode in (("match", "match"), ("sentence", "sentences"), ("turn", "turns"),
                           ("paragraph", "paragraphs"), ("document", "document")):  # fmt: skip
        for expr in EXPRESSIONS:
            got = [
                (h.document, h.start, h.end, h.codes, h.coders)
                for h in p.query(expr, unit=mode_cli)
            ]
            want = []
            for i in range(3):
                doc = f"d{i}"
                leaf: dict[str, list[tuple[int, int, Ann]]] = {c: [] for c in CODES}
                for s in stored:
                    if s.document == doc:
                        leaf[s.code].append(
                            (s.start, s.end, (frozenset([s.code]), frozenset([s.coder])))
                        )
                units_by = {
                    k + "s": [(u["start"], u["end"]) for u in p.documents.units(doc, k)]
                    for k in ("sentence", "paragraph", "turn")
                }
                length = len(p.documents.text(doc))
                for a, b, codes, coders in brute_top(parse(expr), leaf, length, units_by, mode):
                    want.append((doc, a, b, sorted(codes), sorted(coders)))
            assert got == want, (expr, mode)


@settings(max_examples=800, deadline=None)
@given(
    documents(),
    st.sampled_from(["inside", "outside", "overlaps", "followed_by", "near"]),
    st.sampled_from(CODES),
    st.sampled_from(CODES),
    st.integers(0, 3),
    st.sampled_from(["chars", "sentences", "turns"]),
)
def test_each_relation_at_its_edges(doc: Any, op: str, a: str, b: str, n: int, unit: str) -> None:
    """Single relations between codes with small distances, where off-by-one errors show."""
    length, leaf, units_by = doc
    node = Relation(0, op, CodeRef(0, a), CodeRef(0, b), n, unit)
    assert engine(node, leaf, length, units_by, "match") == brute_top(
        node, leaf, length, units_by, "match"
    )
