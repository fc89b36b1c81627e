"""The query tree as the service uses it: resolved code operands, an "or" of codes merged into
one operand, and which documents can have results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from qcode.analysis.query_eval import Hit
from qcode.analysis.query_parse import And, Count, Node, Not, Or, Relation


def substitute(node: Node, fn: Any) -> Node:
    """``node`` with its leaves replaced by ``fn(leaf)``."""
    if isinstance(node, And | Or | Relation):
        return replace(node, left=substitute(node.left, fn), right=substitute(node.right, fn))
    if isinstance(node, Not):
        return replace(node, operand=substitute(node.operand, fn))
    if isinstance(node, Count):
        return replace(node, operands=tuple(substitute(o, fn) for o in node.operands))
    return fn(node)


@dataclass(frozen=True)
class Codes(Node):
    """A resolved code operand: code ids, each with the path its codings count for (an "or"
    of codes is one operand, read and united at once)."""

    labels: tuple[tuple[int, str], ...]


def codes_operand(column: int, ids: Iterable[int], label: str) -> Codes:
    return Codes(column, tuple((i, label) for i in sorted(ids)))


def merge_codes(node: Node, operand_of_relation: bool = False) -> Node:
    """``A or B or ...`` of codes as one operand: the same value (the union of their ranges),
    read and united at once. Not directly under a relation: there, in a unit mode, an "or"
    stands for its units, a code for its ranges."""
    if isinstance(node, Or):
        left, right = merge_codes(node.left), merge_codes(node.right)
        if isinstance(left, Codes) and isinstance(right, Codes) and not operand_of_relation:
            return Codes(node.column, tuple(sorted(set(left.labels) | set(right.labels))))
        return Or(node.column, left, right)
    if isinstance(node, Relation):
        return replace(node, left=merge_codes(node.left, True), right=merge_codes(node.right, True))
    if isinstance(node, And):
        return replace(node, left=merge_codes(node.left), right=merge_codes(node.right))
    if isinstance(node, Not):
        return replace(node, operand=merge_codes(node.operand))
    if isinstance(node, Count):
        return replace(node, operands=tuple(merge_codes(o) for o in node.operands))
    return node


def candidates(node: Node, leaf_hits: dict[Node, dict[int, list[Hit]]]) -> set[int] | None:
    """The documents where ``node`` can have results, from the documents its operands have
    hits in; None when any document can (a ``not`` gives results where nothing is)."""
    if isinstance(node, Not):
        return None
    if isinstance(node, Relation):
        left = candidates(node.left, leaf_hits)
        if node.op == "outside":
            return left
        right = candidates(node.right, leaf_hits)
        return right if left is None else left if right is None else left & right
    if isinstance(node, Count):
        sets = [candidates(o, leaf_hits) for o in node.operands]
        if any(x is None for x in sets):
            return None
        seen: dict[int, int] = {}
        for x in sets:
            for d in x or ():
                seen[d] = seen.get(d, 0) + 1
        return {d for d, n in seen.items() if n >= node.k}
    if isinstance(node, And | Or):
        left, right = candidates(node.left, leaf_hits), candidates(node.right, leaf_hits)
        if isinstance(node, Or):
            return None if left is None or right is None else left | right
        return right if left is None else left if right is None else left & right
    return set(leaf_hits.get(node, {}))


def relation_units(node: Node) -> set[str]:
    out = set()
    if isinstance(node, Relation) and node.unit != "chars":
        out.add(node.unit)
    for child in _children(node):
        out |= relation_units(child)
    return out


def code_ids(node: Node) -> set[int]:
    """The ids of the codes a resolved query names, wherever they stand in it."""
    if isinstance(node, Codes):
        return {cid for cid, _ in node.labels}
    return set().union(*(code_ids(c) for c in _children(node)))


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, And | Or | Relation):
        return (node.left, node.right)
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, Count):
        return node.operands
    return ()
