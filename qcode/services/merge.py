"""Bringing another coder's copy of a project into this one (``qcode merge OTHER``).

The other project is read as an :class:`~qcode.interchange.qdpx.Exchange` (everything by GUID) and
merged in one change, so one undo takes it back:

- coders by GUID, then name; codes by GUID, then path; cases by GUID, then name; attributes by scope
  and name; documents by content hash (their names may differ); memos, relations and sets by GUID
  (relations also by source, type and target);
- a coding already present (same document, code, coder and range) is dropped as a duplicate;
- where both sides changed the same thing differently (a code's description, an attribute's
  value, a memo's text; or one side deleted what the other changed), that is a conflict: as in git,
  the merge stops with one line per conflict and writes nothing, unless ``take`` chooses "ours"
  (this project's value stays) or "theirs" (the other's is taken). A memo edited on both sides is
  kept twice either way, the losing version beside the winner, marked with where it came from.
  So which project merges which never changes the result.

``dry_run`` does all of it inside the transaction and then rolls it back: the report is exactly
what a real merge would do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qcode.errors import ConflictError, InvalidInputError
from qcode.i18n import _
from qcode.interchange.names import clean_exchange
from qcode.interchange.qdpx import Exchange
from qcode.interchange.refi import query_from_description
from qcode.services import mergewords as w
from qcode.services import summaries
from qcode.services.attributes import parse_value
from qcode.services.changes import Change
from qcode.services.codes import PALETTE, CodeTree
from qcode.services.documents import detect_language
from qcode.services.exchange import to_exchange
from qcode.services.mapping import ATTRIBUTE, CASE, CODE, MEMO
from qcode.services.memos import MEMO_TYPES
from qcode.services.merge3 import ThreeWay
from qcode.services.merge3groups import MERGED, SKIP, ThreeWayGroups
from qcode.services.merge_codings import NewCodings, free_guids
from qcode.services.mergebase import Ancestor, find_ancestor, now, record, record_twin
from qcode.services.project import Project
from qcode.store.models import (
    AttributeDef,
    Case,
    CaseAttribute,
    Code,
    CodeElementLink,
    Coder,
    CodeSet,
    Coding,
    Document,
    DocumentAttribute,
    FrameworkDimension,
    FrameworkElement,
    Memo,
    MemoLink,
    MergeBase,
    Relation,
    RelationEvidence,
    RelationType,
    SetMember,
    Summary,
)
from qcode.text import text_hash

CODE_FIELDS = (
    *CODE.fields,
    "color",
)  # the colour is compared too, though exported only when chosen


@dataclass
class MergeResult:
    source: str
    dry_run: bool
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # three-way: the common ancestor used (None: none known, a union), what was deleted here
    # because the other side deleted it, and what stays deleted here though the other has it
    ancestor: str | None = None
    deleted: dict[str, int] = field(default_factory=dict)
    kept_deleted: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)  # records here given the other's values

    def count(self, what: str, added: bool) -> None:
        bucket = self.added if added else self.matched
        bucket[what] = bucket.get(what, 0) + 1

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class _DryRun(Exception):
    pass


class MergeConflicts(ConflictError):
    """The merge stopped at conflicts (nothing was written); ``result`` lists them."""

    def __init__(self, result: MergeResult) -> None:
        super().__init__(w.stopped(len(result.conflicts)))
        self.result = result


TAKE = ("ours", "theirs")


def merge_project(
    p: Project, other: str | Path, dry_run: bool = False, take: str | None = None
) -> MergeResult:
    """Merge the project in folder ``other`` into ``p``. At a conflict the merge stops
    (:class:`MergeConflicts`, nothing written) unless ``take`` is "ours" or "theirs"; a dry run
    reports the conflicts and stops at none."""
    if take is not None and take not in TAKE:
        raise InvalidInputError(_("take {take!r}: give 'ours' or 'theirs'").format(take=take))
    q = Project.open(other)
    try:
        return _merge(p, q, other, dry_run, take)
    finally:
        q.close()


def _merge(
    p: Project, q: Project, other: str | Path, dry_run: bool, take: str | None
) -> MergeResult:
    if q.root == p.root:
        raise InvalidInputError(_("{other}: is this project; nothing to merge").format(other=other))
    x, _rest = to_exchange(q)  # what REFI-QDA cannot hold is read below
    cells = summaries.take_from_exchange(x)
    base, last = find_ancestor(p, q)
    with q.read() as s:
        framework = s.execute(
            select(
                Code.uuid,
                FrameworkDimension.key,
                FrameworkElement.name,
                CodeElementLink.relation,
            )
            .join(CodeElementLink, CodeElementLink.code_id == Code.id)
            .join(FrameworkElement, FrameworkElement.id == CodeElementLink.element_id)
            .join(FrameworkDimension, FrameworkDimension.id == FrameworkElement.dimension_id)
        ).all()
        evidence = s.execute(
            select(Relation.uuid, Coding.uuid)
            .join(RelationEvidence, RelationEvidence.relation_id == Relation.id)
            .join(Coding, Coding.id == RelationEvidence.coding_id)
        ).all()
        there = now(s.connection()) if base is not None else None
    res = MergeResult(str(other), dry_run, notes=clean_exchange(x))
    res.ancestor = base.where if base else None
    twin = None
    try:
        with p.change("merge", f"merge {Path(other).name}") as ch:
            m = _Merge(p, ch, x, res, base)
            m.take, m.there = take, there
            m.run()
            m.merge_summaries(cells)
            m.framework_links(framework)
            m.evidence(evidence)
            res.changed = _changed(ch.ops)
            if res.conflicts and take is None and not dry_run:
                raise MergeConflicts(res)
            if (
                last is not None
                and ch.conn.scalar(select(MergeBase.id).where(MergeBase.base_event == last)) is None
            ):
                twin = record(ch, last, q.root.name)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return res
    record_twin(q, twin, last, p.root.name)
    return res


# the tables a merge updates, by the kinds its report counts
_KIND_OF_TABLE = {
    "case_attributes": "attributes",
    "document_attributes": "attributes",
    "attributes": "attributes",
    "case_links": "cases",
    "memo_links": "memos",
    "summary_links": "summaries",
    "set_members": "sets",
    "relation_types": "relations",
    "relation_evidence": "relations",
}


def _changed(ops: list[Any]) -> dict[str, int]:
    """How many records already here the merge changed (values taken from the other copy),
    by kind: the rows of its update steps, each row once."""
    new = {(op[1], i) for op in ops if op[0] == "insert" for i in op[2]}  # made by the merge
    rows: dict[str, set[Any]] = {}
    for op in ops:
        if op[0] == "update":
            ids = [i for i in op[2] if (op[1], i) not in new]
        elif op[0] == "update_kv":
            ids = [(op[2], op[3])]  # an attribute value: its owner and key
        else:
            continue
        if ids:
            kind = _KIND_OF_TABLE.get(op[1], op[1])
            rows.setdefault(kind, set()).update((op[1], i) for i in ids)
    return {kind: len(r) for kind, r in sorted(rows.items())}


class _Merge(ThreeWay, ThreeWayGroups):
    def __init__(
        self, p: Project, ch: Change, x: Exchange, res: MergeResult, base: Ancestor | None
    ) -> None:
        self.p, self.ch, self.x, self.res = p, ch, x, res
        self.c = ch.conn
        self.start(base)
        self.coder: dict[str | None, int] = {}
        self.code: dict[str, int] = {}
        self.attr: dict[str, int] = {}
        self.attr_type: dict[str, str] = {}
        self.case: dict[str, int] = {}
        self.doc: dict[str, int] = {}
        self.coding: dict[str, int] = {}
        self.memo: dict[str, int] = {}
        self.relation: dict[str, int] = {}

    def _free(self, model: Any, guid: str | None) -> str:
        """``guid`` if no row of ``model`` has it yet, else a new one."""
        return free_guids(self.c, model, [guid or ""])[0]

    def run(self) -> None:
        self.coders()
        self.codes()
        self.attributes()
        self.cases()
        self.documents()
        self.memos()
        self.relations()
        self.memo_links()
        self.sets()
        self.deletions()
        self.group_deletions()

    # -- people and codes ----------------------------------------------------------------------
    def coders(self) -> None:
        for g, name in self.x.users.items():
            cid = self.c.scalar(select(Coder.id).where(Coder.uuid == g)) or self.c.scalar(
                select(Coder.id).where(Coder.name == name)
            )
            self.res.count("coders", cid is None)
            self.coder[g] = cid or self.ch.insert_one(Coder, uuid=self._free(Coder, g), name=name)

    def codes(self) -> None:
        tree = CodeTree(self.c)
        by_guid = {r.uuid: r.id for r in self.c.execute(select(Code.id, Code.uuid))}
        guid_of_path = {e.path: str(e.guid) for e in self.x.codes}
        for i, e in enumerate(self.x.codes):
            parent = self.code.get(guid_of_path[e.parent]) if e.parent else None
            cid = by_guid.get(str(e.guid))
            known = self.known_code(
                cid, e, tree, parent, guid_of_path[e.parent] if e.parent else None
            )
            if known is not None:
                if known:  # renamed or moved: paths changed
                    tree = CodeTree(self.c)
                continue
            if cid is not None and tree.path(cid) != e.path:
                self.conflict(w.moved(tree.path(cid), e.path), can_take=False)
            if cid is None:
                cid = tree.child_named(parent, e.name)
            if cid is not None:
                self._compare_code(cid, tree.path(cid), e)
                self.res.count("codes", False)
            else:
                level = e.level
                core = self.c.scalar(select(Code.id).where(Code.level == "selective"))
                if level == "selective" and core is not None:
                    if self.conflict(w.core_there(e.path)):
                        self.ch.update(Code, [core], level="axial")
                    else:
                        level = "axial"
                cid = self.ch.insert_one(
                    Code,
                    uuid=self._free(Code, e.guid),
                    name=e.name,
                    parent_id=parent,
                    **{
                        **CODE.into(e),
                        "color": e.color or PALETTE[i % len(PALETTE)],
                        "color_chosen": e.color is not None,
                        "level": level,
                    },
                )
                tree = CodeTree(self.c)
                self.res.count("codes", True)
            self.code[str(e.guid)] = cid

    def _compare_code(self, cid: int, path: str, e: Any) -> None:
        row = self.c.execute(select(Code).where(Code.id == cid)).one()
        fill: dict[str, Any] = {}
        for f in CODE_FIELDS:
            ours, theirs = getattr(row, f), getattr(e, f)
            if theirs in ("", None, False) or ours == theirs or (f == "level" and theirs == "open"):
                continue
            if (
                ours in ("", None, False)
                or (f == "level" and ours == "open")
                or self.conflict(w.differs(w.label("code", path), f))
            ):
                fill[f] = theirs
        if fill.get("level") == "selective" and self.c.scalar(
            select(Code.id).where(Code.level == "selective", Code.id != cid)
        ):
            del fill["level"]
        if fill:
            self.ch.update(Code, [cid], **fill)

    # -- cases, attributes, documents ----------------------------------------------------------
    def attributes(self) -> None:
        for v in self.x.variables:
            aid, ours = self._ours(AttributeDef, v.guid, ("name",))
            how = self.against_base(
                "attributes",
                v.guid,
                aid,
                w.label("attribute", v.name),
                ours,
                {"name": v.name},
                AttributeDef,
            )
            if how == SKIP:
                continue
            row = self.c.execute(
                select(AttributeDef.id, AttributeDef.type).where(
                    AttributeDef.id == aid
                    if how == MERGED
                    else (AttributeDef.scope == v.scope) & (AttributeDef.name == v.name)
                )
            ).first()
            if row is not None and row.type != v.type:
                self.conflict(w.types_differ(v.name, v.type, row.type), can_take=False)
                continue
            self.res.count("attributes", row is None)
            self.attr[v.guid] = (
                row.id
                if row is not None
                else self.ch.insert_one(
                    AttributeDef, uuid=self._free(AttributeDef, v.guid), **ATTRIBUTE.into(v)
                )
            )
            self.attr_type[v.guid] = v.type

    def _values(
        self,
        model: Any,
        owner: int,
        owner_col: str,
        values: dict[str, str],
        label: str,
        owner_guid: str = "",
    ) -> None:
        for g, raw in values.items():
            if g not in self.attr:
                continue
            value = parse_value(g, self.attr_type[g], raw)
            cur = self.c.scalar(
                select(model.value).where(
                    getattr(model, owner_col) == owner, model.attribute_id == self.attr[g]
                )
            )
            kind = "case" if owner_col == "case_id" else "document"
            base = self.base_value(kind, owner_guid, g)
            if base is not None and value == base:
                continue  # not changed there: whatever this project did since stays
            if (
                cur == base or cur != value and self.conflict(w.value_there(label, value, cur))
            ):  # new there, or changed there only
                self.ch.put_value(model, owner, self.attr[g], value)
        if owner_guid:
            self.unset_there(model, owner, owner_col, values, label, owner_guid)

    def cases(self) -> None:
        for c in self.x.cases:
            cid, ours = self._ours(Case, c.guid, ("name", "description"))
            theirs = {"name": c.name, "description": c.description}
            label = w.label("case", c.name)
            how = self.against_base("cases", c.guid, cid, label, ours, theirs, Case)
            if how == SKIP:
                continue
            cid = cid or self.c.scalar(select(Case.id).where(Case.name == c.name))
            self.res.count("cases", cid is None)
            guid = c.guid if cid is not None else ""  # new here (or back): all its values
            if cid is None:
                cid = self.ch.insert_one(Case, uuid=self._free(Case, c.guid), **CASE.into(c))
            self.case[c.guid] = cid
            self._values(CaseAttribute, cid, "case_id", c.values, label, guid)

    def documents(self) -> None:
        case_of = {s: c.guid for c in self.x.cases for s in c.sources}
        new = NewCodings(self.c)  # every document's new codings, stored in one insert
        names = set(self.c.scalars(select(Document.name)))
        for s in self.x.sources:
            h = text_hash(s.text)
            row = self.c.execute(
                select(Document.id, Document.uuid, Document.name).where(Document.text_hash == h)
            ).first()
            if row is None and self.document_deleted_here(s):
                continue
            self.res.count("documents", row is None)
            if row is not None:
                did = row.id
                if row.name != s.name and not self.renamed_there(row, s, names):
                    self.res.notes.append(
                        _("document {name!r} there is {name2!r} here").format(
                            name=s.name, name2=row.name
                        )
                    )
                self.case_there(did, row.uuid, case_of.get(s.guid), s.name)
            else:
                name, n = s.name, 1
                while name in names:
                    n += 1
                    name = f"{s.name} ({n})"
                names.add(name)
                did = self.p.documents.insert_in(
                    self.ch,
                    name,
                    s.text,
                    detect_language(s.text, self.p.settings.language),
                    uuid=self._free(Document, s.guid),
                    case_id=self.case.get(case_of.get(s.guid, "")),
                    source_name=s.name,
                    source_format=s.format,
                    source_encoding="utf-8",
                )
            self.doc[s.guid] = did
            guid = s.guid if row is not None else ""  # new here (or back): all its values
            label = w.label("document", s.name)
            self._values(DocumentAttribute, did, "document_id", s.values, label, guid)
            self._codings(did, s, row is None, new)
        added = new.store(self.ch, self.coding)
        self.res.added["codings"] = self.res.added.get("codings", 0) + added

    def _codings(self, did: int, s: Any, new_doc: bool, new: NewCodings) -> None:
        """Source ``s``'s codings (document ``did``): those stored here already are duplicates,
        the others go to ``new``."""
        have = {} if new_doc else new.stored(did)
        mine = []
        for c in s.codings:
            if c.code not in self.code or self.deleted_here("codings", c.guid):
                continue
            key = (self.code[c.code], self.coder[c.user], c.start, c.end)
            if key in have:
                self.res.duplicates += 1
                self.coding[c.guid] = have[key]
            else:
                mine.append((c, key))
        self.res.duplicates += new.add(did, s.text, mine)

    # -- memos, relations, sets ----------------------------------------------------------------
    def memos(self) -> None:
        for n in self.x.notes:
            if n.comment:
                continue
            row = self.c.execute(
                select(Memo.id, Memo.title, Memo.body).where(Memo.uuid == n.guid)
            ).first()
            if self.known_memo(row, n):
                continue
            if row is not None and (row.title, row.body) == (n.name, n.text):
                self.memo[n.guid] = row.id
                self.res.count("memos", False)
                continue
            title = n.name
            if row is not None:
                title = f"{n.name} (from {Path(self.res.source).name})"
                copy = self.c.scalar(
                    select(Memo.id).where(Memo.title == title[:300], Memo.body == n.text)
                )
                if copy is not None:  # merged before: the copy is here already
                    self.memo[n.guid] = copy
                    self.res.count("memos", False)
                    continue
                if self.take is None:
                    self.conflict(w.memo_on_both(n.name))
                elif self.take == "theirs":  # the other's version here, this one's beside it
                    self._take_memo(row, n)
                    continue
                else:
                    self.res.conflicts.append(w.memo_kept_beside(n.name, title, False))
            self.memo[n.guid] = self.ch.insert_one(
                Memo,
                uuid=self._free(Memo, n.guid),
                coder_id=self.coder.get(n.user) or self.p.ensure_coder(self.ch, None),
                **{
                    **MEMO.into(n, skip_none=True),
                    "title": title[:300],
                    "type": n.type if n.type in MEMO_TYPES else "free",
                },
            )
            self.res.count("memos", True)

    def relations(self) -> None:
        types = {r.name: r.id for r in self.c.execute(select(RelationType.id, RelationType.name))}
        comments = {n.guid: n for n in self.x.notes if n.comment}
        paths = {str(e.guid): e.path for e in self.x.codes}
        for link in self.x.links:
            if link.name not in types:
                types[link.name] = self.ch.insert_one(
                    RelationType, name=link.name, directed=link.direction != "Associative"
                )
            if link.origin not in self.code or link.target not in self.code:
                continue  # a code deleted here since the common ancestor
            a, b, t = self.code[link.origin], self.code[link.target], types[link.name]
            note = next((comments[g] for g in link.notes if g in comments), None)
            rid, ours = self._ours(Relation, link.guid, ("comment",))
            theirs = {"comment": note.text if note else ""}
            label = w.relation(paths.get(link.origin), link.name, paths.get(link.target))
            how = self.against_base("relations", link.guid, rid, label, ours, theirs, Relation)
            if how == SKIP:
                continue
            rid = rid or self.c.scalar(
                select(Relation.id).where(
                    Relation.source_id == a, Relation.type_id == t, Relation.target_id == b
                )
            )
            self.res.count("relations", rid is None)
            if rid is None:
                rid = self.ch.insert_one(
                    Relation,
                    uuid=self._free(Relation, link.guid),
                    source_id=a,
                    type_id=t,
                    target_id=b,
                    comment=note.text if note else "",
                )
            self.relation[link.guid] = rid

    def memo_links(self) -> None:
        want: list[tuple[str, str, int | None, int | None, int | None]] = []
        for g, notes in self.x.code_notes.items():
            want += [(n, "code", self.code.get(g), None, None) for n in notes]
        for s in self.x.sources:
            did = self.doc.get(s.guid)
            want += [(n, "document", did, None, None) for n in s.notes]
            want += [(n, "document", did, r.start, r.end) for r in s.ranges for n in r.notes]
            want += [
                (n, "coding", self.coding.get(c.guid), None, None)
                for c in s.codings
                for n in c.notes
            ]
        for note in self.x.notes:
            want += [(note.guid, "case", self.case.get(g), None, None) for g in note.cases]
            want += [(note.guid, "memo", self.memo.get(g), None, None) for g in note.notes]
        for lk in self.x.links:
            want += [(n, "relation", self.relation.get(lk.guid), None, None) for n in lk.notes]
        for note_guid, kind, target, start, end in want:
            memo = self.memo.get(note_guid)
            if memo is None or target is None:
                continue
            exists = self.c.scalar(
                select(MemoLink.id).where(
                    MemoLink.memo_id == memo,
                    MemoLink.target_kind == kind,
                    MemoLink.target_id == target,
                )
            )
            if exists is None:
                self.ch.insert_one(
                    MemoLink, memo_id=memo, target_kind=kind, target_id=target, start=start, end=end
                )

    def merge_summaries(self, cells: list[summaries.XSummary]) -> None:
        ids = {"case": self.case, "document": self.doc, "code": self.code, "coding": self.coding}
        coder = self.p.ensure_coder(self.ch, None)

        def who(guid: str | None) -> int:
            return self.coder.get(guid) or coder

        differ: list[str] = []  # a summary here and another there: a conflict
        added, said = summaries.insert_from_exchange(
            self.ch, cells, ids, who, lambda g: self._free(Summary, g), differ
        )
        if added:
            self.res.added["summaries"] = added
        for line in differ:
            self.conflict(line, can_take=False)
        self.res.notes += said

    def sets(self) -> None:
        kinds = {"code": self.code, "document": self.doc, "memo": self.memo}
        for st in self.x.sets:
            description, query = query_from_description(st.description)
            sid, ours = self._ours(CodeSet, st.guid, ("name", "description", "query"))
            theirs = {"name": st.name, "description": description, "query": query}
            members = {
                (k, g)
                for k, guids in (("code", st.codes), ("document", st.sources), ("memo", st.notes))
                for g in guids
            }
            b = self.base.sets.get(st.guid) if self.base is not None else None
            how = self.against_base(
                "sets",
                st.guid,
                sid,
                w.label("set", st.name),
                ours,
                theirs,
                CodeSet,
                w.members_changed(False) if b is not None and members != b["members"] else "",
            )
            if how == SKIP:
                continue
            if how == MERGED and sid is not None:
                self.members_against_base(sid, st.guid, members, kinds)
                self.res.count("sets", False)
                continue
            sid = sid or self.c.scalar(select(CodeSet.id).where(CodeSet.name == st.name))
            self.res.count("sets", sid is None)
            if sid is None:
                sid = self.ch.insert_one(
                    CodeSet,
                    uuid=self._free(CodeSet, st.guid),
                    name=st.name,
                    description=description,
                    query=query,
                )
            have = {
                (r.kind, r.target_id)
                for r in self.c.execute(
                    select(SetMember.kind, SetMember.target_id).where(SetMember.set_id == sid)
                )
            }
            new = {
                (k, kinds[k][g])
                for k, guids in (("code", st.codes), ("document", st.sources), ("memo", st.notes))
                for g in guids
                if g in kinds[k]
            } - have
            self.ch.insert(
                SetMember, [{"set_id": sid, "kind": k, "target_id": t} for k, t in sorted(new)]
            )

    def framework_links(self, links: Any) -> None:
        """Links of codes to framework elements, matched by dimension key and element name."""
        elements = {
            (r.key, r.name): r.id
            for r in self.c.execute(
                select(FrameworkElement.id, FrameworkElement.name, FrameworkDimension.key).join(
                    FrameworkDimension, FrameworkDimension.id == FrameworkElement.dimension_id
                )
            )
        }
        for code_guid, key, name, relation in links:
            element = elements.get((key, name))
            code = self.code.get(code_guid)
            if element is None or code is None:
                self.res.notes.append(
                    _(
                        "framework element {key}: {name!r} is not in this project; a "
                        "link to it was not merged"
                    ).format(key=key, name=name)
                )
                continue
            exists = self.c.scalar(
                select(CodeElementLink.id).where(
                    CodeElementLink.code_id == code,
                    CodeElementLink.element_id == element,
                    CodeElementLink.relation == relation,
                )
            )
            self.res.count("framework links", exists is None)
            if exists is None:
                self.ch.insert_one(
                    CodeElementLink, code_id=code, element_id=element, relation=relation
                )

    def evidence(self, pairs: Any) -> None:
        """Codings cited as evidence for relations."""
        for relation_guid, coding_guid in pairs:
            rel, coding = self.relation.get(relation_guid), self.coding.get(coding_guid)
            if rel is None or coding is None:
                continue
            exists = self.c.scalar(
                select(RelationEvidence.id).where(
                    RelationEvidence.relation_id == rel, RelationEvidence.coding_id == coding
                )
            )
            if exists is None:
                self.ch.insert_one(RelationEvidence, relation_id=rel, coding_id=coding)
