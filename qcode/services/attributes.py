"""Cases and typed attributes (text, number, date, boolean) of cases and documents."""

from __future__ import annotations

import builtins
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.store.models import (
    AttributeDef,
    Case,
    CaseAttribute,
    CaseLink,
    Document,
    DocumentAttribute,
)
from qcode.text.safety import check_label

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

TYPES = ("text", "number", "date", "boolean")
SCOPES = ("case", "document")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_value(name: str, type_: str, raw: str) -> str:
    """The canonical stored form of ``raw`` as a value of ``type_``."""
    raw = raw.strip()
    if type_ == "text":
        return raw
    if type_ == "number":
        if not _NUMBER.match(raw):
            raise InvalidInputError(
                _("attribute {name!r} is a number; {raw!r} is not").format(name=name, raw=raw)
            )
        num = float(raw)
        return str(int(num)) if num.is_integer() and "e" not in raw.lower() else repr(num)
    if type_ == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise InvalidInputError(
                _("attribute {name!r} is a date; {raw!r} is not a date (YYYY-MM-DD)").format(
                    name=name, raw=raw
                )
            ) from None
    if type_ == "boolean":
        low = raw.lower()
        if low in _TRUE:
            return "true"
        if low in _FALSE:
            return "false"
        raise InvalidInputError(
            _("attribute {name!r} is true/false; {raw!r} is neither").format(name=name, raw=raw)
        )
    raise InvalidInputError(
        _("unknown attribute type {type_!r} ({v1})").format(type_=type_, v1=", ".join(TYPES))
    )


def typed(type_: str, stored: str) -> Any:
    """A stored value as a Python value (for JSON and analysis)."""
    if type_ == "number":
        num = float(stored)
        return int(num) if num.is_integer() else num
    if type_ == "boolean":
        return stored == "true"
    return stored


def infer_type(raw: str) -> str:
    raw = raw.strip()
    if _NUMBER.match(raw):
        return "number"
    if raw.lower() in ("true", "false", "yes", "no"):
        return "boolean"
    try:
        date.fromisoformat(raw)
        return "date" if len(raw) == 10 else "text"
    except ValueError:
        return "text"


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["occupation=rider", "age=34"]`` -> dict; refuses an item without '='."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInputError(
                _("attribute {item!r} is not of the form KEY=VALUE").format(item=item)
            )
        out[key] = value.strip()
    return out


@dataclass
class AttributeInfo:
    id: int
    name: str
    type: str
    scope: str
    values: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CaseInfo:
    id: int
    uuid: str
    name: str
    description: str
    documents: int
    attributes: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_VALUE_MODEL: dict[str, Any] = {"case": CaseAttribute, "document": DocumentAttribute}
_OWNER_COL = {"case": "case_id", "document": "document_id"}


