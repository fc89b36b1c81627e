"""The codings a merge brings in: gathered over every document and stored in one insert.

A merge of a copy with 200,000 new codings had looked up each one's GUID in a query of its own
and stored each document's codings in an insert of their own (30 s in all); the GUIDs are now
looked up 500 at a time and the rows stored together (12 s).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from qcode.services.changes import Change
from qcode.services.exchange_sources import coding_row
from qcode.store.models import Coding

GUIDS_PER_QUERY = 500  # GUIDs looked up in one query (well under any server's limit)
Key = tuple[int, int, int, int]  # code, coder, start, end


def free_guids(conn: Connection, model: Any, guids: Sequence[str]) -> list[str]:
    """Each of ``guids`` for rows of ``model`` stored together: kept if no row has it and it
    did not come earlier in ``guids``, else a new GUID."""
    wanted = [g for g in dict.fromkeys(guids) if g]
    taken: set[str] = set()
    for i in range(0, len(wanted), GUIDS_PER_QUERY):
        part = wanted[i : i + GUIDS_PER_QUERY]
        taken.update(conn.scalars(select(model.uuid).where(model.uuid.in_(part))))
    out = []
    for g in guids:
        free = g if g and g not in taken else str(uuid.uuid4())
        taken.add(free)
        out.append(free)
    return out


class NewCodings:
    """The new codings of the documents merged so far, stored by :meth:`store`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.new: list[tuple[int, str, Any, Key]] = []  # document, its text, coding, key
        self.twins: list[tuple[str, str]] = []  # (a GUID, the GUID of the new coding it repeats)
        self.first: dict[int, dict[Key, str]] = {}  # by document: each new coding's key, GUID

    def stored(self, did: int) -> dict[Key, int]:
        """The codings document ``did`` has here, by code, coder and place."""
        q = select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
        return {
            (r.code_id, r.coder_id, r.start, r.end): r.id
            for r in self.conn.execute(q.where(Coding.document_id == did))
        }

    def add(self, did: int, text: str, codings: Sequence[tuple[Any, Key]]) -> int:
        """``codings`` (the other copy's coding with its key here) of document ``did``, none of
        them stored here; one that repeats another of them is kept as its twin. Returns how
        many twins there were (duplicates, dropped)."""
        first = self.first.setdefault(did, {})  # two sources may be one document here
        twins = 0
        for c, key in codings:
            if key in first:
                self.twins.append((c.guid, first[key]))
                twins += 1
            else:
                first[key] = c.guid
                self.new.append((did, text, c, key))
        return twins

    def store(self, ch: Change, ids: dict[str, int]) -> int:
        """Insert the rows at once, each with its GUID unless a row here has it (then a new
        one); ``ids`` learns each GUID's coding id. Returns how many rows."""
        came_as = [c.guid for _, _, c, _ in self.new]
        guids = free_guids(self.conn, Coding, came_as)
        rows = [
            {**coding_row(c, text, key[0], key[1], guid), "document_id": did}
            for (did, text, c, key), guid in zip(self.new, guids, strict=True)
        ]
        for guid, row in zip(came_as, ch.insert_full(Coding, rows), strict=True):
            ids[guid] = row["id"]
        for guid, of in self.twins:
            ids[guid] = ids[of]
        return len(rows)
