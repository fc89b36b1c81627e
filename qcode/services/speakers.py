"""Speakers as data, as MAXQDA's focus-group import makes them: each speaker a case that holds
their turns (``case_links``), or each speaker's turns coded with a code ``speaker/NAME``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select

from qcode.services.codings import CodingRequest
from qcode.store.models import CaseLink, Document
from qcode.text.segment import Unit

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

SPEAKER_CODE = "speaker"


def speaker_code(name: str) -> str:
    return f"{SPEAKER_CODE}/{name.replace('/', chr(0x2215)).strip()}"


def speakers_as_data(
    p: Project,
    ch: Change,
    doc_id: int,
    text: str,
    units: Sequence[Unit],
    as_cases: bool,
    code: bool,
) -> None:
    """Inside the import's change: link each turn to its speaker's case and/or code it."""
    turns = [u for u in units if u.kind == "turn" and u.speaker]
    if not turns:
        return
    if as_cases:
        case_ids: dict[str, int] = {}
        rows = []
        for t in turns:
            assert t.speaker is not None
            cid = case_ids.get(t.speaker)
            if cid is None:
                cid = case_ids[t.speaker] = p.cases.ensure_in(ch, t.speaker)
            rows.append({"case_id": cid, "document_id": doc_id, "start": t.start, "end": t.end})
        ch.insert(CaseLink, rows)
    if code:
        name = ch.session.scalar(select(Document.name).where(Document.id == doc_id))
        assert name is not None
        reqs = [
            CodingRequest(name, t.start, t.end, speaker_code(t.speaker or ""), None) for t in turns
        ]
        p.codings.apply_in(ch, reqs, create=True)
