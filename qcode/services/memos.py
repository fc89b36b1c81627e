"""Memos: titled Markdown notes by a coder, typed, linked to anything they are about."""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.services.codings import check_range, find_document
from qcode.store.models import Case, Coder, Coding, Memo, MemoLink, utcnow

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

MEMO_TYPES = ("free", "code", "theory", "method", "sampling", "storyline")
LINK_KINDS = ("code", "document", "coding", "case", "memo", "relation")


@dataclass
class MemoLinkInfo:
    kind: str
    id: int
    label: str
    start: int | None = None
    end: int | None = None


@dataclass
class MemoInfo:
    id: int
    uuid: str
    title: str
    type: str
    body: str
    coder: str
    created: str
    updated: str
    links: list[MemoLinkInfo] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Target:
    """What a memo is about: ``kind`` and a reference (name, path or id); for a document an
    optional range makes it a memo on that span."""

    kind: str
    ref: str
    start: int | None = None
    end: int | None = None


class MemoService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def _resolve(self, ch: Change, t: Target) -> tuple[str, int, int | None, int | None]:
        conn = ch.conn
        if t.kind not in LINK_KINDS:
            raise InvalidInputError(
                _("cannot link a memo to a {kind!r} ({v1})").format(
                    kind=t.kind, v1=", ".join(LINK_KINDS)
                )
            )
        if t.kind == "code":
            return "code", CodeTree(conn).resolve(t.ref), None, None
        if t.kind == "document":
            doc = find_document(conn, t.ref)
            if t.start is None or t.end is None:
                return "document", doc.id, None, None
            text = self.p.text_of(conn, doc)
            start, end = check_range(doc.name, text, t.start, t.end)
            return "document", doc.id, start, end
        if t.kind == "case":
            cid = conn.scalar(select(Case.id).where(Case.name == t.ref))
            if cid is None:
                raise NotFoundError(_("no case {ref!r}").format(ref=t.ref))
            return "case", cid, None, None
        from qcode.store.models import Relation

        model: Any = {"coding": Coding, "memo": Memo, "relation": Relation}[t.kind]
        if (
            not t.ref.isdigit()
            or conn.scalar(select(model.id).where(model.id == int(t.ref))) is None
        ):
            raise NotFoundError(_("no {kind} with id {ref!r}").format(kind=t.kind, ref=t.ref))
        return t.kind, int(t.ref), None, None

    def add(
        self,
        title: str,
        body: str = "",
        type_: str = "free",
        targets: builtins.list[Target] | None = None,
        coder: str | None = None,
    ) -> MemoInfo:
        title = " ".join(title.split())
        if not title:
            raise InvalidInputError(_("a memo needs a title"))
        if type_ not in MEMO_TYPES:
            raise InvalidInputError(
                _("unknown memo type {type_!r} ({v1})").format(
                    type_=type_, v1=", ".join(MEMO_TYPES)
                )
            )
        with self.p.change("memos.add", actor=coder) as ch:
            coder_id = self.p.ensure_coder(ch, coder)
            memo_id = ch.insert_one(Memo, title=title, body=body, type=type_, coder_id=coder_id)
            self._link(ch, memo_id, targets or [])
            ch.summary = f"add memo {title!r}"
        return self.get(memo_id)

    def _link(self, ch: Change, memo_id: int, targets: builtins.list[Target]) -> None:
        rows = []
        seen = set()
        for t in targets:
            kind, tid, start, end = self._resolve(ch, t)
            if (kind, tid) in seen:
                continue
            seen.add((kind, tid))
            rows.append(
                dict(memo_id=memo_id, target_kind=kind, target_id=tid, start=start, end=end)
            )
        ch.insert(MemoLink, rows)

    def link(self, memo_id: int, targets: builtins.list[Target]) -> MemoInfo:
        with self.p.change("memos.link") as ch:
            self._require(ch, memo_id)
            have = {
                (k, i)
                for k, i in ch.conn.execute(
                    select(MemoLink.target_kind, MemoLink.target_id).where(
                        MemoLink.memo_id == memo_id
                    )
                )
            }
            new = [t for t in targets if (self._resolve(ch, t)[:2]) not in have]
            self._link(ch, memo_id, new)
            ch.summary = f"link memo {memo_id}"
        return self.get(memo_id)

    def edit(
        self,
        memo_id: int,
        title: str | None = None,
        body: str | None = None,
        type_: str | None = None,
    ) -> MemoInfo:
        values: dict[str, Any] = {}
        if title is not None:
            if not title.strip():
                raise InvalidInputError(_("a memo needs a title"))
            values["title"] = " ".join(title.split())
        if body is not None:
            values["body"] = body
        if type_ is not None:
            if type_ not in MEMO_TYPES:
                raise InvalidInputError(
                    _("unknown memo type {type_!r} ({v1})").format(
                        type_=type_, v1=", ".join(MEMO_TYPES)
                    )
                )
            values["type"] = type_
        with self.p.change("memos.edit") as ch:
            self._require(ch, memo_id)
            if values:
                ch.update(Memo, [memo_id], **values, updated=utcnow())
            ch.summary = f"edit memo {memo_id}"
        return self.get(memo_id)

    def delete(self, memo_id: int) -> None:
        with self.p.change("memos.delete") as ch:
            title = self._require(ch, memo_id)
            links = list(
                ch.conn.scalars(
                    select(MemoLink.id).where(
                        or_(
                            MemoLink.memo_id == memo_id,
                            (MemoLink.target_kind == "memo") & (MemoLink.target_id == memo_id),
                        )
                    )
                )
            )
            ch.delete(MemoLink, links)
            ch.unlink_memos("memo", [memo_id])  # its set memberships
            ch.delete(Memo, [memo_id])
            ch.summary = f"delete memo {title!r}"

    def _require(self, ch: Change, memo_id: int) -> str:
        title = ch.conn.scalar(select(Memo.title).where(Memo.id == memo_id))
        if title is None:
            raise NotFoundError(_("no memo with id {memo_id}").format(memo_id=memo_id))
        return title

    def get(self, memo_id: int) -> MemoInfo:
        found = self.list(ids=[memo_id])
        if not found:
            raise NotFoundError(_("no memo with id {memo_id}").format(memo_id=memo_id))
        return found[0]

    def list(
        self,
        search: str | None = None,
        kind: str | None = None,
        target_id: int | None = None,
        ids: builtins.list[int] | None = None,
    ) -> builtins.list[MemoInfo]:
        """Memos, newest first: all, those containing ``search`` (title or body, any case), or
        those linked to one target."""
        with self.p.read() as s:
            q = (
                select(Memo, Coder.name)
                .join(Coder, Coder.id == Memo.coder_id)
                .order_by(Memo.updated.desc(), Memo.id.desc())
            )
            if search:
                like = f"%{search.lower()}%"
                q = q.where(
                    or_(func.lower(Memo.title).like(like), func.lower(Memo.body).like(like))
                )
            if kind is not None:
                q = q.where(
                    Memo.id.in_(
                        select(MemoLink.memo_id).where(
                            MemoLink.target_kind == kind,
                            *([MemoLink.target_id == target_id] if target_id is not None else []),
                        )
                    )
                )
            if ids is not None:
                q = q.where(Memo.id.in_(ids))
            memos = s.execute(q).all()
            links: dict[int, builtins.list[MemoLinkInfo]] = {}
            if memos:
                tree = CodeTree(s)
                for memo_id, k, tid, a, b in s.execute(
                    select(
                        MemoLink.memo_id,
                        MemoLink.target_kind,
                        MemoLink.target_id,
                        MemoLink.start,
                        MemoLink.end,
                    )
                    .where(MemoLink.memo_id.in_([m.id for m, _ in memos]))
                    .order_by(MemoLink.id)
                ):
                    links.setdefault(memo_id, []).append(
                        MemoLinkInfo(k, tid, self._label(s, tree, k, tid), a, b)
                    )
        return [
            MemoInfo(
                m.id,
                m.uuid,
                m.title,
                m.type,
                m.body,
                coder,
                m.created.isoformat(timespec="seconds") + "Z",
                m.updated.isoformat(timespec="seconds") + "Z",
                links.get(m.id, []),
            )
            for m, coder in memos
        ]

    def export_markdown(self) -> str:
        """Every memo as one Markdown outline: a section per memo type, a sub-section per memo
        (oldest first) with its author, date and links, then its text."""
        memos = sorted(self.list(), key=lambda m: (m.created, m.id))
        lines = [f"# Memos: {self.p.settings.name}", ""]
        for type_ in MEMO_TYPES:
            group = [m for m in memos if m.type == type_]
            if not group:
                continue
            lines += [f"## {type_.capitalize()} memos", ""]
            for m in group:
                lines += [f"### {m.title}", "", f"*{m.coder}, {m.created[:10]}*", ""]
                if m.links:
                    refs = "; ".join(
                        f"{lk.kind} {lk.label}"
                        + (f" [{lk.start}, {lk.end})" if lk.start is not None else "")
                        for lk in m.links
                    )
                    lines += [f"Linked to: {refs}", ""]
                body = m.body.strip()
                # keep the memo's own headings below this outline's levels
                body = "\n".join(
                    "###" + ln if ln.startswith("#") else ln for ln in body.splitlines()
                )
                lines += [body, ""] if body else []
        return "\n".join(lines).rstrip() + "\n"

    def titles_by_coding(self, document: str) -> dict[int, builtins.list[str]]:
        """Titles of the memos linked to each coding of one document (one query)."""
        from qcode.store.models import Coding as C

        with self.p.read() as s:
            doc = find_document(s, document)
            rows = s.execute(
                select(MemoLink.target_id, Memo.title)
                .join(Memo, Memo.id == MemoLink.memo_id)
                .join(C, C.id == MemoLink.target_id)
                .where(MemoLink.target_kind == "coding", C.document_id == doc.id)
                .order_by(Memo.id)
            ).all()
        out: dict[int, builtins.list[str]] = {}
        for coding_id, title in rows:
            out.setdefault(coding_id, []).append(title)
        return out

    @staticmethod
    def _label(s: Any, tree: CodeTree, kind: str, tid: int) -> str:
        from qcode.store.models import Document

        if kind == "code":
            return tree.path(tid) if tid in tree.name else f"code {tid}"
        if kind == "document":
            return s.scalar(select(Document.name).where(Document.id == tid)) or f"document {tid}"
        if kind == "case":
            return s.scalar(select(Case.name).where(Case.id == tid)) or f"case {tid}"
        return f"{kind} {tid}"


__all__ = ["LINK_KINDS", "MEMO_TYPES", "MemoInfo", "MemoService", "Target"]
