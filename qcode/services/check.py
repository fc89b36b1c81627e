"""``qcode check``: is the project's database whole, and does it keep qcode's own rules?

On SQLite: the file itself (present, not empty, SQLite's header, not cut short), SQLite's
``integrity_check`` and ``foreign_key_check``. On every back end: every coding inside its
document and holding the text it covers, the paragraph units inside their document and covering
every character that is not white space, and the history consistent with the event log (each
undo step has the event that made it, and its state agrees with the last event that acted on it).

``repair`` puts the newest backup that passes the same checks in place of a damaged file; the
damaged file is kept beside it (``project.db.damaged-<UTC time>``), never deleted.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qcode import settings as settings_mod
from qcode.errors import ConflictError, QcodeError, StoreError
from qcode.i18n import _
from qcode.store import db
from qcode.store.dbfile import backups, repair_hint
from qcode.store.models import Coding, Document, Event, HistoryEntry, Segment

MAX_LISTED = 5


@dataclass
class Finding:
    check: str
    ok: bool
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


def _sqlite_checks(file: Path, immutable: bool = False) -> list[Finding]:
    try:
        db.check_sqlite_file(file)
    except StoreError as exc:
        return [Finding("file", False, str(exc).split(": ", 1)[-1].split(";")[0])]
    out = [Finding("file", True)]
    try:
        # a backup is read as it is (no -wal or -shm file made beside it)
        mode = "immutable=1" if immutable else "mode=ro"
        with closing(sqlite3.connect(f"file:{file}?{mode}", uri=True)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            sound = rows == ["ok"]
            out.append(Finding("integrity", sound, "" if sound else "; ".join(rows[:MAX_LISTED])))
            bad = conn.execute("PRAGMA foreign_key_check").fetchall()
            detail = "; ".join(f"{t} row {r} refers to a missing {p}" for t, r, p, _ in bad)
            out.append(Finding("foreign keys", not bad, detail[:400]))
    except sqlite3.DatabaseError as exc:
        out.append(Finding("integrity", False, str(exc)))
    return out


def _invariants(root: Path) -> list[Finding]:
    from qcode.services.project import Project

    out: list[Finding] = []
    with Project.open(root) as p, p.read() as s:
        docs = {d.id: d for d in s.execute(select(Document.id, Document.name, Document.chars))}
        texts: dict[int, str] = {}

        def text(doc_id: int) -> str:
            if doc_id not in texts:
                texts[doc_id] = s.scalar(select(Document.text).where(Document.id == doc_id)) or ""
            return texts[doc_id]

        bad: list[str] = []
        for c in s.execute(select(Coding.id, Coding.document_id, Coding.start, Coding.end)):
            d = docs.get(c.document_id)
            if d is None or not 0 <= c.start < c.end <= d.chars:
                bad.append(f"coding {c.id} [{c.start}, {c.end}) outside {d.name if d else '?'}")
        out.append(Finding("codings inside documents", not bad, "; ".join(bad[:MAX_LISTED])))

        bad = []
        by_doc: dict[int, list[tuple[int, int]]] = {}
        for u in s.execute(
            select(Segment.document_id, Segment.start, Segment.end).where(
                Segment.kind == "paragraph"
            )
        ):
            by_doc.setdefault(u.document_id, []).append((u.start, u.end))
        for doc_id, d in docs.items():
            t = text(doc_id)
            covered = bytearray(len(t))
            for start, end in by_doc.get(doc_id, []):
                if not 0 <= start < end <= len(t):
                    bad.append(f"{d.name}: unit [{start}, {end}) outside the text")
                    continue
                covered[start:end] = b"\x01" * (end - start)
            gap = next((i for i, ch in enumerate(t) if not covered[i] and not ch.isspace()), None)
            if gap is not None:
                bad.append(f"{d.name}: offset {gap} is in no paragraph unit")
        out.append(Finding("units cover the text", not bad, "; ".join(bad[:MAX_LISTED])))

        bad = []
        events = {
            e.id: e for e in s.execute(select(Event.id, Event.batch, Event.target, Event.action))
        }
        batches = {e.batch for e in events.values()}
        for h in s.execute(select(HistoryEntry)).scalars():
            last = events.get(h.last_event) if h.last_event is not None else None
            if h.batch not in batches:
                bad.append(f"step {h.seq} ({h.summary}) has no event")
            elif h.last_event is not None and (
                last is None or h.batch not in (last.batch, last.target)
            ):
                bad.append(f"step {h.seq} ({h.summary}) points to a wrong event")
            elif last is not None and (last.action == "undo") != (h.state == "undone"):
                bad.append(f"step {h.seq} ({h.summary}) is {h.state} but its last event disagrees")
        out.append(Finding("history consistent", not bad, "; ".join(bad[:MAX_LISTED])))
    return out


def check(root: str | Path | None = None) -> list[Finding]:
    folder = settings_mod.find_project(root)
    s = settings_mod.load(folder)
    file = db.sqlite_file(db.parse_url(settings_mod.resolve_db_url(folder, s.db_url)))
    out = _sqlite_checks(file) if file is not None else []
    if all(f.ok for f in out):
        try:
            out += _invariants(folder)
        except QcodeError as exc:
            out.append(Finding("open", False, str(exc)))
    return out


FILE_CHECKS = ("file", "integrity", "foreign keys")  # what a backup can cure


def _sqlite_path(root: str | Path | None) -> Path | None:
    folder = settings_mod.find_project(root)
    s = settings_mod.load(folder)
    return db.sqlite_file(db.parse_url(settings_mod.resolve_db_url(folder, s.db_url)))


def repair_advice(root: str | Path | None = None) -> str:
    """What to do about a damaged SQLite database: ``check --repair`` if a backup is there."""
    file = _sqlite_path(root)
    if file is None or backups(file):
        return _("'qcode check --repair' puts the newest sound backup in its place")
    return repair_hint(file)


def repair(root: str | Path | None = None) -> str:
    """Put the newest sound backup in place of the damaged database; returns what was done."""
    folder = settings_mod.find_project(root)
    file = _sqlite_path(folder)
    if file is None:
        raise QcodeError(_("--repair restores a SQLite project file; a server has its own backups"))
    if file.exists() and all(f.ok for f in _sqlite_checks(file)):
        why = next((f.detail or f.check for f in check(folder) if not f.ok), "every check passes")
        raise ConflictError(
            _(
                "{name} is not damaged ({why}); a backup in its place would lose "
                "what was done since, so nothing was restored"
            ).format(name=file.name, why=why)
        )
    for candidate in backups(file):
        if all(f.ok for f in _sqlite_checks(candidate, immutable=True)):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            kept = file.with_name(f"{file.name}.damaged-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                part = file.with_name(file.name + suffix)
                if part.exists():
                    part.rename(kept.with_name(kept.name + suffix))
            shutil.copy2(candidate, file)
            return f"restored {file.name} from {candidate.name}; the damaged file is {kept.name}"
    raise StoreError(
        _("{file}: no sound backup to restore (looked for {name}.bak-*)").format(
            file=file, name=file.name
        )
    )
