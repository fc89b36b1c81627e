"""Text tools over a project's documents: word and phrase frequencies (whole documents or the
text coded with a code), keyness between two groups of documents, and keyword in context, which
can also code what it finds.

```python
from qcode.services.words import WordsService
w = WordsService(p)
w.frequencies(where=["occupation=courier"], ngram=2, top=20)
w.keyness("contract=yes", "contract=no")
w.kwic("养老保险", window=30)
w.code_hits("keep the money", "in vivo/keep the money", unit="sentence")
```

The counting rules are ``qcode.analysis.words``'s, the matching rules ``qcode.analysis.kwic``'s.
Words are counted in the text of the stored sentences, which leave out speaker labels
(``Interviewer:``, ``受访者：``); a document without sentences is counted whole.
Documents are chosen as the other analyses choose them (``--doc``, ``--where K=V``); Chinese is
segmented with the project's word list (``[text] userdict`` in ``qcode.toml``, a path relative to
the project folder) unless another is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis import kwic as kw
from qcode.errors import InputFileError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.records import Records
from qcode.services.attributes import parse_assignments
from qcode.services.codes import CodeTree
from qcode.services.codings import CodingRequest, check_range
from qcode.store.models import Case, Coder, Coding, Document, Segment

if TYPE_CHECKING:
    from qcode.analysis import word_stats as ws
    from qcode.services.project import Project

BY = ("document", "case")
UNITS = ("sentence", "paragraph", "turn")
REGEX_TIMEOUT = 30.0  # seconds per document before a regular expression is given up
NO_CASE = "(no case)"


@dataclass(frozen=True, slots=True)
class _Doc:
    id: int
    name: str
    case: str | None
    language: str


@dataclass
class KeynessResult:
    """Keyness of the terms of group A (documents matching ``group_a``) against group B."""

    group_a: str
    group_b: str
    documents_a: int
    documents_b: int
    size_a: int  # words (phrases) in the group, stop words included
    size_b: int
    terms: list[ws.Keyness] = field(default_factory=list)

    def as_json(self) -> list[dict[str, Any]]:
        """One object per term; ``overused_in`` names the group (K=V) that uses it more."""
        label = {"a": self.group_a, "b": self.group_b, "": None}
        return [{**t.as_json(), "overused_in": label[t.overused_in]} for t in self.terms]


@dataclass
class KwicCoding:
    """What coding the hits did: codings made, and the ones that were there already."""

    code: str
    coder: str
    hits: int
    made: int
    existing: int
    outside: int  # hits in no unit of the kind asked for (left uncoded)
    unit: str | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_TEXT_BATCH = 200  # documents per query in WordsService._texts


class WordsService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- scope -------------------------------------------------------------------------------
    def userdict(self, path: str | Path | None = None) -> str | None:
        """The word list for Chinese: ``path`` if given, else the project's, else none."""
        if path is None:
            if not self.p.settings.userdict:
                return None
            path = Path(self.p.settings.userdict).expanduser()
            if not path.is_absolute():
                path = self.p.root / path
        path = Path(path).expanduser().resolve()
        if not path.is_file():
            raise InputFileError(path, _("no such word list"))
        return str(path)

    def _documents(self, where: Sequence[str], docs: Sequence[str]) -> list[_Doc]:
        ids = self.p.analysis.documents_in_scope(where, docs)
        with self.p.read() as s:
            rows = s.execute(
                select(Document.id, Document.name, Case.name, Document.language)
                .outerjoin(Case, Case.id == Document.case_id)
                .where(Document.id.in_(ids))
                .order_by(Document.id)
            ).all()
        return [_Doc(*r) for r in rows]

    def _texts(self, docs: Sequence[_Doc]) -> Iterator[str]:
        """The texts of ``docs`` in their order, read a few hundred documents a query (one query
        for each document cost more than a whole search), one batch in memory at a time."""
        with self.p.read() as s:
            conn = s.connection()
            for i in range(0, len(docs), _TEXT_BATCH):
                part = docs[i : i + _TEXT_BATCH]
                q = select(Document.id, Document.text).where(Document.id.in_([d.id for d in part]))
                text = {i: t for i, t in conn.execute(q)}
                for d in part:
                    yield text.get(d.id) or ""

    def _coded(
        self, code: str, subcodes: bool, coders: Sequence[str], doc_ids: Sequence[int]
    ) -> dict[int, list[tuple[int, int]]]:
        """Each document's ranges coded with ``code`` (and its sub-codes), by ``coders``."""
        with self.p.read() as s:
            tree = CodeTree(s)
            cid = tree.resolve(code)
            wanted = tree.subtree(cid) if subcodes else [cid]
            q = select(Coding.document_id, Coding.start, Coding.end).where(
                Coding.code_id.in_(wanted), Coding.document_id.in_(list(doc_ids))
            )
            if coders:
                known = dict(s.execute(select(Coder.name, Coder.id)).all())
                for c in coders:
                    if c not in known:
                        raise NotFoundError(_("no coder {c!r}").format(c=c))
                q = q.where(Coding.coder_id.in_([known[c] for c in coders]))
            out: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for d, a, b in s.execute(q):
                out[d].append((a, b))
        return out

    def _count(
        self,
        docs: Sequence[_Doc],
        ngram: int,
        stopwords: bool,
        code: str | None,
        subcodes: bool,
        coders: Sequence[str],
        userdict: str | Path | None,
        processes: int,
    ) -> list[ws.TermCounts]:
        from qcode.analysis import words as wd

        if ngram not in wd.NGRAMS:
            raise InvalidInputError(_("--ngram {ngram}: give 1, 2 or 3").format(ngram=ngram))
        if coders and code is None:
            raise InvalidInputError(_("--coder needs --code: whose codings of which code"))
        ud = self.userdict(userdict)
        ids = [d.id for d in docs]
        coded = self._coded(code, subcodes, coders, ids) if code else None
        sentences = self._units("sentence", ids)

        def ranges(doc_id: int) -> list[tuple[int, int]] | None:
            # the text of the sentences: speaker labels (which no sentence covers) left out
            said = wd.merge_ranges(sentences[doc_id]) if sentences.get(doc_id) else None
            if coded is None:
                return said
            mine = wd.merge_ranges(coded.get(doc_id, []))
            return mine if said is None else wd.intersect_ranges(mine, said)

        items = (
            (text, d.language, ranges(d.id))
            for d, text in zip(docs, self._texts(docs), strict=True)
        )
        return wd.count_texts(
            items, ngram, stopwords, ud, self.p.settings.spacy_model, processes=processes
        )

    # -- frequencies -------------------------------------------------------------------------
    def frequencies(
        self,
        docs: Sequence[str] = (),
        where: Sequence[str] = (),
        code: str | None = None,
        ngram: int = 1,
        top: int | None = None,
        by: str | None = None,
        stopwords: bool = True,
        userdict: str | Path | None = None,
        coders: Sequence[str] = (),
        subcodes: bool = True,
        processes: int = 1,
    ) -> Records[ws.TermFrequency]:
        """Word (``ngram`` 1) or phrase frequencies over the documents in scope, or only in the
        text coded with ``code`` (its sub-codes' too unless ``subcodes`` is false; overlapping
        codings count once), overall or per ``document`` or ``case`` (``by``)."""
        from qcode.analysis import word_stats as ws

        if by is not None and by not in BY:
            raise InvalidInputError(_("unknown --by {by!r} (document or case)").format(by=by))
        if top is not None and top < 0:
            raise InvalidInputError(_("--top must be 0 (all) or more"))
        scope = self._documents(where, docs)
        counts = self._count(scope, ngram, stopwords, code, subcodes, coders, userdict, processes)
        if by is None:
            return Records(ws.frequencies(counts, top or None), of=ws.TermFrequency)
        groups = [d.name if by == "document" else (d.case or NO_CASE) for d in scope]
        return Records(ws.grouped_frequencies(counts, groups, top or None), of=ws.TermFrequency)

    # -- keyness -----------------------------------------------------------------------------
    def keyness(
        self,
        group_a: str,
        group_b: str,
        docs: Sequence[str] = (),
        where: Sequence[str] = (),
        code: str | None = None,
        ngram: int = 1,
        top: int | None = None,
        stopwords: bool = True,
        userdict: str | Path | None = None,
        coders: Sequence[str] = (),
        subcodes: bool = True,
        processes: int = 1,
    ) -> KeynessResult:
        """Terms that set the documents matching ``group_a`` (``K=V``) apart from those matching
        ``group_b`` (``K=V2``, or just ``V2`` for the same attribute), within the scope of
        ``docs`` and ``where``: log-likelihood G2, its p value and the log ratio."""
        from qcode.analysis import word_stats as ws

        ((key, _value),) = parse_assignments([group_a]).items()
        if "=" not in group_b:
            group_b = f"{key}={group_b}"
        parse_assignments([group_b])
        in_a = self._documents([*where, group_a], docs)
        in_b = self._documents([*where, group_b], docs)
        for label, group in ((group_a, in_a), (group_b, in_b)):
            if not group:
                raise NotFoundError(_("no document in scope matches {label}").format(label=label))
        both = {d.id for d in in_a} & {d.id for d in in_b}
        if both:
            raise InvalidInputError(
                _(
                    "{group_a} and {group_b} share {n} document(s); compare groups "
                    "that do not overlap"
                ).format(group_a=group_a, group_b=group_b, n=len(both))
            )
        counts = self._count(
            in_a + in_b, ngram, stopwords, code, subcodes, coders, userdict, processes
        )
        a, b = counts[: len(in_a)], counts[len(in_a) :]
        return KeynessResult(
            group_a,
            group_b,
            len(in_a),
            len(in_b),
            sum(c.size for c in a),
            sum(c.size for c in b),
            ws.keyness(a, b, top or None),
        )

    # -- keyword in context ------------------------------------------------------------------
    def _hits(
        self, term: str, is_regex: bool, docs: Sequence[str], where: Sequence[str]
    ) -> Iterator[tuple[_Doc, str, list[tuple[int, int]]]]:
        from qcode.text import normalize

        try:
            pattern = kw.term_pattern(term if is_regex else normalize(term), is_regex)
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        scope = self._documents(where, docs)
        for d, text in zip(scope, self._texts(scope), strict=True):
            try:
                found = kw.find(text, pattern, REGEX_TIMEOUT)
            except TimeoutError:
                raise InvalidInputError(
                    _(
                        "the pattern took more than {REGEX_TIMEOUT:.0f} s on {name!r}; simplify it"
                    ).format(REGEX_TIMEOUT=REGEX_TIMEOUT, name=d.name)
                ) from None
            if found:
                yield d, text, found

    def kwic(
        self,
        term: str,
        is_regex: bool = False,
        window: int = 40,
        docs: Sequence[str] = (),
        where: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Every hit of ``term`` in the documents in scope (import order, then position):
        document, code-point ``start``/``end`` into the stored text, and ``left``/``match``/
        ``right`` with up to ``window`` characters of context."""
        return self.kwic_page(term, is_regex, window, docs, where)[0]

    def kwic_page(
        self,
        term: str,
        is_regex: bool = False,
        window: int = 40,
        docs: Sequence[str] = (),
        where: Sequence[str] = (),
        first: int | None = None,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """The first ``first`` hits (all when None) as :meth:`kwic` gives them, the number of
        all hits and the number of documents they are in: a screenful's context is cut, not
        that of every hit."""
        if window < 0:
            raise InvalidInputError(_("--window must be 0 or more"))
        out: list[dict[str, Any]] = []
        total = n_docs = 0
        for d, text, found in self._hits(term, is_regex, docs, where):
            total += len(found)
            n_docs += 1
            room = len(found) if first is None else max(first - len(out), 0)
            for line in kw.lines(text, found[:room], window):
                out.append({"document": d.name, **line.as_json()})
        return out, total, n_docs

    def code_hits(
        self,
        term: str,
        code: str,
        is_regex: bool = False,
        unit: str | None = None,
        coder: str | None = None,
        docs: Sequence[str] = (),
        where: Sequence[str] = (),
    ) -> KwicCoding:
        """Code every hit of ``term`` (or, with ``unit``, the sentence, paragraph or turn around
        it) with ``code``, in one change (one undo step). Ranges already coded with that code by
        that coder, and hits that fall in the same unit, are coded once."""
        if unit is not None and unit not in UNITS:
            raise InvalidInputError(
                _("unknown unit {unit!r} (sentence, paragraph or turn)").format(unit=unit)
            )
        with self.p.read() as s:
            tree = CodeTree(s)
            cid = tree.resolve(code)
            path = tree.path(cid)
        found = list(self._hits(term, is_regex, docs, where))
        hits = sum(len(f) for _, _, f in found)
        targets: dict[_Doc, list[tuple[int, int]]] = {}
        outside = 0
        units = self._units(unit, [d.id for d, _, _ in found]) if unit else {}
        for d, text, spans in found:
            if unit:
                spans, missed = kw.units_around(spans, units.get(d.id, []))
                outside += missed
            targets[d] = sorted({check_range(d.name, text, a, b) for a, b in spans})
        who = (coder or self.p.user).strip()
        with self.p.change("kwic.code") as ch:
            existing: set[tuple[int, int, int]] = set()
            coder_id = ch.conn.scalar(select(Coder.id).where(Coder.name == who))
            if coder_id is not None and targets:
                existing = {
                    (dd, a, b)
                    for dd, a, b in ch.conn.execute(
                        select(Coding.document_id, Coding.start, Coding.end).where(
                            Coding.code_id == cid,
                            Coding.coder_id == coder_id,
                            Coding.document_id.in_([d.id for d in targets]),
                        )
                    )
                }
            reqs = [
                CodingRequest(d.name, a, b, path, who)
                for d, ranges in targets.items()
                for a, b in ranges
                if (d.id, a, b) not in existing
            ]
            made = self.p.codings.apply_in(ch, reqs) if reqs else []
            ch.summary = f"code {len(made)} hit(s) of {term!r} with {path!r}"
        return KwicCoding(
            path,
            who,
            hits,
            len(made),
            sum(len(r) for r in targets.values()) - len(made),
            outside,
            unit,
        )

    def _units(self, unit: str, doc_ids: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        with self.p.read() as s:
            for d, a, b in s.execute(
                select(Segment.document_id, Segment.start, Segment.end)
                .where(Segment.kind == unit, Segment.document_id.in_(list(doc_ids)))
                .order_by(Segment.document_id, Segment.start)
            ):
                out[d].append((a, b))
        return out
