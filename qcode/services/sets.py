"""Saved queries: a set that holds a query expression is a retrieval set (a smart code). It is
evaluated whenever it is used, so it follows the codings as they change; it can be an operand of
other queries (``set NAME``), a row or column of a matrix query, and travels in the JSON
codebook. Sets of codes (REFI-QDA's sets) are operands too: any of their codes.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.services.query import Records
from qcode.services.scope import Scope, did_you_mean
from qcode.store.models import CodeSet, SetMember, new_uuid

if TYPE_CHECKING:
    from qcode.services.project import Project


@dataclass
class SetInfo:
    name: str
    query: str | None
    description: str
    count: int | None  # hits of the query in the whole project (None for a set of codes)
    codes: list[str] = field(default_factory=list)
    uuid: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class SetService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def _row(self, name: str) -> Any:
        with self.p.read() as s:
            row = s.execute(select(CodeSet).where(CodeSet.name == name)).scalar_one_or_none()
            if row is None:
                names = list(s.scalars(select(CodeSet.name)))
                raise NotFoundError(
                    _("no set {name!r}{v1}").format(name=name, v1=did_you_mean(name, names))
                )
            s.expunge(row)
        return row

    def save(self, name: str, expr: str, description: str = "", replace: bool = False) -> SetInfo:
        """Save ``expr`` as the set ``name`` (checked first: unknown codes, sets or a malformed
        expression change nothing); one change."""
        name = name.strip()
        if not name:
            raise InvalidInputError(_("a set needs a name"))
        self.p.query.resolve(expr, _stack=(name,))  # refuses a set that uses itself
        with self.p.change("sets.save", f"save query {name!r}: {expr}") as ch:
            sid = ch.conn.scalar(select(CodeSet.id).where(CodeSet.name == name))
            if sid is not None:
                if not replace:
                    raise ConflictError(
                        _("set {name!r} exists (use --replace to change its query)").format(
                            name=name
                        )
                    )
                ch.update(CodeSet, [sid], query=expr, description=description)
            else:
                ch.insert_one(
                    CodeSet, uuid=new_uuid(), name=name, description=description, query=expr
                )
        return self.show(name)

    def list(self, counts: bool = True) -> list[SetInfo]:
        with self.p.read() as s:
            names = list(s.scalars(select(CodeSet.name).order_by(CodeSet.name)))
        return [self.show(n, counts) for n in names]

    def touching(self, codes: Iterable[str]) -> builtins.list[str]:
        """The saved queries whose hits can change when codings of ``codes`` (paths) change:
        those naming one of them, directly or through another set (a query of text searches
        only is never among them)."""
        from qcode.analysis.query_parse import leaves
        from qcode.services.query_tree import Codes

        with self.p.read() as s:
            tree = CodeTree(s)
            ids = {tree.resolve(c) for c in codes}
            rows = s.execute(select(CodeSet.name, CodeSet.query).order_by(CodeSet.name)).all()
        out = []
        for name, expr in rows:
            if not expr:
                continue
            try:
                node = self.p.query.resolve(expr)
            except (InvalidInputError, NotFoundError):  # names a code since deleted: unchanged
                continue
            if any(isinstance(x, Codes) and ids & {i for i, _ in x.labels} for x in leaves(node)):
                out.append(name)
        return out

    def show(self, name: str, counts: bool = True) -> SetInfo:
        row = self._row(name)
        with self.p.read() as s:
            tree = CodeTree(s)
            ids = s.scalars(
                select(SetMember.target_id).where(
                    SetMember.set_id == row.id, SetMember.kind == "code"
                )
            ).all()
            codes = sorted(tree.path(c) for c in ids if c in tree.name)
        count = None
        if row.query and counts:
            count = self.p.query.count(f"set {quote(name)}")
        return SetInfo(row.name, row.query, row.description, count, codes, row.uuid)

    def run(
        self, name: str, scope: Scope | None = None, unit: str = "match", context: int = 0
    ) -> Records:
        self._row(name)
        return self.p.query.run(f"set {quote(name)}", scope, unit, context)

    def delete(self, name: str) -> None:
        row = self._row(name)
        with self.p.change("sets.delete", f"delete set {name!r}") as ch:
            members = ch.conn.scalars(select(SetMember.id).where(SetMember.set_id == row.id))
            ch.delete(SetMember, list(members))
            ch.delete(CodeSet, [row.id])


def quote(name: str) -> str:
    """A set name as the query language writes it."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
