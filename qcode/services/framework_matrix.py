"""The framework matrix: one row per case (or document) with chosen attributes, one column per
code or category, each cell its summary or, where none is written yet, the count of its coded
segments and the first words of each (the Framework method's charting; NVivo's framework
matrix).

A coding counts in the column of the nearest column code at or above its code: with
``level="axial"`` that is its category, as in ``qcode matrix --level axial``; with plain codes
named it is the code itself, as in ``qcode matrix``. A coding counts in the row of its document's
case, and in the row of any case a linked range of the document overlaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select

from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.store.models import (
    Case,
    CaseLink,
    Code,
    CodeSet,
    Coding,
    Document,
    SetMember,
    Summary,
    SummaryLink,
)

if TYPE_CHECKING:
    from qcode.services.project import Project

FIRST_WORDS = 8
SHOWN_SEGMENTS = 5
CONTEXT = 60  # characters of context either side of a segment


def first_words(text: str, n: int = FIRST_WORDS) -> str:
    """The first ``n`` words of ``text`` (its first ``n * 2`` characters where words are not
    separated by spaces, as in Chinese), with an ellipsis when there is more."""
    words = text[: n * 16].split()  # enough characters for n words
    if len(words) > n:
        return " ".join(words[:n]) + " …"
    flat = " ".join(words)
    if len(words) <= 2 and len(flat) > n * 2:
        return flat[: n * 2] + "…"
    return flat


@dataclass
class Cell:
    count: int = 0
    segments: list[int] = field(default_factory=list)  # coding ids, in document order
    first_words: list[str] = field(default_factory=list)
    summary: str | None = None
    summary_id: int | None = None

    def text(self) -> str:
        """What the cell shows: its summary, else the count and the segments' first words."""
        if self.summary is not None:
            return self.summary
        if not self.count:
            return ""
        shown = "; ".join(self.first_words[:SHOWN_SEGMENTS])
        more = "; …" if len(self.first_words) > SHOWN_SEGMENTS else ""
        return f"{self.count} segment{'' if self.count == 1 else 's'}: {shown}{more}"

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "summary": self.summary,
            "segments": self.segments,
            "first_words": self.first_words,
        }


@dataclass
class FrameworkMatrix:
    rows_of: str  # cases or documents
    rows: list[str]
    row_ids: list[int]
    columns: list[str]  # code paths
    column_ids: list[int]
    attributes: list[str]
    attribute_types: dict[str, str]
    values: list[dict[str, Any]]  # per row: attribute -> typed value
    cells: list[list[Cell]]

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows_of,
            "columns": self.columns,
            "attributes": self.attributes,
            "records": [
                {
                    "row": name,
                    "attributes": {a: vals.get(a) for a in self.attributes},
                    "cells": {
                        c: cell.as_json() for c, cell in zip(self.columns, cells, strict=True)
                    },
                }
                for name, vals, cells in zip(self.rows, self.values, self.cells, strict=True)
            ],
        }

    def counts(self) -> list[list[int]]:
        return [[c.count for c in row] for row in self.cells]


def _columns(
    s: Any, tree: CodeTree, codes: Sequence[str], level: str | None, set_name: str | None
) -> list[int]:
    given = [bool(codes), level is not None, set_name is not None]
    if sum(given) > 1:
        raise InvalidInputError(_("give one of --codes, --level and --set"))
    if codes:
        out = []
        for c in codes:
            cid = tree.resolve(c)
            if cid not in out:
                out.append(cid)
        return out
    levels = dict(s.execute(select(Code.id, Code.level)).all())
    if set_name is not None:
        sid = s.scalar(select(CodeSet.id).where(CodeSet.name == set_name))
        if sid is None:
            raise NotFoundError(_("no set {set_name!r}").format(set_name=set_name))
        ids = set(
            s.scalars(
                select(SetMember.target_id).where(SetMember.set_id == sid, SetMember.kind == "code")
            )
        )
        if not ids:
            raise InvalidInputError(_("set {set_name!r} holds no codes").format(set_name=set_name))
        return [c for c in tree.ordered() if c in ids]
    if level not in (None, "open", "axial"):
        raise InvalidInputError(_("unknown level {level!r} (open or axial)").format(level=level))
    axial = [c for c in tree.ordered() if levels[c] == "axial"]
    if level == "axial" or (level is None and axial):
        return axial
    return list(tree.ordered())


