"""Undo and redo, per coder, across sessions and processes, from the event log.

Each change is one batch on the undo stack (``history``), owned by the coder who made it. A coder's
undo reverts their own newest done batch by replaying the inverse of the newest event that acted on
it, and logs an ``undo`` event holding what it did; redo reverts the batch they undid last. A new
change clears only its own coder's redo. ``project_wide=True`` (``qcode undo --project``) takes
the newest batch of anyone instead.

Undo is refused, in one line, when another coder's later change depends on the batch (touched the
same rows, or refers to a row the batch created): ``cannot undo: bob changed 'income' at 10:42
after you``.

Concurrent undos cannot apply one step twice: a step is claimed by an ``UPDATE ... WHERE state =``
the state it was read in, and only the transaction whose update matched goes on; the others read
the stack again. Reverting checks that every row is still as the step left it (and locks it, on
PostgreSQL), so a change that slipped in meanwhile makes the step refused, never half-applied. A
transaction that lost a race on the server (a deadlock, a serialization failure) is retried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from qcode.errors import ConflictError, QcodeError
from qcode.i18n import _
from qcode.services.historywords import shown
from qcode.store.models import TABLES, Code, Coding, Event, HistoryEntry, new_uuid, utcnow
from qcode.store.oplog import Op, RevertConflict, RowKey, references, revert, touched

if TYPE_CHECKING:
    from qcode.services.project import Project

H: Any = HistoryEntry.__table__
E: Any = Event.__table__
RETRIES = 20
# Server errors that mean "this transaction lost a race; run it again".
RETRY_SQLSTATES = {"40001", "40P01", "55P03"}


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


@dataclass
class NextStep:
    """What ``qcode undo`` or ``qcode redo`` would take next, for one coder (or ``None`` for
    ``--project``): whose change it is and what it did."""

    coder: str | None
    action: str
    owner: str
    summary: str
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "coder": self.coder,
            "action": self.action,
            "owner": self.owner,
            "summary": self.summary,
            "at": self.at.isoformat(timespec="seconds") + "Z",
        }


class _Lost(Exception):
    """Another transaction claimed the step first."""


def retryable(exc: OperationalError) -> bool:
    """A deadlock or serialization failure on the server, or a SQLite lock that timed out."""
    code = getattr(exc.orig, "sqlstate", None)
    return code in RETRY_SQLSTATES or "database is locked" in str(exc.orig)


def _clock(at: datetime) -> str:
    return at.replace(tzinfo=UTC).astimezone().strftime("%H:%M")


class HistoryService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def undo(self, project_wide: bool = False) -> str:
        """Undo this coder's newest change (anyone's with ``project_wide``); returns its summary."""
        return self._step("undo", project_wide)

    def redo(self, project_wide: bool = False) -> str:
        """Redo the change this coder (anyone, with ``project_wide``) undid last."""
        return self._step("redo", project_wide)

    # -- the step ------------------------------------------------------------------------------
    def _pick(self, conn: Connection, action: str, project_wide: bool) -> Any:
        if action == "undo":
            q = select(H).where(H.c.state == "done").order_by(H.c.seq.desc())
        else:
            q = select(H).where(H.c.state == "undone").order_by(H.c.last_event.desc())
        if not project_wide:
            q = q.where(H.c.actor == self.p.user)
        if conn.dialect.name == "postgresql":
            # Row locks: a step another undo is taking is skipped, not waited for (SQLite has one
            # writer at a time, so there is nothing to skip).
            q = q.with_for_update(skip_locked=True)
        return conn.execute(q.limit(1)).first()

    def _last_ops(self, conn: Connection, entry: Any) -> list[Op]:
        if entry.last_event is not None:
            payload = conn.scalar(select(Event.payload).where(Event.id == entry.last_event))
        else:  # an entry written before the stack had owners
            payload = conn.scalar(
                select(Event.payload)
                .where(or_(Event.batch == entry.batch, Event.target == entry.batch))
                .order_by(Event.id.desc())
                .limit(1)
            )
        return list((payload or {}).get("ops", []))

    def _step(self, action: str, project_wide: bool) -> str:
        state, new_state = ("done", "undone") if action == "undo" else ("undone", "done")
        whose = "" if project_wide else _(" for {user}").format(user=self.p.user)
        for attempt in range(RETRIES):
            try:
                with self.p.Session() as s, s.begin():
                    conn = s.connection()
                    entry = self._pick(conn, action, project_wide)
                    if entry is None:
                        raise QcodeError(
                            _("nothing to {action}{whose}").format(action=_(action), whose=whose)
                        )
                    claimed = conn.execute(
                        update(H)
                        .where(H.c.seq == entry.seq, H.c.state == state)
                        .values(state=new_state)
                    ).rowcount
                    if claimed != 1:
                        raise _Lost
                    ops = self._last_ops(conn, entry)
                    self._check_later(conn, action, entry, ops, project_wide)
                    done = revert(conn, ops)
                    event_id = conn.execute(
                        E.insert().returning(E.c.id),
                        dict(
                            uuid=new_uuid(),
                            at=utcnow(),
                            actor=self.p.user,
                            action=action,
                            summary=entry.summary,
                            batch=new_uuid(),
                            target=entry.batch,
                            payload={"ops": done},
                        ),
                    ).scalar_one()
                    conn.execute(update(H).where(H.c.seq == entry.seq).values(last_event=event_id))
                    return str(entry.summary)
            except _Lost:
                continue
            except OperationalError as exc:
                if not retryable(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == "42501":  # the server's privileges
                    raise self.p.roles.refusal(action) from None
                raise
            except RevertConflict as exc:
                raise ConflictError(
                    _("cannot {action} {summary!r}: {v1} was changed since").format(
                        action=_(action),
                        summary=shown(entry.summary),
                        v1=self._label(exc.table, exc.key),
                    )
                ) from None
            except IntegrityError:
                raise ConflictError(
                    _(
                        "cannot {action} {summary!r}: a later change took its place (the "
                        "same name, or what it belongs to is gone)"
                    ).format(action=_(action), summary=shown(entry.summary))
                ) from None
        raise ConflictError(
            _("cannot {action}: other coders kept changing the history; try again").format(
                action=_(action)
            )
        )

    def _check_later(
        self, conn: Connection, action: str, entry: Any, ops: list[Op], project_wide: bool
    ) -> None:
        """Refuse when another coder's change, made after this step, depends on it."""
        rows, inserted = touched(ops)
        q = select(H.c.actor, H.c.last_event).where(
            H.c.state == "done", H.c.last_event > (entry.last_event or 0), H.c.seq != entry.seq
        )
        if not project_wide:
            q = q.where(H.c.actor != self.p.user)
        for actor, last_event in conn.execute(q.order_by(H.c.last_event)).all():
            ev = conn.execute(select(Event.at, Event.payload).where(Event.id == last_event)).one()
            theirs = list((ev.payload or {}).get("ops", []))
            their_rows, _refs = touched(theirs)
            hit: set[RowKey] = rows & their_rows
            if not hit and inserted:
                hit = references(conn, theirs, inserted)
            if hit:
                table, key = min(hit, key=repr)
                after = _("after you") if not project_wide else _("after it")
                raise ConflictError(
                    _("cannot {action}: {actor} changed {v1} at {v2} {after}").format(
                        action=_(action),
                        actor=actor,
                        v1=self._label(table, key, conn),
                        v2=_clock(ev.at),
                        after=after,
                    )
                )

    def _label(self, table: str, key: Any, conn: Connection | None = None) -> str:
        """A name for a row in a message: a code's or document's name, a memo's title, the code
        of a coding."""
        t = TABLES[table]
        if isinstance(key, tuple):
            return _("a value in {table}").format(table=table)
        if isinstance(key, list):
            return _("{n} rows of {table}").format(n=len(key), table=table)
        with self.p.read() as s:
            c = conn or s.connection()
            if table == Coding.__tablename__:
                name = c.scalar(
                    select(Code.name)
                    .join(Coding, Coding.code_id == Code.id)
                    .where(Coding.id == key)
                )
                return (
                    _("a coding of {name!r}").format(name=name)
                    if name
                    else _("coding {key}").format(key=key)
                )
            for col in ("name", "title"):
                if col in t.c:
                    name = c.scalar(select(t.c[col]).where(t.c.id == key))
                    if name:
                        return repr(name)
        return f"{table.rstrip('s')} {key}"

    # -- reading -------------------------------------------------------------------------------
    def next_steps(self) -> list[NextStep]:
        """For every coder with a step, and for ``--project`` (coder ``None``): what undo and
        redo would take next."""
        with self.p.read() as s:
            rows = s.execute(
                select(H.c.actor, H.c.state, H.c.seq, H.c.last_event, H.c.summary, Event.at)
                .join(Event, Event.id == H.c.last_event, isouter=True)
                .order_by(H.c.seq)
            ).all()
        out: list[NextStep] = []

        def pick(coder: str | None, candidates: list[Any]) -> None:
            done = [r for r in candidates if r.state == "done"]
            undone = [r for r in candidates if r.state == "undone"]
            if done:
                r = max(done, key=lambda r: r.seq)
                out.append(NextStep(coder, "undo", r.actor, r.summary, r.at or datetime.min))
            if undone:
                r = max(undone, key=lambda r: r.last_event or 0)
                out.append(NextStep(coder, "redo", r.actor, r.summary, r.at or datetime.min))

        for coder in sorted({r.actor for r in rows}):
            pick(coder, [r for r in rows if r.actor == coder])
        pick(None, list(rows))
        return out

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
