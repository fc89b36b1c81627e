"""Quick reads of a project on SQLite for ``qcode info`` and ``qcode codes list``: its settings
read with :mod:`tomllib` and its database with the standard library's :mod:`sqlite3`, so that
these commands start without SQLAlchemy's ORM, Alembic or pydantic.

Each read answers None wherever it cannot be sure to read what the project's services would
(:meth:`qcode.services.Project.info`, :meth:`qcode.services.codes.CodeService.list`): settings
that only the full validation could accept or refuse, a database other than a plain SQLite file
(a server's URL), a schema other than :data:`qcode.store.dbfile.HEAD` (older: the services
migrate it; newer: they refuse it), or any error at all. The command then opens the project as
usual, which migrates, refuses or reports exactly as it always does.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from qcode.errors import QcodeError
from qcode.services.code_info import CodeForest, CodeInfo, code_infos
from qcode.settings_paths import (
    ENV_USER,
    LANGUAGE_CODES,
    SETTINGS_FILE,
    USER_ENV,
    find_project,
    resolve_db_url,
    user_config_path,
)
from qcode.store.dbfile import BUSY_TIMEOUT_S, HEAD, check_sqlite_file, sqlite_pragmas

SQLITE = "sqlite:///"


def _text(value: Any) -> bool:
    return type(value) is str


def _named(value: Any) -> bool:
    return type(value) is str and bool(value.strip())


def _flag(value: Any) -> bool:
    return type(value) is bool


def _language(value: Any) -> bool:
    return type(value) is str and value in LANGUAGE_CODES


def _plain_sqlite(value: Any) -> bool:
    """A SQLite file's URL, which SQLAlchemy reads as the path after ``sqlite:///``."""
    return (
        type(value) is str
        and value.startswith(SQLITE)
        and "?" not in value
        and value not in (SQLITE, SQLITE + ":memory:")
    )


def _patterns(value: Any) -> bool:
    """Speaker patterns as :mod:`qcode.settings_schema` accepts them: regular expressions, each
    with a group named ``speaker``."""
    if type(value) is not list or not all(type(p) is str for p in value):
        return False
    if not value:
        return True
    import regex

    try:
        return all("speaker" in regex.compile(p).groupindex for p in value)
    except regex.error:
        return False


# qcode.toml as the full validation accepts it, table by table (a test keeps the tables and keys
# those of qcode.settings_schema.ProjectFile); anything else is left to that validation
KNOWN: dict[str, dict[str, Callable[[Any], bool]]] = {
    "project": {"name": _text, "language": _language},
    "database": {"url": _plain_sqlite},
    "user": {"name": _named},
    "import": {"speaker_patterns": _patterns, "keep_source": _flag},
    "grounded_theory": {"paradigm": _flag, "multiple_core": _flag},
    "text": {"userdict": _text, "model": _text},
}


def plain_settings(folder: Path) -> dict[str, Any] | None:
    """The project's name, language, database URL and user from its ``qcode.toml``, if the file
    is one that the full validation accepts as it is; else None."""
    import tomllib

    try:
        data = tomllib.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    for table, values in data.items():
        checks = KNOWN.get(table)
        if checks is None or type(values) is not dict:
            return None
        for key, value in values.items():
            if key not in checks or not checks[key](value):
                return None
    return {
        "name": data.get("project", {}).get("name", ""),
        "language": data.get("project", {}).get("language", "en"),
        "url": data.get("database", {}).get("url", f"{SQLITE}project.db"),
        "user": data.get("user", {}).get("name"),
    }


def _user(named: str | None) -> str:
    """:func:`qcode.settings.default_user`, reading the user settings only if it has to."""
    env = os.environ.get(ENV_USER)
    if env:
        return env
    if named:
        return named
    if user_config_path().is_file() or any(os.environ.get(v) for v in USER_ENV.values()):
        from qcode.settings import default_user

        return default_user(None)
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "coder"


class _NotSure(Exception):
    """The quick read cannot vouch for the answer: the services give it."""


