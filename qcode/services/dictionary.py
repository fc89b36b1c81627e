"""Dictionary analysis of a project's documents (``qcode dict score``): the documents in scope,
grouped by document, case or an attribute's values, scored with ``qcode.analysis.dictionary``.

Scoring reads the project and changes nothing."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.dictionary import (
    Dictionary,
    DocumentScore,
    Match,
    Score,
    find_matches,
    load_dictionary,
    rates,
    score,
)
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.store.models import Case, Document

if TYPE_CHECKING:
    from qcode.services.project import Project

NO_CASE = "(no case)"
NO_VALUE = "(no value)"


@dataclass
class DictionaryScores:
    dictionary: str
    by: str  # document, case, or attribute:KEY
    per: float
    units: list[str]
    categories: list[str]
    rows: list[Score]
    documents: list[DocumentScore] = field(default_factory=list)

    def as_json(self) -> list[dict[str, Any]]:
        return [r.as_json() for r in self.rows]

    def matrix(self, value: str = "rate") -> list[list[float]]:
        """Units x categories: ``rate`` or ``count``."""
        cells = {(r.unit, r.category): getattr(r, value) for r in self.rows}
        return [[cells[(u, c)] for c in self.categories] for u in self.units]

    def tokens(self) -> dict[str, int]:
        return {r.unit: r.tokens for r in self.rows}


def _by(by: str) -> tuple[str, str | None]:
    """``document``, ``case``, ``attribute:KEY`` or a bare attribute name."""
    if by in ("document", "case"):
        return by, None
    key = by.split(":", 1)[1] if by.startswith("attribute:") else by
    if not key:
        raise InvalidInputError(_("--by attribute: needs an attribute name, e.g. attribute:region"))
    return "attribute", key


def _sort_key(value: str) -> tuple[int, float, str]:
    if value in (NO_CASE, NO_VALUE):
        return (2, 0.0, value)
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.casefold())


class DictionaryService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def load(self, dictionary: str | Path | Dictionary) -> Dictionary:
        return dictionary if isinstance(dictionary, Dictionary) else load_dictionary(dictionary)

    def _pipeline_settings(self) -> tuple[str | None, str | None]:
        userdict = self.p.settings.userdict
        if userdict and not Path(userdict).is_absolute():
            userdict = str((self.p.root / userdict).resolve())
        return userdict, self.p.settings.spacy_model

    def _documents(
        self, where: Sequence[str], docs: Sequence[str]
    ) -> builtins.list[tuple[int, str, str, str | None]]:
        """(id, name, language, case name) of the documents in scope, by name."""
        ids = self.p.analysis.documents_in_scope(list(where), list(docs))
        with self.p.read() as s:
            rows = s.execute(
                select(Document.id, Document.name, Document.language, Case.name)
                .outerjoin(Case, Case.id == Document.case_id)
                .where(Document.id.in_(ids))
                .order_by(Document.name)
            ).all()
        return [(i, n, lang, c) for i, n, lang, c in rows]

    def _inputs(
        self, documents: builtins.list[tuple[int, str, str, str | None]]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The stored texts (in the order of ``documents``) and languages, by document name."""
        ids = [i for i, *_ in documents]
        stored: dict[int, str] = {}
        for k in range(0, len(ids), 200):
            with self.p.read() as s:
                rows = s.execute(
                    select(Document.id, Document.text).where(Document.id.in_(ids[k : k + 200]))
                ).all()
            stored.update((i, text) for i, text in rows)
        texts = {name: stored[i] for i, name, _, _ in documents}
        return texts, {name: lang for _, name, lang, _ in documents}

    def _units(
        self, kind: str, key: str | None, documents: builtins.list[tuple[int, str, str, str | None]]
    ) -> dict[str, str]:
        """The unit of each document (by name)."""
        if kind == "document":
            return {name: name for _, name, _, _ in documents}
        if kind == "case":
            return {name: case or NO_CASE for _, name, _, case in documents}
        doc_vals = self.p.attributes.values("document")
        case_vals = self.p.attributes.values("case")
        out = {}
        for _id, name, _lang, case in documents:
            value = doc_vals.get(name, {}).get(key)
            if value is None and case is not None:
                value = case_vals.get(case, {}).get(key)
            if isinstance(value, bool):
                value = "true" if value else "false"
            out[name] = NO_VALUE if value is None else str(value)
        return out

    def _check_attribute(self, key: str | None) -> None:
        if key is None:
            return
        names = sorted({a.name for a in self.p.attributes.list()})
        if key not in names:
            known = ", ".join(names) if names else "none defined"
            raise NotFoundError(
                _("no attribute {key!r} to group by (attributes: {known})").format(
                    key=key, known=known
                )
            )

    def score(
        self,
        dictionary: str | Path | Dictionary,
        by: str = "document",
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        per: float = 1000.0,
        workers: int | None = 1,
    ) -> DictionaryScores:
        """Matches per category in each unit (document, case, or value of an attribute, a
        document's own value before its case's), as counts and as rates per ``per`` word
        tokens (stop words included)."""
        if per <= 0:
            raise InvalidInputError(
                _("--per {per:g}: give a positive number of tokens, e.g. 1000").format(per=per)
            )
        kind, key = _by(by)
        self._check_attribute(key)
        d = self.load(dictionary)
        documents = self._documents(where, docs)
        unit_of = self._units(kind, key, documents)
        if kind == "document":
            units = [name for _, name, _, _ in documents]
        else:
            units = sorted(set(unit_of.values()), key=_sort_key)
        texts, languages = self._inputs(documents)
        userdict, model = self._pipeline_settings()
        scores = score(d, texts, languages, userdict, model, workers)
        categories = list(d.categories)
        return DictionaryScores(
            d.name,
            kind if key is None else f"attribute:{key}",
            per,
            units,
            categories,
            rates(scores, unit_of, categories, per, units),
            scores,
        )

    def matches(
        self,
        dictionary: str | Path | Dictionary,
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        categories: Sequence[str] = (),
        workers: int | None = 1,
    ) -> builtins.list[Match]:
        """Every match in the documents in scope (``Match.document`` is the document's name;
        offsets are code points into its stored text), by document name, then position."""
        d = self.load(dictionary)
        unknown = [c for c in categories if c not in d.categories]
        if unknown:
            raise NotFoundError(
                _("{source}: no category {v1!r}").format(source=d.source, v1=unknown[0])
            )
        texts, languages = self._inputs(self._documents(where, docs))
        userdict, model = self._pipeline_settings()
        found = find_matches(d, texts, languages, userdict, model, workers)
        return [m for m in found if not categories or m.category in categories]


def score_project(
    p: Project,
    dictionary: str | Path | Dictionary,
    by: str = "document",
    where: Sequence[str] = (),
    docs: Sequence[str] = (),
    per: float = 1000.0,
    workers: int | None = 1,
) -> DictionaryScores:
    """``DictionaryService(p).score(...)``."""
    return DictionaryService(p).score(dictionary, by, where, docs, per, workers)


def matches(
    p: Project,
    dictionary: str | Path | Dictionary,
    where: Sequence[str] = (),
    docs: Sequence[str] = (),
    categories: Sequence[str] = (),
    workers: int | None = 1,
) -> builtins.list[Match]:
    """``DictionaryService(p).matches(...)``: every match, for proposing codings."""
    return DictionaryService(p).matches(dictionary, where, docs, categories, workers)