def framework_matrix(
    p: Project,
    rows: str = "cases",
    codes: Sequence[str] = (),
    level: str | None = None,
    set_name: str | None = None,
    where: Sequence[str] = (),
    attributes: Sequence[str] = (),
) -> FrameworkMatrix:
    """The matrix of ``rows`` (cases or documents) by the codes chosen: ``codes`` by name, every
    category (``level="axial"``, the default when there are categories), every code
    (``level="open"``) or the codes of a set."""
    if rows in ("case", "document"):  # as `qcode summaries --rows` names them
        rows += "s"
    if rows not in ("cases", "documents"):
        raise InvalidInputError(_("unknown rows {rows!r} (cases or documents)").format(rows=rows))
    in_scope = set(p.analysis.documents_in_scope(where)) if where else None
    known_attrs = {(a.scope, a.name): a.type for a in p.attributes.list()}
    types: dict[str, str] = {}
    for a in attributes:
        t = known_attrs.get(("case", a)) or known_attrs.get(("document", a))
        if t is None:
            raise NotFoundError(_("no attribute {a!r}").format(a=a))
        types[a] = t
    with p.read() as s:
        tree = CodeTree(s)
        column_ids = _columns(s, tree, codes, level, set_name)
        if not column_ids:
            raise InvalidInputError(_("no codes to make columns of"))
        docs = [
            (d, n, c)
            for d, n, c in s.execute(
                select(Document.id, Document.name, Document.case_id).order_by(Document.id)
            )
            if in_scope is None or d in in_scope
        ]
        cases = dict(s.execute(select(Case.id, Case.name)).all())
        links = [
            tuple(r)
            for r in s.execute(
                select(CaseLink.case_id, CaseLink.document_id, CaseLink.start, CaseLink.end)
            )
        ]
        # the column each code counts in: the nearest column code at or above it
        col_of: dict[int, int] = {}
        index = {cid: i for i, cid in enumerate(column_ids)}
        for cid in tree.name:
            cur: int | None = cid
            while cur is not None and cur not in index:
                cur = tree.parent.get(cur)
            if cur is not None:
                col_of[cid] = index[cur]
        doc_ids = [d for d, _, _ in docs]
        codings: list[Any] = []
        for i in range(0, len(doc_ids), 500):
            part = doc_ids[i : i + 500]
            codings += s.execute(
                select(
                    Coding.id,
                    Coding.document_id,
                    Coding.code_id,
                    Coding.start,
                    Coding.end,
                    func.substr(Coding.text, 1, 200).label("text"),  # enough for first words
                ).where(Coding.document_id.in_(part), Coding.code_id.in_(list(col_of)))
            ).all()
    codings.sort(key=lambda r: (r[1], r[3], r[4], r[0]))
    # rows, and the rows each document's codings go to
    row_ids: list[int] = []
    names: list[str] = []
    if rows == "documents":
        row_ids = doc_ids
        names = [n for _, n, _ in docs]
        whole: dict[int, list[int]] = {d: [i] for i, d in enumerate(doc_ids)}
        ranged: dict[int, list[tuple[int, int, int]]] = {}
    else:
        has = {c for _, _, c in docs if c is not None}
        in_docs = set(doc_ids)
        has |= {c for c, d, _, _ in links if d in in_docs}
        ordered = sorted(has, key=lambda c: cases[c])
        row_ids, names = ordered, [cases[c] for c in ordered]
        pos = {c: i for i, c in enumerate(ordered)}
        whole = defaultdict(list)
        for d, _name, c in docs:
            if c is not None:
                whole[d].append(pos[c])
        ranged = defaultdict(list)
        for c, d, lo, hi in links:
            if c in pos:
                ranged[d].append((pos[c], lo, hi))
    cells = [[Cell() for _ in column_ids] for _ in row_ids]
    listed: set[tuple[int, int, int, int, int]] = set()  # one first-words entry per range
    for cid, doc, code, start, end, text in codings:
        targets = whole.get(doc, ())
        if doc in ranged:
            extra = {i for i, a, b in ranged[doc] if a < end and start < b}
            targets = sorted(set(targets) | extra)
        j = col_of[code]
        for i in targets:
            cell = cells[i][j]
            cell.count += 1
            cell.segments.append(cid)
            key = (i, j, doc, start, end)
            if key not in listed:
                listed.add(key)
                cell.first_words.append(first_words(text))
    kind = "case" if rows == "cases" else "document"
    summaries = p.summaries.cells()
    row_pos = {rid: i for i, rid in enumerate(row_ids)}
    for (k, rid, code_id), (sid, body) in summaries.items():
        if k == kind and rid in row_pos and code_id in index:
            cell = cells[row_pos[rid]][index[code_id]]
            cell.summary, cell.summary_id = body, sid
    values = _attribute_values(p, rows, names, docs, cases, attributes)
    return FrameworkMatrix(
        rows,
        names,
        row_ids,
        [tree.path(c) for c in column_ids],
        column_ids,
        list(attributes),
        types,
        values,
        cells,
    )


