"""The codebook as a list: :class:`CodeInfo` records and the code tree they come in the order
of, from plain rows (no database library: :mod:`qcode.services.codes` reads the rows through
SQLAlchemy, :mod:`qcode.services.glance` with the standard library's sqlite3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class CodeInfo:
    id: int
    uuid: str
    name: str
    path: str
    parent: str | None
    level: str
    description: str
    color: str
    codings: int = 0
    documents: int = 0
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    in_vivo: bool = False
    # the code's own codings and its sub-codes' (NVivo's aggregate); None when not asked for
    codings_with_subcodes: int | None = None
    documents_with_subcodes: int | None = None

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("codings_with_subcodes", "documents_with_subcodes"):
            if out[key] is None:
                del out[key]
        return out

    def count_label(self, short: bool = False) -> str:
        """``12`` for a code without sub-codes; ``0 own · 37 with sub-codes`` for one with
        (``0·37`` when ``short``, for a narrow pane)."""
        if self.codings_with_subcodes is None or self.codings_with_subcodes == self.codings:
            return str(self.codings)
        if short:
            return f"{self.codings}·{self.codings_with_subcodes}"
        return f"{self.codings} own · {self.codings_with_subcodes} with sub-codes"


class CodeForest:
    """Codes by id: their names, parents and children, with paths (``a/b/c``)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        """``rows``: (id, name, parent_id) of every code."""
        rows = list(rows)
        self.name: dict[int, str] = {r[0]: r[1] for r in rows}
        self.parent: dict[int, int | None] = {r[0]: r[2] for r in rows}
        self.children: dict[int | None, list[int]] = {}
        for r in rows:
            self.children.setdefault(r[2], []).append(r[0])
        self._paths: dict[int, str] = {}

    def path(self, cid: int) -> str:
        p = self._paths.get(cid)
        if p is None:
            parts = []
            cur: int | None = cid
            seen = set()
            while cur is not None and cur not in seen:
                seen.add(cur)
                parts.append(self.name[cur])
                cur = self.parent[cur]
            p = "/".join(reversed(parts))
            self._paths[cid] = p
        return p

    def subtree(self, cid: int) -> list[int]:
        out, stack = [], [cid]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self.children.get(c, []))
        return out

    def ordered(self) -> list[int]:
        """Depth-first, siblings by name."""
        out: list[int] = []

        def walk(parent: int | None) -> None:
            for c in sorted(self.children.get(parent, []), key=lambda c: self.name[c].casefold()):
                out.append(c)
                walk(c)

        walk(None)
        return out


def code_infos(
    tree: CodeForest,
    rows: Mapping[int, Any],
    n_codings: Mapping[int, int],
    n_docs: Mapping[int, int],
    doc_sets: Mapping[int, set[int]] | None = None,
) -> list[CodeInfo]:
    """Every code, depth-first, from ``rows`` by id (id, uuid, level, description, color,
    inclusion, exclusion, example, in_vivo) and the counts by code id; with ``doc_sets`` (each
    code's documents) each also counts its sub-codes' codings and documents."""
    out = []
    for cid in tree.ordered():
        r = rows[cid]
        parent = tree.parent[cid]
        out.append(
            CodeInfo(
                cid,
                r[1],
                tree.name[cid],
                tree.path(cid),
                tree.path(parent) if parent is not None else None,
                r[2],
                r[3],
                r[4],
                n_codings.get(cid, 0),
                n_docs.get(cid, 0),
                r[5],
                r[6],
                r[7],
                bool(r[8]),
            )
        )
    if doc_sets is not None:
        for c in out:
            sub = tree.subtree(c.id)
            c.codings_with_subcodes = sum(n_codings.get(k, 0) for k in sub)
            c.documents_with_subcodes = len(set().union(*(doc_sets.get(k, set()) for k in sub)))
    return out
