"""Uncoded sentences, paragraphs or turns most like a code's coded segments (``qcode similar``),
to support constant comparison: where else might this code apply?"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from qcode.analysis.similar import rank_tfidf, rank_vectors
from qcode.errors import InvalidInputError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.services.project import Project
from qcode.store.models import Coding, Document, Segment
from qcode.text.tokens import pipeline, tokenize

UNITS = ("sentence", "paragraph", "turn")


@dataclass
class Similar:
    document: str
    start: int
    end: int
    text: str
    score: float
    terms: list[str]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _userdict(p: Project) -> str | None:
    u = p.settings.userdict
    return str((p.root / u).resolve()) if u else None


def similar(p: Project, code: str, unit: str = "sentence", top: int = 20) -> list[Similar]:
    """Units not overlapping any coding of ``code``, ranked by similarity to its segments."""
    if unit not in UNITS:
        raise InvalidInputError(
            _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
        )
    if top < 1:
        raise InvalidInputError(_("--top {top}: give how many, 1 or more").format(top=top))
    userdict, model = _userdict(p), p.settings.spacy_model
    with p.read() as s:
        c = s.connection()
        cid = CodeTree(c).resolve(code)
        coded = c.execute(
            select(Coding.document_id, Coding.start, Coding.end).where(Coding.code_id == cid)
        ).all()
        docs = c.execute(select(Document.id, Document.name, Document.language)).all()
        texts = {
            d.id: c.scalar(select(Document.text).where(Document.id == d.id)) or "" for d in docs
        }
        units = c.execute(
            select(Segment.document_id, Segment.start, Segment.end)
            .where(Segment.kind == unit)
            .order_by(Segment.document_id, Segment.start)
        ).all()
    if not coded:
        return []
    by_doc: dict[int, list[tuple[int, int]]] = {}
    for r in coded:
        by_doc.setdefault(r.document_id, []).append((r.start, r.end))
    lang = {d.id: d.language for d in docs}
    name = {d.id: d.name for d in docs}
    use_vectors = model is not None and _has_vectors(model)
    tokens = {}
    for d in docs:
        toks = [t for t in tokenize(texts[d.id], d.language, userdict, model) if t.is_word]
        tokens[d.id] = ([t.start for t in toks], toks)

    def terms(doc: int, a: int, b: int) -> list[str]:
        starts, toks = tokens[doc]
        i, j = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        return [t.norm for t in toks[i:j] if not t.is_stop]

    segments = [terms(r.document_id, r.start, r.end) for r in coded]
    candidates = [
        ((u.document_id, u.start, u.end), terms(u.document_id, u.start, u.end))
        for u in units
        if not any(a < u.end and u.start < b for a, b in by_doc.get(u.document_id, ()))
    ]
    if use_vectors:
        nlp = pipeline(lang[coded[0].document_id], userdict, model)
        ranked = rank_vectors(
            [nlp(texts[r.document_id][r.start : r.end]).vector for r in coded],
            [(k, nlp(texts[k[0]][k[1] : k[2]]).vector) for k, _ in candidates],
            top,
        )
    else:
        ranked = rank_tfidf(segments, candidates, top)
    out = []
    for hit in ranked:
        key: tuple[int, int, int] = hit.key  # type: ignore[assignment]
        doc, start, end = key
        out.append(
            Similar(
                name[doc], start, end, texts[doc][start:end], round(hit.score, 6), list(hit.terms)
            )
        )
    return out


def _has_vectors(model: str) -> bool:
    import spacy.util

    if not spacy.util.is_package(model):
        return False
    return bool(pipeline("en", None, model).vocab.vectors.size)