@contextmanager
def _opened(root: str | Path | None) -> Iterator[tuple[Path, dict[str, Any], sqlite3.Connection]]:
    """The project folder, its settings and a read transaction on its database at HEAD."""
    folder = find_project(root)
    settings = plain_settings(folder)
    if settings is None:
        raise _NotSure
    url = resolve_db_url(folder, settings["url"])
    file = Path(unquote(url[len(SQLITE) :]))  # as SQLAlchemy's URL reads it
    settings["url"] = SQLITE + quote(str(file), safe=" +/")  # and writes it
    check_sqlite_file(file)
    with closing(sqlite3.connect(file, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
        sqlite_pragmas(conn)
        conn.execute("BEGIN")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise _NotSure
        stored = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if stored is None or stored[0] != HEAD:
            raise _NotSure
        try:
            yield folder, settings, conn
        finally:
            conn.execute("ROLLBACK")


def _quietly(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except (_NotSure, QcodeError, OSError, sqlite3.Error, ValueError, LookupError, TypeError):
        return None


_COUNTED = ("documents", "cases", "codes", "codings", "coders", "segments", "events", "memos")


def info_record(
    one: Callable[[str], Any],
    *,
    name: str,
    path: str,
    database: str,
    language: str,
    user: str,
    schema: str | None,
) -> dict[str, Any]:
    """What ``qcode info`` shows, the project's counts read with ``one(sql)`` (the first value of
    a plain SQL query's first row): the one place both ways of reading a project build it."""
    count = {t: one(f"SELECT count(*) FROM {t}") or 0 for t in _COUNTED}
    return {
        "name": name,
        "uuid": one("SELECT uuid FROM project"),
        "path": path,
        "database": database,
        "language": language,
        "user": user,
        "schema": schema,
        "documents": count["documents"],
        "characters": one("SELECT coalesce(sum(chars), 0) FROM documents") or 0,
        "cases": count["cases"],
        "codes": count["codes"],
        "codings": count["codings"],
        "coders": count["coders"],
        "memos": count["memos"],
        "segments": count["segments"],
        "events": count["events"],
        "undo_steps": one("SELECT count(*) FROM history WHERE state = 'done'") or 0,
        "redo_steps": one("SELECT count(*) FROM history WHERE state = 'undone'") or 0,
    }


def info(root: str | Path | None = None) -> dict[str, Any] | None:
    """:meth:`qcode.services.Project.info`, or None (see the module's description)."""

    def read() -> dict[str, Any]:
        with _opened(root) as (folder, settings, conn):

            def one(sql: str) -> Any:
                row = conn.execute(sql).fetchone()
                return None if row is None else row[0]

            return info_record(
                one,
                name=settings["name"],
                path=str(folder),
                database=settings["url"],
                language=settings["language"],
                user=_user(settings["user"]),
                schema=HEAD,
            )

    found: dict[str, Any] | None = _quietly(read)
    return found


def codes(root: str | Path | None = None, aggregate: bool = False) -> list[CodeInfo] | None:
    """:meth:`qcode.services.codes.CodeService.list`, or None (see the module's description)."""

    def read() -> list[CodeInfo]:
        with _opened(root) as (_folder, _settings, conn):
            tree = CodeForest(conn.execute("SELECT id, name, parent_id FROM codes"))
            rows = {
                r[0]: r
                for r in conn.execute(
                    "SELECT id, uuid, level, description, color, inclusion, exclusion, example, "
                    "in_vivo FROM codes"
                )
            }
            n_codings: dict[int, int] = {}
            n_docs: dict[int, int] = {}
            q = "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings GROUP BY 1"
            for cid, n, d in conn.execute(q):
                n_codings[cid] = n
                n_docs[cid] = d
            doc_sets: dict[int, set[int]] = {}
            if aggregate:
                for cid, did in conn.execute("SELECT DISTINCT code_id, document_id FROM codings"):
                    doc_sets.setdefault(cid, set()).add(did)
        return code_infos(tree, rows, n_codings, n_docs, doc_sets if aggregate else None)

    found: list[CodeInfo] | None = _quietly(read)
    return found
