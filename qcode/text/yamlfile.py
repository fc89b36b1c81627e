"""The one YAML loader of qcode: PyYAML's safe loader with a budget for aliases.

YAML anchors and aliases let a few hundred bytes stand for a billion nodes (the "billion laughs"
of XML); ``yaml.safe_load`` builds shared objects, but whatever walks them afterwards (a schema
check, a loop over rules) pays for every one. Here the document's node graph is measured as it
would be expanded before anything is built: aliases may add at most :data:`ALIAS_BUDGET` nodes
beyond the document's own, else :class:`AliasBudgetError` (a ``yaml.YAMLError``) refuses it.
A document nested too deeply for Python's stack is refused the same way.

Frameworks, rules, dictionaries, study files and memo front matter all load through
:func:`safe_load`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from qcode.i18n import _

ALIAS_BUDGET = 10_000  # nodes that aliases may add beyond the document's own


class AliasBudgetError(yaml.YAMLError):
    """A document whose aliases expand it too far, or that is nested too deeply."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _expanded(root: Node) -> tuple[int, int]:
    """(nodes once each, nodes with every alias expanded), in one pass over distinct nodes."""
    size: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size and not done:
            continue
        kids: list[Node] = []
        if isinstance(node, SequenceNode):
            kids = list(node.value)
        elif isinstance(node, MappingNode):
            kids = [n for pair in node.value for n in pair]
        if done:
            size[key] = 1 + sum(size[id(k)] for k in kids)
            continue
        size[key] = 0  # visiting: a recursive alias (refused by the composer) cannot loop here
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in size)
    return len(size), size[id(root)]


class _Loader(yaml.SafeLoader):
    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None:
            distinct, total = _expanded(node)
            if total - distinct > ALIAS_BUDGET:
                raise AliasBudgetError(
                    _(
                        "aliases expand the document past {ALIAS_BUDGET:,} extra nodes "
                        "(an alias bomb?); refused"
                    ).format(ALIAS_BUDGET=ALIAS_BUDGET)
                )
        return node


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the alias budget; every refusal is a ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: plain data only
    except RecursionError:
        raise AliasBudgetError(_("nested too deeply to read; refused")) from None
