"""Engine and session set-up, and migrations run on open.

SQLite is the embedded default (one file per project) and is opened in WAL mode with foreign keys
on, a busy timeout and ``synchronous=NORMAL``: a committed transaction survives the process being
killed. Any other SQLAlchemy URL (PostgreSQL for teams) is used as given; nothing in the services
is specific to SQLite.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from qcode.errors import DamagedStoreError, InvalidInputError, StoreError
from qcode.i18n import _
from qcode.store.dbfile import (  # noqa: F401  (db.HEAD, db.check_sqlite_file ... as before)
    BUSY_TIMEOUT_S,
    HEAD,
    REPAIR_HINT,
    SQLITE_MAGIC,
    check_sqlite_file,
    sqlite_pragmas,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def parse_url(url: str) -> URL:
    """The URL, or a one-line refusal (the password, if any, not repeated)."""
    try:
        u = make_url(url)
        u.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        shown = url.split("@")[-1] if "@" in url else url
        raise InvalidInputError(
            _(
                "{shown!r} is not a database URL qcode can use (e.g. "
                "postgresql+psycopg://user@host/database or sqlite:///project.db)"
            ).format(shown=shown)
        ) from None
    return u


def sqlite_file(url: str | URL) -> Path | None:
    u = make_url(url) if isinstance(url, str) else url
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str) -> Engine:
    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, issue BEGIN so transactions are real. A writing transaction
        # (see writer()) takes the write lock at its start, so it cannot fail half-way on a lock;
        # reading transactions begin deferred and, in WAL mode, never wait for a writer.
        event.listen(engine, "connect", _no_pysqlite_tx)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _no_pysqlite_tx(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None


def _begin(conn: Any) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


WRITE_OPTION = "qcode_write"


def writer(engine: Engine) -> Engine:
    """The same engine, for transactions that will write."""
    return engine.execution_options(**{WRITE_OPTION: True})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, read with one query (no Alembic import)."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> Path | None:
    """Migrate only when the database is not at :data:`HEAD`; the common case costs one query.
    A database written by a newer qcode is refused as it is (no backup, no migration)."""
    stored = stored_revision(engine)
    if stored == HEAD:
        return None
    if stored is not None and not known_revision(engine, stored):
        raise DamagedStoreError(
            _(
                "{v1}: written by a newer qcode (schema {stored}; this qcode "
                "knows up to {HEAD}); upgrade qcode to open it"
            ).format(v1=describe_url(engine), stored=stored, HEAD=HEAD)
        )
    return upgrade(engine)


def known_revision(engine: Engine, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return (
            ScriptDirectory.from_config(_alembic_config(engine)).get_revision(revision) is not None
        )
    except Exception:  # alembic raises several kinds for an id it has no script for
        return False


def upgrade(engine: Engine, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to the newest revision; returns the backup made first, if any.

    For a SQLite file that already holds data, a copy is made beside it before any migration runs
    (``<file>.bak-<revision>-<UTC time>``).
    """
    from alembic import command

    head = head_revision(engine)
    current = current_revision(engine)
    if current == head:
        return None
    backup = None
    db_file = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    has_tables = bool(inspect(engine).get_table_names())
    if db_file and has_tables and db_file != ":memory:":
        src = Path(db_file)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = (backup_dir or src.parent) / f"{src.name}.bak-{current or 'base'}-{stamp}"
        # SQLite's online backup copies a consistent snapshot, WAL content included.
        with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(backup)) as copy:
            source.backup(copy)
    try:
        command.upgrade(_alembic_config(engine), "head")
    except Exception as exc:  # pragma: no cover - reported, never swallowed
        kept = _("; backup kept at {backup}").format(backup=backup) if backup else ""
        detail = " ".join(str(exc).split("\n")[0].split())
        raise StoreError(
            _("migration to {head} failed ({detail}){kept}").format(
                head=head, detail=detail, kept=kept
            )
        ) from exc
    return backup


def describe_url(engine: Engine) -> str:
    """The engine's URL with any password hidden."""
    return engine.url.render_as_string(hide_password=True)
