"""Recording changes: every write goes through a :class:`Change`, inside one transaction.

A service opens ``with project.change("codes.add") as ch:`` and writes through ``ch.insert``,
``ch.delete`` and ``ch.update``. On leaving the block the transaction commits together with one
:class:`~qcode.store.models.Event` holding the row operations (enough to reverse them) and one
entry on the undo stack. If anything raises, nothing is written.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from qcode.store.models import Base
from qcode.store.oplog import Op, delete_ids, fetch_rows, fresh_ids, to_json, update_ids

_MANY = 500  # from this many rows, inserts go in bulk (ids set first on SQLite, else looked up)
_LOOKUP = 900  # UUIDs per lookup query (under SQLite's limit of bound parameters)


@cache
def _defaulted(table: Any) -> tuple[Any, ...]:
    return tuple(c for c in table.columns if c.default is not None and not c.primary_key)


def _defaults(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """Fill Python-side column defaults so the logged row equals the stored one."""
    out = dict(row)
    for col in _defaulted(table):
        if col.name in out:
            continue
        default = col.default
        if default.is_callable:
            out[col.name] = default.arg(None)
        elif default.is_scalar:
            out[col.name] = default.arg
    return out


@cache
def _insert_new(dialect: str, table: Any, unique: tuple[str, ...]) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    upsert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    pk = next(iter(table.primary_key.columns))
    stmt = upsert(table).on_conflict_do_nothing(index_elements=[table.c[n] for n in unique])
    return stmt.returning(pk)


@cache
def _driver_insert(
    dialect: Any, table: Any, names: frozenset[str]
) -> tuple[str, tuple[str, ...], tuple[tuple[int, Any], ...]] | None:
    """The SQL of an insert of the columns ``names`` with positional parameters, the columns in
    the order of those parameters, and the conversions of the columns whose type has one
    (position, function); None when the statement would take other parameters as well."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    order = tuple(compiled.positiontup or ())
    if set(order) != names or len(order) != len(names):
        return None
    convert = []
    for i, name in enumerate(order):
        kind = table.c[name].type
        fn = kind.dialect_impl(dialect).bind_processor(dialect)
        if fn is not None:  # times repeat (codings made together): each one's text made once
            convert.append((i, _remembered(fn) if isinstance(kind, DateTime) else fn))
    return str(compiled), order, tuple(convert)


def _remembered(fn: Any) -> Any:
    """``fn`` (a time column's conversion) remembering its last few thousand answers."""
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            if len(memo) > 4096:
                memo.clear()
            out = memo[value] = fn(value)
            return out
        except TypeError:  # not hashable: as it is
            return fn(value)

    return convert


def _converted(row: Sequence[Any], convert: tuple[tuple[int, Any], ...]) -> tuple[Any, ...]:
    out = list(row)
    for i, fn in convert:
        out[i] = fn(out[i])
    return tuple(out)


class RowsKept(Exception):
    """Rows read a moment ago could not be deleted: someone removed them meanwhile, or the
    server's row-level security keeps them from this person."""

    def __init__(self, table: str) -> None:
        super().__init__(table)
        self.table = table


