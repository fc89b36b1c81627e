"""Row operations: the unit of change that events record and undo/redo replays.

An op list describes what one change did to the tables, in order:

- ``["insert", table, [id, ...]]``: rows were inserted (only their ids are kept: to undo, the rows
  are read back, and the undo event keeps them in full so that a redo can insert them again);
- ``["delete", table, [row, ...]]``: rows were deleted (kept in full, JSON-ready);
- ``["update", table, [id, ...], before, after]``: the listed rows had the columns in ``before``
  changed to the values in ``after``;
- ``["insert_kv", table, owner, key]``, ``["delete_kv", table, owner, key, value]`` and
  ``["update_kv", table, owner, key, before, after]``: the same for the attribute-value tables,
  whose rows are keyed by (owner id, attribute id) and carry one ``value``.

:func:`revert` undoes an op list and returns the op list of what it did, which is itself revertible:
so undo is ``revert(ops of the change)`` and redo is ``revert(ops of the undo)``.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    LargeBinary,
    Table,
    and_,
    delete,
    func,
    insert,
    select,
    true,
    update,
)

from qcode.store.models import TABLES, IdMark

Op = list[Any]
CHUNK = 500
RowKey = tuple[str, Any]  # (table name, id) or (table name, (owner id, attribute id))


class RevertConflict(Exception):
    """What an op list changed is no longer as it left it: someone changed it since."""

    def __init__(self, table: str, key: Any) -> None:
        super().__init__(f"{table} {key} changed since")
        self.table = table
        self.key = key


def to_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bytes | bytearray | memoryview):
            value = base64.b64encode(bytes(value)).decode("ascii")
        out[key] = value
    return out


def from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if value is not None:
            col_type = table.c[key].type
            if isinstance(col_type, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(col_type, LargeBinary):
                value = base64.b64decode(value)
        out[key] = value
    return out


def _pk(table: Table) -> Any:
    cols = list(table.primary_key.columns)
    if len(cols) != 1:
        raise ValueError(f"table {table.name} needs a single-column key to be logged by id")
    return cols[0]


def _chunks(seq: Sequence[Any]) -> list[Sequence[Any]]:
    return [seq[i : i + CHUNK] for i in range(0, len(seq), CHUNK)]


def fetch_rows(
    session: Connection, table: Table, ids: Sequence[Any], lock: bool = False
) -> list[dict[str, Any]]:
    """The rows ``ids`` in that order; ``lock`` takes their row locks (``FOR UPDATE``, where the
    database has row locks)."""
    pk = _pk(table)
    rows: list[dict[str, Any]] = []
    for part in _chunks(ids):
        q = select(table).where(pk.in_(part))
        if lock and session.dialect.name == "postgresql":
            q = q.with_for_update()
        rows.extend(dict(r._mapping) for r in session.execute(q))
    order = {v: i for i, v in enumerate(ids)}
    rows.sort(key=lambda r: order[r[pk.name]])
    return rows


def insert_rows(session: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for part in _chunks(rows):
        session.execute(insert(table), list(part))


_MARKS: Any = IdMark.__table__


def delete_ids(session: Connection, table: Table, ids: Sequence[Any]) -> int:
    """Delete the rows ``ids``; returns how many went (fewer when row-level security hid some)."""
    pk = _pk(table)
    gone = 0
    for part in _chunks(ids):
        gone += session.execute(delete(table).where(pk.in_(part))).rowcount
    if ids and session.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert

        top = max(ids)
        stmt = upsert(_MARKS).values(tbl=table.name, hw=top)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["tbl"],
                set_={"hw": func.max(_MARKS.c.hw, stmt.excluded.hw)},
            )
        )
    return gone


def fresh_ids(session: Connection, table: Table, n: int) -> list[int] | None:
    """On SQLite, when the newest rows of ``table`` were deleted (and may come back by undo or
    redo), the ids new rows must take instead of reusing theirs; otherwise ``None``."""
    if session.dialect.name != "sqlite":
        return None
    hw = session.exec_driver_sql(_fresh_sql(table)).scalar()
    return None if hw is None else list(range(hw + 1, hw + 1 + n))


@cache
def _fresh_sql(table: Table) -> str:
    """The SQLite statement of :func:`fresh_ids`, compiled once per table (it runs for every
    insert, so a coding does not pay for building and compiling it each time)."""
    from sqlalchemy.dialects import sqlite

    pk = _pk(table)
    stmt = select(_MARKS.c.hw).where(
        _MARKS.c.tbl == table.name,
        _MARKS.c.hw >= select(func.coalesce(func.max(pk), 0)).scalar_subquery(),
    )
    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def update_ids(
    session: Connection, table: Table, ids: Sequence[Any], values: dict[str, Any]
) -> None:
    pk = _pk(table)
    for part in _chunks(ids):
        session.execute(update(table).where(pk.in_(part)).values(**values))


def _state(table: Table, values: dict[str, Any]) -> list[Any]:
    """Conditions that hold while the columns still have ``values`` (JSON columns, which not every
    database can compare, are left out)."""
    out = []
    for key, value in values.items():
        col = table.c[key]
        if isinstance(col.type, JSON):
            continue
        out.append(col.is_(None) if value is None else col == value)
    return out


def revert(session: Connection, ops: Sequence[Op]) -> list[Op]:
    """Undo ``ops`` (last first) and return the ops of what was done.

    Every step checks that what it reverts is still as ``ops`` left it (the inserted rows are
    there, the updated columns hold the values they were given), taking the rows' locks as it
    goes; if not, :class:`RevertConflict` is raised and the caller's transaction must roll back.
    """
    done: list[Op] = []
    for op in reversed(ops):
        kind, table = op[0], TABLES[op[1]]
        if kind == "insert":
            rows = fetch_rows(session, table, op[2], lock=True)
            if len(rows) != len(op[2]):
                found = {r[_pk(table).name] for r in rows}
                raise RevertConflict(table.name, next(i for i in op[2] if i not in found))
            if delete_ids(session, table, op[2]) != len(op[2]):
                raise RevertConflict(table.name, op[2][0])
            done.append(["delete", table.name, [to_json(table, r) for r in rows]])
        elif kind == "delete":
            rows = [from_json(table, r) for r in op[2]]
            insert_rows(session, table, rows)
            done.append(["insert", table.name, [r[_pk(table).name] for r in rows]])
        elif kind == "update":
            _, _, ids, before, after = op
            pk = _pk(table)
            state = _state(table, from_json(table, after))
            changed = 0
            for part in _chunks(ids):
                res = session.execute(
                    update(table)
                    .where(pk.in_(part), and_(true(), *state))
                    .values(**from_json(table, before))
                )
                changed += res.rowcount
            if changed != len(ids):
                raise RevertConflict(table.name, ids[0] if len(ids) == 1 else ids)
            done.append(["update", table.name, ids, after, before])
        elif kind in ("insert_kv", "delete_kv", "update_kv"):
            owner, key = op[2], op[3]
            cols = list(table.primary_key.columns)
            where = (cols[0] == owner, cols[1] == key)
            if kind == "insert_kv":
                value = session.execute(select(table.c.value).where(*where)).scalar()
                if value is None:
                    raise RevertConflict(table.name, (owner, key))
                session.execute(delete(table).where(*where))
                done.append(["delete_kv", table.name, owner, key, value])
            elif kind == "delete_kv":
                session.execute(
                    insert(table).values({cols[0].name: owner, cols[1].name: key, "value": op[4]})
                )
                done.append(["insert_kv", table.name, owner, key])
            else:
                res = session.execute(
                    update(table).where(*where, table.c.value == op[5]).values(value=op[4])
                )
                if res.rowcount != 1:
                    raise RevertConflict(table.name, (owner, key))
                done.append(["update_kv", table.name, owner, key, op[5], op[4]])
        else:  # pragma: no cover - a corrupt log
            raise ValueError(f"unknown op {kind!r}")
    return done


def touched(ops: Sequence[Op]) -> tuple[set[RowKey], set[RowKey]]:
    """The rows an op list acted on, and among them those it inserted (which reverting it
    deletes, so anything referring to them depends on it)."""
    rows: set[RowKey] = set()
    inserted: set[RowKey] = set()
    for op in ops:
        kind, table = op[0], TABLES[op[1]]
        if kind == "insert":
            keys = {(table.name, i) for i in op[2]}
            inserted |= keys
            rows |= keys
        elif kind == "delete":
            rows |= {(table.name, r[_pk(table).name]) for r in op[2]}
        elif kind == "update":
            rows |= {(table.name, i) for i in op[2]}
        else:
            key = (table.name, (op[2], op[3]))
            rows.add(key)
            if kind == "insert_kv":
                inserted.add(key)
    return rows, inserted


def references(session: Connection, ops: Sequence[Op], among: set[RowKey]) -> set[RowKey]:
    """The rows in ``among`` that the rows an op list acted on refer to (by a foreign key)."""
    wanted: dict[str, set[Any]] = {}
    for name, key in among:
        wanted.setdefault(name, set()).add(key)
    found: set[RowKey] = set()

    def note(table: Table, row: dict[str, Any]) -> None:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            value = row.get(fk.parent.name)
            if target in wanted and value in wanted[target]:
                found.add((target, value))

    for op in ops:
        kind, table = op[0], TABLES[op[1]]
        fks = [fk for fk in table.foreign_keys if fk.column.table.name in wanted]
        if not fks:
            continue
        if kind == "delete":
            for r in op[2]:
                note(table, r)
        elif kind in ("insert", "update"):
            for r in fetch_rows(session, table, op[2]):
                note(table, r)
            if kind == "update":
                note(table, op[3])
                note(table, op[4])
        else:
            cols = list(table.primary_key.columns)
            note(table, {cols[0].name: op[2], cols[1].name: op[3]})
    return found
