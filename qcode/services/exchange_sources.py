"""A new project's sources from an :class:`~qcode.interchange.qdpx.Exchange`: documents, their
attribute values, codings and segments, each table in one bulk insert (``init --from``; see
:mod:`qcode.services.exchange`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qcode.errors import InvalidInputError
from qcode.i18n import _
from qcode.interchange.qdpx import Exchange, XCoding
from qcode.services.attributes import parse_value
from qcode.services.changes import Change
from qcode.services.documents import detect_language
from qcode.services.exchange_coders import Coders
from qcode.services.mapping import CODING, DOCUMENT
from qcode.store.models import Coding, Document, DocumentAttribute, Segment
from qcode.text import text_hash
from qcode.text.segment_pool import Segmenter

if TYPE_CHECKING:
    from qcode.services.exchange import ImportReport
    from qcode.services.project import Project

Progress = Callable[[int, int, str], None]  # (done, total, the stage under way)


def coding_row(c: XCoding, text: str, code_id: int, coder_id: int, guid: str) -> dict[str, Any]:
    """A coding's row from its exchange entry, in the document whose text is ``text`` (the
    caller sets ``document_id``); a time it does not have is left to the column's default."""
    return {
        "uuid": guid,
        "code_id": code_id,
        "coder_id": coder_id,
        **CODING.into(c, skip_none=True),
        "text": text[c.start : c.end],
        "selection_uuid": c.selection or None,
        "selection_name": c.selection_name or None,
    }


def no_progress(done: int, total: int, stage: str) -> None:
    return None


def values_of(
    values: dict[str, str],
    attr_id: dict[str, int],
    attr_type: dict[str, str],
    owner: str,
    rep: ImportReport,
) -> list[tuple[int, str]]:
    out = []
    for g, raw in values.items():
        try:
            out.append((attr_id[g], parse_value(g, attr_type[g], raw)))
        except InvalidInputError:
            rep.notes.append(
                _("{owner}: value {raw!r} is not a {v1}; left out").format(
                    owner=owner, raw=raw, v1=attr_type[g]
                )
            )
    return out


def add_sources(
    ch: Change,
    p: Project,
    x: Exchange,
    code_id: dict[str, int],
    coder: Coders,
    case_id: dict[str, int],
    attr_id: dict[str, int],
    attr_type: dict[str, str],
    rep: ImportReport,
    seg: Segmenter,
    on_progress: Progress,
) -> tuple[dict[str, int], dict[str, int]]:
    case_of: dict[str, int] = {}
    for xc in x.cases:
        for g in xc.sources:
            case_of.setdefault(g, case_id[xc.guid])
    # every source's rows first, then each table in one bulk insert: a few statements in all
    # instead of several for each source
    used_guids: set[str] = set()
    doc_rows: list[dict[str, Any]] = []
    codings_of: list[list[dict[str, Any]]] = []
    langs = [detect_language(s.text, p.settings.language) for s in x.sources]
    # the sentences are cut (in a second process when there is one) while the rows are written
    units_of = seg.submit(
        [(s.text, lang) for s, lang in zip(x.sources, langs, strict=True)],
        p.settings.speaker_patterns,
    )
    writing, n = _("writing the new project"), len(x.sources)
    # the rows of the sources are about half of the writing; the bulk inserts the rest
    for i, (s, lang) in enumerate(zip(x.sources, langs, strict=True), 1):
        if i % 20 == 0:
            on_progress(i // 2, n, writing)
        doc_rows.append(
            {
                **DOCUMENT.into(s, skip_none=True),  # name, text, format; when it was made
                "chars": len(s.text),
                "language": lang,
                "text_hash": text_hash(s.text),
                "uuid": s.guid,
                "case_id": case_of.get(s.guid),
                "source_name": s.name,
                "source_encoding": None if s.format == "pdf" else "utf-8",
                "source_bytes": s.original,
            }
        )
        seen: set[tuple[int, int, int, int]] = set()
        batch = []
        for c in s.codings:
            key = (code_id[c.code], coder(c.user), c.start, c.end)
            if key in seen:
                continue
            seen.add(key)
            g = c.guid if c.guid and c.guid not in used_guids else str(uuid.uuid4())
            used_guids.add(g)
            batch.append(coding_row(c, s.text, key[0], key[1], g))
        codings_of.append(batch)
    stored = ch.insert_full(Document, doc_rows)
    doc_ids = {s.guid: r["id"] for s, r in zip(x.sources, stored, strict=True)}
    all_codings: list[dict[str, Any]] = []
    for s, r, batch in zip(x.sources, stored, codings_of, strict=True):
        did = r["id"]
        for a, v in values_of(s.values, attr_id, attr_type, f"source {s.name!r}", rep):
            ch.put_value(DocumentAttribute, did, a, v)
        for row in batch:
            row["document_id"] = did
        all_codings += batch
    on_progress(n // 2, n, writing)
    coding_ids = {r["uuid"]: r["id"] for r in ch.insert_full(Coding, all_codings)}
    on_progress(n * 9 // 10, n, writing)
    segments = [
        {"document_id": r["id"], "kind": kind, "start": a, "end": b, "speaker": who}
        for r, units in zip(stored, units_of(), strict=True)
        for kind, a, b, who in units
    ]
    ch.insert_children_of(Segment, segments, "document_id")
    on_progress(n, n, writing)
    return doc_ids, coding_ids
