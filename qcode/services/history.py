"""Undo and redo, across sessions and processes, from the event log.

Each change is one batch on the undo stack (``history``). Undo reverts the newest done batch by
replaying the inverse of the newest event that acted on it, and logs an ``undo`` event holding
what it did; redo reverts that undo event in turn. A new change clears what could be redone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from qcode.errors import ConflictError, QcodeError
from qcode.store.models import Event, HistoryEntry, new_uuid
from qcode.store.oplog import revert

if TYPE_CHECKING:
    from qcode.services.project import Project


@dataclass
class LogEntry:
    id: int
    at: datetime
    actor: str
    action: str
    summary: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds") + "Z",
            "actor": self.actor,
            "action": self.action,
            "summary": self.summary,
        }


class HistoryService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def undo(self) -> str:
        """Undo the newest change; returns its summary."""
        return self._step("undo")

    def redo(self) -> str:
        """Redo the newest undone change; returns its summary."""
        return self._step("redo")

    def _step(self, action: str) -> str:
        state, order = (
            ("done", HistoryEntry.seq.desc()) if action == "undo" else ("undone", HistoryEntry.seq)
        )
        with self.p.Session() as s:
            try:
                with s.begin():
                    entry = s.scalars(
                        select(HistoryEntry).where(HistoryEntry.state == state).order_by(order)
                    ).first()
                    if entry is None:
                        raise QcodeError(f"nothing to {action}")
                    last = s.scalars(
                        select(Event)
                        .where(or_(Event.batch == entry.batch, Event.target == entry.batch))
                        .order_by(Event.id.desc())
                    ).first()
                    assert last is not None
                    ops = revert(s.connection(), last.payload["ops"])
                    s.add(
                        Event(
                            actor=self.p.user,
                            action=action,
                            summary=entry.summary,
                            batch=new_uuid(),
                            target=entry.batch,
                            payload={"ops": ops},
                        )
                    )
                    entry.state = "undone" if action == "undo" else "done"
                    return entry.summary
            except IntegrityError as exc:
                raise ConflictError(
                    f"cannot {action} the last change: later changes depend on it ({exc.orig})"
                ) from exc

    def log(
        self, actor: str | None = None, since: datetime | None = None, limit: int | None = None
    ) -> list[LogEntry]:
        q = select(Event).order_by(Event.id.desc())
        if actor:
            q = q.where(Event.actor == actor)
        if since:
            q = q.where(Event.at >= since)
        if limit:
            q = q.limit(limit)
        with self.p.read() as s:
            rows = s.execute(
                q.with_only_columns(Event.id, Event.at, Event.actor, Event.action, Event.summary)
            ).all()
        return [LogEntry(*r) for r in reversed(rows)]
