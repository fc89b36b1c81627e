"""Coding queries and text searches (``qcode query``, ``project.query``): the query language of
``qcode.analysis.query_parse`` evaluated by ``qcode.analysis.query_eval`` over the codings, units
and texts in scope.

```python
p.query("'income volatility' inside 'contribution decisions'").to_pandas()
```
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.query_eval import DocData, Hit, evaluate
from qcode.analysis.query_parse import (
    CodeRef,
    Node,
    Or,
    RegexSearch,
    SetRef,
    TextSearch,
    WordSearch,
    leaves,
    parse,
)
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.records import Records as BaseRecords
from qcode.services.codes import CodeTree, NoSuchCode
from qcode.services.query_tree import (
    Codes,
    candidates,
    codes_operand,
    merge_codes,
    relation_units,
    substitute,
)
from qcode.services.scope import Scope, did_you_mean
from qcode.store.models import Case, Code, Coder, CodeSet, Coding, Document, Segment, SetMember

if TYPE_CHECKING:
    from qcode.services.project import Project

UNITS = ("match", "sentence", "paragraph", "turn", "document")
_MODE = {
    "match": "match",
    "sentence": "sentences",
    "paragraph": "paragraphs",
    "turn": "turns",
    "document": "document",
}
_KIND = {"sentences": "sentence", "paragraphs": "paragraph", "turns": "turn"}
REGEX_SECONDS = 5.0


class QueryTimeout(InvalidInputError):
    """A text search ran past its time limit."""


@dataclass(frozen=True)
class QueryHit:
    document: str
    case: str | None
    start: int
    end: int
    codes: list[str]
    coders: list[str]
    text: str
    before: str = field(default="", compare=False)
    after: str = field(default="", compare=False)

    def as_json(self, context: bool = False) -> dict[str, Any]:
        d = asdict(self)
        if not context:
            d.pop("before")
            d.pop("after")
        return d


HIT_COLUMNS = ("document", "case", "start", "end", "codes", "coders", "text")


class Records(BaseRecords[QueryHit]):
    """Query results: a list of :class:`QueryHit`, in document order; ``to_pandas`` gives the
    columns of ``--json`` (no context)."""

    def __init__(self, items: Iterable[QueryHit] = ()) -> None:
        super().__init__(items, of=QueryHit, columns=HIT_COLUMNS)


@dataclass
class _Doc:
    id: int
    name: str
    case: str | None
    length: int
    language: str


class QueryService:
    def __init__(self, project: Project) -> None:
        self.p = project
        self._tokens: dict[tuple[str, str | None], list[Any]] = {}
        # codes' hits by (scope, operand), kept while the project's event log stands still:
        # the workbench counts again at every pause in typing, mostly with the same operands
        self._cache: dict[tuple[Scope, Node], dict[int, list[Hit]]] = {}
        self._cache_at: Any = None

    def __call__(
        self, expr: str, scope: Scope | None = None, unit: str = "match", context: int = 0
    ) -> Records:
        """``project.query(expr)``: the hits as records (see :meth:`run`)."""
        return self.run(expr, scope, unit, context)

    # -- resolving -------------------------------------------------------------------------------
    def parse(self, expr: str) -> Node:
        if not expr.strip():
            raise InvalidInputError(_("query: column 1: expected a code, a text search or '('"))
        return parse(expr)

    def resolve(self, expr: str, level: str = "open", _stack: tuple[str, ...] = ()) -> Node:
        """The query's tree with codes resolved (to ids, by ``level``) and sets expanded;
        unknown codes and sets refused with the closest names."""
        tree = self.parse(expr)
        with self.p.read() as s:
            codes = CodeTree(s)
            levels = dict(s.execute(select(Code.id, Code.level)).all())
            sets = {r.name: r for r in s.execute(select(CodeSet.id, CodeSet.name, CodeSet.query))}
            members = defaultdict(set)
            for sid, target in s.execute(
                select(SetMember.set_id, SetMember.target_id).where(SetMember.kind == "code")
            ):
                members[sid].add(target)
        known = sorted({codes.path(c) for c in codes.name} | set(codes.name.values()))

        def category(cid: int) -> int | None:
            cur: int | None = cid
            while cur is not None and levels.get(cur) != "axial":
                cur = codes.parent.get(cur)
            return cur

        def ids_of(cid: int) -> frozenset[int]:
            if level == "open":
                return frozenset([cid])
            return frozenset(c for c in codes.subtree(cid) if category(c) == cid)

        def fn(leaf: Node) -> Node:
            where = _("query: column {column}: {message}").format(column=leaf.column, message="")
            if isinstance(leaf, CodeRef):
                try:
                    cid = codes.resolve(leaf.ref)
                except NotFoundError as exc:
                    msg = str(exc)
                    if isinstance(exc, NoSuchCode):  # not by its words: they may be Chinese
                        msg += did_you_mean(leaf.ref, known)
                    raise NotFoundError(where + msg) from None
                if leaf.subcodes and level == "open":
                    return Codes(
                        leaf.column, tuple((c, codes.path(c)) for c in sorted(codes.subtree(cid)))
                    )
                if level == "axial" and levels.get(cid) != "axial":
                    raise InvalidInputError(
                        _(
                            "{where}{v1!r} is not a category (at --level axial a query names "
                            "categories)"
                        ).format(where=where, v1=codes.path(cid))
                    )
                return codes_operand(leaf.column, ids_of(cid), codes.path(cid))
            if isinstance(leaf, SetRef):
                row = sets.get(leaf.name)
                if row is None:
                    raise NotFoundError(
                        _("{where}no set {name!r}{v1}").format(
                            where=where, name=leaf.name, v1=did_you_mean(leaf.name, list(sets))
                        )
                    )
                if leaf.name in _stack:
                    chain = " -> ".join([*_stack, leaf.name])
                    raise InvalidInputError(
                        _("{where}set {name!r} uses itself ({chain})").format(
                            where=where, name=leaf.name, chain=chain
                        )
                    )
                if row.query:
                    try:
                        return self.resolve(row.query, level, (*_stack, leaf.name))
                    except InvalidInputError as exc:
                        raise type(exc)(f"set {leaf.name!r}: {exc}") from None
                ids = [c for c in members[row.id] if c in codes.name]
                if not ids:
                    raise InvalidInputError(
                        _("{where}set {name!r} holds no codes").format(where=where, name=leaf.name)
                    )
                node: Node = codes_operand(leaf.column, ids_of(ids[0]), codes.path(ids[0]))
                for c in ids[1:]:
                    node = Or(
                        leaf.column, node, codes_operand(leaf.column, ids_of(c), codes.path(c))
                    )
                return node
            if isinstance(leaf, RegexSearch):
                _compile(leaf)
            return leaf

        return merge_codes(substitute(tree, fn))

    # -- running ---------------------------------------------------------------------------------
    def run(
        self,
        expr: str,
        scope: Scope | None = None,
        unit: str = "match",
        context: int = 0,
        regex_seconds: float = REGEX_SECONDS,
    ) -> Records:
        """The hits of ``expr`` in scope, in document order (documents in import order)."""
        found = self.hits(expr, scope, unit, regex_seconds)
        return self.records(found, context)

    def count(self, expr: str, scope: Scope | None = None, unit: str = "match") -> int:
        return sum(len(v) for _, v in self.hits(expr, scope, unit))

    def hits(
        self,
        expr: str | Node,
        scope: Scope | None = None,
        unit: str = "match",
        regex_seconds: float = REGEX_SECONDS,
        data: _Data | None = None,
    ) -> list[tuple[_Doc, list[Hit]]]:
        """Each document in scope with hits, and its hits."""
        scope = scope or Scope()
        if unit not in _MODE:
            raise InvalidInputError(
                _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
            )
        tree = self.resolve(expr, scope.level) if isinstance(expr, str) else expr
        data = data or self.load(scope, [tree], unit, regex_seconds)
        mode = _MODE[unit]
        out = []
        by_leaf = data.leaf_hits
        where = candidates(tree, by_leaf)
        for d in data.docs:
            if where is not None and d.id not in where:
                continue
            doc = DocData(
                d.length,
                data.units.get(d.id, {}),
                lambda leaf, d=d: by_leaf[leaf].get(d.id, []),  # type: ignore[misc]
            )
            found = evaluate(tree, doc, mode)
            if found:
                out.append((d, found))
        return out

    def load(
        self, scope: Scope, trees: Sequence[Node], unit: str, regex_seconds: float = REGEX_SECONDS
    ) -> _Data:
        """Everything the trees need in scope, read once (so a matrix of queries reads once)."""
        data = _Data()
        doc_ids = scope.document_ids(self.p)
        coder_ids = scope.coder_ids(self.p)
        with self.p.read() as s:
            case_names = dict(s.execute(select(Case.id, Case.name)).all())
            rows = s.execute(
                select(
                    Document.id, Document.name, Document.case_id, Document.chars, Document.language
                )
                .where(Document.id.in_(doc_ids))
                .order_by(Document.id)
            ).all()
            coder_names = dict(s.execute(select(Coder.id, Coder.name)).all())
        data.docs = [
            _Doc(i, n, case_names.get(c) if c else None, k, lang) for i, n, c, k, lang in rows
        ]
        all_leaves: list[Node] = []
        for t in trees:
            data.leaves[id(t)] = list(dict.fromkeys(leaves(t)))
            all_leaves += data.leaves[id(t)]
        all_leaves = list(dict.fromkeys(all_leaves))
        kinds = {_KIND[u] for t in trees for u in relation_units(t)}
        if _MODE[unit] in _KIND:
            kinds.add(_KIND[_MODE[unit]])
        in_scope = {d.id for d in data.docs}
        code_leaves = [leaf for leaf in all_leaves if isinstance(leaf, Codes)]
        at = self._version()
        if at != self._cache_at or len(self._cache) > 256:
            self._cache, self._cache_at = {}, at
        fresh = [cl for cl in code_leaves if (scope, cl) not in self._cache]
        if fresh:
            self._load_codings(data, fresh, in_scope, coder_ids, coder_names)
            for cl in fresh:
                self._cache[(scope, cl)] = data.leaf_hits.setdefault(cl, {})
        for cl in code_leaves:
            data.leaf_hits[cl] = self._cache[(scope, cl)]
        searches = [leaf for leaf in all_leaves if not isinstance(leaf, Codes)]
        if searches:
            self._search(data, searches, regex_seconds)
        for leaf in all_leaves:
            data.leaf_hits.setdefault(leaf, {})
        if kinds:
            # units only where results can be: where an operand has hits, unless a "not" can
            # give results in documents no operand touches
            wanted: set[int] = set()
            for t in trees:
                docs = candidates(t, data.leaf_hits)
                wanted |= in_scope if docs is None else docs
            self._load_units(data, kinds, wanted)
        return data

    def _version(self) -> Any:
        """What the cache of codes' hits is valid for: the newest event and the codings' count
        (every change writes an event; the count catches a database edited behind the log)."""
        from sqlalchemy import func

        from qcode.store.models import Event

        with self.p.read() as s:
            return (
                s.scalar(select(func.max(Event.id))),
                s.scalar(select(func.count()).select_from(Coding)),
            )

    def _load_codings(
        self,
        data: _Data,
        leaves_: Sequence[Codes],
        in_scope: set[int],
        coder_ids: Sequence[int] | None,
        coder_names: dict[int, str],
    ) -> None:
        by_code: dict[int, list[tuple[Codes, str]]] = defaultdict(list)
        for leaf in leaves_:
            for c, path in leaf.labels:
                by_code[c].append((leaf, path))
        wanted = sorted(by_code)
        coders = set(coder_ids) if coder_ids is not None else None
        with self.p.read() as s:
            cursor = s.connection().connection.cursor()
            try:
                marks = ",".join(str(int(c)) for c in wanted)
                cursor.execute(
                    'SELECT document_id, code_id, coder_id, start, "end" '
                    f"FROM {Coding.__tablename__} WHERE code_id IN ({marks})"
                )
                rows = cursor.fetchall()
            finally:
                cursor.close()
        labels: dict[str, frozenset[str]] = {}
        names: dict[int, frozenset[str]] = {k: frozenset([v]) for k, v in coder_names.items()}
        for doc_id, code_id, coder_id, start, end in rows:
            if doc_id not in in_scope or (coders is not None and coder_id not in coders):
                continue
            for leaf, path in by_code[code_id]:
                label = labels.get(path)
                if label is None:
                    label = labels[path] = frozenset([path])
                data.leaf_hits.setdefault(leaf, {}).setdefault(doc_id, []).append(
                    Hit(start, end, label, names[coder_id])
                )

    def _load_units(self, data: _Data, kinds: set[str], wanted: set[int]) -> None:
        """The units of ``kinds`` in the documents ``wanted``, through the DB-API cursor
        (tuples, not rows: a tenth of the time for a hundred thousand sentences)."""
        plural = {v: k for k, v in _KIND.items()}
        ids = sorted(wanted)
        kind_list = ",".join(f"'{k}'" for k in sorted(kinds))  # fixed names, not user input
        with self.p.read() as s:
            cursor = s.connection().connection.cursor()
            try:
                for i in range(0, len(ids), 500):
                    marks = ",".join(str(int(d)) for d in ids[i : i + 500])
                    cursor.execute(
                        f'SELECT document_id, kind, start, "end" FROM {Segment.__tablename__} '
                        f"WHERE document_id IN ({marks}) AND kind IN ({kind_list}) "
                        "ORDER BY document_id, kind, start"
                    )
                    for doc_id, kind, a, b in cursor.fetchall():
                        units = data.units.setdefault(doc_id, {})
                        units.setdefault(plural[kind], []).append((a, b))
            finally:
                cursor.close()

    def texts(self, doc_ids: Iterable[int]) -> dict[int, str]:
        ids = list(doc_ids)
        out: dict[int, str] = {}
        with self.p.read() as s:
            for i in range(0, len(ids), 500):
                out.update(
                    s.execute(
                        select(Document.id, Document.text).where(Document.id.in_(ids[i : i + 500]))
                    ).all()
                )
        return out

    def _search(self, data: _Data, searches: Sequence[Node], regex_seconds: float) -> None:
        from qcode.text.normalize import normalize

        texts = self.texts(d.id for d in data.docs)
        deadline = time.monotonic() + regex_seconds
        userdict = None
        if any(isinstance(x, WordSearch) for x in searches):
            userdict = _userdict(self.p)
        for leaf in searches:
            hits = data.leaf_hits.setdefault(leaf, {})
            if isinstance(leaf, TextSearch):
                needle = normalize(leaf.needle)
                for d in data.docs:
                    text, pos, found = texts.get(d.id, ""), 0, []
                    while (pos := text.find(needle, pos)) >= 0:
                        found.append(Hit(pos, pos + len(needle)))
                        pos += len(needle)
                    if found:
                        hits[d.id] = found
            elif isinstance(leaf, RegexSearch):
                pattern = _compile(leaf)
                for d in data.docs:
                    text = texts.get(d.id, "")
                    try:
                        found = [
                            Hit(m.start(), m.end())
                            for m in pattern.finditer(
                                text, timeout=max(deadline - time.monotonic(), 0.001)
                            )
                            if m.end() > m.start()
                        ]
                    except TimeoutError:
                        raise QueryTimeout(
                            f"query: column {leaf.column}: the search /{leaf.pattern}/ stopped "
                            f"after {regex_seconds:g} s (in {d.name!r}); nothing was changed"
                        ) from None
                    if found:
                        hits[d.id] = found
            elif isinstance(leaf, WordSearch):
                for d in data.docs:
                    found = self._words(texts.get(d.id, ""), d, leaf.word, userdict)
                    if found:
                        hits[d.id] = found

    def _words(self, text: str, d: _Doc, word: str, userdict: str | None) -> list[Hit]:
        from qcode.text.tokens import tokenize

        key = (f"{d.id}:{d.length}:{d.language}", userdict)
        toks = self._tokens.get(key)
        if toks is None:
            toks = list(tokenize(text, d.language, userdict))
            if len(self._tokens) > 4000:
                self._tokens.clear()
            self._tokens[key] = toks
        want = [t.text.lower() for t in tokenize(word, d.language, userdict)]
        n = len(want)
        out = []
        for i in range(len(toks) - n + 1):
            if all(
                toks[i + k].text.lower() == want[k] or toks[i + k].norm == want[k] for k in range(n)
            ):
                out.append(Hit(toks[i].start, toks[i + n - 1].end))
        return out

    def set_spans(self, scope: Scope) -> list[Any]:
        """The results of the saved sets ``scope.sets`` as analysis spans of codes
        ``set:NAME`` (document id, code, start, end), in the rest of the scope."""
        from dataclasses import replace

        from qcode.analysis.cooccurrence import Span
        from qcode.services.sets import quote

        out: list[Any] = []
        if not scope.sets:
            return out
        inner = replace(scope, sets=())
        for name in scope.sets:
            self.p.sets.show(name, counts=False)  # refuses an unknown set, with the closest
            for d, hits in self.hits(f"set {quote(name)}", inner):
                out += [Span(d.id, f"set:{name}", h.start, h.end) for h in hits]
        return out

    # -- acting on the hits ----------------------------------------------------------------------
    def code(
        self, expr: str, code: str, scope: Scope | None = None, unit: str = "match"
    ) -> tuple[int, int]:
        """Code every hit with ``code`` (made when missing) by the current user, in one change
        (one undo step); hits already coded so are left. Returns (coded, already coded)."""
        from qcode.services.codings import CodingRequest

        found = self.hits(expr, scope, unit)
        if not found:
            return 0, 0
        with self.p.change("query.code") as ch:
            tree = CodeTree(ch.conn)
            cid = self.p.codings._code_id(ch, tree, code, True)
            coder = self.p.ensure_coder(ch, None)
            have = set(
                ch.conn.execute(
                    select(Coding.document_id, Coding.start, Coding.end).where(
                        Coding.code_id == cid, Coding.coder_id == coder
                    )
                ).all()
            )
            requests = [
                CodingRequest(d.name, h.start, h.end, tree.path(cid), None)
                for d, hits in found
                for h in hits
                if (d.id, h.start, h.end) not in have
            ]
            infos = self.p.codings.apply_in(ch, requests)
            ch.summary = f"code {len(infos)} query result(s) with {tree.path(cid)!r}: {expr}"
        return len(infos), sum(len(v) for _, v in found) - len(infos)

    def queue(
        self, expr: str, code: str, scope: Scope | None = None, unit: str = "match"
    ) -> tuple[int | None, int]:
        """Send every hit to the review queue as a suggestion of ``code`` (made when missing),
        as one run (one change). Returns (run id, suggestions)."""
        from qcode.store.models import AutocodeRun, Suggestion

        found = self.hits(expr, scope, unit)
        if not found:
            return None, 0
        with self.p.change("query.queue") as ch:
            tree = CodeTree(ch.conn)
            cid = self.p.codings._code_id(ch, tree, code, True)
            coder = self.p.ensure_coder(ch, None)
            run = ch.insert_one(
                AutocodeRun,
                name=f"query: {expr}"[:300],
                source="query",
                rules={"query": expr, "unit": unit},
                coder_id=coder,
            )
            rows = [
                {
                    "run_id": run,
                    "document_id": d.id,
                    "code_id": cid,
                    "start": h.start,
                    "end": h.end,
                    "rule": "query",
                    "status": "pending",
                }
                for d, hits in found
                for h in hits
            ]
            ch.insert(Suggestion, rows)
            ch.summary = f"queue {len(rows)} query result(s) for {tree.path(cid)!r}: {expr}"
        return run, len(rows)

    # -- records ---------------------------------------------------------------------------------
    def records(self, found: list[tuple[_Doc, list[Hit]]], context: int = 0) -> Records:
        texts = self.texts(d.id for d, _ in found)
        out = Records()
        for d, hits in found:
            text = texts.get(d.id, "")
            for h in hits:
                out.append(
                    QueryHit(
                        d.name,
                        d.case,
                        h.start,
                        h.end,
                        sorted(h.codes),
                        sorted(h.coders),
                        text[h.start : h.end],
                        text[max(h.start - context, 0) : h.start] if context else "",
                        text[h.end : h.end + context] if context else "",
                    )
                )
        return out


@dataclass
class _Data:
    docs: list[_Doc] = field(default_factory=list)
    leaves: dict[int, list[Node]] = field(default_factory=dict)
    leaf_hits: dict[Node, dict[int, list[Hit]]] = field(default_factory=dict)
    units: dict[int, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)


def _userdict(p: Project) -> str | None:
    from qcode.services.words import WordsService

    return WordsService(p).userdict()


def _compile(leaf: RegexSearch) -> Any:
    import regex

    try:
        return regex.compile(leaf.pattern, regex.IGNORECASE if leaf.ignore_case else 0)
    except regex.error as exc:
        raise InvalidInputError(
            _("query: column {column}: invalid regex /{pattern}/ ({exc})").format(
                column=leaf.column, pattern=leaf.pattern, exc=exc
            )
        ) from None