class Change:
    """One user action: its writes and their log."""

    def __init__(self, session: Session, actor: str, action: str, summary: str = "") -> None:
        self.session = session
        # Core statements go straight to the connection: no ORM unit-of-work on the hot path.
        self.conn: Connection = session.connection()
        self.actor = actor
        self.action = action
        self.summary = summary
        self.ops: list[Op] = []
        self.kept: tuple[int, dict[str, Any]] | None = None  # see qcode.services.kept

    def serialize(self, what: str) -> None:
        """Let one change at a time past this point for ``what`` (e.g. "codes"), until the end of
        the transaction: on a server, a transaction-scoped advisory lock, so that two coders
        creating the same code at once make it once (the second, after the first commits, reads
        it); on SQLite a writing transaction is already the only writer."""
        if self.conn.dialect.name == "postgresql":
            key = zlib.crc32(f"qcode:{what}".encode())
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    def insert(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert rows; returns their new ids in order."""
        return [r["id"] for r in self.insert_full(model, rows)]

    def insert_full(
        self, model: type[Base], rows: Sequence[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Insert rows; returns them as stored (defaults filled in, ``id`` set)."""
        if not rows:
            return []
        table: Any = model.__table__
        full = [_defaults(table, r) for r in rows]
        pk = next(iter(table.primary_key.columns))
        given = fresh_ids(self.conn, table, len(full))
        if given is None and len(full) >= _MANY and self.conn.dialect.name == "sqlite":
            given = self._next_ids(pk, len(full))
        if given is not None:
            for row, new_id in zip(full, given, strict=True):
                row.setdefault(pk.name, new_id)
        if all(pk.name in r for r in full):  # every id known: a plain bulk insert, no look-up
            self._bulk(table, full)
            ids = [r[pk.name] for r in full]
        elif len(full) >= _MANY and "uuid" in table.c:
            ids = self._insert_many(table, pk, full)
        else:
            stmt = insert(table).returning(pk, sort_by_parameter_order=True)
            ids = list(self.conn.execute(stmt, full).scalars())
        for row, new_id in zip(full, ids, strict=True):
            row[pk.name] = new_id
        self.ops.append(["insert", table.name, ids])
        return full

    def insert_new(
        self, model: type[Base], row: dict[str, Any], unique: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """Insert one row unless a row with the same ``unique`` columns (a unique constraint of
        the table) is stored; returns it as stored, or None when it was there already. One
        statement does both, ``INSERT ... ON CONFLICT DO NOTHING RETURNING``."""
        table: Any = model.__table__
        full = _defaults(table, row)
        pk = next(iter(table.primary_key.columns))
        given = fresh_ids(self.conn, table, 1)
        if given is not None:
            full.setdefault(pk.name, given[0])
        new_id = self.conn.execute(
            _insert_new(self.conn.dialect.name, table, unique), full
        ).scalar()
        if new_id is None:
            return None
        full[pk.name] = new_id
        self.ops.append(["insert", table.name, [new_id]])
        return full

    def _bulk(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """One insert statement executed for every row. On SQLite, from a few hundred rows that
        all name the same columns, the rows go to the driver as tuples, each value through its
        column type's own conversion (as SQLAlchemy converts it): SQLAlchemy's per-row work took
        longer than SQLite's writing."""
        keys = rows[0].keys() if rows else None
        if (
            self.conn.dialect.name != "sqlite"
            or len(rows) < _MANY
            or any(r.keys() != keys for r in rows)
        ):
            self.conn.execute(insert(table), rows)
            return
        plan = _driver_insert(self.conn.dialect, table, frozenset(rows[0]))
        if plan is None:
            self.conn.execute(insert(table), rows)
            return
        sql, names, convert = plan
        values: Iterable[Sequence[Any]] = map(itemgetter(*names), rows)
        if len(names) == 1:
            values = ((v,) for v in values)
        if convert:
            values = [_converted(v, convert) for v in values]  # see _remembered
        self.conn.exec_driver_sql(sql, list(values))

    def _next_ids(self, pk: Any, n: int) -> list[int]:
        """On SQLite, the ids the next ``n`` rows would be given (one past the largest, as SQLite
        numbers rows of a table without AUTOINCREMENT): this transaction is the only writer, so
        they can be set in the rows and the rows need not be looked up again after the insert."""
        top = self.conn.scalar(select(func.coalesce(func.max(pk), 0)))
        return list(range(top + 1, top + 1 + n))

    def _insert_many(self, table: Any, pk: Any, rows: list[dict[str, Any]]) -> list[int]:
        """A plain bulk insert (one statement executed many times, which every driver does fast,
        unlike an insert that returns ids row by row), then the new ids by the rows' UUIDs."""
        self._bulk(table, rows)
        by_uuid: dict[str, int] = {}
        uuids = [r["uuid"] for r in rows]
        for i in range(0, len(uuids), _LOOKUP):
            chunk = uuids[i : i + _LOOKUP]
            found = self.conn.execute(select(table.c.uuid, pk).where(table.c.uuid.in_(chunk)))
            by_uuid.update((u, i) for u, i in found)
        return [by_uuid[u] for u in uuids]

    def insert_children(
        self, model: type[Base], rows: Sequence[dict[str, Any]], parent_col: str, parent_id: int
    ) -> int:
        """Insert many rows that all belong to a parent created in this same change (so every row
        of that parent is one of these): a plain bulk insert, then one query for their ids."""
        if not rows:
            return 0
        table: Any = model.__table__
        if any(r[parent_col] != parent_id for r in rows):
            raise ValueError(f"every row must have {parent_col} = {parent_id}")
        full = [_defaults(table, r) for r in rows]
        pk = next(iter(table.primary_key.columns))
        given = fresh_ids(self.conn, table, len(full))
        if given is not None:
            for row, new_id in zip(full, given, strict=True):
                row.setdefault(pk.name, new_id)
        self.conn.execute(insert(table), full)
        ids = list(self.conn.scalars(select(pk).where(table.c[parent_col] == parent_id)))
        if len(ids) != len(rows):
            raise ValueError(f"{table.name}: parent {parent_id} was not new in this change")
        self.ops.append(["insert", table.name, ids])
        return len(ids)

    def insert_children_of(
        self, model: type[Base], rows: Sequence[dict[str, Any]], parent_col: str
    ) -> int:
        """:meth:`insert_children` for the rows of many parents at once, every parent created in
        this same change: one bulk insert, then the ids by parent, a few hundred parents a query."""
        if not rows:
            return 0
        table: Any = model.__table__
        full = [_defaults(table, r) for r in rows]
        pk = next(iter(table.primary_key.columns))
        given = fresh_ids(self.conn, table, len(full))
        if given is None and self.conn.dialect.name == "sqlite":
            given = self._next_ids(pk, len(full))
        if given is not None:
            for row, new_id in zip(full, given, strict=True):
                row.setdefault(pk.name, new_id)
        self._bulk(table, full)
        if all(pk.name in r for r in full):  # every id known (SQLite): no look-up
            self.ops.append(["insert", table.name, sorted(r[pk.name] for r in full)])
            return len(full)
        parents = sorted({r[parent_col] for r in rows})
        ids: list[int] = []
        for i in range(0, len(parents), _LOOKUP):
            chunk = parents[i : i + _LOOKUP]
            ids += self.conn.scalars(select(pk).where(table.c[parent_col].in_(chunk)))
        if len(ids) != len(rows):
            raise ValueError(f"{table.name}: a parent was not new in this change")
        ids.sort()
        self.ops.append(["insert", table.name, ids])
        return len(ids)

    def insert_one(self, model: type[Base], **values: Any) -> int:
        return self.insert(model, [values])[0]

    def delete(self, model: type[Base], ids: Iterable[int]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        table: Any = model.__table__
        rows = fetch_rows(self.conn, table, ids)
        if delete_ids(self.conn, table, ids) != len(rows):
            raise RowsKept(table.name)
        self.ops.append(["delete", table.name, [to_json(table, r) for r in rows]])
        return len(rows)

    def update(self, model: type[Base], ids: Iterable[int], **values: Any) -> None:
        """Set ``values`` on the rows ``ids``, logging each row's previous values."""
        ids = list(ids)
        if not ids:
            return
        table: Any = model.__table__
        pk = next(iter(table.primary_key.columns))
        cols = [table.c[k] for k in values]
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            for row in self.conn.execute(select(pk, *cols).where(pk.in_(part))):
                groups.setdefault(tuple(row[1:]), []).append(row[0])
        after = to_json(table, values)
        for before_values, group_ids in groups.items():
            before = to_json(table, dict(zip(values, before_values, strict=True)))
            if before == after:
                continue
            update_ids(self.conn, table, group_ids, values)
            self.ops.append(["update", table.name, group_ids, before, after])

    # -- attribute values: rows keyed by (owner id, attribute id) ------------------------------
    def put_value(self, model: type[Base], owner: int, key: int, value: str) -> None:
        """Insert or change the ``value`` of the row keyed (owner, key)."""
        table: Any = model.__table__
        owner_col, key_col = list(table.primary_key.columns)
        where = (owner_col == owner, key_col == key)
        current = self.conn.execute(select(table.c.value).where(*where)).first()
        if current is None:
            self.conn.execute(
                insert(table).values({owner_col.name: owner, key_col.name: key, "value": value})
            )
            self.ops.append(["insert_kv", table.name, owner, key])
        elif current[0] != value:
            self.conn.execute(update(table).where(*where).values(value=value))
            self.ops.append(["update_kv", table.name, owner, key, current[0], value])

    def drop_values(self, model: type[Base], owner: int, keys: Iterable[int] | None = None) -> int:
        """Delete the owner's values (all of them, or those with the given keys)."""
        table: Any = model.__table__
        owner_col, key_col = list(table.primary_key.columns)
        q = select(key_col, table.c.value).where(owner_col == owner)
        if keys is not None:
            q = q.where(key_col.in_(list(keys)))
        rows = self.conn.execute(q).all()
        for key, value in rows:
            self.conn.execute(delete(table).where(owner_col == owner, key_col == key))
            self.ops.append(["delete_kv", table.name, owner, key, value])
        return len(rows)

    def unlink_memos(self, kind: str, ids: Sequence[int]) -> None:
        """Remove memo links to things this change deletes (the memos themselves stay), the
        summaries of codes, cases and documents, and their membership of sets (codes,
        documents and memos can be set members)."""
        if not ids:
            return
        from qcode.store.models import MemoLink, SetMember

        found = self.conn.scalars(
            select(MemoLink.id).where(MemoLink.target_kind == kind, MemoLink.target_id.in_(ids))
        )
        self.delete(MemoLink, list(found))
        from qcode.services.summaries import detach_summaries

        detach_summaries(self, kind, ids)  # summaries of what goes, or their links to codings
        if kind in ("code", "document", "memo"):
            members = self.conn.scalars(
                select(SetMember.id).where(SetMember.kind == kind, SetMember.target_id.in_(ids))
            )
            self.delete(SetMember, list(members))

    def detach_codings(self, ids: Sequence[int]) -> None:
        """Before deleting codings: drop memo links to them and their use as evidence."""
        if not ids:
            return
        from qcode.store.models import RelationEvidence

        self.unlink_memos("coding", ids)
        ev = self.conn.scalars(
            select(RelationEvidence.id).where(RelationEvidence.coding_id.in_(ids))
        )
        self.delete(RelationEvidence, list(ev))

    def detach_codes(self, ids: Sequence[int]) -> None:
        """Before deleting codes: drop memo links, their relations (with evidence) and their
        framework links."""
        if not ids:
            return
        from qcode.store.models import CodeElementLink, Relation, RelationEvidence

        self.unlink_memos("code", ids)
        rel = list(
            self.conn.scalars(
                select(Relation.id).where(Relation.source_id.in_(ids) | Relation.target_id.in_(ids))
            )
        )
        if rel:
            self.unlink_memos("relation", rel)
            ev = self.conn.scalars(
                select(RelationEvidence.id).where(RelationEvidence.relation_id.in_(rel))
            )
            self.delete(RelationEvidence, list(ev))
            self.delete(Relation, rel)
        links = self.conn.scalars(
            select(CodeElementLink.id).where(CodeElementLink.code_id.in_(ids))
        )
        self.delete(CodeElementLink, list(links))
        self.drop_suggestions("code_id", ids)

    def drop_suggestions(self, column: str, ids: Sequence[int]) -> None:
        """Before deleting codes or documents: the auto-coding proposals for them go too."""
        from qcode.store.models import Suggestion

        found = self.conn.scalars(select(Suggestion.id).where(getattr(Suggestion, column).in_(ids)))
        self.delete(Suggestion, list(found))
