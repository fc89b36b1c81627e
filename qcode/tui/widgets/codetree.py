"""Filling a Textual tree with the codebook, shared by the coding and codebook screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qcode.i18n import N_, _
from qcode.services.codes import CodeInfo

SORTS = (N_("name"), N_("frequency"), N_("recency"))  # marked: the notice names the order


def arrange(
    codes: list[CodeInfo], sort: str = "name", query: str = "", last: dict[int, str] | None = None
) -> list[CodeInfo]:
    """``codes`` (parents before children) with siblings ordered by ``sort`` (name; frequency:
    most codings first, sub-codes' included; recency: last applied first), keeping only the
    codes whose path contains ``query`` (any case) and their parents."""
    last = last or {}
    children: dict[str | None, list[CodeInfo]] = {}
    for c in codes:
        children.setdefault(c.parent, []).append(c)

    def ordered(kids: list[CodeInfo]) -> list[CodeInfo]:
        kids = sorted(kids, key=lambda c: c.name.casefold())
        if sort == "frequency":
            return sorted(kids, key=lambda c: -(c.codings_with_subcodes or c.codings))
        if sort == "recency":  # stable: ties (and codes never applied, last) stay by name
            return sorted(kids, key=lambda c: last.get(c.id, ""), reverse=True)
        return kids

    q = query.casefold().strip()
    keep = {c.path for c in codes if q in c.path.casefold()} if q else None
    if keep is not None:
        for path in list(keep):
            parts = path.split("/")
            keep.update("/".join(parts[:i]) for i in range(1, len(parts)))
    out: list[CodeInfo] = []

    def walk(parent: str | None) -> None:
        for c in ordered(children.get(parent, [])):
            if keep is None or c.path in keep:
                out.append(c)
                walk(c.path)

    walk(None)
    return out


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


def replace_sets(
    tree: Tree[str], sets: list[Any], query: str = "", old: Any = None
) -> tuple[dict[Any, str], Any]:
    """Put the "Sets" node (see :func:`add_sets`) in place of ``old``, the id of the one drawn
    before, if any; returns what add_sets returns and the new node's id."""
    for node in list(tree.root.children):
        if old is not None and node.id == old:
            node.remove()
    lines = add_sets(tree, sets, query)
    top = tree.root.children[-1].id if lines else None
    return lines, top


def add_sets(tree: Tree[str], sets: list[Any], query: str = "") -> dict[Any, str]:
    """The saved queries and sets of codes under a last node "Sets", each with its count (hits
    of a query in the whole project, or the number of codes of a set of codes), as NVivo and
    MAXQDA list them beside the codes; kept to those whose name holds ``query``. Returns, for
    each set's node id, the line to show when it is chosen."""
    q = query.casefold().strip()
    shown = [s for s in sets if q in s.name.casefold()] if q else list(sets)
    if not shown:
        return {}
    top = tree.root.add(Text(_("Sets"), style="bold"), data=None, expand=True)
    lines: dict[Any, str] = {}
    for s in shown:
        n = s.count if s.count is not None else len(s.codes)
        what = _("hits") if s.count is not None else _("codes")
        node = top.add_leaf(Text.assemble(("◆ ", "magenta"), s.name, (f" {n}", "dim")), data=None)
        of = _(" of {query}").format(query=s.query) if s.query else ""
        lines[node.id] = _("set {name}: {n} {what}{of} (the query screen, 7, runs it)").format(
            name=repr(s.name), n=n, what=what, of=of
        )
    return lines


def code_label(c: CodeInfo) -> Text:
    """A code's line in the tree: its colour, name and count."""
    return Text.assemble(("■ ", c.color), c.name, (f" {c.count_label(short=True)}", "dim"))


def recount(codes: list[CodeInfo], nodes: dict[str, TreeNode[str]], path: str, delta: int) -> None:
    """Keep the counts in the tree current without rebuilding it: the code's own, and the
    aggregate of it and each code above it."""
    by_path = {c.path: c for c in codes}
    code = by_path.get(path)
    if code is not None:
        code.codings += delta
    parts = path.split("/")
    for depth in range(len(parts), 0, -1):
        above = by_path.get("/".join(parts[:depth]))
        if above is None:
            continue
        if above.codings_with_subcodes is not None:
            above.codings_with_subcodes += delta
        node = nodes.get(above.path)
        if node is not None:
            node.set_label(code_label(above))
