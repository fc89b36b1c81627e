"""What every coding reads and a project seldom changes (the code tree, documents and coders by
name), kept between changes for as long as nothing has changed it.

On SQLite a change holds the write lock from its start, and every change, undo and redo appends
an event, so the newest event's id, read at the start of a change, says whether anything was
committed since the kept values were read, by this process or by another. A change whose own
operations touch none of the kept tables carries the values over to its own event; one that
touches them, or fails, lets them go. On a server, where event ids need not follow the order of
commits, nothing is kept and every change reads afresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qcode.services.changes import Change

TABLES = frozenset({"codes", "documents", "coders"})


def touches(ops: list[Any]) -> bool:
    """Whether operations of a change write any of the kept tables."""
    return any(op[1] in TABLES for op in ops)


class Kept:
    def __init__(self) -> None:
        self._kept: tuple[int, dict[str, Any]] | None = None

    def values(self, ch: Change) -> dict[str, Any]:
        """The values kept for the state ``ch`` started from; an empty dict to fill when there
        are none, and a throwaway one when nothing can be kept."""
        if ch.conn.dialect.name != "sqlite" or touches(ch.ops):
            return {}
        if ch.kept is not None:
            return ch.kept[1]
        stamp = ch.conn.exec_driver_sql("SELECT max(id) FROM events").scalar() or 0
        kept = self._kept
        if kept is None or kept[0] != stamp:
            kept = self._kept = (stamp, {})
        ch.kept = kept
        return kept[1]

    def committed(self, ch: Change, event_id: int | None) -> None:
        """After ``ch`` committed as ``event_id`` (None when it wrote nothing)."""
        if touches(ch.ops):
            self._kept = None
        elif ch.kept is not None and event_id is not None:
            self._kept = (event_id, ch.kept[1])

    def drop(self) -> None:
        self._kept = None
