"""The SQLite store: pragmas, migrations (no drift, backup before upgrading), UUIDs."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from qcode import Project
from qcode.store import db
from qcode.store.models import Base, Code


def test_sqlite_pragmas(project: Project) -> None:
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_migrations_match_the_models(project: Project) -> None:
    with project.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert db.current_revision(project.engine) == db.head_revision(project.engine)
    assert db.HEAD == db.head_revision(project.engine) == db.stored_revision(project.engine)


def test_upgrade_backs_up_first(project: Project) -> None:
    from alembic import command

    project.codes.add("kept")
    root = project.root
    command.downgrade(db._alembic_config(project.engine), "base")
    # simulate an old file: a table from the old schema still holding data
    with project.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE legacy (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO legacy VALUES (1)")
    project.close()
    again = Project.open(root)
    backups = list(Path(root).glob("project.db.bak-base-*"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0
    assert db.current_revision(again.engine) == db.head_revision(again.engine)
    again.close()


def test_every_entity_has_a_stable_uuid(project: Project) -> None:
    a = project.codes.add("a")
    project.codes.rename("a", "b")
    with project.read() as s:
        assert s.scalar(select(Code.uuid)) == a.uuid
    assert len(a.uuid) == 36


def test_reads_do_not_wait_for_a_writer(project: Project) -> None:
    """In WAL mode a reader never waits: a read from another connection while a change holds the
    write lock returns at once (with the state before the change)."""
    from sqlalchemy import text

    other = Project.open(project.root)
    with other.engine.connect() as conn:  # make any wait fail fast instead of after 30 s
        conn.exec_driver_sql("PRAGMA busy_timeout=100")
    other.engine.pool.dispose()
    with project.change("test") as ch:
        ch.insert_one(Code, name="uncommitted", color="#000000")
        with other.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=100")
            assert conn.execute(text("SELECT count(*) FROM codes")).scalar() == 0
        assert other.codes.list() == []
    assert [c.name for c in other.codes.list()] == ["uncommitted"]
    other.close()


def test_upgrading_a_project_with_codings_and_memo_links_keeps_them(
    project: Project, tmp_path: Path
) -> None:
    """Migration 0014 adds columns to tables that others refer to: it must not rebuild them."""
    from alembic import command
    from conftest import write

    from qcode.services.memos import Target

    project.documents.import_files([write(tmp_path / "d.txt", "Some months I pay.")])
    project.codes.add("money")
    project.codings.apply("d", 0, 4, "money", coder="ana")
    [coding] = project.codings.list()
    project.memos.add("why", "because", targets=[Target("coding", str(coding.id))])
    root = project.root
    command.downgrade(db._alembic_config(project.engine), "0009")
    project.close()
    again = Project.open(root)
    assert db.current_revision(again.engine) == db.HEAD
    assert [(c.start, c.end) for c in again.codings.list()] == [(0, 4)]
    with again.read() as s:
        assert s.scalar(select(Code.color_chosen)) is True
    again.close()


def test_a_bulk_insert_gives_each_row_its_stored_id_and_undo_removes_exactly_them(
    project: Project,
) -> None:
    """Bulk inserts on SQLite set the ids themselves (one past the largest) instead of looking
    the rows up again: the ids returned are those stored, row for row, after earlier rows were
    deleted in the middle and at the end, and undo takes away these rows and no other."""
    import uuid

    def add(names: list[str]) -> list[dict[str, object]]:
        with project.change("test.bulk") as ch:
            return ch.insert_full(
                Code, [{"name": n, "uuid": str(uuid.uuid4()), "color": "#336699"} for n in names]
            )

    first = add([f"a{i}" for i in range(600)])
    with project.change("test.delete") as ch:
        ch.delete(Code, [int(str(first[10]["id"])), int(str(first[-1]["id"]))])
    second = add([f"b{i}" for i in range(700)])
    with project.read() as s:
        stored = {u: i for u, i in s.execute(select(Code.uuid, Code.id))}
    assert all(stored[str(r["uuid"])] == r["id"] for r in first[11:-1] + second)
    assert len({r["id"] for r in second} & {r["id"] for r in first}) == 0
    project.history.undo()
    with project.read() as s:
        names = set(s.scalars(select(Code.name)))
    assert names == {str(r["name"]) for r in first} - {"a10", "a599"}


def test_bulk_rows_are_stored_as_single_rows_are(project: Project) -> None:
    """A bulk insert hands the driver converted tuples: times (repeated and not), flags, text
    and empty values come out of the database as one row at a time stores them."""
    import uuid
    from datetime import datetime, timedelta

    from sqlalchemy import text

    start = datetime(2024, 5, 1, 12, 0, 0)  # some rows with no microseconds
    rows = [
        {
            "name": f"c{i}",
            "uuid": str(uuid.uuid4()),
            "color": "#336699",
            "created": start + timedelta(seconds=i // 7, microseconds=i % 3),
            "in_vivo": i % 2 == 0,
            "description": "" if i % 5 else '养老 "q" & <x>',
        }
        for i in range(600)
    ]
    with project.change("test.bulk") as ch:
        ch.insert_full(Code, rows[:600])  # in bulk
    sql = "SELECT name, created, typeof(created), in_vivo, typeof(in_vivo), description FROM codes"
    # the same values written both ways are stored alike
    twin = [dict(r, name="t" + r["name"], uuid=str(uuid.uuid4())) for r in rows[:100]]
    with project.change("test.single") as ch:
        for r in twin:
            ch.insert_full(Code, [r])
    with project.read() as s:
        stored = {r[0]: r[1:] for r in s.execute(text(sql))}
    for r in rows[:100]:
        assert stored[r["name"]] == stored["t" + r["name"]], r["name"]
