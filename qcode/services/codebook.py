"""The codebook out of the project and back in.

:func:`build_codebook` gathers the codes (with counts, example quotes and framework links if
asked), relations and sets as a :class:`~qcode.interchange.model.Codebook`, which
:mod:`qcode.interchange.codebook` writes in any format. :func:`merge_codebook` brings one in as a
single undoable change: each incoming code is matched by GUID, then by path; a matched code takes
the incoming values that are not empty (an import never clears a field, unsets in vivo or demotes
a code to open); the rest are added under their parents, created if missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qcode.errors import ConflictError, InputFileError, InvalidInputError
from qcode.i18n import _
from qcode.interchange.codebook import read_codebook, write_codebook
from qcode.interchange.model import Codebook, CodeEntry, MergeReport, RelationEntry, SetEntry
from qcode.interchange.names import clean_codebook
from qcode.services.codes import LEVELS, PALETTE, CodeTree, check_color, check_name
from qcode.store.models import (
    Code,
    CodeElementLink,
    CodeSet,
    Coding,
    Document,
    FrameworkDimension,
    FrameworkElement,
    Relation,
    RelationType,
    SetMember,
    new_uuid,
)

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

# the fields an import may change on a code it matches
UPDATABLE = ("description", "inclusion", "exclusion", "example", "color", "level", "in_vivo")
_GUID = re.compile(r"^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$")


# -- out ----------------------------------------------------------------------------------------
def build_codebook(
    p: Project, levels: Sequence[str] | None = None, counts: bool = False, examples: int = 0
) -> Codebook:
    """The project's codebook, depth first with siblings by name. With ``levels``, only codes of
    those levels, their ancestors kept as ``context`` entries, and the relations and set members
    among them. ``counts``: each code's own codings and the documents they are in; ``examples``:
    up to that many distinct coded texts per code, by document name and position."""
    wanted = set(levels or LEVELS)
    unknown = sorted(wanted - set(LEVELS))
    if unknown:
        raise InvalidInputError(
            _("unknown level {v1!r} (open, axial or selective)").format(v1=unknown[0])
        )
    if examples < 0:
        raise InvalidInputError(_("the number of example quotes cannot be negative"))
    with p.read() as s:
        tree = CodeTree(s)
        rows = {
            r.id: r
            for r in s.execute(select(Code.id, Code.uuid, Code.color_chosen, *_columns(UPDATABLE)))
        }
        order = tree.ordered()
        chosen = {c for c in order if rows[c].level in wanted}
        shown = set(chosen)
        for c in chosen:
            parent = tree.parent[c]
            while parent is not None and parent not in shown:
                shown.add(parent)
                parent = tree.parent[parent]
        tally: dict[int, tuple[int, int]] = {}
        if counts:
            q = select(
                Coding.code_id, func.count(), func.count(func.distinct(Coding.document_id))
            ).group_by(Coding.code_id)
            tally = {cid: (n, d) for cid, n, d in s.execute(q)}
        quotes = _quotes(s, chosen, examples) if examples else {}
        links = _links(s)
        sets = _sets(s, tree, chosen)
    paths = {tree.path(c) for c in chosen}
    codes = []
    for cid in (c for c in order if c in shown):
        r = rows[cid]
        entry = CodeEntry(
            tree.path(cid),
            r.uuid,
            **{f: getattr(r, f) for f in UPDATABLE if f != "color"},
            color=r.color if r.color_chosen else None,  # a code that came without stays so
            links=links.get(cid, []),
            context=cid not in chosen,
        )
        if counts and cid in chosen:
            entry.codings, entry.documents = tally.get(cid, (0, 0))
        entry.quotes = quotes.get(cid, [])
        codes.append(entry)
    relations = [
        RelationEntry(r.source, r.type, r.target, r.comment, r.directed, r.uuid)
        for r in p.structure.list()
        if r.source in paths and r.target in paths
    ]
    return Codebook(p.settings.name, codes, relations, sets)


def _columns(names: Sequence[str]) -> list[Any]:
    return [getattr(Code, n) for n in names]


def _quotes(s: Session, chosen: set[int], n: int) -> dict[int, list[str]]:
    q = (
        select(Coding.code_id, Coding.text)
        .join(Document, Document.id == Coding.document_id)
        .order_by(Document.name, Coding.start, Coding.end, Coding.id)
    )
    out: dict[int, list[str]] = {}
    for cid, text in s.execute(q):
        if cid not in chosen:
            continue
        got = out.setdefault(cid, [])
        text = text.strip()
        if len(got) < n and text and text not in got:
            got.append(text)
    return out


def _links(s: Session) -> dict[int, list[str]]:
    """Each code's framework elements as 'dimension: element', in the framework's order."""
    q = (
        select(CodeElementLink.code_id, FrameworkDimension.name, FrameworkElement.name)
        .join(FrameworkElement, FrameworkElement.id == CodeElementLink.element_id)
        .join(FrameworkDimension, FrameworkDimension.id == FrameworkElement.dimension_id)
        .order_by(FrameworkDimension.position, FrameworkElement.position, CodeElementLink.id)
    )
    out: dict[int, dict[str, None]] = {}
    for cid, dim, element in s.execute(q):
        out.setdefault(cid, {})[f"{dim}: {element}"] = None
    return {cid: list(names) for cid, names in out.items()}


def _sets(s: Session, tree: CodeTree, chosen: set[int]) -> list[SetEntry]:
    """Sets with code members among ``chosen``, and saved queries (sets of documents or memos
    only are left out)."""
    members: dict[int, list[str]] = {}
    q = select(SetMember.set_id, SetMember.target_id).where(SetMember.kind == "code")
    for sid, cid in s.execute(q):
        if cid in chosen:
            members.setdefault(sid, []).append(tree.path(cid))
    return [
        SetEntry(
            cs.name,
            cs.uuid,
            cs.description,
            sorted(members.get(cs.id, []), key=str.casefold),
            cs.query,
        )
        for cs in s.scalars(select(CodeSet).order_by(CodeSet.name))
        if cs.id in members or cs.query
    ]


def export_codebook(
    p: Project,
    path: str | Path,
    fmt: str | None = None,
    levels: Sequence[str] | None = None,
    counts: bool = False,
    examples: int = 0,
) -> Codebook:
    """Write the codebook to ``path`` (format from ``fmt`` or the extension); returns it."""
    cb = build_codebook(p, levels, counts, examples)
    write_codebook(cb, Path(path), fmt)
    return cb


# -- in -----------------------------------------------------------------------------------------
def import_codebook(p: Project, path: str | Path, fmt: str | None = None) -> MergeReport:
    """Read a codebook file (csv, json, qdc) and merge it into the project."""
    return merge_codebook(p, read_codebook(Path(path), fmt), str(path))


def merge_codebook(p: Project, cb: Codebook, source: str) -> MergeReport:
    """Merge ``cb`` (read from ``source``) into the project as one undoable change. Input that
    breaks the project's rules raises :class:`InputFileError` and changes nothing."""
    cb = _checked(clean_codebook(cb), source)
    report = MergeReport(notes=list(cb.notes))
    with p.change("codebook.import") as ch:
        merge = _Merge(p, ch, report)
        merge.codes(cb.codes)
        merge.relations(cb.relations)
        merge.sets(cb.sets)
        ch.summary = (
            f"import codebook {Path(source).name}: added {len(report.added)}, "
            f"updated {len(report.updated)}"
        )
    linked = sum(bool(c.links) for c in cb.codes)
    if linked:
        report.notes.append(
            _("framework links of {linked} code(s) are not imported").format(linked=linked)
        )
    return report


