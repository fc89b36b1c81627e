"""The codebook: codes in a tree, with unique names among siblings and paths joined by '/'."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.code_info import CodeForest, CodeInfo, code_infos
from qcode.store.models import Code, Coding, Event, MemoLink, Suggestion
from qcode.text.safety import check_label

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

LEVELS = ("open", "axial", "selective")
NOTE_FIELDS = frozenset({"inclusion", "exclusion", "example", "in_vivo"})
# Okabe and Ito's colour-blind-safe palette, then further distinct colours.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#999999", "#882255", "#44AA99", "#117733", "#332288", "#AA4499", "#DDCC77",
)  # fmt: skip
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check_name(name: str) -> str:
    check_label("code", name)
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInputError(_("a code name cannot be empty"))
    if "/" in clean:
        raise InvalidInputError(
            _("code name {name!r} contains '/', which separates levels of a path").format(name=name)
        )
    if len(clean) > 300:
        raise InvalidInputError(
            _("code name {v1!r}... is longer than 300 characters").format(v1=clean[:40])
        )
    return clean


def check_color(color: str) -> str:
    if not _COLOR.match(color):
        raise InvalidInputError(
            _("colour {color!r} is not of the form #RRGGBB").format(color=color)
        )
    return color.upper()


def gone_because(session: Session | Connection, ref: str) -> str:
    """Why no code is called ``ref`` any more, if a recent rename, move, merge or deletion (by
    anyone, perhaps while this coder was working) explains it; else ""."""
    name = ref.rsplit("/", 1)[-1]
    events = session.execute(
        select(Event.actor, Event.at, Event.summary, Event.payload)
        .where(Event.action.in_(("codes.rename", "codes.merge", "codes.delete")))
        .order_by(Event.id.desc())
        .limit(200)
    ).all()
    for e in events:
        for op in e.payload.get("ops", ()):
            hit = (op[0] == "update" and op[1] == "codes" and op[3].get("name") == name) or (
                op[0] == "delete" and op[1] == "codes" and any(r.get("name") == name for r in op[2])
            )
            if hit:
                when = e.at.isoformat(sep=" ", timespec="seconds")
                return f": {e.actor} changed it at {when} UTC ({e.summary})"
    return ""


class NoSuchCode(NotFoundError):
    """No code has the path, name or id asked for (not an ambiguous name)."""


class CodeTree(CodeForest):
    """All codes of a project in memory: id -> (name, parent_id), with paths, read through a
    session (which also words what is not found)."""

    def __init__(self, session: Session | Connection) -> None:
        super().__init__(session.execute(select(Code.id, Code.name, Code.parent_id)).all())
        self.session = session
        self._by_path: dict[str, int] | None = None
        self._by_name: dict[str, list[int]] | None = None

    def bound(self, session: Session | Connection) -> CodeTree:
        """The same tree reading through ``session`` (for its error messages); the codes and the
        paths worked out so far are shared, so a tree kept between changes is read only once."""
        view = copy.copy(self)
        view.session = session
        return view

    def child_named(self, parent: int | None, name: str) -> int | None:
        for c in self.children.get(parent, []):
            if self.name[c] == name:
                return c
        return None

    def resolve(self, ref: str) -> int:
        """A code by path ('a/b/c'), by unique name, or by id."""
        ref = ref.strip()
        if self._by_path is None or self._by_name is None:
            paths_index: dict[str, int] = {}
            names_index: dict[str, list[int]] = {}
            for c, n in self.name.items():
                paths_index.setdefault(self.path(c), c)
                names_index.setdefault(n, []).append(c)
            self._by_path, self._by_name = paths_index, names_index
        found = self._by_path.get(ref)
        if found is not None:
            return found
        by_name = self._by_name.get(ref, [])
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            paths = ", ".join(sorted(self.path(c) for c in by_name))
            raise NotFoundError(
                _("code name {ref!r} is ambiguous; give its path: {paths}").format(
                    ref=ref, paths=paths
                )
            )
        if ref.isdigit() and int(ref) in self.name:
            return int(ref)
        raise NoSuchCode(
            _("no code {ref!r}{v1}").format(ref=ref, v1=gone_because(self.session, ref))
        )


class CodeService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- reading -------------------------------------------------------------------------------
    def list(self, counts: bool = True, aggregate: bool = False) -> list[CodeInfo]:
        """Every code, depth-first; with ``aggregate``, each also counts its sub-codes' codings
        and documents (a coding or document counted once however many sub-codes hold it)."""
        with self.p.read() as s:
            tree = CodeTree(s)
            rows = {
                r.id: r
                for r in s.execute(
                    select(
                        Code.id,
                        Code.uuid,
                        Code.level,
                        Code.description,
                        Code.color,
                        Code.inclusion,
                        Code.exclusion,
                        Code.example,
                        Code.in_vivo,
                    )
                )
            }
            n_codings: dict[int, int] = {}
            n_docs: dict[int, int] = {}
            if counts:
                q = select(
                    Coding.code_id, func.count(), func.count(func.distinct(Coding.document_id))
                ).group_by(Coding.code_id)
                for cid, n, d in s.execute(q):
                    n_codings[cid] = n
                    n_docs[cid] = d
            doc_sets: dict[int, set[int]] = {}
            if aggregate:
                pairs = select(Coding.code_id, Coding.document_id).distinct()
                for cid, did in s.execute(pairs):
                    doc_sets.setdefault(cid, set()).add(did)
        return code_infos(tree, rows, n_codings, n_docs, doc_sets if aggregate else None)

    def last_used(self) -> dict[int, str]:
        """When each code was last applied (ISO time, UTC), for codes that have codings."""
        with self.p.read() as s:
            rows = s.execute(
                select(Coding.code_id, func.max(Coding.created)).group_by(Coding.code_id)
            )
            return {cid: str(at) for cid, at in rows if at is not None}

    def get(self, ref: str) -> CodeInfo:
        with self.p.read() as s:
            cid = CodeTree(s).resolve(ref)
        return next(c for c in self.list(aggregate=True) if c.id == cid)

    # -- changing ------------------------------------------------------------------------------
    def add_in(
        self,
        ch: Change,
        name: str,
        parent: str | None = None,
        description: str = "",
        color: str | None = None,
        level: str = "open",
        **notes: Any,
    ) -> int:
        """Add a code inside an open change (used by other services too); returns its id.
        ``notes`` may hold ``inclusion``, ``exclusion``, ``example`` and ``in_vivo``."""
        name = check_name(name)
        self._check_level(ch, level)
        unknown = set(notes) - NOTE_FIELDS
        if unknown:
            raise InvalidInputError(
                _("unknown code field(s): {v1}").format(v1=", ".join(sorted(unknown)))
            )
        ch.serialize("codes")
        tree = CodeTree(ch.session)
        parent_id = tree.resolve(parent) if parent else None
        if tree.child_named(parent_id, name) is not None:
            where = (
                _("under {path!r}").format(path=tree.path(parent_id))
                if parent_id is not None
                else _("at the top")
            )
            raise ConflictError(
                _("a code named {name!r} already exists {where}").format(name=name, where=where)
            )
        color = check_color(color) if color else PALETTE[len(tree.name) % len(PALETTE)]
        cid = ch.insert_one(
            Code,
            name=name,
            parent_id=parent_id,
            description=description,
            color=color,
            level=level,
            **notes,
        )
        ch.summary = ch.summary or f"add code {name!r}"
        return cid

    def _check_level(self, ch: Change, level: str, code_id: int | None = None) -> None:
        if level not in LEVELS:
            raise InvalidInputError(
                _("unknown level {level!r} (open, axial or selective)").format(level=level)
            )
        if level == "selective" and not self.p.settings.multiple_core:
            other = ch.conn.execute(
                select(Code.id, Code.name).where(
                    Code.level == "selective", Code.id != (code_id or -1)
                )
            ).first()
            if other is not None:
                raise ConflictError(
                    _(
                        "{name!r} is already the core category; a project has one unless "
                        "[grounded_theory] multiple_core = true in qcode.toml"
                    ).format(name=other.name)
                )

    def add(
        self,
        name: str,
        parent: str | None = None,
        description: str = "",
        color: str | None = None,
        level: str = "open",
        **notes: Any,
    ) -> CodeInfo:
        with self.p.change("codes.add") as ch:
            cid = self.add_in(ch, name, parent, description, color, level, **notes)
        return self._info(cid)

    def _info(self, cid: int) -> CodeInfo:
        return next(c for c in self.list() if c.id == cid)

    def rename(self, ref: str, new_name: str) -> CodeInfo:
        new_name = check_name(new_name)
        with self.p.change("codes.rename") as ch:
            tree = CodeTree(ch.session)
            cid = tree.resolve(ref)
            other = tree.child_named(tree.parent[cid], new_name)
            if other is not None and other != cid:
                raise ConflictError(
                    _("a sibling named {new_name!r} already exists").format(new_name=new_name)
                )
            ch.update(Code, [cid], name=new_name)
            ch.summary = f"rename code {tree.path(cid)!r} to {new_name!r}"
        return self._info(cid)

    def edit(
        self,
        ref: str,
        description: str | None = None,
        color: str | None = None,
        level: str | None = None,
        **notes: Any,
    ) -> CodeInfo:
        """Change a code's description, colour, level, or notes (``inclusion``, ``exclusion``,
        ``example``, ``in_vivo``); ``None`` leaves a field as it is."""
        values: dict[str, Any] = {k: v for k, v in notes.items() if v is not None}
        unknown = set(values) - NOTE_FIELDS
        if unknown:
            raise InvalidInputError(
                _("unknown code field(s): {v1}").format(v1=", ".join(sorted(unknown)))
            )
        if description is not None:
            values["description"] = description
        if color is not None:
            values["color"] = check_color(color)
            values["color_chosen"] = True
        with self.p.change("codes.edit") as ch:
            tree = CodeTree(ch.session)
            cid = tree.resolve(ref)
            if level is not None:
                self._check_level(ch, level, cid)
                values["level"] = level
            ch.update(Code, [cid], **values)
            ch.summary = f"edit code {tree.path(cid)!r}"
        return self._info(cid)

    def move(self, ref: str, new_parent: str | None) -> CodeInfo:
        """Move a code (with its sub-codes) under another code, or to the top with ``None``."""
        with self.p.change("codes.move") as ch:
            tree = CodeTree(ch.session)
            cid = tree.resolve(ref)
            pid = tree.resolve(new_parent) if new_parent else None
            if pid is not None and pid in tree.subtree(cid):
                raise ConflictError(
                    _(
                        "cannot move {v1!r} under {v2!r}: that is itself or one of its sub-codes"
                    ).format(v1=tree.path(cid), v2=tree.path(pid))
                )
            other = tree.child_named(pid, tree.name[cid])
            if other is not None and other != cid:
                raise ConflictError(
                    _("a code named {v1!r} already exists there").format(v1=tree.name[cid])
                )
            ch.update(Code, [cid], parent_id=pid)
            dest = tree.path(pid) if pid is not None else "the top"
            ch.summary = f"move code {tree.path(cid)!r} under {dest}"
        return self._info(cid)

    def merge(self, source: str, target: str) -> CodeInfo:
        """Merge ``source`` into ``target``: its codings and sub-codes move to ``target``, codings
        that would duplicate one of ``target``'s are dropped, and ``source`` is deleted."""
        with self.p.change("codes.merge") as ch:
            s = ch.session
            tree = CodeTree(s)
            src, dst = tree.resolve(source), tree.resolve(target)
            if src == dst:
                raise ConflictError(_("cannot merge a code into itself"))
            if dst in tree.subtree(src):
                raise ConflictError(
                    _("cannot merge {v1!r} into its own sub-code {v2!r}").format(
                        v1=tree.path(src), v2=tree.path(dst)
                    )
                )
            for child in tree.children.get(src, []):
                if tree.child_named(dst, tree.name[child]) is not None:
                    raise ConflictError(
                        _("both codes have a sub-code named {v1!r}; rename one first").format(
                            v1=tree.name[child]
                        )
                    )
            key = (Coding.document_id, Coding.coder_id, Coding.start, Coding.end)
            have = {tuple(r) for r in s.execute(select(*key).where(Coding.code_id == dst))}
            moving: list[int] = []
            dupes: list[int] = []
            for row in s.execute(select(Coding.id, *key).where(Coding.code_id == src)):
                (dupes if tuple(row[1:]) in have else moving).append(row[0])
            ch.detach_codings(dupes)
            ch.delete(Coding, dupes)
            ch.update(Coding, moving, code_id=dst)
            memo_links = list(
                s.scalars(
                    select(MemoLink.id).where(
                        MemoLink.target_kind == "code", MemoLink.target_id == src
                    )
                )
            )
            ch.update(MemoLink, memo_links, target_id=dst)
            from qcode.services.summaries import move_summaries

            move_summaries(ch, src, dst)
            self._repoint_structure(ch, src, dst)
            ch.update(Code, tree.children.get(src, []), parent_id=dst)
            moved = ch.conn.scalars(select(Suggestion.id).where(Suggestion.code_id == src))
            ch.update(Suggestion, list(moved), code_id=dst)
            ch.delete(Code, [src])
            ch.summary = f"merge code {tree.path(src)!r} into {tree.path(dst)!r}"
        return self._info(dst)

    @staticmethod
    def _repoint_structure(ch: Change, src: int, dst: int) -> None:
        """Relations, framework links and set memberships of ``src`` move to ``dst``; those that
        would relate ``dst`` to itself or repeat one it has are dropped."""
        from qcode.store.models import CodeElementLink, Relation

        conn = ch.conn
        rels = conn.execute(
            select(Relation.id, Relation.source_id, Relation.type_id, Relation.target_id)
        ).all()
        have = {
            (r.source_id, r.type_id, r.target_id)
            for r in rels
            if src not in (r.source_id, r.target_id)
        }
        drop: list[int] = []
        for r in rels:
            if src not in (r.source_id, r.target_id):
                continue
            s_id = dst if r.source_id == src else r.source_id
            t_id = dst if r.target_id == src else r.target_id
            if s_id == t_id or (s_id, r.type_id, t_id) in have:
                drop.append(r.id)
                continue
            have.add((s_id, r.type_id, t_id))
            ch.update(Relation, [r.id], source_id=s_id, target_id=t_id)
        if drop:
            from qcode.store.models import RelationEvidence

            ev = conn.scalars(
                select(RelationEvidence.id).where(RelationEvidence.relation_id.in_(drop))
            )
            ch.delete(RelationEvidence, list(ev))
            ch.unlink_memos("relation", drop)
            ch.delete(Relation, drop)
        links = conn.execute(
            select(
                CodeElementLink.id,
                CodeElementLink.code_id,
                CodeElementLink.element_id,
                CodeElementLink.relation,
            )
        ).all()
        kept = {(lk.element_id, lk.relation) for lk in links if lk.code_id == dst}
        for lk in links:
            if lk.code_id != src:
                continue
            if (lk.element_id, lk.relation) in kept:
                ch.delete(CodeElementLink, [lk.id])
            else:
                kept.add((lk.element_id, lk.relation))
                ch.update(CodeElementLink, [lk.id], code_id=dst)
        from qcode.store.models import SetMember

        members = conn.execute(
            select(SetMember.id, SetMember.set_id, SetMember.target_id).where(
                SetMember.kind == "code", SetMember.target_id.in_([src, dst])
            )
        ).all()
        in_sets = {m.set_id for m in members if m.target_id == dst}
        for m in members:
            if m.target_id != src:
                continue
            if m.set_id in in_sets:
                ch.delete(SetMember, [m.id])
            else:
                in_sets.add(m.set_id)
                ch.update(SetMember, [m.id], target_id=dst)

    def delete(self, ref: str, force: bool = False) -> int:
        """Delete a code and its sub-codes; refused while any has codings unless ``force``, which
        deletes those codings too. Returns the number of codings deleted."""
        with self.p.change("codes.delete") as ch:
            s = ch.session
            tree = CodeTree(s)
            cid = tree.resolve(ref)
            ids = tree.subtree(cid)
            coding_ids = list(s.scalars(select(Coding.id).where(Coding.code_id.in_(ids))))
            if coding_ids and not force:
                raise ConflictError(
                    _("code {v1!r} has {v2} coding(s){v3}; use --force to delete them too").format(
                        v1=tree.path(cid),
                        v2=len(coding_ids),
                        v3=_(" in it or its sub-codes") if len(ids) > 1 else "",
                    )
                )
            ch.detach_codings(coding_ids)
            ch.detach_codes(ids)
            ch.delete(Coding, coding_ids)
            # children before parents, so foreign keys hold at every step
            for code_id in reversed(ids):
                ch.delete(Code, [code_id])
            ch.summary = f"delete code {tree.path(cid)!r}" + (
                f" and {len(ids) - 1} sub-code(s)" if len(ids) > 1 else ""
            )
        return len(coding_ids)
