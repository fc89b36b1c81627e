"""Filling a Textual tree with the codebook, shared by the coding and codebook screens."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qcode.services.codes import CodeInfo


def fill_code_tree(
    tree: Tree[str], codes: list[CodeInfo], label: Callable[[CodeInfo], Text]
) -> dict[str, TreeNode[str]]:
    """Replace the tree's content with ``codes`` (depth-first order, parents first); node data
    is the code's path. Returns the node of each path."""
    tree.clear()
    tree.show_root = False
    parents = {c.parent for c in codes}
    nodes: dict[str, TreeNode[str]] = {}
    for c in codes:
        parent = nodes.get(c.parent) if c.parent else None
        node = (parent or tree.root).add(label(c), data=c.path, expand=True)
        node.allow_expand = c.path in parents
        nodes[c.path] = node
    tree.root.expand()
    return nodes