def _checked(cb: Codebook, source: str) -> Codebook:
    """``cb`` with names, colours and relation types normalised; InputFileError for anything a
    project cannot hold (empty or over-long names, bad colours, levels or GUIDs, repeats)."""

    def path_of(path: str, what: str) -> str:
        try:
            return "/".join(check_name(part) for part in path.split("/"))
        except InvalidInputError as exc:
            raise InputFileError(source, f"{what}: {exc}") from None

    def check_guid(guid: str | None, what: str) -> None:
        if guid is not None and not _GUID.match(guid):
            raise InputFileError(
                source, _("{what}: {guid!r} is not a GUID").format(what=what, guid=guid)
            )

    codes: list[CodeEntry] = []
    paths: set[str] = set()
    guids: dict[str, str] = {}
    for c in cb.codes:
        what = _("code {path!r}").format(path=c.path)
        path = path_of(c.path, what)
        if path in paths:
            raise InputFileError(source, _("code {path!r} is listed twice").format(path=path))
        paths.add(path)
        if c.level not in LEVELS:
            raise InputFileError(
                source, _("{what}: unknown level {level!r}").format(what=what, level=c.level)
            )
        try:
            color = check_color(c.color) if c.color else None
        except InvalidInputError as exc:
            raise InputFileError(source, f"{what}: {exc}") from None
        check_guid(c.guid, what)
        if c.guid is not None:
            if c.guid.lower() in guids:
                raise InputFileError(
                    source,
                    _("codes {v1!r} and {path!r} have the same GUID").format(
                        v1=guids[c.guid.lower()], path=path
                    ),
                )
            guids[c.guid.lower()] = path
        codes.append(replace(c, path=path, color=color))
    relations = []
    for r in cb.relations:
        what = _("relation {source!r} {type} {target!r}").format(
            source=r.source, type=r.type, target=r.target
        )
        type_name = " ".join(r.type.split())
        if not type_name:
            raise InputFileError(source, _("{what}: no relation type").format(what=what))
        check_guid(r.guid, what)
        source_path, target_path = path_of(r.source, what), path_of(r.target, what)
        relations.append(replace(r, source=source_path, type=type_name, target=target_path))
    sets: list[SetEntry] = []
    for s in cb.sets:
        name = " ".join(s.name.split())
        if not name or name in (x.name for x in sets):
            problem = _("set {name!r}: no name") if not name else _("set {name!r}: twice")
            raise InputFileError(source, problem.format(name=s.name))
        what = _("set {name!r}").format(name=name)
        check_guid(s.guid, what)
        sets.append(replace(s, name=name, codes=[path_of(x, what) for x in s.codes]))
    return Codebook(cb.name, codes, relations, sets, cb.notes)


