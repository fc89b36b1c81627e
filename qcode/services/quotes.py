"""Quotes of a code, or of a query's codings, with speaker, case, chosen attributes and a
reference back to the coding (document, offsets, coding GUID); chosen by the rule in
:mod:`qcode.analysis.quotes`. ``qcode quotes`` and the theory report use them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.quotes import representative
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import N_, _
from qcode.services.codes import CodeTree
from qcode.store.models import (
    Case,
    CaseLink,
    Coding,
    Document,
    RelationEvidence,
    Segment,
    SummaryLink,
)

if TYPE_CHECKING:
    from qcode.services.project import Project


# a quote's reference and source, marked for the report in the interface's language
PAGE = N_(", p. {page}")
REFERENCE = N_("{document} [{start}, {end}){page}; coding {guid}")
CASE = N_("case {case}")
COMMA = N_(", ")


@dataclass(frozen=True)
class QuoteRow:
    """A coding as a candidate quote: where it is, who said it, what it says."""

    coding_id: int
    coding_guid: str
    code: str  # the code's path
    document: str
    case: str | None
    start: int
    end: int
    text: str
    speaker: str | None
    page: int | None
    case_attributes: dict[str, Any]
    doc_attributes: dict[str, Any]


def quote_rows(
    p: Project, where: Sequence[str] = (), codes: Sequence[int] | None = None
) -> list[QuoteRow]:
    """The codings of the documents ``where`` selects (of the code ids ``codes``, or all), in
    document order. One plain query for the codings, one for the speaker turns and one for the
    case links. A coding's case is the case its span is linked to (a focus-group speaker's
    case; of several, the one it overlaps most), else its document's case."""
    from qcode.services.documents import page_at, page_numbers

    doc_ids = set(p.analysis.documents_in_scope(where)) if where else None
    case_values = p.attributes.values("case")
    doc_values = p.attributes.values("document")
    with p.read() as s:
        tree = CodeTree(s)
        docs = {
            d.id: (d.name, d.case)
            for d in s.execute(
                select(Document.id, Document.name, Case.name.label("case")).outerjoin(
                    Case, Case.id == Document.case_id
                )
            )
            if doc_ids is None or d.id in doc_ids
        }
        q = select(
            Coding.id, Coding.uuid, Coding.document_id, Coding.code_id, Coding.start, Coding.end,
            Coding.text,
        )  # fmt: skip
        if codes is not None:
            q = q.where(Coding.code_id.in_(list(codes)))
        codings = [r for r in s.execute(q) if r[2] in docs]
        coded = {r[2] for r in codings}
        turns: dict[int, list[tuple[int, int, str | None]]] = {}
        for doc_id, a, b, speaker in s.execute(
            select(Segment.document_id, Segment.start, Segment.end, Segment.speaker)
            .where(Segment.kind == "turn")
            .order_by(Segment.document_id, Segment.start)
        ):
            if doc_id in coded:
                turns.setdefault(doc_id, []).append((a, b, speaker))
        links: dict[int, list[tuple[int, int, str]]] = {}
        for doc_id, a, b, case_name in s.execute(
            select(CaseLink.document_id, CaseLink.start, CaseLink.end, Case.name)
            .join(Case, Case.id == CaseLink.case_id)
            .order_by(CaseLink.document_id, CaseLink.start, Case.name)
        ):
            if doc_id in coded:
                links.setdefault(doc_id, []).append((a, b, case_name))
        pages = page_numbers(s, coded)
        paths = {cid: tree.path(cid) for cid in tree.name}
    starts = {d: [t[0] for t in ts] for d, ts in turns.items()}
    linked = {d: _Links(ls) for d, ls in links.items()}
    out = []
    for cid, guid, doc_id, code_id, start, end, text in codings:
        name, case = docs[doc_id]
        if doc_id in linked:
            case = linked[doc_id].case_of(start, end) or case
        speaker = None
        if doc_id in turns:
            i = bisect_right(starts[doc_id], start) - 1
            if i >= 0 and turns[doc_id][i][1] > start:
                speaker = turns[doc_id][i][2]
        out.append(
            QuoteRow(
                cid,
                guid,
                paths[code_id],
                name,
                case,
                start,
                end,
                text,
                speaker,
                page_at(pages.get(doc_id), start),
                case_values.get(case, {}) if case else {},
                doc_values.get(name, {}),
            )  # fmt: skip
        )
    out.sort(key=lambda r: (r.document, r.start, r.end, r.coding_id))
    return out


class _Links:
    """The case links of one document, sorted by start, to find the case a span belongs to."""

    def __init__(self, links: list[tuple[int, int, str]]) -> None:
        self.links = links
        self.starts = [a for a, _, _ in links]
        self.longest = max(b - a for a, b, _ in links)

    def case_of(self, start: int, end: int) -> str | None:
        best, most = None, 0
        lo = bisect_left(self.starts, start - self.longest)
        for a, b, case in self.links[lo : bisect_left(self.starts, max(end, start + 1))]:
            overlap = min(b, max(end, start + 1)) - max(a, start)
            if overlap > most:
                best, most = case, overlap
        return best


