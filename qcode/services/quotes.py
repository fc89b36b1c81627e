"""Quotes of a code, or of a query's codings, with speaker, case, chosen attributes and a
reference back to the coding (document, offsets, coding GUID); chosen by the rule in
:mod:`qcode.analysis.quotes`. ``qcode quotes`` and the theory report use them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.quotes import representative
from qcode.errors import InvalidInputError, NotFoundError
from qcode.interchange.segments import SegmentRow
from qcode.services.codes import CodeTree
from qcode.store.models import RelationEvidence, SummaryLink

if TYPE_CHECKING:
    from qcode.services.project import Project


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

    def reference(self) -> str:
        """Where a reader of the project finds it: document, offsets, page, coding GUID."""
        page = f", p. {self.page}" if self.page is not None else ""
        return f"{self.document} [{self.start}, {self.end}){page}; coding {self.coding_guid}"

    def source(self) -> str:
        """Who said it: speaker, case and the chosen attributes."""
        parts = [p for p in (self.speaker, f"case {self.case}" if self.case else None) if p]
        parts += [f"{k}: {_show(v)}" for k, v in self.attributes.items() if v is not None]
        return ", ".join(parts)

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
            raise NotFoundError(f"no attribute {n!r}")


def to_quote(r: SegmentRow, attributes: Sequence[str]) -> Quote:
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
    rows: Sequence[SegmentRow],
    path: str,
    n: int,
    marked: Collection[int],
    attributes: Sequence[str] = (),
) -> list[Quote]:
    """The ``n`` most representative of the rows coded ``path`` or a code under it."""
    under = path + "/"
    mine = [r for r in rows if r.code == path or r.code.startswith(under)]
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
    from qcode.services.segments import SegmentFilter, segment_table

    if n < 1:
        raise InvalidInputError(f"--n {n}: give at least 1")
    check_attributes(p, attributes)
    with p.read() as s:
        path = CodeTree(s).path(CodeTree(s).resolve(code))
    rows = segment_table(p, SegmentFilter(codes=[path], where=where)).rows
    return pick(rows, path, n, marked_codings(p), attributes)


__all__ = ["Quote", "check_attributes", "marked_codings", "pick", "quotes", "to_quote"]