class AttributeService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def define(self, name: str, type_: str, scope: str = "case") -> AttributeInfo:
        with self.p.change("attrs.define") as ch:
            self.define_in(ch, name, type_, scope)
            ch.summary = f"define {scope} attribute {name!r} ({type_})"
        return next(a for a in self.list() if a.name == name.strip() and a.scope == scope)

    def define_in(self, ch: Change, name: str, type_: str, scope: str) -> int:
        check_label("attribute", name)
        name = name.strip()
        if not name or "=" in name:
            raise InvalidInputError(
                _("attribute name {name!r} is empty or contains '='").format(name=name)
            )
        if type_ not in TYPES:
            raise InvalidInputError(
                _("unknown attribute type {type_!r} ({v1})").format(
                    type_=type_, v1=", ".join(TYPES)
                )
            )
        if scope not in SCOPES:
            raise InvalidInputError(
                _("unknown attribute scope {scope!r} (case or document)").format(scope=scope)
            )
        exists = ch.session.scalar(
            select(AttributeDef.id).where(AttributeDef.scope == scope, AttributeDef.name == name)
        )
        if exists is not None:
            raise ConflictError(
                _("{scope} attribute {name!r} already exists").format(scope=_(scope), name=name)
            )
        return ch.insert_one(AttributeDef, name=name, type=type_, scope=scope)

    def list(self) -> builtins.list[AttributeInfo]:
        with self.p.read() as s:
            counts: dict[int, int] = {}
            for model in (CaseAttribute, DocumentAttribute):
                for aid, n in s.execute(
                    select(model.attribute_id, func.count()).group_by(model.attribute_id)
                ):
                    counts[aid] = n
            return [
                AttributeInfo(a.id, a.name, a.type, a.scope, counts.get(a.id, 0))
                for a in s.scalars(
                    select(AttributeDef).order_by(AttributeDef.scope, AttributeDef.name)
                )
            ]

    def prepare(
        self, session: Session, scope: str, values: dict[str, str]
    ) -> builtins.list[tuple[str, str | None, str]]:
        """Check values against existing definitions: [(name, type or None if new, canonical)]."""
        defs = {
            a.name: a.type
            for a in session.scalars(select(AttributeDef).where(AttributeDef.scope == scope))
        }
        out = []
        for name, raw in values.items():
            type_ = defs.get(name)
            out.append((name, type_, parse_value(name, type_ or infer_type(raw), raw)))
        return out

    def set_in(self, ch: Change, scope: str, owner_id: int, values: dict[str, str]) -> None:
        """Set attribute values on a case or document inside an open change; new attribute names
        are defined with a type inferred from the value."""
        for name, type_, canonical in self.prepare(ch.session, scope, values):
            if type_ is None:
                aid = self.define_in(ch, name, infer_type(canonical), scope)
            else:
                aid = ch.session.execute(
                    select(AttributeDef.id).where(
                        AttributeDef.scope == scope, AttributeDef.name == name
                    )
                ).scalar_one()
            ch.put_value(_VALUE_MODEL[scope], owner_id, aid, canonical)

    def set(self, target: str, values: dict[str, str], scope: str = "case") -> dict[str, Any]:
        if not values:
            raise InvalidInputError(_("give at least one KEY=VALUE"))
        with self.p.change("attrs.set") as ch:
            owner_id, owner_name = self._owner(ch.session, scope, target)
            self.set_in(ch, scope, owner_id, values)
            ch.summary = f"set {', '.join(values)} on {scope} {owner_name!r}"
        return self.values(scope, target)

    def unset(self, target: str, names: builtins.list[str], scope: str = "case") -> None:
        with self.p.change("attrs.unset") as ch:
            owner_id, owner_name = self._owner(ch.session, scope, target)
            for name in names:
                aid = ch.session.scalar(
                    select(AttributeDef.id).where(
                        AttributeDef.scope == scope, AttributeDef.name == name
                    )
                )
                if aid is None or not ch.drop_values(_VALUE_MODEL[scope], owner_id, [aid]):
                    raise NotFoundError(
                        _("{scope} {owner_name!r} has no attribute {name!r}").format(
                            scope=_(scope), owner_name=owner_name, name=name
                        )
                    )
            ch.summary = f"unset {', '.join(names)} on {scope} {owner_name!r}"

    def _owner(self, session: Session, scope: str, target: str) -> tuple[int, str]:
        if scope == "case":
            cid = session.scalar(select(Case.id).where(Case.name == target))
            if cid is None:
                raise NotFoundError(_("no case {target!r}").format(target=target))
            return cid, target
        from qcode.services.codings import find_document

        doc = find_document(session, target)
        return doc.id, doc.name

    def values(self, scope: str, target: str | None = None) -> dict[str, Any]:
        """{owner name: {attribute: typed value}} for one scope (or one owner)."""
        model = _VALUE_MODEL[scope]
        owner = Case if scope == "case" else Document
        owner_col = getattr(model, _OWNER_COL[scope])
        with self.p.read() as s:
            q = (
                select(owner.name, AttributeDef.name, AttributeDef.type, model.value)
                .join(model, owner_col == owner.id)
                .join(AttributeDef, AttributeDef.id == model.attribute_id)
                .order_by(owner.name, AttributeDef.name)
            )
            if target is not None:
                oid, _ = self._owner(s, scope, target)
                q = q.where(owner.id == oid)
            out: dict[str, Any] = {}
            for oname, aname, atype, value in s.execute(q):
                out.setdefault(oname, {})[aname] = typed(atype, value)
            if target is not None and not out:
                out[target] = {}
        return out


