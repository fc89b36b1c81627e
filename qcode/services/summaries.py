"""Summaries: Markdown written for one cell of a framework matrix, a case (or a document) by a code
or category, linked to the codings it summarises.

Undone and redone like every change; exported to REFI-QDA as notes that the summarised codings
refer to (see :func:`add_to_exchange`), and read back and merged from there.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, or_, select

from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.store.models import (
    Case,
    CaseLink,
    Code,
    Coder,
    Coding,
    Document,
    Summary,
    SummaryLink,
    utcnow,
)

if TYPE_CHECKING:
    from qcode.interchange.qdpx import Exchange, XNote
    from qcode.services.changes import Change
    from qcode.services.project import Project

ROW_KINDS = ("case", "document")


@dataclass
class SummaryInfo:
    id: int
    uuid: str
    row_kind: str  # case or document
    row: str  # the case's or document's name
    code: str  # the code's path
    body: str
    coder: str
    created: str
    updated: str
    segments: list[int] = field(default_factory=list)  # ids of the codings it draws on

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _stamp(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds") + "Z"


def parse_ids(text: str | None) -> builtins.list[int] | None:
    """``"3,7, 12"`` as ids; None when not given."""
    if text is None:
        return None
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise InvalidInputError(
                _("segment id {part!r} is not a number (give coding ids: 3,7)").format(part=part)
            )
        out.append(int(part))
    return out


def row_documents(conn: Any, kind: str, row_id: int) -> dict[int, builtins.list[tuple[int, int]]]:
    """The documents of a matrix row: a case's own documents (whole) and the ranges linked to it,
    or the one document. Maps document id to ranges, an empty list meaning the whole text."""
    if kind == "document":
        return {row_id: []}
    out: dict[int, builtins.list[tuple[int, int]]] = {
        d: [] for d in conn.scalars(select(Document.id).where(Document.case_id == row_id))
    }
    for d, a, b in conn.execute(
        select(CaseLink.document_id, CaseLink.start, CaseLink.end).where(CaseLink.case_id == row_id)
    ):
        if d not in out or out[d]:
            out.setdefault(d, []).append((a, b))
    return out


def in_row(docs: dict[int, builtins.list[tuple[int, int]]], doc: int, start: int, end: int) -> bool:
    if doc not in docs:
        return False
    ranges = docs[doc]
    return not ranges or any(a < end and start < b for a, b in ranges)


class SummaryService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- resolving a cell --------------------------------------------------------------------
    def _row(self, conn: Any, ref: str, kind: str | None) -> tuple[str, int]:
        if kind in ("cases", "documents"):  # as `qcode matrix framework --rows` names them
            kind = kind[:-1]
        if kind not in (None, *ROW_KINDS):
            raise InvalidInputError(
                _("unknown row kind {kind!r} (case or document)").format(kind=kind)
            )
        if kind in (None, "case"):
            cid = conn.scalar(select(Case.id).where(Case.name == ref))
            if cid is not None:
                return "case", cid
            if kind == "case":
                raise NotFoundError(_("no case {ref!r}").format(ref=ref))
        did = conn.scalar(select(Document.id).where(Document.name == ref))
        if did is None:
            raise NotFoundError(
                _("no case or document {ref!r}").format(ref=ref)
                if kind is None
                else _("no document {ref!r}").format(ref=ref)
            )
        return "document", did

    def _find(self, conn: Any, kind: str, row_id: int, code_id: int) -> int | None:
        col = Summary.case_id if kind == "case" else Summary.document_id
        return conn.scalar(select(Summary.id).where(col == row_id, Summary.code_id == code_id))

    def _check_segments(
        self, conn: Any, kind: str, row_id: int, code_id: int, ids: Sequence[int]
    ) -> builtins.list[int]:
        """The codings ``ids``, each of the cell's code (or a code under it) in the row."""
        tree = CodeTree(conn)
        codes = set(tree.subtree(code_id))
        docs = row_documents(conn, kind, row_id)
        found = {
            r.id: r
            for r in conn.execute(
                select(
                    Coding.id, Coding.document_id, Coding.code_id, Coding.start, Coding.end
                ).where(Coding.id.in_(list(ids)))
            )
        }
        out: builtins.list[int] = []
        for i in ids:
            r = found.get(i)
            if r is None:
                raise NotFoundError(_("no coding with id {i}").format(i=i))
            if r.code_id not in codes:
                raise InvalidInputError(
                    _("coding {i} is coded {v1!r}, not {v2!r}").format(
                        i=i, v1=tree.path(r.code_id), v2=tree.path(code_id)
                    )
                )
            if not in_row(docs, r.document_id, r.start, r.end):
                raise InvalidInputError(
                    _("coding {i} is not in this {kind}").format(i=i, kind=kind)
                )
            if i not in out:
                out.append(i)
        return out

    # -- writing -------------------------------------------------------------------------------
    def set(
        self,
        row: str,
        code: str,
        text: str,
        segments: Sequence[int] | None = None,
        kind: str | None = None,
        coder: str | None = None,
    ) -> SummaryInfo:
        """Write the summary of the cell (``row``, ``code``): a new one, or its new text; with
        ``segments`` (coding ids) these become the codings it draws on."""
        if not text.strip():
            raise InvalidInputError(
                _("a summary needs some text (qcode summaries delete removes one)")
            )
        with self.p.change("summaries.set", actor=coder) as ch:
            row_kind, row_id = self._row(ch.conn, row, kind)
            tree = CodeTree(ch.conn)
            code_id = tree.resolve(code)
            links = (
                None
                if segments is None
                else self._check_segments(ch.conn, row_kind, row_id, code_id, segments)
            )
            sid = self._find(ch.conn, row_kind, row_id, code_id)
            if sid is None:
                sid = ch.insert_one(
                    Summary,
                    case_id=row_id if row_kind == "case" else None,
                    document_id=row_id if row_kind == "document" else None,
                    code_id=code_id,
                    body=text,
                    coder_id=self.p.ensure_coder(ch, coder),
                )
            else:
                ch.update(Summary, [sid], body=text, updated=utcnow())
            if links is not None:
                self._relink(ch, sid, links)
            ch.summary = f"summarise {tree.path(code_id)!r} for {row_kind} {row!r}"
        return self.get_by_id(sid)

    def mark(self, summary_id: int, segments: Sequence[int], on: bool = True) -> SummaryInfo:
        """Add (``on``) or remove codings from those a summary draws on."""
        with self.p.change("summaries.mark") as ch:
            s = ch.conn.execute(select(Summary).where(Summary.id == summary_id)).first()
            if s is None:
                raise NotFoundError(
                    _("no summary with id {summary_id}").format(summary_id=summary_id)
                )
            kind, row_id = (
                ("case", s.case_id) if s.case_id is not None else ("document", s.document_id)
            )
            have = self._links(ch.conn, summary_id)
            if on:
                new = self._check_segments(ch.conn, kind, row_id, s.code_id, segments)
                want = have + [i for i in new if i not in have]
            else:
                want = [i for i in have if i not in set(segments)]
            self._relink(ch, summary_id, want)
            ch.summary = (
                f"mark segments of summary {summary_id}"
                if on
                else f"unmark segments of summary {summary_id}"
            )
        return self.get_by_id(summary_id)

    @staticmethod
    def _links(conn: Any, summary_id: int) -> builtins.list[int]:
        return list(
            conn.scalars(
                select(SummaryLink.coding_id)
                .where(SummaryLink.summary_id == summary_id)
                .order_by(SummaryLink.id)
            )
        )

    def _relink(self, ch: Change, sid: int, coding_ids: Sequence[int]) -> None:
        rows = ch.conn.execute(
            select(SummaryLink.id, SummaryLink.coding_id).where(SummaryLink.summary_id == sid)
        ).all()
        keep = set(coding_ids)
        ch.delete(SummaryLink, [r.id for r in rows if r.coding_id not in keep])
        have = {r.coding_id for r in rows}
        ch.insert(
            SummaryLink, [{"summary_id": sid, "coding_id": c} for c in coding_ids if c not in have]
        )

    def delete(self, row: str, code: str, kind: str | None = None) -> None:
        with self.p.change("summaries.delete") as ch:
            row_kind, row_id = self._row(ch.conn, row, kind)
            tree = CodeTree(ch.conn)
            code_id = tree.resolve(code)
            sid = self._find(ch.conn, row_kind, row_id, code_id)
            if sid is None:
                raise NotFoundError(
                    _("no summary of {v1!r} for {row_kind} {row!r}").format(
                        v1=tree.path(code_id), row_kind=row_kind, row=row
                    )
                )
            drop_summaries(ch, [sid])
            ch.summary = f"delete the summary of {tree.path(code_id)!r} for {row_kind} {row!r}"

    # -- reading -------------------------------------------------------------------------------
    def get(self, row: str, code: str, kind: str | None = None) -> SummaryInfo:
        with self.p.read() as s:
            row_kind, row_id = self._row(s, row, kind)
            tree = CodeTree(s)
            code_id = tree.resolve(code)
            sid = self._find(s, row_kind, row_id, code_id)
        if sid is None:
            raise NotFoundError(
                _("no summary of {v1!r} for {row_kind} {row!r}").format(
                    v1=tree.path(code_id), row_kind=row_kind, row=row
                )
            )
        return self.get_by_id(sid)

    def get_by_id(self, summary_id: int) -> SummaryInfo:
        found = self.list(ids=[summary_id])
        if not found:
            raise NotFoundError(_("no summary with id {summary_id}").format(summary_id=summary_id))
        return found[0]

    def list(
        self,
        row: str | None = None,
        code: str | None = None,
        kind: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> builtins.list[SummaryInfo]:
        """Summaries by row, then code: all, or those of one row or one code."""
        with self.p.read() as s:
            tree = CodeTree(s)
            q = select(Summary, Coder.name).join(Coder, Coder.id == Summary.coder_id)
            if row is not None:
                row_kind, row_id = self._row(s, row, kind)
                col = Summary.case_id if row_kind == "case" else Summary.document_id
                q = q.where(col == row_id)
            if code is not None:
                q = q.where(Summary.code_id == tree.resolve(code))
            if ids is not None:
                q = q.where(Summary.id.in_(list(ids)))
            rows = s.execute(q).all()
            cases = dict(s.execute(select(Case.id, Case.name)).all())
            docs = dict(s.execute(select(Document.id, Document.name)).all())
            links: dict[int, builtins.list[int]] = {}
            for sid, cid in s.execute(
                select(SummaryLink.summary_id, SummaryLink.coding_id)
                .where(SummaryLink.summary_id.in_([r[0].id for r in rows]))
                .order_by(SummaryLink.id)
            ):
                links.setdefault(sid, []).append(cid)
        out = [
            SummaryInfo(
                m.id,
                m.uuid,
                "case" if m.case_id is not None else "document",
                cases[m.case_id] if m.case_id is not None else docs[m.document_id or 0],
                tree.path(m.code_id),
                m.body,
                coder,
                _stamp(m.created),
                _stamp(m.updated),
                links.get(m.id, []),
            )
            for m, coder in rows
        ]
        return sorted(out, key=lambda i: (i.row_kind, i.row, i.code))

    def cells(self) -> dict[tuple[str, int, int], tuple[int, str]]:
        """Every summary by cell ``(row kind, row id, code id)``: its id and text."""
        with self.p.read() as s:
            rows = s.execute(
                select(
                    Summary.id, Summary.case_id, Summary.document_id, Summary.code_id, Summary.body
                )
            ).all()
        return {
            (
                "case" if r.case_id is not None else "document",
                r.case_id if r.case_id is not None else r.document_id,
                r.code_id,
            ): (r.id, r.body)
            for r in rows
        }


# -- keeping summaries consistent when what they point at goes --------------------------------
def drop_summaries(ch: Change, ids: Sequence[int]) -> None:
    if not ids:
        return
    links = ch.conn.scalars(select(SummaryLink.id).where(SummaryLink.summary_id.in_(list(ids))))
    ch.delete(SummaryLink, list(links))
    ch.delete(Summary, list(ids))


def detach_summaries(ch: Change, kind: str, ids: Sequence[int]) -> None:
    """Before deleting codings, codes, cases or documents: their summaries (or, for codings, the
    summaries' links to them) go too."""
    if not ids:
        return
    if kind == "coding":
        links = ch.conn.scalars(select(SummaryLink.id).where(SummaryLink.coding_id.in_(list(ids))))
        ch.delete(SummaryLink, list(links))
        return
    col = {"code": Summary.code_id, "case": Summary.case_id, "document": Summary.document_id}.get(
        kind
    )
    if col is not None:
        drop_summaries(ch, list(ch.conn.scalars(select(Summary.id).where(col.in_(list(ids))))))


def move_summaries(ch: Change, src: int, dst: int) -> None:
    """A code merged into another: its summaries move with it; where the other code has a
    summary for the same row, the two texts are joined into that one."""
    for r in ch.conn.execute(select(Summary).where(Summary.code_id == src)).all():
        there = ch.conn.execute(
            select(Summary.id, Summary.body).where(
                Summary.code_id == dst,
                or_(
                    (Summary.case_id == r.case_id) & (Summary.case_id.is_not(None)),
                    (Summary.document_id == r.document_id) & (Summary.document_id.is_not(None)),
                ),
            )
        ).first()
        if there is None:
            ch.update(Summary, [r.id], code_id=dst)
            continue
        ch.update(Summary, [there.id], body=f"{there.body.rstrip()}\n\n{r.body}".strip())
        have = set(SummaryService._links(ch.conn, there.id))
        moved = [i for i in SummaryService._links(ch.conn, r.id) if i not in have]
        drop_summaries(ch, [r.id])
        ch.insert(SummaryLink, [{"summary_id": there.id, "coding_id": c} for c in moved])


# -- REFI-QDA ---------------------------------------------------------------------------------
def add_to_exchange(conn: Connection, x: Exchange, coder_guid: dict[int, str]) -> int:
    """Append every summary to ``x`` as a note (its cell in the note's description) that the
    codings it draws on refer to; returns how many."""
    from qcode.interchange.qdpx import XNote

    tree = CodeTree(conn)
    case_guid = dict(conn.execute(select(Case.id, Case.uuid)).all())
    doc_guid = dict(conn.execute(select(Document.id, Document.uuid)).all())
    coding_guid = dict(conn.execute(select(Coding.id, Coding.uuid)).all())
    cases = dict(conn.execute(select(Case.id, Case.name)).all())
    docs = dict(conn.execute(select(Document.id, Document.name)).all())
    code_guid = dict(conn.execute(select(Code.id, Code.uuid)).all())
    links: dict[int, builtins.list[int]] = {}
    for sid, cid in conn.execute(
        select(SummaryLink.summary_id, SummaryLink.coding_id).order_by(SummaryLink.id)
    ):
        links.setdefault(sid, []).append(cid)
    by_guid = {c.guid: c for s in x.sources for c in s.codings}
    n = 0
    for r in conn.execute(select(Summary).order_by(Summary.id)):
        if r.case_id is not None:
            cell, label = f"case {case_guid[r.case_id]}", cases[r.case_id]
        else:
            cell, label = f"document {doc_guid[r.document_id]}", docs[r.document_id]
        x.notes.append(
            XNote(
                r.uuid,
                f"summary: {label} x {tree.path(r.code_id)}",
                r.body,
                coder_guid.get(r.coder_id),
                r.created,
                r.updated,
                summary=f"{cell} code {code_guid[r.code_id]}",
            )
        )
        for cid in links.get(r.id, []):
            coding = by_guid.get(coding_guid[cid])
            if coding is not None:
                coding.notes.append(r.uuid)
        n += 1
    return n


@dataclass
class XSummary:
    """A summary read from an exchange: its note and the GUIDs of its cell and codings."""

    note: XNote
    row_kind: str
    row: str
    code: str
    codings: builtins.list[str]


def take_from_exchange(x: Exchange) -> builtins.list[XSummary]:
    """Remove the summaries' notes (and the codings' references to them) from ``x``, so that
    what reads ``x`` next sees memos only; return them."""
    out: dict[str, XSummary] = {}
    keep = []
    for n in x.notes:
        parts = n.summary.split()
        if len(parts) == 4 and parts[0] in ROW_KINDS and parts[2] == "code":
            out[n.guid] = XSummary(n, parts[0], parts[1], parts[3], [])
        else:
            keep.append(n)
    x.notes = keep
    for s in x.sources:
        for c in s.codings:
            if any(g in out for g in c.notes):
                for g in c.notes:
                    if g in out:
                        out[g].codings.append(c.guid)
                c.notes = [g for g in c.notes if g not in out]
    return list(out.values())


def insert_from_exchange(
    ch: Change,
    summaries: Sequence[XSummary],
    ids: dict[str, dict[str, int]],
    coder: Callable[[str | None], int],
    fresh_guid: Callable[[str], str] = lambda g: g,
    differ: builtins.list[str] | None = None,
) -> tuple[int, builtins.list[str]]:
    """Store summaries read from an exchange. ``ids`` maps "case", "document", "code" and
    "coding" GUIDs to this project's ids. A cell that has a summary here already keeps it; the
    difference is reported (in ``differ``, if given: a merge's conflict). Returns how many were
    added and what was reported."""
    added, notes = 0, []
    for xs in summaries:
        row_id = ids[xs.row_kind].get(xs.row)
        code_id = ids["code"].get(xs.code)
        if row_id is None or code_id is None:
            notes.append(
                _("summary {name!r}: its cell is not in the project; left out").format(
                    name=xs.note.name
                )
            )
            continue
        col = Summary.case_id if xs.row_kind == "case" else Summary.document_id
        have = ch.conn.execute(
            select(Summary.id, Summary.body).where(col == row_id, Summary.code_id == code_id)
        ).first()
        codings = [ids["coding"][g] for g in xs.codings if g in ids["coding"]]
        if have is not None:
            if have.body != xs.note.text and differ is not None:
                differ.append(
                    _("{name!r} differs between the two projects").format(name=xs.note.name)
                )
            elif have.body != xs.note.text:
                notes.append(
                    _("{name!r} differs between the two projects; this one kept").format(
                        name=xs.note.name
                    )
                )
            known = set(SummaryService._links(ch.conn, have.id))
            ch.insert(
                SummaryLink,
                [{"summary_id": have.id, "coding_id": c} for c in codings if c not in known],
            )
            continue
        row: dict[str, Any] = {
            "uuid": fresh_guid(xs.note.guid),
            "case_id": row_id if xs.row_kind == "case" else None,
            "document_id": row_id if xs.row_kind == "document" else None,
            "code_id": code_id,
            "body": xs.note.text,
            "coder_id": coder(xs.note.user),
        }
        if xs.note.created is not None:
            row["created"] = xs.note.created
            row["updated"] = xs.note.modified or xs.note.created
        sid = ch.insert_one(Summary, **row)
        ch.insert(
            SummaryLink, [{"summary_id": sid, "coding_id": c} for c in dict.fromkeys(codings)]
        )
        added += 1
    return added, notes


__all__ = [
    "ROW_KINDS",
    "SummaryInfo",
    "SummaryService",
    "XSummary",
    "add_to_exchange",
    "detach_summaries",
    "insert_from_exchange",
    "move_summaries",
    "parse_ids",
    "take_from_exchange",
]
