"""A project's SQLite file as the standard library sees it: the checks made before it is opened,
the settings of every connection to it and the schema revision the code writes, without
SQLAlchemy (:mod:`qcode.store.db` builds its engine on these; :mod:`qcode.services.glance` reads
with them alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qcode.errors import DamagedStoreError
from qcode.i18n import N_, _

# The newest migration's revision id; a test checks it against Alembic's own view of the scripts.
HEAD = "0014"
BUSY_TIMEOUT_S = 30


def sqlite_pragmas(dbapi_conn: Any, _record: Any = None) -> None:
    """What every connection to a project's SQLite file is set to (WAL, foreign keys on, ...)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.close()


SQLITE_MAGIC = b"SQLite format 3\x00"
REPAIR_HINT = N_("'qcode check --repair' puts the newest backup in its place")
NO_BACKUP_HINT = N_(
    "no backup of it is here to restore (qcode makes one before each upgrade of the file): "
    "put back a copy from your own backups"
)


def backups(file: Path) -> list[Path]:
    """Backups beside the database file, newest first."""
    found = [
        p
        for p in file.parent.glob(f"{file.name}.bak-*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm", "-journal"))
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def repair_hint(path: Path) -> str:
    """What to do about a damaged database file: restore a backup, if there is one."""
    return _(REPAIR_HINT) if backups(path) else _(NO_BACKUP_HINT)


def check_sqlite_file(path: Path) -> None:
    """Refuse, in one line, a project database file that is missing, empty, not SQLite or cut
    short, before SQLite would quietly start a new empty database in its place (so that nothing
    is written into a wrong file)."""
    if not path.exists():
        raise DamagedStoreError(
            _("{path}: the project database is missing; {REPAIR_HINT}").format(
                path=path, REPAIR_HINT=repair_hint(path)
            )
        )
    size = path.stat().st_size
    if size == 0:
        raise DamagedStoreError(
            _("{path}: the project database is empty (0 bytes); {REPAIR_HINT}").format(
                path=path, REPAIR_HINT=repair_hint(path)
            )
        )
    with path.open("rb") as f:
        head = f.read(100)
    page = int.from_bytes(head[16:18], "big") if len(head) == 100 else 0
    page = 65536 if page == 1 else page
    if not head.startswith(SQLITE_MAGIC) or page < 512 or page & (page - 1):
        raise DamagedStoreError(
            _("{path}: not a database (its header is not SQLite's); {REPAIR_HINT}").format(
                path=path, REPAIR_HINT=repair_hint(path)
            )
        )
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]
    wal = path.with_name(path.name + "-wal")
    # With a write-ahead log waiting, SQLite itself finishes an interrupted checkpoint.
    pending = wal.exists() and wal.stat().st_size > 0
    if header_valid and not pending and size < pages * page:
        raise DamagedStoreError(
            _(
                "{path}: the project database is cut short ({size} bytes of {v1}); {REPAIR_HINT}"
            ).format(path=path, size=size, v1=pages * page, REPAIR_HINT=repair_hint(path))
        )