@dataclass
class Quote:
    text: str
    code: str
    document: str
    start: int
    end: int
    coding_id: int
    coding_guid: str
    speaker: str | None
    case: str | None
    page: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def reference(self, local: bool = False) -> str:
        """Where a reader of the project finds it: document, offsets, page, coding GUID (with
        ``local``, its words in the interface's language, as a report shows them)."""
        say = _ if local else str
        page = say(PAGE).format(page=self.page) if self.page is not None else ""
        return say(REFERENCE).format(
            document=self.document, start=self.start, end=self.end, page=page,
            guid=self.coding_guid,
        )  # fmt: skip

    def source(self, local: bool = False) -> str:
        """Who said it: speaker, case and the chosen attributes (with ``local``, its words in
        the interface's language)."""
        say = _ if local else str
        case = say(CASE).format(case=self.case) if self.case else None
        parts = [p for p in (self.speaker, case) if p]
        parts += [f"{k}: {_show(v)}" for k, v in self.attributes.items() if v is not None]
        return say(COMMA).join(parts)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["attributes"] = {k: _show(v) for k, v in self.attributes.items()}
        out["reference"] = self.reference()
        return out


def _show(v: Any) -> Any:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v.isoformat() if hasattr(v, "isoformat") else v


def marked_codings(p: Project) -> set[int]:
    """Codings a researcher pointed at: drawn on by a summary, or evidence for a relation."""
    with p.read() as s:
        out = set(s.scalars(select(SummaryLink.coding_id)))
        out |= set(s.scalars(select(RelationEvidence.coding_id)))
    return out


def check_attributes(p: Project, names: Sequence[str]) -> None:
    known = {a.name for a in p.attributes.list()}
    for n in names:
        if n not in known:
            raise NotFoundError(_("no attribute {n!r}").format(n=n))


def to_quote(r: QuoteRow, attributes: Sequence[str]) -> Quote:
    values = {
        a: r.doc_attributes[a] if a in r.doc_attributes else r.case_attributes.get(a)
        for a in attributes
    }
    return Quote(
        r.text,
        r.code,
        r.document,
        r.start,
        r.end,
        r.coding_id,
        r.coding_guid,
        r.speaker,
        r.case,
        r.page,
        values,
    )


def pick(
    rows: Sequence[QuoteRow],
    path: str,
    n: int,
    marked: Collection[int],
    attributes: Sequence[str] = (),
) -> list[Quote]:
    """The ``n`` most representative of the rows coded ``path`` or a code under it."""
    under = path + "/"
    mine = [r for r in rows if r.code == path or r.code.startswith(under)]
    return _chosen(mine, n, marked, attributes)


def _chosen(
    mine: Sequence[QuoteRow], n: int, marked: Collection[int], attributes: Sequence[str]
) -> list[Quote]:
    chosen = representative(
        mine,
        n,
        case=lambda r: r.case or f"document {r.document}",
        span=lambda r: (r.document, r.start, r.end),
        coding=lambda r: r.coding_id,
        length=lambda r: len(r.text),
        marked=marked,
    )
    return [to_quote(r, attributes) for r in chosen]


def quotes(
    p: Project,
    code: str,
    n: int = 5,
    where: Sequence[str] = (),
    attributes: Sequence[str] = (),
) -> list[Quote]:
    """The ``n`` most representative quotes of ``code`` (with the codes under it) among the
    documents ``where`` selects."""
    if n < 1:
        raise InvalidInputError(_("--n {n}: give at least 1").format(n=n))
    check_attributes(p, attributes)
    with p.read() as s:
        tree = CodeTree(s)
        cid = tree.resolve(code)
        path, under = tree.path(cid), tree.subtree(cid)
    rows = quote_rows(p, where, under)
    return pick(rows, path, n, marked_codings(p), attributes)


def query_quotes(
    p: Project,
    expr: str,
    n: int = 5,
    where: Sequence[str] = (),
    attributes: Sequence[str] = (),
) -> list[Quote]:
    """The ``n`` most representative quotes of a coding query's result (``qcode query``'s
    language, saved sets included): the codings of the codes it names that overlap one of its
    hits, among the documents ``where`` selects."""
    from qcode.services.query_tree import code_ids
    from qcode.services.scope import Scope

    if n < 1:
        raise InvalidInputError(_("--n {n}: give at least 1").format(n=n))
    check_attributes(p, attributes)
    tree = p.query.resolve(expr)
    ids = code_ids(tree)
    if not ids:
        raise InvalidInputError(
            _("query {expr!r} names no codes: quotes are codings (search with qcode query)").format(
                expr=expr
            )
        )
    hits = {d.name: found for d, found in p.query.hits(tree, Scope(where=tuple(where)))}
    rows = [
        r
        for r in quote_rows(p, where, sorted(ids))
        if any(h.start < r.end and r.start < h.end for h in hits.get(r.document, ()))
    ]
    return _chosen(rows, n, marked_codings(p), attributes)


__all__ = [
    "Quote",
    "query_quotes",
    "QuoteRow",
    "quote_rows",
    "check_attributes",
    "marked_codings",
    "pick",
    "quotes",
    "to_quote",
]
