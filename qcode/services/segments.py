"""Coded segments for analysis elsewhere: one row per coding in scope, with its document, case,
attributes, code, coder, exact text, speaker and memos (``qcode.interchange.segments`` writes
them as csv, xlsx or md).

```python
from qcode.services.segments import SegmentFilter, export_segments
export_segments(p, Path("barriers.xlsx"), scope=SegmentFilter(codes=["barriers"], coders=["ann"]))
```
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.interchange.segments import (
    GROUPS,
    MemoNote,
    SegmentRow,
    SegmentTable,
    check_target,
    write_segments,
)
from qcode.services.codes import CodeTree
from qcode.services.documents import page_at, page_numbers
from qcode.store.models import Case, Code, Coder, Coding, Document, Memo, MemoLink, Segment

if TYPE_CHECKING:
    from qcode.services.project import Project

LEVELS = ("open", "axial")


@dataclass(frozen=True)
class SegmentFilter:
    """Which codings to export; empty means all. ``codes`` take the codes under them too unless
    ``subcodes`` is off; ``where`` holds ``KEY=VALUE`` case or document attribute conditions
    (all must hold, as in analysis); ``level="axial"`` keeps only codings under a category."""

    codes: Sequence[str] = ()
    coders: Sequence[str] = ()
    docs: Sequence[str] = ()
    where: Sequence[str] = ()
    cases: Sequence[str] = ()
    level: str = "open"
    subcodes: bool = True
    query: str | None = None  # a saved set's name or a query: only the codings behind its results


def _attributes(project: Project, scope: str) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The attribute names of a scope, and each owner's typed values (dates as ``date``)."""
    types = {a.name: a.type for a in project.attributes.list() if a.scope == scope}
    values = {
        owner: {
            name: date.fromisoformat(v) if types[name] == "date" else v for name, v in vals.items()
        }
        for owner, vals in project.attributes.values(scope).items()
    }
    return list(types), values


