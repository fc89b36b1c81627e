"""The three-way part of ``qcode merge``: codes, documents and codings against the common
ancestor (:mod:`qcode.services.mergebase`).

- deleted here since the ancestor, still there: stays deleted (counted in ``kept_deleted``);
- deleted there, unchanged here: deleted here too (``deleted``); changed here since (renamed,
  edited, or given codings), it stays and the conflict is reported;
- a code's field (name, description, notes, colour, level, in-vivo) changed on one side only
  takes that side's value; changed on both sides to different values is a conflict;
- deleted on one side and changed on the other since is a conflict too, and so is deleting a
  document, memo or code on one side while the other added to what other tables hold about it
  (an attribute value, a memo link, its case: :func:`~qcode.services.mergebase.grown`);
- an attribute value removed on one side is removed, unless the other changed it (a conflict);
  a document moved to another case on one side moves.

As git does, a merge with conflicts stops (nothing is written) unless ``take`` chooses: "ours"
keeps this project's value (or its deletion), "theirs" takes the other's. So the project a merge
makes never depends on which side merges which.

Without an ancestor every method here does nothing, and the merge is the union it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

from qcode.services import mergewords as w
from qcode.services.codes import CodeTree
from qcode.services.mergebase import CODE_FIELDS, Ancestor, changed, grown, now
from qcode.store.models import (
    CaseLink,
    Code,
    Coding,
    Document,
    DocumentAttribute,
    Memo,
    MemoLink,
    Segment,
    utcnow,
)
from qcode.text import text_hash

FIELDS = ("name", *CODE_FIELDS)
MEMO = ("title", "body")


def their_fields(e: Any, base: dict[str, Any]) -> dict[str, Any]:
    """The other side's fields of code ``e``; a colour never chosen is not exported (None),
    which says the other side did not change it."""
    out = {f: getattr(e, f) for f in FIELDS}
    if out.get("color") is None:
        out["color"] = base.get("color")
    return out


class ThreeWay:
    """A mixin for the merge: ``self.c``, ``self.ch``, ``self.x``, ``self.res``, ``self.code``
    come from it."""

    c: Any
    ch: Any
    x: Any
    res: Any
    code: dict[str, int]
    memo: dict[str, int]
    case: dict[str, int]
    attr: dict[str, int]
    take: str | None = None  # "ours", "theirs", or None: stop at a conflict
    here: Ancestor | None = None  # this project before the merge, and the other, by GUID
    there: Ancestor | None = None

    def conflict(self, line: str, can_take: bool = True) -> bool:
        """Report a true conflict; True if the other side's value is to be taken. Where the
        other's value cannot be taken (``can_take`` False) this project's stays either way."""
        theirs = self.take == "theirs" and can_take
        if self.take is not None:
            line = w.taken(line, theirs)
        self.res.conflicts.append(line)
        return theirs

    def start(self, base: Ancestor | None) -> None:
        self.base = base
        self.ours: dict[str, set[str]] = {}
        if base is not None:
            self.here = now(self.c)
            self.ours = {
                "codes": set(self.c.scalars(select(Code.uuid))),
                "documents": set(self.c.scalars(select(Document.uuid))),
                "codings": set(self.c.scalars(select(Coding.uuid))),
            }

    def grew(self, kind: str, guid: str, here: bool) -> str:
        """What one side (``here`` or there) added since the ancestor to what other tables hold
        about ``kind`` ``guid``, as a conflict says it ("" if nothing)."""
        names = grown(self.base, self.here if here else self.there, kind, guid)
        return w.fields_changed(names, here) if names else ""

    def case_there(self, did: int, guid: str, theirs: str | None, name: str) -> None:
        """Document ``did`` (GUID ``guid``) in the other's case ``theirs`` (a GUID, or None) if
        only the other side moved it since the ancestor; moved on both sides, a conflict. A case
        deleted here leaves it in none."""
        b = self.base.documents.get(guid) if self.base is not None else None
        if b is None or theirs == b["case"]:
            return
        ours = self.here.documents.get(guid, {}).get("case") if self.here is not None else None
        if ours == theirs:
            return
        if ours != b["case"] and not self.conflict(w.case_on_both(name)):
            return
        self.ch.update(Document, [did], case_id=self.case.get(theirs) if theirs else None)

    def unset_there(
        self, model: Any, owner: int, col: str, values: dict[str, str], label: str, guid: str
    ) -> None:
        """Remove the values of ``owner`` (GUID ``guid``) that the other side removed since the
        ancestor; changed here since, a conflict."""
        kind = "case" if col == "case_id" else "document"
        base = self.base.facets().get((kind, guid), {}) if self.base is not None else {}
        for attr, b in sorted(base.get("attribute values", ())):
            if attr in values or attr not in self.attr:
                continue  # still there, or the attribute is deleted on one side
            aid = self.attr[attr]
            cur = self.c.scalar(
                select(model.value).where(getattr(model, col) == owner, model.attribute_id == aid)
            )
            if cur is None or (cur != b and not self.conflict(w.value_removed_there(label, cur))):
                continue
            self.ch.drop_values(model, owner, [aid])

    def _kept(self, what: str) -> None:
        self.res.kept_deleted[what] = self.res.kept_deleted.get(what, 0) + 1

    def _deleted(self, what: str, n: int = 1) -> None:
        if n:
            self.res.deleted[what] = self.res.deleted.get(what, 0) + n

    def deleted_here(self, kind: str, guid: str) -> bool:
        """True if ``guid`` (of ``kind``) was in the ancestor and is no longer here."""
        if self.base is None or guid not in getattr(self.base, kind):
            return False
        if guid in self.ours[kind]:
            return False
        self._kept(kind)
        return True

    def known_code(
        self,
        cid: int | None,
        e: Any,
        tree: CodeTree,
        parent_there: int | None,
        parent_guid_there: str | None,
    ) -> bool | None:
        """Merge code ``e`` three ways if the ancestor had it (True if its name or place
        changed here); None if the ancestor did not have it."""
        g = str(e.guid)
        b = self.base.codes.get(g) if self.base is not None else None
        if b is None:
            return None
        if cid is None:  # deleted here since the ancestor
            why = self._changed_there(e, b)
            if why and self.conflict(w.deleted(w.label("code", e.path), True, why)):
                return None  # brought back: merged as a code new here
            self._kept("codes")
            return False
        row = self.c.execute(select(Code).where(Code.id == cid)).one()
        ours = {f: getattr(row, f) for f in FIELDS}
        theirs = their_fields(e, b)
        take, both = changed(b, ours, theirs, FIELDS)
        stuck: list[str] = []  # conflicts where the other's value cannot be taken here
        path = tree.path(cid)
        ours_parent = (
            self.c.scalar(select(Code.uuid).where(Code.id == row.parent_id))
            if row.parent_id
            else None
        )
        if parent_guid_there != b["parent"] and parent_guid_there != ours_parent:
            impossible = (parent_guid_there is not None and parent_there is None) or (
                parent_there is not None and parent_there in tree.subtree(cid)
            )  # its new parent is deleted here, or is inside it here
            if ours_parent != b["parent"]:
                (stuck if impossible else both).append("place in the tree")
            elif impossible:
                stuck.append("place in the tree")
            else:
                take["parent_id"] = parent_there
        for f in both:
            if self.conflict(w.both(w.label("code", path), f)):
                take["parent_id" if f == "place in the tree" else f] = (
                    parent_there if f == "place in the tree" else theirs[f]
                )
        parent, name = take.get("parent_id", row.parent_id), take.get("name", row.name)
        if ("name" in take or "parent_id" in take) and tree.child_named(parent, name) not in (
            None,
            cid,
        ):
            stuck.append("name" if "name" in take else "place in the tree")
            take.pop("name", None)
            take.pop("parent_id", None)
        if take.get("level") == "selective" and self.c.scalar(
            select(Code.id).where(Code.level == "selective", Code.id != cid)
        ):
            stuck.append("level")
            del take["level"]
        for f in dict.fromkeys(stuck):
            self.conflict(w.both(w.label("code", path), f), can_take=False)
        if take:
            self.ch.update(Code, [cid], **take)
        self.res.count("codes", False)
        self.code[g] = cid
        return "name" in take or "parent_id" in take

    def _changed_there(self, e: Any, b: dict[str, Any]) -> str:
        """How the other side changed code ``e`` since the ancestor ``b`` ("" if it did not)."""
        theirs = their_fields(e, b)
        edited = [f for f in FIELDS if theirs[f] != b.get(f)]
        if edited:
            return w.fields_changed(edited, False)
        g, known = str(e.guid), self.base.codings if self.base is not None else {}
        made = len(
            [
                c
                for src in self.x.sources
                for c in src.codings
                if c.code == g and c.guid not in known
            ]
        )
        return w.codings_made(made, False) if made else self.grew("code", g, False)

    def base_value(self, kind: str, owner: str, attribute: str) -> str | None:
        """The ancestor's value of ``attribute`` (GUIDs) on a case or document, or None."""
        if self.base is None:
            return None
        if self.here is not None and attribute not in self.here.attributes:
            return None  # deleted here and brought back: all its values come with it
        return self.base.values.get((kind, owner, attribute))

    def renamed_there(self, row: Any, s: Any, names: set[str]) -> bool:
        """Rename document ``row`` here to ``s.name`` if only the other side renamed it since the
        ancestor (and the name is free here); True if it did."""
        b = self.base.documents.get(row.uuid) if self.base is not None else None
        if b is None or row.name != b["name"] or s.name == b["name"] or s.name in names:
            return False
        self.ch.update(Document, [row.id], name=s.name)
        names.discard(row.name)
        names.add(s.name)
        return True

    def known_memo(self, row: Any, n: Any) -> bool:
        """Merge memo ``n`` three ways if the ancestor had it and at most one side edited it
        (edited on both, it is kept twice as before): False otherwise."""
        b = self.base.memos.get(n.guid) if self.base is not None else None
        if b is None:
            return False
        if row is None:  # deleted here since
            links = self.grew("memo", n.guid, False)
            if (n.name, n.text) != (b["title"], b["body"]) and self.conflict(
                w.edited(w.label("memo", b["title"]), True)
            ):
                return False  # brought back
            if links and self.conflict(w.deleted(w.label("memo", b["title"]), True, links)):
                return False
            self._kept("memos")
            return True
        take, conflicts = changed(
            b, {"title": row.title, "body": row.body}, {"title": n.name, "body": n.text}, MEMO
        )
        if conflicts:
            return False
        if take:
            self.ch.update(Memo, [row.id], **take, updated=utcnow())
        self.memo[n.guid] = row.id
        self.res.count("memos", False)
        return True

    def document_deleted_here(self, s: Any) -> bool:
        """True if document ``s`` was deleted here since the ancestor and stays deleted (a
        change there since is a conflict; taking the other's brings it back)."""
        base = self.base
        b = base.documents.get(s.guid) if base is not None else None
        if base is None or b is None or s.guid in self.ours["documents"]:
            return False
        made = len([c for c in s.codings if c.guid not in base.codings])
        why = (
            w.renamed(False)
            if s.name != b["name"]
            else w.codings_made(made, False)
            if made
            else self.grew("document", s.guid, False)
        )
        if why and self.conflict(w.deleted(w.label("document", b["name"]), True, why)):
            return False
        self._kept("documents")
        return True

    def _take_memo(self, row: Any, n: Any) -> None:
        """The other's version of memo ``row`` here; this project's kept beside it."""
        title = f"{row.title} (before merging {Path(self.res.source).name})"
        mine = self.c.execute(select(Memo.type, Memo.coder_id).where(Memo.id == row.id)).one()
        self.ch.update(Memo, [row.id], title=n.name[:300], body=n.text, updated=utcnow())
        self.ch.insert_one(
            Memo, title=title[:300], body=row.body, type=mine.type, coder_id=mine.coder_id
        )
        self.res.conflicts.append(w.memo_kept_beside(n.name, title, True))
        self.memo[n.guid] = row.id
        self.res.count("memos", False)

    def deletions(self) -> None:
        """What the other side deleted since the ancestor, deleted here where unchanged."""
        base = self.base
        if base is None:
            return
        theirs_codings = {c.guid for s in self.x.sources for c in s.codings}
        gone = [g for g in base.codings if g not in theirs_codings and g in self.ours["codings"]]
        ids = list(self.c.scalars(select(Coding.id).where(Coding.uuid.in_(gone)))) if gone else []
        self.ch.detach_codings(ids)
        self.ch.delete(Coding, ids)
        self._deleted("codings", len(ids))
        theirs_docs = {s.guid for s in self.x.sources} | {text_hash(s.text) for s in self.x.sources}
        for g, b in base.documents.items():
            if g in theirs_docs or b["text_hash"] in theirs_docs:
                continue
            row = self.c.execute(select(Document.id, Document.name).where(Document.uuid == g))
            doc = row.first()
            if doc is not None:
                self._delete_document(doc.id, doc.name, b["name"], g)
        theirs_memos = {n.guid for n in self.x.notes if not n.comment}
        for g, b in base.memos.items():
            row = self.c.execute(select(Memo.id, Memo.title, Memo.body).where(Memo.uuid == g))
            memo = row.first()
            if g not in theirs_memos and memo is not None:
                self._delete_memo(memo, b, g)
        theirs_codes = {str(e.guid) for e in self.x.codes}
        tree = CodeTree(self.c)
        by_guid = {r.uuid: r.id for r in self.c.execute(select(Code.id, Code.uuid))}
        gone_codes = [(by_guid[g], g) for g in base.codes if g not in theirs_codes and g in by_guid]
        for cid, g in sorted(gone_codes, key=lambda c: -tree.path(c[0]).count("/")):
            self._delete_code(cid, tree.path(cid), base.codes[g], g)

    def _delete_document(self, did: int, name: str, base_name: str, guid: str) -> None:
        left = self.c.scalar(select(func.count()).where(Coding.document_id == did)) or 0
        grew = self.grew("document", guid, True)
        if name != base_name or left or grew:
            why = (
                w.renamed(True)
                if name != base_name
                else w.codings_made(left, True)
                if left
                else grew
            )
            if not self.conflict(w.deleted(w.label("document", name), False, why)):
                return
            ids = list(self.c.scalars(select(Coding.id).where(Coding.document_id == did)))
            self.ch.detach_codings(ids)
            self.ch.delete(Coding, ids)
        ch = self.ch
        ch.unlink_memos("document", [did])
        ch.drop_suggestions("document_id", [did])
        ch.delete(
            Segment, list(self.c.scalars(select(Segment.id).where(Segment.document_id == did)))
        )
        ch.drop_values(DocumentAttribute, did)
        ch.delete(
            CaseLink, list(self.c.scalars(select(CaseLink.id).where(CaseLink.document_id == did)))
        )
        ch.delete(Document, [did])
        self._deleted("documents")

    def _delete_memo(self, memo: Any, base: dict[str, Any], guid: str) -> None:
        if (memo.title, memo.body) != (base["title"], base["body"]) and not self.conflict(
            w.edited(w.label("memo", memo.title), False)
        ):
            return
        links = self.grew("memo", guid, True)
        if links and not self.conflict(w.deleted(w.label("memo", memo.title), False, links)):
            return
        links = self.c.scalars(
            select(MemoLink.id).where(
                or_(
                    MemoLink.memo_id == memo.id,
                    (MemoLink.target_kind == "memo") & (MemoLink.target_id == memo.id),
                )
            )
        )
        self.ch.delete(MemoLink, list(links))
        self.ch.unlink_memos("memo", [memo.id])
        self.ch.delete(Memo, [memo.id])
        self._deleted("memos")

    def _delete_code(self, cid: int, path: str, base: dict[str, Any], guid: str) -> None:
        row = self.c.execute(select(Code).where(Code.id == cid)).one()
        edited = [f for f in FIELDS if getattr(row, f) != base.get(f)]
        children = self.c.scalar(select(func.count()).where(Code.parent_id == cid)) or 0
        left = self.c.scalar(select(func.count()).where(Coding.code_id == cid)) or 0
        grew = self.grew("code", guid, True)
        if edited or children or left or grew:
            why = (
                w.fields_changed(edited, True)
                if edited
                else w.codings_made(left, True)
                if left
                else w.sub_codes_here()
                if children
                else grew
            )
            if not self.conflict(
                w.deleted(w.label("code", path), False, why), can_take=not children
            ):
                return
            ids = list(self.c.scalars(select(Coding.id).where(Coding.code_id == cid)))
            self.ch.detach_codings(ids)
            self.ch.delete(Coding, ids)
        self.ch.detach_codes([cid])
        self.ch.delete(Code, [cid])
        self._deleted("codes")
