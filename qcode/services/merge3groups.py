"""The three-way part of ``qcode merge`` for cases, attribute definitions, relations and sets,
against the common ancestor (:mod:`qcode.services.mergebase`), as :mod:`.merge3` does for codes:

- deleted on one side, unchanged on the other: deleted (or stays deleted); changed on the other
  includes what other tables hold about it: a case's attribute values, documents and memo links,
  an attribute's values, a relation's evidence and memo links;
- changed on one side only: that side's value; changed on both sides differently, or deleted on
  one side and changed on the other: a conflict (:meth:`ThreeWay.conflict`);
- a set's members merge as git merges lines: what either side added since the ancestor is added,
  what either side removed is removed.

Without an ancestor, or for what the ancestor did not have, the merge is the union it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from qcode.services import mergewords as w
from qcode.services.mergebase import MEMBER_OF, changed
from qcode.store.models import (
    TABLES,
    AttributeDef,
    Case,
    CaseAttribute,
    CaseLink,
    CodeSet,
    Document,
    DocumentAttribute,
    Relation,
    RelationEvidence,
    SetMember,
)

NEW, SKIP, MERGED = "new", "skip", "merged"


class ThreeWayGroups:
    """A mixin for the merge, beside :class:`~qcode.services.merge3.ThreeWay`."""

    c: Any
    ch: Any
    x: Any
    res: Any
    base: Any
    conflict: Callable[..., bool]
    _kept: Callable[[str], None]
    _deleted: Callable[..., None]
    grew: Callable[[str, str, bool], str]

    def against_base(
        self,
        kind: str,
        guid: str,
        rid: int | None,
        label: str,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        model: Any,
        changed_there: str = "",
    ) -> str:
        """Merge one row of ``kind`` three ways: NEW if the ancestor did not have it (or it was
        deleted here and the other's change is taken: it comes back), SKIP if it stays deleted
        here, MERGED if its fields were merged into row ``rid``."""
        b = getattr(self.base, kind).get(guid) if self.base is not None else None
        if b is None:
            return NEW
        if rid is None:
            edited = [k for k in theirs if theirs[k] != b.get(k)]
            why = (
                w.fields_changed(edited, False)
                if edited
                else changed_there or self.grew(kind[:-1], guid, False)
            )
            if why and self.conflict(w.deleted(label, True, why)):
                return NEW
            self._kept(kind)
            return SKIP
        take, both = changed(b, ours, theirs, list(theirs))
        stuck = []
        for k in both:
            if self.conflict(w.both(label, k)):
                take[k] = theirs[k]
        if "name" in take:
            same = model.name == take["name"]
            if model is AttributeDef:
                same = same & (AttributeDef.scope == theirs.get("scope", ours.get("scope")))
            if self.c.scalar(select(model.id).where(same, model.id != rid)) is not None:
                stuck.append("name")  # the other's name is another one's here
                del take["name"]
        for k in stuck:
            self.conflict(w.both(label, k), can_take=False)
        if take:
            self.ch.update(model, [rid], **take)
        return MERGED

    def members_against_base(
        self,
        sid: int,
        guid: str,
        theirs: set[tuple[str, str]],
        there: dict[str, dict[str, int]],
    ) -> None:
        """Set ``sid``'s members, three ways: added on either side since the ancestor are in,
        removed on either side are out."""
        base = self.base.sets[guid]["members"]
        ours = self.set_members(sid)
        want = (ours & theirs) | (ours - base) | (theirs - base)
        ids = {k: self.ids_of(k) for k in MEMBER_OF}
        gone = [
            r.id
            for r in self.c.execute(
                select(SetMember.id, SetMember.kind, SetMember.target_id).where(
                    SetMember.set_id == sid
                )
            )
            if (r.kind, self.guid_of(r.kind, r.target_id)) not in want
        ]
        self.ch.delete(SetMember, gone)
        # a member new here by its GUID here, or by what the other's GUID was merged into
        found = {(k, ids[k].get(g) or there[k].get(g)) for k, g in want - ours if k in ids}
        new = sorted((k, t) for k, t in found if t is not None)
        self.ch.insert(SetMember, [{"set_id": sid, "kind": k, "target_id": t} for k, t in new])

    def ids_of(self, kind: str) -> dict[str, int]:
        t = TABLES[MEMBER_OF[kind]]
        return {r.uuid: r.id for r in self.c.execute(select(t.c.id, t.c.uuid))}

    def guid_of(self, kind: str, target: int) -> str | None:
        if kind not in MEMBER_OF:
            return None
        t = TABLES[MEMBER_OF[kind]]
        return self.c.scalar(select(t.c.uuid).where(t.c.id == target))

    def set_members(self, sid: int) -> set[tuple[str, str]]:
        out = set()
        for r in self.c.execute(
            select(SetMember.kind, SetMember.target_id).where(SetMember.set_id == sid)
        ):
            g = self.guid_of(r.kind, r.target_id)
            if g is not None:
                out.add((r.kind, g))
        return out

    def _ours(
        self, model: Any, guid: str, fields: tuple[str, ...]
    ) -> tuple[int | None, dict[str, Any]]:
        """The row of ``model`` with GUID ``guid`` here (its id, or None) and its ``fields``."""
        row = self.c.execute(
            select(model.id, *(getattr(model, f) for f in fields)).where(model.uuid == guid)
        ).first()
        return (None, {}) if row is None else (row[0], dict(zip(fields, row[1:], strict=True)))

    # -- what the other side deleted -----------------------------------------------------------
    def group_deletions(self) -> None:
        if self.base is None:
            return
        self._gone_there(
            "cases",
            Case,
            {c.guid for c in self.x.cases},
            lambda r: {"name": r.name, "description": r.description},
            lambda r: w.label("case", r.name),
            self._delete_case,
        )
        self._gone_there(
            "attributes",
            AttributeDef,
            {v.guid for v in self.x.variables},
            lambda r: {"name": r.name, "scope": r.scope, "type": r.type},
            lambda r: w.label("attribute", r.name),
            self._delete_attribute,
        )
        self._gone_there(
            "relations",
            Relation,
            {lk.guid for lk in self.x.links},
            lambda r: {"comment": r.comment},
            lambda r: w.a_relation(),
            self._delete_relation,
        )
        self._gone_there(
            "sets",
            CodeSet,
            {st.guid for st in self.x.sets},
            lambda r: {"name": r.name, "description": r.description, "query": r.query},
            lambda r: w.label("set", r.name),
            self._delete_set,
            lambda r: (
                w.members_changed(True)
                if self.set_members(r.id) != self.base.sets[r.uuid]["members"]
                else ""
            ),
        )

    def _gone_there(
        self,
        kind: str,
        model: Any,
        theirs: set[str],
        fields: Callable[[Any], dict[str, Any]],
        label: Callable[[Any], str],
        drop: Callable[[int], None],
        changed_here: Callable[[Any], str] = lambda r: "",
    ) -> None:
        for g, b in getattr(self.base, kind).items():
            if g in theirs:
                continue
            row = self.c.execute(select(model.__table__).where(model.uuid == g)).first()
            if row is None:
                continue
            ours = fields(row)
            edited = [k for k in ours if ours[k] != b.get(k)]
            why = (
                w.fields_changed(edited, True)
                if edited
                else changed_here(row) or self.grew(kind[:-1], g, True)
            )
            if why and not self.conflict(w.deleted(label(row), False, why)):
                continue
            drop(row.id)
            self._deleted(kind)

    def _delete_case(self, cid: int) -> None:
        ch = self.ch
        docs = list(self.c.scalars(select(Document.id).where(Document.case_id == cid)))
        ch.update(Document, docs, case_id=None)
        ch.delete(
            CaseLink, list(self.c.scalars(select(CaseLink.id).where(CaseLink.case_id == cid)))
        )
        ch.unlink_memos("case", [cid])
        ch.drop_values(CaseAttribute, cid)
        ch.delete(Case, [cid])

    def _delete_attribute(self, aid: int) -> None:
        for model, owner in ((CaseAttribute, "case_id"), (DocumentAttribute, "document_id")):
            owners = self.c.scalars(
                select(getattr(model, owner)).where(model.attribute_id == aid)
            ).all()
            for o in owners:
                self.ch.drop_values(model, o, [aid])
        self.ch.delete(AttributeDef, [aid])

    def _delete_relation(self, rid: int) -> None:
        self.ch.unlink_memos("relation", [rid])
        ev = self.c.scalars(select(RelationEvidence.id).where(RelationEvidence.relation_id == rid))
        self.ch.delete(RelationEvidence, list(ev))
        self.ch.delete(Relation, [rid])

    def _delete_set(self, sid: int) -> None:
        members = self.c.scalars(select(SetMember.id).where(SetMember.set_id == sid))
        self.ch.delete(SetMember, list(members))
        self.ch.delete(CodeSet, [sid])