def _attribute_values(
    p: Project,
    rows: str,
    names: list[str],
    docs: list[tuple[int, str, int | None]],
    cases: dict[int, str],
    attributes: Sequence[str],
) -> list[dict[str, Any]]:
    if not attributes:
        return [{} for _ in names]
    case_vals = p.attributes.values("case")
    if rows == "cases":
        return [{a: case_vals.get(n, {}).get(a) for a in attributes} for n in names]
    doc_vals = p.attributes.values("document")
    case_of = {n: c for _, n, c in docs}
    out = []
    for n in names:
        own = doc_vals.get(n, {})
        of_case = case_vals.get(cases.get(case_of.get(n) or -1, ""), {})
        out.append({a: own[a] if a in own else of_case.get(a) for a in attributes})
    return out


def context(
    text: str,
    start: int,
    end: int,
    width: int = CONTEXT,
    offset: int = 0,
    length: int | None = None,
) -> tuple[str, str]:
    """About ``width`` characters before and after ``[start, end)``, cut at a space where the
    text has spaces near the cut (never inside a word), with an ellipsis where text goes on.
    ``text`` may be the part of a longer text that starts at ``offset`` and holds at least
    ``width`` characters either side of the range; ``length`` is then the whole text's."""
    n = offset + len(text) if length is None else length
    a = max(0, start - width)
    if a > 0:
        space = text.find(" ", a - offset, start - offset)
        a = space + offset + 1 if space >= 0 and space + offset < a + width // 3 else a
    b = min(n, end + width)
    if b < n:
        space = text.rfind(" ", end - offset, b - offset)
        b = space + offset if space >= 0 and space + offset > b - width // 3 else b
    before = ("…" if a > 0 else "") + text[a - offset : start - offset]
    after = text[end - offset : b - offset] + ("…" if b < n else "")
    return before.replace("\n", " "), after.replace("\n", " ")


@dataclass
class Segment:
    """A segment of a cell as the workbench shows it: where it is and its text in context."""

    id: int  # the coding's
    document: str
    code: str  # the code's own name
    start: int
    end: int
    before: str
    text: str
    after: str


@dataclass
class CellView:
    """A cell read again: its segments still in the project, those gone since the matrix was
    read, and its summary as it is now."""

    segments: list[Segment]
    gone: list[int]  # coding ids of the cell no longer in the project
    summary: str | None
    summary_id: int | None
    marked: list[int]  # the codings the summary draws on


def framework_cell(
    p: Project,
    rows_of: str,
    row_id: int,
    code_id: int,
    coding_ids: Sequence[int],
    width: int = CONTEXT,
) -> CellView:
    """The cell of row ``row_id`` (a case or a document, as ``rows_of`` says) and column code
    ``code_id`` of a matrix read earlier, whose segments were ``coding_ids``: each segment still
    there with ``width`` characters of context (only that much of its document is read), the
    ids of those deleted since, and the cell's summary now (which may have been written, changed
    or deleted since)."""
    ids = list(dict.fromkeys(coding_ids))
    lo = case((Coding.start > width, Coding.start - width), else_=0)
    found: dict[int, Any] = {}
    with p.read() as s:
        for i in range(0, len(ids), 500):
            found.update(
                (r.id, r)
                for r in s.execute(
                    select(
                        Coding.id,
                        Document.name,
                        Code.name.label("code"),
                        Coding.start,
                        Coding.end,
                        lo.label("lo"),
                        func.length(Document.text).label("length"),
                        func.substr(Document.text, lo + 1, Coding.end + width - lo).label("part"),
                    )
                    .join(Document, Document.id == Coding.document_id)
                    .join(Code, Code.id == Coding.code_id)
                    .where(Coding.id.in_(ids[i : i + 500]))
                )
            )
        col = Summary.case_id if rows_of == "cases" else Summary.document_id
        summary = s.execute(
            select(Summary.id, Summary.body).where(col == row_id, Summary.code_id == code_id)
        ).first()
        marked = (
            []
            if summary is None
            else list(
                s.scalars(
                    select(SummaryLink.coding_id)
                    .where(SummaryLink.summary_id == summary.id)
                    .order_by(SummaryLink.id)
                )
            )
        )
    segments = []
    for cid in ids:
        r = found.get(cid)
        if r is None:
            continue
        before, after = context(r.part, r.start, r.end, width, r.lo, r.length)
        said = r.part[r.start - r.lo : r.end - r.lo].replace("\n", " ")
        segments.append(Segment(cid, r.name, r.code, r.start, r.end, before, said, after))
    return CellView(
        segments,
        [i for i in ids if i not in found],
        None if summary is None else summary.body,
        None if summary is None else summary.id,
        marked,
    )


__all__ = [
    "Cell",
    "CellView",
    "FrameworkMatrix",
    "Segment",
    "context",
    "first_words",
    "framework_cell",
    "framework_matrix",
]