def segment_table(project: Project, scope: SegmentFilter | None = None) -> SegmentTable:
    """The codings in ``scope``, ordered by document, start, end, code path and coder.

    Unknown code, coder, document, case or attribute names raise ``NotFoundError``."""
    scope = scope or SegmentFilter()
    if scope.level not in LEVELS:
        raise InvalidInputError(
            _("unknown level {level!r} (open or axial)").format(level=scope.level)
        )
    doc_ids = set(project.analysis.documents_in_scope(scope.where, scope.docs))
    case_names, case_values = _attributes(project, "case")
    doc_names, doc_values = _attributes(project, "document")
    with project.read() as s:
        tree = CodeTree(s)
        docs = {
            d.id: d
            for d in s.execute(
                select(Document.id, Document.uuid, Document.name, Case.name.label("case"))
                .outerjoin(Case, Case.id == Document.case_id)
                .where(Document.id.in_(doc_ids))
            )
        }
        if scope.cases:
            known = set(s.scalars(select(Case.name).where(Case.name.in_(scope.cases))))
            for name in scope.cases:
                if name not in known:
                    raise NotFoundError(_("no case {name!r}").format(name=name))
            docs = {i: d for i, d in docs.items() if d.case in known}
        q = (
            select(
                Coding.id,
                Coding.uuid,
                Coding.document_id,
                Coding.code_id,
                Coder.name,
                Coding.start,
                Coding.end,
                Coding.created,
            )
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coding.document_id.in_(list(docs)))
        )
        if scope.coders:
            known = set(s.scalars(select(Coder.name).where(Coder.name.in_(scope.coders))))
            for name in scope.coders:
                if name not in known:
                    raise NotFoundError(_("no coder {name!r}").format(name=name))
            q = q.where(Coder.name.in_(scope.coders))
        if scope.codes:
            wanted: set[int] = set()
            for ref in scope.codes:
                cid = tree.resolve(ref)
                wanted.update(tree.subtree(cid) if scope.subcodes else [cid])
            q = q.where(Coding.code_id.in_(wanted))
        codings = s.execute(q).all()
        codes = {c.id: c for c in s.execute(select(Code.id, Code.uuid, Code.level))}
        memos: dict[int, list[MemoNote]] = defaultdict(list)
        for target, title, body in s.execute(
            select(MemoLink.target_id, Memo.title, Memo.body)
            .join(Memo, Memo.id == MemoLink.memo_id)
            .where(MemoLink.target_kind == "coding")
            .order_by(Memo.created, Memo.id)
        ):
            memos[target].append(MemoNote(title, body))
        coded_docs = {c.document_id for c in codings}
        texts = {d: project.text_of(s, docs[d]) for d in coded_docs}
        turns: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
        for doc_id, a, b, speaker in s.execute(
            select(Segment.document_id, Segment.start, Segment.end, Segment.speaker)
            .where(Segment.kind == "turn", Segment.document_id.in_(coded_docs))
            .order_by(Segment.document_id, Segment.start)
        ):
            turns[doc_id].append((a, b, speaker))
        pages = page_numbers(s, coded_docs)

    def category(cid: int) -> int | None:
        cur: int | None = cid
        while cur is not None and codes[cur].level != "axial":
            cur = tree.parent.get(cur)
        return cur

    def speaker_at(doc_id: int, start: int) -> str | None:
        doc_turns = turns.get(doc_id, [])
        i = bisect_right(doc_turns, start, key=lambda t: t[0]) - 1
        return doc_turns[i][2] if i >= 0 and doc_turns[i][1] > start else None

    rows = []
    for c in codings:
        cat = category(c.code_id)
        if scope.level == "axial" and cat is None:
            continue
        doc = docs[c.document_id]
        rows.append(
            SegmentRow(
                document=doc.name,
                case=doc.case,
                code=tree.path(c.code_id),
                category=None if cat is None else tree.path(cat),
                code_level=codes[c.code_id].level,
                coder=c.name,
                start=c.start,
                end=c.end,
                speaker=speaker_at(c.document_id, c.start),
                text=texts[c.document_id][c.start : c.end],
                memos=tuple(memos.get(c.id, ())),
                created=c.created,
                coding_id=c.id,
                coding_guid=c.uuid,
                code_guid=codes[c.code_id].uuid,
                document_guid=doc.uuid,
                case_attributes=case_values.get(doc.case, {}) if doc.case else {},
                doc_attributes=doc_values.get(doc.name, {}),
                page=page_at(pages.get(c.document_id), c.start),
            )
        )
    if scope.query is not None:
        rows = _behind(project, scope, rows)
    rows.sort(key=lambda r: (r.document, r.start, r.end, r.code, r.coder, r.coding_id))
    return SegmentTable(case_names, doc_names, rows)


def _behind(project: Project, scope: SegmentFilter, rows: list[SegmentRow]) -> list[SegmentRow]:
    """The codings behind a query's results: of a code and coder of a result, sharing at least
    one code point with it. ``scope.query`` names a saved set, or is a query itself."""
    from qcode.services.scope import Scope
    from qcode.services.sets import quote

    expr = scope.query or ""
    with project.read() as s:
        from qcode.store.models import CodeSet

        if s.scalar(select(CodeSet.id).where(CodeSet.name == expr)) is not None:
            expr = f"set {quote(expr)}"
    where = Scope.of(scope.docs, scope.cases, scope.where, scope.coders, scope.level)
    hits = {d.name: h for d, h in project.query.hits(expr, where)}
    out = []
    for r in rows:
        code = r.category if scope.level == "axial" else r.code
        for h in hits.get(r.document, ()):
            if h.start < r.end and r.start < h.end and code in h.codes and r.coder in h.coders:
                out.append(r)
                break
    return out


def export_segments(
    project: Project,
    path: Path,
    fmt: str | None = None,
    scope: SegmentFilter | None = None,
    group_by: str = "code",
    bom: bool = False,
) -> int:
    """Write the codings in ``scope`` to ``path`` as csv, xlsx or md (``fmt``, or told by the
    extension); returns how many. The format and the place are checked before any work, and
    the file is replaced only when complete."""
    fmt = check_target(path, fmt)
    if group_by not in GROUPS:
        raise InvalidInputError(
            _("cannot group by {group_by!r} (code or document)").format(group_by=group_by)
        )
    table = segment_table(project, scope)
    title = f"Coded segments: {project.settings.name}"
    write_segments(path, table, fmt, group_by, bom, title)
    return len(table.rows)