class _Merge:
    """The state of one merge: the project's codes by (parent, name) and by GUID, and where each
    incoming path landed."""

    def __init__(self, p: Project, ch: Change, report: MergeReport) -> None:
        self.p, self.ch, self.report = p, ch, report
        self.tree = CodeTree(ch.conn)
        self.index = {(self.tree.parent[c], self.tree.name[c]): c for c in self.tree.name}
        cols = _columns(UPDATABLE)
        self.rows = {r.id: r for r in ch.conn.execute(select(Code.id, Code.uuid, *cols))}
        self.by_guid = {r.uuid.lower(): r.id for r in self.rows.values()}
        self.found: dict[str, int] = {}  # incoming path -> code id
        self.claimed: dict[int, str] = {}  # code id -> the incoming path matched to it

    def locate(self, path: str) -> int | None:
        """The code an incoming path stands for: where it landed, or the project's code found by
        following the path from where its parent landed."""
        if path in self.found:
            return self.found[path]
        parent, _, name = path.rpartition("/")
        pid = self.locate(parent) if parent else None
        if parent and pid is None:
            return None
        return self.index.get((pid, name))

    def codes(self, entries: list[CodeEntry]) -> None:
        for e in entries:
            cid = self.by_guid.get(e.guid.lower()) if e.guid else None
            if cid is not None:
                self.found[e.path] = cid
                self.claimed[cid] = e.path
        unchanged = other_guid = 0
        for e in sorted(entries, key=lambda e: e.path.count("/")):
            cid = self.locate(e.path)
            if cid is None:
                self._add(e)
                continue
            owner = self.claimed.setdefault(cid, e.path)
            if owner != e.path:
                self.report.skipped.append(
                    _("{path}: matches the same code as {owner!r}").format(path=e.path, owner=owner)
                )
                continue
            self.found[e.path] = cid
            row = self.rows[cid]
            if e.guid and e.guid.lower() != row.uuid.lower():
                other_guid += 1
            elif e.guid and self.tree.path(cid) != e.path:
                self.report.notes.append(
                    _("{path!r} is {v1!r} here (same GUID); name and place kept").format(
                        path=e.path, v1=self.tree.path(cid)
                    )
                )
            incoming = {f: getattr(e, f) for f in UPDATABLE if f != "level" or e.level != "open"}
            values = {f: v for f, v in incoming.items() if v and v != getattr(row, f)}
            if "level" in values and not self._level_ok(e, cid):
                continue
            if values:
                if "color" in values:
                    values["color_chosen"] = True
                self.ch.update(Code, [cid], **values)
                self.report.updated.append(e.path)
            else:
                unchanged += 1
        if unchanged:
            self.report.notes.append(
                _("{unchanged} matched code(s) were already up to date").format(unchanged=unchanged)
            )
        if other_guid:
            self.report.notes.append(
                _(
                    "{other_guid} code(s) matched by path have other GUIDs in the "
                    "file; the project's GUIDs are kept"
                ).format(other_guid=other_guid)
            )

    def _level_ok(self, e: CodeEntry, cid: int | None = None) -> bool:
        try:
            self.p.codes._check_level(self.ch, e.level, cid)
        except ConflictError as exc:
            self.report.skipped.append(f"{e.path}: {exc}")
            return False
        return True

    def _add(self, e: CodeEntry) -> None:
        if not self._level_ok(e):
            return
        parent = self._parent(e.parent) if e.parent else None
        values = {f: getattr(e, f) for f in UPDATABLE}
        self._insert(e.path, parent, e.guid or new_uuid(), values)
        self.report.added.append(e.path)

    def _parent(self, path: str) -> int:
        """The code at ``path``, created (with its own missing parents) if there is none."""
        cid = self.locate(path)
        if cid is None:
            parent, _sep, _name = path.rpartition("/")
            pid = self._parent(parent) if parent else None
            cid = self._insert(path, pid, new_uuid(), {"level": "open"})
            self.report.added.append(path)
            self.report.notes.append(
                _("{path!r} was created to hold its sub-codes").format(path=path)
            )
        return cid

    def _insert(self, path: str, parent: int | None, guid: str, values: dict[str, Any]) -> int:
        name = path.rsplit("/", 1)[-1]
        given = values.pop("color", None)
        color = given or PALETTE[len(self.index) % len(PALETTE)]
        cid = self.ch.insert_one(
            Code,
            uuid=guid,
            name=name,
            parent_id=parent,
            color=color,
            color_chosen=given is not None,
            **values,
        )
        self.index[(parent, name)] = cid
        self.by_guid[guid.lower()] = cid
        self.found[path] = cid
        self.claimed[cid] = path
        return cid

    def relations(self, relations: list[RelationEntry]) -> None:
        conn = self.ch.conn
        types = {t.name: dict(t._mapping) for t in conn.execute(select(RelationType.__table__))}
        have = {
            (r.source_id, r.type_id, r.target_id): (r.id, r.comment)
            for r in conn.execute(
                select(
                    Relation.id,
                    Relation.source_id,
                    Relation.type_id,
                    Relation.target_id,
                    Relation.comment,
                )
            )
        }
        used = {g.lower() for g in conn.scalars(select(Relation.uuid))}
        for r in relations:
            label = f"relation {r.source!r} {r.type} {r.target!r}"
            a, b = self.locate(r.source), self.locate(r.target)
            if a is None or b is None:
                missing = r.source if a is None else r.target
                self.report.skipped.append(
                    _("{label}: no code {missing!r}").format(label=label, missing=missing)
                )
                continue
            if a == b:
                self.report.skipped.append(
                    _("{label}: it relates a code to itself").format(label=label)
                )
                continue
            t = types.get(r.type)
            if t is None:
                t = self.ch.insert_full(
                    RelationType, [{"name": r.type, "directed": r.directed, "family": "user"}]
                )[0]
                types[r.type] = t
                self.report.notes.append(_("relation type {type!r} created").format(type=r.type))
            if t["family"] == "paradigm" and not self.p.settings.paradigm:
                self.report.skipped.append(
                    _("{label}: the paradigm model is switched off here").format(label=label)
                )
                continue
            keys = [(a, t["id"], b)] if t["directed"] else [(a, t["id"], b), (b, t["id"], a)]
            key = next((k for k in keys if k in have), None)
            if key is not None:
                rid, comment = have[key]
                if r.comment and r.comment != comment:
                    self.ch.update(Relation, [rid], comment=r.comment)
                    self.report.updated.append(label)
                continue
            guid = r.guid if r.guid and r.guid.lower() not in used else new_uuid()
            rid = self.ch.insert_one(
                Relation, uuid=guid, source_id=a, type_id=t["id"], target_id=b, comment=r.comment
            )
            have[keys[0]] = (rid, r.comment)
            used.add(guid.lower())
            self.report.added.append(label)

    def sets(self, sets: list[SetEntry]) -> None:
        conn = self.ch.conn
        rows = conn.execute(
            select(CodeSet.id, CodeSet.uuid, CodeSet.name, CodeSet.description, CodeSet.query)
        ).all()
        by_guid = {r.uuid.lower(): r for r in rows}
        by_name = {r.name: r for r in rows}
        q = select(SetMember.set_id, SetMember.target_id).where(SetMember.kind == "code")
        members = {(m.set_id, m.target_id) for m in conn.execute(q)}
        for s in sets:
            label = f"set {s.name!r}"
            ids = []
            for path in s.codes:
                cid = self.locate(path)
                if cid is None:
                    self.report.skipped.append(
                        _("{label}, member {path!r}: no such code").format(label=label, path=path)
                    )
                else:
                    ids.append(cid)
            row = by_guid.get(s.guid.lower()) if s.guid else None
            row = row or by_name.get(s.name)
            changed = False
            if row is None:
                sid = self.ch.insert_one(
                    CodeSet,
                    uuid=s.guid or new_uuid(),
                    name=s.name,
                    description=s.description,
                    query=s.query,
                )
                self.report.added.append(label)
            else:
                sid = row.id
                if s.description and s.description != row.description:
                    self.ch.update(CodeSet, [sid], description=s.description)
                    changed = True
                if s.query and s.query != row.query:
                    self.ch.update(CodeSet, [sid], query=s.query)
                    changed = True
            new = [cid for cid in dict.fromkeys(ids) if (sid, cid) not in members]
            self.ch.insert(
                SetMember, [{"set_id": sid, "kind": "code", "target_id": c} for c in new]
            )
            members.update((sid, c) for c in new)
            if row is not None and (changed or new):
                self.report.updated.append(label)