class CaseService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def ensure_in(self, ch: Change, name: str) -> int:
        check_label("case", name)
        name = name.strip()
        if not name:
            raise InvalidInputError(_("a case needs a name"))
        cid = ch.session.scalar(select(Case.id).where(Case.name == name))
        return cid if cid is not None else ch.insert_one(Case, name=name)

    def add(
        self, name: str, description: str = "", attrs: dict[str, str] | None = None
    ) -> CaseInfo:
        with self.p.change("cases.add") as ch:
            if ch.session.scalar(select(Case.id).where(Case.name == name.strip())) is not None:
                raise ConflictError(_("case {name!r} already exists").format(name=name))
            cid = self.ensure_in(ch, name)
            if description:
                ch.update(Case, [cid], description=description)
            self.p.attributes.set_in(ch, "case", cid, attrs or {})
            ch.summary = f"add case {name!r}"
        return self.get(name.strip())

    def list(self) -> builtins.list[CaseInfo]:
        values = self.p.attributes.values("case")
        with self.p.read() as s:
            counts = dict(
                s.execute(select(Document.case_id, func.count()).group_by(Document.case_id)).all()
            )
            return [
                CaseInfo(
                    c.id, c.uuid, c.name, c.description, counts.get(c.id, 0), values.get(c.name, {})
                )
                for c in s.scalars(select(Case).order_by(Case.name))
            ]

    def get(self, name: str) -> CaseInfo:
        for c in self.list():
            if c.name == name:
                return c
        raise NotFoundError(_("no case {name!r}").format(name=name))

    def rename(self, name: str, new_name: str) -> CaseInfo:
        check_label("case", new_name)
        new_name = new_name.strip()
        if not new_name:
            raise InvalidInputError(_("a case needs a name"))
        with self.p.change("cases.rename") as ch:
            cid = ch.session.scalar(select(Case.id).where(Case.name == name))
            if cid is None:
                raise NotFoundError(_("no case {name!r}").format(name=name))
            if ch.session.scalar(select(Case.id).where(Case.name == new_name)) is not None:
                raise ConflictError(_("case {new_name!r} already exists").format(new_name=new_name))
            ch.update(Case, [cid], name=new_name)
            ch.summary = f"rename case {name!r} to {new_name!r}"
        return self.get(new_name)

    def delete(self, name: str, force: bool = False) -> None:
        with self.p.change("cases.delete") as ch:
            s = ch.session
            cid = s.scalar(select(Case.id).where(Case.name == name))
            if cid is None:
                raise NotFoundError(_("no case {name!r}").format(name=name))
            docs = list(s.scalars(select(Document.id).where(Document.case_id == cid)))
            links = list(s.scalars(select(CaseLink.id).where(CaseLink.case_id == cid)))
            if (docs or links) and not force:
                raise ConflictError(
                    _(
                        "case {name!r} has {n} document(s) and {n2} linked range(s); use "
                        "--force to detach them"
                    ).format(name=name, n=len(docs), n2=len(links))
                )
            ch.update(Document, docs, case_id=None)
            ch.delete(CaseLink, links)
            ch.unlink_memos("case", [cid])
            ch.drop_values(CaseAttribute, cid)
            ch.delete(Case, [cid])
            ch.summary = f"delete case {name!r}"

    def assign(self, document: str, case: str | None) -> None:
        """Put a document in a case (created if new), or in none with ``None``."""
        from qcode.services.codings import find_document

        with self.p.change("cases.assign") as ch:
            doc = find_document(ch.session, document)
            cid = self.ensure_in(ch, case) if case else None
            ch.update(Document, [doc.id], case_id=cid)
            ch.summary = f"put document {doc.name!r} in case {case!r}"
