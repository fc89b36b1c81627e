"""Names read from files made elsewhere, cleaned of control characters and escape sequences.

A name from a .qdpx, an RQDA project, a codebook file, a CSV or another project's database is
kept as written unless it holds a control character (see :mod:`qcode.text.safety`); then the
escape sequences and controls are removed, a name that becomes empty or collides with another is
given a free one, and each change is reported in one line. Code paths are cleaned one level at a
time, and what refers to a code by its path (relations, sets) follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from qcode.interchange.model import Codebook, CodeEntry
from qcode.text.safety import Cleaner, control_in

if TYPE_CHECKING:
    from qcode.interchange.qdpx import Exchange

T = TypeVar("T")


def _free(name: str, taken: set[str]) -> str:
    out, n = name, 2
    while out.casefold() in taken:
        out, n = f"{name} ({n})", n + 1
    return out


def clean_all(
    kind: str,
    items: Iterable[T],
    get: Callable[[T], str],
    put: Callable[[T, str], None],
    clean: Cleaner,
    group: Callable[[T], object] = lambda _: None,
) -> None:
    """Clean the names of ``items`` (unique within each ``group``) in place."""
    items = list(items)
    taken: dict[object, set[str]] = {}
    for it in items:
        if control_in(get(it)) is None:
            taken.setdefault(group(it), set()).add(get(it).casefold())
    for it in items:
        name = get(it)
        if control_in(name) is None:
            continue
        names = taken.setdefault(group(it), set())
        new = _free(clean(kind, name), names)
        names.add(new.casefold())
        put(it, new)


def clean_paths(codes: list[CodeEntry], clean: Cleaner) -> dict[str, str]:
    """Clean each level of each code's path (parents listed first); old path -> new path."""
    moved: dict[str, str] = {}
    taken: set[str] = {c.path.casefold() for c in codes if control_in(c.path) is None}
    for c in codes:
        if control_in(c.path) is None:
            continue
        parent = c.parent
        head = None
        if parent is not None:
            head = moved.get(parent) or "/".join(
                clean("code", part) if control_in(part) else part for part in parent.split("/")
            )
        name = c.name if control_in(c.name) is None else clean("code", c.name)
        path = _free(name if head is None else f"{head}/{name}", taken)
        taken.add(path.casefold())
        moved[c.path] = path
        c.path = path
    return moved


def clean_exchange(x: Exchange) -> list[str]:
    """Clean the code, coder, case, attribute, document and set names of ``x``; the lines added
    to its report."""
    before = len(x.report)
    clean = Cleaner(x.report)
    clean_paths(x.codes, clean)
    users = list(x.users.items())
    names = dict(users)
    clean_all("coder", [g for g, _ in users], names.__getitem__, names.__setitem__, clean)
    x.users = names
    clean_all(
        "attribute",
        x.variables,
        lambda v: v.name,
        lambda v, n: setattr(v, "name", n),
        clean,
        group=lambda v: v.scope,
    )
    named: tuple[tuple[str, list[Any]], ...] = (
        ("case", x.cases),
        ("document", x.sources),
        ("set", x.sets),
    )
    for kind, items in named:
        clean_all(kind, items, lambda v: v.name, lambda v, n: setattr(v, "name", n), clean)
    return x.report[before:]


def clean_codebook(cb: Codebook) -> Codebook:
    """``cb`` with clean code paths and set names; relations and sets follow moved codes."""
    clean = Cleaner(cb.notes)
    moved = clean_paths(cb.codes, clean)
    if moved:
        for r in cb.relations:
            r.source, r.target = moved.get(r.source, r.source), moved.get(r.target, r.target)
        for s in cb.sets:
            s.codes = [moved.get(c, c) for c in s.codes]
    clean_all("set", cb.sets, lambda v: v.name, lambda v, n: setattr(v, "name", n), clean)
    return cb
