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
from typing import Any

from sqlalchemy import Connection, DateTime, LargeBinary, Table, delete, insert, select, update

from qcode.store.models import TABLES

Op = list[Any]
CHUNK = 500


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


def fetch_rows(session: Connection, table: Table, ids: Sequence[Any]) -> list[dict[str, Any]]:
    pk = _pk(table)
    rows: list[dict[str, Any]] = []
    for part in _chunks(ids):
        rows.extend(dict(r._mapping) for r in session.execute(select(table).where(pk.in_(part))))
    order = {v: i for i, v in enumerate(ids)}
    rows.sort(key=lambda r: order[r[pk.name]])
    return rows


def insert_rows(session: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for part in _chunks(rows):
        session.execute(insert(table), list(part))


def delete_ids(session: Connection, table: Table, ids: Sequence[Any]) -> None:
    pk = _pk(table)
    for part in _chunks(ids):
        session.execute(delete(table).where(pk.in_(part)))


def update_ids(
    session: Connection, table: Table, ids: Sequence[Any], values: dict[str, Any]
) -> None:
    pk = _pk(table)
    for part in _chunks(ids):
        session.execute(update(table).where(pk.in_(part)).values(**values))


def revert(session: Connection, ops: Sequence[Op]) -> list[Op]:
    """Undo ``ops`` (last first) and return the ops of what was done."""
    done: list[Op] = []
    for op in reversed(ops):
        kind, table = op[0], TABLES[op[1]]
        if kind == "insert":
            rows = fetch_rows(session, table, op[2])
            delete_ids(session, table, op[2])
            done.append(["delete", table.name, [to_json(table, r) for r in rows]])
        elif kind == "delete":
            rows = [from_json(table, r) for r in op[2]]
            insert_rows(session, table, rows)
            done.append(["insert", table.name, [r[_pk(table).name] for r in rows]])
        elif kind == "update":
            _, _, ids, before, after = op
            update_ids(session, table, ids, from_json(table, before))
            done.append(["update", table.name, ids, after, before])
        elif kind in ("insert_kv", "delete_kv", "update_kv"):
            owner, key = op[2], op[3]
            cols = list(table.primary_key.columns)
            where = (cols[0] == owner, cols[1] == key)
            if kind == "insert_kv":
                value = session.execute(select(table.c.value).where(*where)).scalar_one()
                session.execute(delete(table).where(*where))
                done.append(["delete_kv", table.name, owner, key, value])
            elif kind == "delete_kv":
                session.execute(
                    insert(table).values({cols[0].name: owner, cols[1].name: key, "value": op[4]})
                )
                done.append(["insert_kv", table.name, owner, key])
            else:
                session.execute(update(table).where(*where).values(value=op[4]))
                done.append(["update_kv", table.name, owner, key, op[5], op[4]])
        else:  # pragma: no cover - a corrupt log
            raise ValueError(f"unknown op {kind!r}")
    return done
