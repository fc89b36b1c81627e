"""A damaged, empty or newer project database, and a bad --db URL: one line, a non-zero exit,
nothing written. ``qcode check`` reports SQLite's checks and qcode's own rules; ``--repair``
puts the newest sound backup in place (keeping the damaged file)."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    with Project.init(root) as p:
        p.documents.import_files([write(tmp_path / "a.txt", "I: why?\n\nR: too much money.\n")])
        p.codes.add("money")
        p.codings.apply("a", 12, 20, "money")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def _truncate(f: Path) -> None:
    f.write_bytes(f.read_bytes()[:3000])


def _random(f: Path) -> None:
    f.write_bytes(os.urandom(20_000))


def _header(f: Path) -> None:
    data = bytearray(f.read_bytes())
    data[:16] = b"XXXXXXXXXXXXXXXX"
    f.write_bytes(bytes(data))


def _empty(f: Path) -> None:
    f.write_bytes(b"")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncate, "cut short"),
    "random bytes": (_random, "not a database"),
    "bad header": (_header, "not a database"),
    "zero length": (_empty, "empty (0 bytes)"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
@pytest.mark.parametrize("command", [("codes", "list"), ("codes", "add", "new"), ("info",)])
def test_a_damaged_database_is_refused_and_left_alone(
    proj: Path, cli: Any, kind: str, command: tuple[str, ...]
) -> None:
    damage, says = DAMAGE[kind]
    f = proj / "project.db"
    for extra in ("project.db-wal", "project.db-shm"):
        (proj / extra).unlink(missing_ok=True)
    damage(f)
    before = _files(proj)
    r = cli("-p", str(proj), *command)
    assert r.code == 1 and r.out == ""  # an unusable file: bad input
    assert r.err.count("\n") == 1 and str(f) in r.err and says in r.err, r.err
    assert "Traceback" not in r.err
    assert _files(proj) == before  # nothing written, no new empty project made in its place


def test_a_database_from_a_newer_qcode_is_refused_without_a_backup(proj: Path, cli: Any) -> None:
    with sqlite3.connect(proj / "project.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    names = sorted(p.name for p in proj.iterdir())
    for _ in range(2):
        r = cli("-p", str(proj), "codes", "list")
        assert r.code == 1 and r.err.count("\n") == 1
        assert "written by a newer qcode (schema 0099" in r.err and "migration" not in r.err
    assert sorted(p.name for p in proj.iterdir()) == names  # no backup on every command


@pytest.mark.parametrize(
    ("url", "code", "says"),
    [
        ("notaurl", 1, "is not a database URL"),
        ("nosuchdriver://x/y", 1, "is not a database URL"),
        ("postgresql+psycopg://q@127.0.0.1:1/q", 4, "the project database failed"),
        ("postgresql+psycopg://q:secret@127.0.0.1:1/q", 1, "set PGPASSWORD or put it in"),
    ],
)
def test_a_bad_db_url_at_init_writes_nothing(
    tmp_path: Path, cli: Any, url: str, code: int, says: str
) -> None:
    r = cli("init", str(tmp_path / "new"), "--db", url)
    assert r.code == code and r.err.count("\n") == 1 and says in r.err, r.err
    assert "secret" not in r.err and "Traceback" not in r.err
    assert not (tmp_path / "new").exists()


def test_check_reports_a_sound_project(proj: Path, cli: Any) -> None:
    r = cli("-p", str(proj), "check", "--json")
    assert r.code == 0
    checks = {c["check"]: c["ok"] for c in r.json()["checks"]}
    assert checks == {
        "file": True,
        "integrity": True,
        "foreign keys": True,
        "codings inside documents": True,
        "units cover the text": True,
        "history consistent": True,
    }


@pytest.mark.parametrize(
    ("sql", "check", "says"),
    [
        ('UPDATE codings SET "end" = 999', "codings inside documents", "outside a"),
        ("DELETE FROM segments WHERE kind = 'paragraph'", "units cover the text", "offset 0"),
        ("UPDATE history SET state = 'undone'", "history consistent", "last event disagrees"),
        ("PRAGMA foreign_keys = OFF; DELETE FROM codes", "foreign keys", "codings row"),
    ],
)
def test_check_finds_what_breaks_qcodes_rules(
    proj: Path, cli: Any, sql: str, check: str, says: str
) -> None:
    with sqlite3.connect(proj / "project.db") as conn:
        conn.executescript(sql)
    r = cli("-p", str(proj), "check", "--json")
    assert r.code == 4
    found = {c["check"]: c for c in r.json()["checks"]}
    assert found[check]["ok"] is False and says in found[check]["detail"], found[check]


def test_check_repair_restores_the_newest_sound_backup(proj: Path, cli: Any) -> None:
    f = proj / "project.db"
    with sqlite3.connect(f) as src, sqlite3.connect(proj / "project.db.bak-0010-1") as old:
        src.backup(old)
    os.utime(proj / "project.db.bak-0010-1", (1, 1))
    _random(proj / "project.db.bak-0010-2")  # a newer backup that is itself damaged
    damaged = os.urandom(5000)
    for extra in ("project.db-wal", "project.db-shm"):
        (proj / extra).unlink(missing_ok=True)
    f.write_bytes(damaged)
    plain = cli("-p", str(proj), "check")
    assert plain.code == 4 and f.read_bytes() == damaged  # only when asked
    r = cli("-p", str(proj), "check", "--repair")
    assert r.code == 0, r.err
    assert "restored project.db from project.db.bak-0010-1" in r.out
    kept = [p for p in proj.iterdir() if p.name.startswith("project.db.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    with Project.open(proj) as p:
        assert [(c.code, c.start, c.end) for c in p.codings.list()] == [("money", 12, 20)]


def test_damage_inside_the_file_is_found_by_check(tmp_path: Path, cli: Any) -> None:
    root = tmp_path / "big"
    with Project.init(root) as p:
        p.documents.import_files([write(tmp_path / "b.txt", "R: some words here.\n" * 3000)])
    f = root / "project.db"
    for extra in ("project.db-wal", "project.db-shm"):
        (root / extra).unlink(missing_ok=True)
    data = bytearray(f.read_bytes())
    assert len(data) > 8 * 4096
    data[2 * 4096 : 6 * 4096] = os.urandom(4 * 4096)
    f.write_bytes(bytes(data))
    r = cli("-p", str(root), "check", "--json")
    assert r.code == 4 and "Traceback" not in r.err
    assert not all(c["ok"] for c in r.json()["checks"])
    used = cli("-p", str(root), "docs", "list")
    assert used.code in (0, 1, 4) and used.err.count("\n") <= 1 and "Traceback" not in used.err


def test_qcode_toml_never_keeps_a_database_password(proj: Path, cli: Any) -> None:
    toml = proj / "qcode.toml"
    before = toml.read_text(encoding="utf-8")
    r = cli("-p", str(proj), "config", "set", "database.url", "postgresql+psycopg://u:hush@h/db")
    assert r.code == 1 and "PGPASSWORD" in r.err and "hush" not in r.err
    assert toml.read_text(encoding="utf-8") == before
    toml.write_text(
        re.sub(r'url = "[^"]*"', 'url = "postgresql+psycopg://u:hush@h/db"', before),
        encoding="utf-8",
    )
    assert "hush" in toml.read_text(encoding="utf-8")
    r = cli("-p", str(proj), "info")
    assert r.code != 0 and "PGPASSWORD" in r.err and "hush" not in r.err and r.err.count("\n") == 1


def test_repair_never_puts_a_backup_over_a_sound_file_a_newer_qcode_wrote(
    proj: Path, cli: Any
) -> None:
    f = proj / "project.db"
    with sqlite3.connect(f) as src, sqlite3.connect(proj / "project.db.bak-0010-1") as old:
        src.backup(old)
    with sqlite3.connect(f) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    before = sorted(p.name for p in proj.iterdir())
    plain = cli("-p", str(proj), "check")
    assert plain.code == 4 and "--repair" not in plain.err  # no backup is the cure here
    r = cli("-p", str(proj), "check", "--repair")
    assert r.code == 3 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert "not damaged" in r.err and "written by a newer qcode" in r.err
    assert sorted(p.name for p in proj.iterdir()) == before  # nothing restored or renamed
    with sqlite3.connect(f) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0099_future",)
        ]


def test_the_advice_for_a_damaged_file_depends_on_a_backup_being_there(
    proj: Path, cli: Any
) -> None:
    """Without a backup beside it, a damaged file's error does not send the user to
    ``check --repair`` (which would find nothing); with one, it does."""
    f = proj / "project.db"
    for extra in ("project.db-wal", "project.db-shm"):
        (proj / extra).unlink(missing_ok=True)
    good = f.read_bytes()
    _truncate(f)
    r = cli("-p", str(proj), "codes", "list")
    assert r.code == 1 and "no backup of it is here" in r.err and "--repair" not in r.err, r.err
    checked = cli("-p", str(proj), "check")
    assert checked.code == 4 and "no backup of it is here" in checked.err, checked.err
    assert "--repair" not in checked.err
    (proj / "project.db.bak-0010-1").write_bytes(good)
    r = cli("-p", str(proj), "codes", "list")
    assert r.code == 1 and "'qcode check --repair' puts the newest backup" in r.err, r.err
    checked = cli("-p", str(proj), "check")
    assert "'qcode check --repair'" in checked.err
    assert cli("-p", str(proj), "check", "--repair").code == 0
