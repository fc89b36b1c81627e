"""Analysis as a researcher asks for it: spans in scope from the project, then the pure
functions of ``qcode.analysis``."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.cooccurrence import UNITS, Pair, Span, cooccurrence
from qcode.analysis.framework_view import ElementPair
from qcode.analysis.tables import (
    Frequency,
    Matrix,
    Saturation,
    code_document_matrix,
    crosstab,
    frequencies,
    saturation,
)
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.records import Records
from qcode.services.codes import CodeTree
from qcode.services.codings import find_document
from qcode.services.scope import Scope
from qcode.store.models import Code, Coder, Coding, Document, Segment

if TYPE_CHECKING:
    from qcode.services.agreement import AgreementResult
    from qcode.services.project import Project


def framework_chain(framework: dict[str, Any]) -> builtins.list[str]:
    """The framework's dimensions in the order its links run (structural drivers before
    resilience types before dilemmas): a topological order of the links, longest path first,
    then the dimensions no link touches, in file order."""
    import networkx as nx

    keys = [d["key"] for d in framework.get("dimensions", [])]
    g = nx.DiGraph()
    g.add_nodes_from(
        k for k in keys if any(k in (lk["from"], lk["to"]) for lk in framework.get("links", []))
    )
    g.add_edges_from((lk["from"], lk["to"]) for lk in framework.get("links", []))
    if not nx.is_directed_acyclic_graph(g):
        return keys
    depth: dict[str, int] = {}
    for k in nx.topological_sort(g):
        depth[k] = max((depth[p] + 1 for p in g.predecessors(k)), default=0)
    linked = sorted(depth, key=lambda k: (depth[k], keys.index(k) if k in keys else 0))
    return linked + [k for k in keys if k not in depth]


def linked_codes(framework: dict[str, Any]) -> dict[Any, builtins.list[str]]:
    """Each framework element that has codes linked to it, with their paths."""
    from qcode.analysis.framework_view import Element

    return {
        Element(d["key"], e["name"]): [c["code"] for c in e["codes"]]
        for d in framework["dimensions"]
        for e in d["elements"]
        if e["codes"]
    }


def describe(g: Any, framework: dict[str, Any], **what: Any) -> None:
    """Record on a network what was counted and the framework chain (for figures and for
    readers of the GraphML)."""
    g.graph.update(
        **what,
        chain=",".join(framework_chain(framework)),
        kind_names=";".join(f"{d['key']}={d['name']}" for d in framework["dimensions"]),
    )


def _as_spans(columns: Any, paths: builtins.list[str]) -> builtins.list[Span]:
    doc, code, start, end = columns
    return [
        Span(d, paths[c], a, b)
        for d, c, a, b in zip(
            doc.tolist(), code.tolist(), start.tolist(), end.tolist(), strict=True
        )
    ]


def _pairs(
    columns: Any,
    paths: builtins.list[str],
    unit: str,
    units: Mapping[Hashable, Sequence[tuple[int, int]]] | None,
    min_count: int,
) -> builtins.list[Pair]:
    """Co-occurring pairs from coding columns: overlap straight from the arrays, units through
    spans."""
    if unit != "overlap":
        return cooccurrence(_as_spans(columns, paths), unit, units, min_count)
    import numpy as np

    from qcode.analysis.cooccurrence import make_pair, overlap_table

    doc, code, start, end = columns
    a, b, counts, over_a, over_b = overlap_table(doc, code, start, end, len(paths))
    n = np.bincount(code, minlength=len(paths)).tolist()
    rows = zip(*(x.tolist() for x in (a, b, counts, over_a, over_b)), strict=True)
    return [
        make_pair(paths[i], paths[j], n[i], n[j], k, False, (x, y))
        for i, j, k, x, y in rows
        if k >= min_count
    ]


def _with_sets(columns: Any, paths: builtins.list[str], spans: builtins.list[Span]) -> Any:
    """Coding columns with saved sets' results added as codes of their own (``set:NAME``)."""
    if not spans:
        return columns, paths
    import numpy as np

    names = sorted({sp.code for sp in spans})
    paths = paths + names
    index = {p: i for i, p in enumerate(paths)}
    extra = [
        np.array([getattr(sp, f) if f != "code" else index[sp.code] for sp in spans], np.int64)
        for f in ("document", "code", "start", "end")
    ]
    return tuple(np.concatenate([c, e]) for c, e in zip(columns, extra, strict=True)), paths


class AnalysisService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def documents_in_scope(
        self, where: Sequence[str] = (), docs: Sequence[str] = ()
    ) -> builtins.list[int]:
        """Ids of the documents named (all when none) whose case or document attributes match
        every ``KEY=VALUE`` of ``where`` (see :class:`~qcode.services.scope.Scope`)."""
        from qcode.services.scope import matching_documents

        return matching_documents(self.p, where, docs)

    def coding_columns(
        self,
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        doc_ids: Sequence[int] | None = None,
    ) -> tuple[Any, builtins.list[str]]:
        """The codings in scope as integer NumPy columns (document id, code index, start, end),
        and the code paths the indices stand for. With ``level="axial"`` each coding counts for
        the nearest category (axial code) at or above its code; codings under no category are
        left out. Read with one plain query and filtered in NumPy: the fast path for large
        projects. ``doc_ids``, when the caller has them, are the documents in scope already."""
        import numpy as np

        if level not in ("open", "axial"):
            raise InvalidInputError(
                _("unknown level {level!r} (open or axial)").format(level=level)
            )
        filtered = bool(where or docs) or doc_ids is not None
        if filtered and doc_ids is None:
            doc_ids = self.documents_in_scope(where, docs)
        with self.p.read() as s:
            tree = CodeTree(s)
            levels = dict(s.execute(select(Code.id, Code.level)).all())
            coder_ids: builtins.list[int] = []
            if coders:
                known = dict(s.execute(select(Coder.name, Coder.id)).all())
                for c in coders:
                    if c not in known:
                        raise NotFoundError(_("no coder {c!r}").format(c=c))
                    coder_ids.append(known[c])
            # the DB-API cursor itself: tuples, not rows, into NumPy
            cursor = s.connection().connection.cursor()
            try:
                cursor.execute(
                    'SELECT document_id, code_id, coder_id, start, "end" '
                    f"FROM {Coding.__tablename__}"
                )
                rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 5)
            finally:
                cursor.close()
        keep = np.ones(len(rows), dtype=bool)
        if filtered:
            keep &= np.isin(rows[:, 0], np.array(doc_ids or [], dtype=np.int64))
        if coders:
            keep &= np.isin(rows[:, 2], np.array(coder_ids, dtype=np.int64))
        rows = rows[keep]

        def category(cid: int) -> int | None:
            cur: int | None = cid
            while cur is not None and levels.get(cur) != "axial":
                cur = tree.parent.get(cur)
            return cur

        code_ids = np.unique(rows[:, 1])
        targets = [cid if level == "open" else category(cid) for cid in code_ids.tolist()]
        paths = sorted({tree.path(t) for t in targets if t is not None})
        index = {p: i for i, p in enumerate(paths)}
        lookup = np.array(
            [-1 if t is None else index[tree.path(t)] for t in targets], dtype=np.int64
        )
        code = lookup[np.searchsorted(code_ids, rows[:, 1])] if len(rows) else rows[:, 1]
        keep = code >= 0
        return (rows[keep][:, 0], code[keep], rows[keep][:, 3], rows[keep][:, 4]), paths

    def spans(
        self,
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
    ) -> builtins.list[Span]:
        """The codings in scope as analysis spans (see ``coding_columns`` for ``level``)."""
        return _as_spans(*self.coding_columns(coders, where, docs, level))

    def _scope(
        self,
        coders: Sequence[str],
        where: Sequence[str],
        docs: Sequence[str],
        level: str,
        scope: Scope | None = None,
    ) -> tuple[builtins.list[Span], builtins.list[tuple[int, str, int | None]]]:
        """The spans in scope and the documents in scope (id, name, case id), the documents
        worked out once for both. A ``scope`` stands for the four lists before it."""
        scope = scope or Scope.of(docs, (), where, coders, level)
        doc_ids = scope.document_ids(self.p)
        columns = self.coding_columns(scope.coders, (), (), scope.level, doc_ids)
        return _as_spans(*columns) + self.p.query.set_spans(scope), self._documents(doc_ids)

    def cooccur(
        self,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        min_count: int = 1,
        scope: Scope | None = None,
    ) -> Records[Pair]:
        """Co-occurring pairs of codes; a ``scope`` stands for coders, where, docs and level."""
        if unit not in UNITS:
            raise InvalidInputError(
                _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
            )
        if scope is not None:
            columns, paths = self.coding_columns(
                scope.coders, (), (), scope.level, scope.document_ids(self.p)
            )
            columns, paths = _with_sets(columns, paths, self.p.query.set_spans(scope))
        else:
            columns, paths = self.coding_columns(coders, where, docs, level)
        units = self._units(unit, set(columns[0].tolist()))
        return Records(_pairs(columns, paths, unit, units, min_count), of=Pair)

    def cooccurring(
        self,
        code_a: str,
        code_b: str,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
    ) -> builtins.list[dict[str, Any]]:
        """Where two codes co-occur, for reading side by side: one entry per overlapping pair
        of codings (``overlap``) or per unit holding both, with the document, the range (the
        unit, or the union of the pair), and each code's segments there with their text."""
        if unit not in UNITS:
            raise InvalidInputError(
                _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
            )
        spans = [sp for sp in self.spans(coders, where, docs, level) if sp.code in (code_a, code_b)]
        by_doc: dict[Any, builtins.list[Span]] = defaultdict(list)
        for sp in spans:
            by_doc[sp.document].append(sp)
        names = {d: n for d, n, _ in self._documents(builtins.list(by_doc))}
        units = self._units(unit, set(by_doc))
        out: builtins.list[dict[str, Any]] = []
        for doc, doc_spans in sorted(by_doc.items(), key=lambda kv: names[kv[0]]):
            text = self.p.documents.text(names[doc])
            a_spans = sorted(sp for sp in doc_spans if sp.code == code_a)
            b_spans = sorted(sp for sp in doc_spans if sp.code == code_b)

            def seg(sp: Span, text: str = text) -> dict[str, Any]:
                return {"start": sp.start, "end": sp.end, "text": text[sp.start : sp.end]}

            if unit == "overlap":
                places = [
                    (min(a.start, b.start), max(a.end, b.end), [a], [b])
                    for a in a_spans
                    for b in b_spans
                    if a.start < b.end and b.start < a.end
                ]
            else:
                ranges = [(0, len(text))] if unit == "document" else (units or {}).get(doc, [])
                places = []
                for u0, u1 in ranges:
                    ina = [a for a in a_spans if a.start < u1 and u0 < a.end]
                    inb = [b for b in b_spans if b.start < u1 and u0 < b.end]
                    if ina and inb:
                        places.append((u0, u1, ina, inb))
            for start, end, ina, inb in places:
                out.append(
                    {
                        "document": names[doc],
                        "start": start,
                        "end": end,
                        "a": [seg(a) for a in ina],
                        "b": [seg(b) for b in inb],
                    }
                )
        return out

    def _units(
        self, unit: str, doc_ids: set[Any]
    ) -> dict[Hashable, builtins.list[tuple[int, int]]] | None:
        """Each document's ranges of a unit kind (sentence, paragraph, turn), else None."""
        if unit not in ("sentence", "paragraph", "turn"):
            return None
        units_by_doc: dict[Hashable, builtins.list[tuple[int, int]]] = defaultdict(list)
        with self.p.read() as s:
            for doc_id, a, b in s.execute(
                select(Segment.document_id, Segment.start, Segment.end)
                .where(Segment.kind == unit, Segment.document_id.in_(doc_ids))
                .order_by(Segment.document_id, Segment.start)
            ):
                units_by_doc[doc_id].append((a, b))
        return units_by_doc

    def framework_view(
        self,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        between: Sequence[str] = (),
        min_count: int = 1,
    ) -> builtins.list[ElementPair]:
        """Framework elements that co-occur through the codes linked to them (see
        ``qcode.analysis.framework_view``), for the pairs of dimensions the framework links
        (structural driver -> resilience type, ...) or for the two dimensions in ``between``
        (keys or names)."""
        return self._framework_view(unit, coders, where, docs, between, min_count)[0]

    def _framework_view(
        self,
        unit: str,
        coders: Sequence[str],
        where: Sequence[str],
        docs: Sequence[str],
        between: Sequence[str],
        min_count: int,
    ) -> tuple[builtins.list[ElementPair], dict[str, Any], builtins.list[Span]]:
        """The view, with the framework and the spans it was made from."""
        from qcode.analysis.framework_view import framework_view

        if unit not in UNITS:
            raise InvalidInputError(
                _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
            )
        fw = self.p.framework.show()
        if not fw["dimensions"]:
            raise NotFoundError(
                _("no framework in this project (load one with qcode framework load)")
            )
        by_ref = {d["key"]: d["key"] for d in fw["dimensions"]}
        by_ref.update({d["name"].casefold(): d["key"] for d in fw["dimensions"]})
        if between:
            if len(between) != 2:
                raise InvalidInputError(
                    _("--between takes two dimensions, e.g. resilience_type,dilemma")
                )
            keys = []
            for ref in between:
                key = by_ref.get(ref) or by_ref.get(ref.casefold())
                if key is None:
                    raise NotFoundError(_("no framework dimension {ref!r}").format(ref=ref))
                keys.append(key)
            dims = [(keys[0], keys[1])]
        elif fw["links"]:
            dims = [(lk["from"], lk["to"]) for lk in fw["links"]]
        else:
            all_keys = [d["key"] for d in fw["dimensions"]]
            dims = [(a, b) for i, a in enumerate(all_keys) for b in all_keys[i + 1 :]]
        spans = self.spans(coders, where, docs, "open")
        units = self._units(unit, {s.document for s in spans})
        return framework_view(spans, linked_codes(fw), dims, unit, units, min_count), fw, spans

    def framework_network(
        self,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        between: Sequence[str] = (),
        min_weight: int = 1,
    ) -> Any:
        """The framework view as a network of elements (``build_framework_network``)."""
        from qcode.analysis.framework_view import element_spans
        from qcode.analysis.network import ElementNode, build_framework_network

        pairs, fw, spans = self._framework_view(unit, coders, where, docs, between, 1)
        shown = {(p.dimension_a, p.element_a) for p in pairs}
        shown |= {(p.dimension_b, p.element_b) for p in pairs}
        dims = {dimension for dimension, _ in shown}
        elements = [
            ElementNode(d["key"], e["name"])
            for d in fw["dimensions"]
            if d["key"] in dims
            for e in d["elements"]
        ]
        sizes: dict[tuple[str, str], int] = defaultdict(int)
        for sp in element_spans(spans, linked_codes(fw)):
            dimension, name = sp.code.split("/", 1)
            sizes[(dimension, name)] += 1
        g = build_framework_network(pairs, elements, sizes, min_weight)
        describe(g, fw, unit=unit, min_weight=min_weight, level="framework")
        return g

    # -- tables -----------------------------------------------------------------------------
    def _documents(self, doc_ids: builtins.list[int]) -> builtins.list[tuple[int, str, int | None]]:
        """(id, name, case id) of the documents, in import order."""
        with self.p.read() as s:
            rows = s.execute(
                select(Document.id, Document.name, Document.case_id)
                .where(Document.id.in_(doc_ids))
                .order_by(Document.id)
            ).all()
        return [(d, n, c) for d, n, c in rows]

    def _code_paths(self, level: str) -> builtins.list[str]:
        """The codes analysis counts at ``level``: every code, or the categories."""
        return [
            c.path for c in self.p.codes.list(counts=False) if level == "open" or c.level == "axial"
        ]

    def agreement(
        self,
        coders: Sequence[str],
        codes: Sequence[str] = (),
        docs: Sequence[str] = (),
        unit: str = "char",
    ) -> AgreementResult:
        """Inter-coder agreement of ``coders`` (``qcode agreement``) as typed records."""
        from qcode.services.agreement import agreement_result

        return agreement_result(self.p, coders, codes, docs, unit)

    def frequencies(
        self,
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        scope: Scope | None = None,
    ) -> Records[Frequency]:
        """Per code in the codebook (categories with ``level="axial"``): codings, documents,
        cases and characters in scope; codes with none are listed with zeros."""
        spans, documents = self._scope(coders, where, docs, level, scope)
        found = frequencies(spans, {d: c for d, _, c in documents})
        seen = {f.code for f in found}
        level = scope.level if scope is not None else level  # a scope stands for the lists
        zero = [Frequency(p, 0, 0, 0, 0) for p in self._code_paths(level) if p not in seen]
        return Records(found + sorted(zero, key=lambda f: f.code), of=Frequency)

    def matrix(
        self,
        count: str = "codings",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        scope: Scope | None = None,
    ) -> Matrix:
        """Codes by documents in scope: ``codings``, ``characters`` coded, or ``documents``
        (1 where the code is present)."""
        if count not in ("codings", "characters", "documents"):
            raise InvalidInputError(
                _("unknown count {count!r} (codings, characters, documents)").format(count=count)
            )
        spans, documents = self._scope(coders, where, docs, level, scope)
        return code_document_matrix(spans, {d: n for d, n, _ in documents}, count)

    def crosstab(
        self,
        attribute: str,
        count: str = "codings",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        scope: Scope | None = None,
    ) -> Matrix:
        """Codes by the values of a case or document attribute (a document's own value first):
        ``codings``, ``characters``, ``documents`` or ``cases`` with the code; ``totals`` holds
        each group's number of documents (or cases)."""
        from qcode.analysis.tables import COUNTS

        if count not in COUNTS:
            raise InvalidInputError(
                _("unknown count {count!r} ({v1})").format(count=count, v1=", ".join(COUNTS))
            )
        names = {a.name for a in self.p.attributes.list()}
        if attribute not in names:
            raise NotFoundError(_("no attribute {attribute!r}").format(attribute=attribute))
        spans, documents = self._scope(coders, where, docs, level, scope)
        group_of = self._attribute_of(documents, attribute)
        return crosstab(spans, group_of, count, {d: c for d, _, c in documents})

    def _attribute_of(
        self, documents: builtins.list[tuple[int, str, int | None]], attribute: str
    ) -> dict[int, str | None]:
        from qcode.store.models import Case

        case_vals = self.p.attributes.values("case")
        doc_vals = self.p.attributes.values("document")
        with self.p.read() as s:
            case_names = dict(s.execute(select(Case.id, Case.name)).all())
        out: dict[int, str | None] = {}
        for d, name, case_id in documents:
            value = doc_vals.get(name, {}).get(attribute)
            if value is None and case_id is not None:
                value = case_vals.get(case_names.get(case_id, ""), {}).get(attribute)
            if isinstance(value, bool):  # as the case and document listings show it
                value = "yes" if value else "no"
            out[d] = None if value is None else str(value)
        return out

    def saturation(
        self,
        order: str = "imported",
        base_size: int = 4,
        run_length: int = 2,
        threshold: float = 0.05,
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        scope: Scope | None = None,
    ) -> Saturation:
        """Guest, Namey and Chen's (2020) saturation over the documents in scope, taken in
        ``order``: ``imported`` (the order they came into the project), ``name``, the order
        given by ``docs`` when documents are named, or the name of an attribute (such as the
        interview date) whose values sort them."""
        if base_size < 1 or run_length < 1:
            raise InvalidInputError(_("base size and run length must be at least 1"))
        if not 0 <= threshold < 1:
            raise InvalidInputError(
                _("threshold {threshold}: give the new-information share from 0 to under 1").format(
                    threshold=threshold
                )
            )
        docs = scope.docs if scope is not None else docs
        spans, documents = self._scope(coders, where, docs, level, scope)
        if order == "imported":
            pass
        elif order == "name":
            documents.sort(key=lambda r: r[1])
        elif order == "given":
            if not docs:
                raise InvalidInputError(_("order 'given' needs the documents named with --doc"))
            with self.p.read() as s:
                position = {find_document(s, ref).id: i for i, ref in enumerate(docs)}
            documents.sort(key=lambda r: position[r[0]])
        else:
            types = {a.name: a.type for a in self.p.attributes.list()}
            if order not in types:
                raise NotFoundError(
                    _("no attribute {order!r} to order by (or imported, name, given)").format(
                        order=order
                    )
                )
            value = self._attribute_of(documents, order)
            missing = [n for d, n, _ in documents if value[d] is None]
            if missing:
                raise InvalidInputError(
                    _("cannot order by {order!r}: {name!r} has no value{more}").format(
                        order=order,
                        name=missing[0],
                        more=_(" (and {n} more)").format(n=len(missing) - 1)
                        if len(missing) > 1
                        else "",
                    )
                )
            if types[order] == "number":
                documents.sort(key=lambda r: float(value[r[0]] or 0))
            else:
                documents.sort(key=lambda r: str(value[r[0]]))
        codes_of: dict[Any, set[str]] = defaultdict(set)
        for sp in spans:
            codes_of[sp.document].add(sp.code)
        return saturation(
            [(d, n) for d, n, _ in documents], codes_of, base_size, run_length, threshold
        )

    def network(
        self,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        min_weight: int = 1,
        include: Sequence[str] = (),
    ) -> Any:
        """The code network (a networkx MultiGraph; see ``qcode.analysis.network``): codes with
        their frequencies in scope, co-occurrence edges, and, as ``include`` asks, ``hierarchy``,
        ``relations`` and ``framework`` (elements and the codes' links to them)."""
        from qcode.analysis.network import CodeNode, ElementNode, build_network, code_id

        unknown = set(include) - {"hierarchy", "relations", "framework"}
        if unknown:
            raise InvalidInputError(
                _("cannot include {v1} (hierarchy, relations, framework)").format(
                    v1=", ".join(sorted(unknown))
                )
            )
        import numpy as np

        if unit not in UNITS:
            raise InvalidInputError(
                _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
            )
        columns, coded = self.coding_columns(coders, where, docs, level)
        counts = np.bincount(columns[1], minlength=len(coded)).tolist()
        frequency = dict(zip(coded, counts, strict=True))
        codes = [
            c
            for c in self.p.codes.list(counts=False)
            if level == "open" or c.level in ("axial", "selective")
        ]
        nodes = [CodeNode(c.path, c.level, frequency.get(c.path, 0), c.color) for c in codes]
        paths = {c.path for c in codes}
        hierarchy = [
            (c.path, c.parent) for c in codes if "hierarchy" in include and c.parent in paths
        ]
        relations = [
            (r.source, r.type, r.target)
            for r in self.p.structure.list()
            if "relations" in include and r.source in paths and r.target in paths
        ]
        elements, links = [], []
        framework = self.p.framework.show() if "framework" in include else {"dimensions": []}
        if "framework" in include:
            for d in framework["dimensions"]:
                for e in d["elements"]:
                    elements.append(ElementNode(d["key"], e["name"]))
                    links += [
                        (c["code"], d["key"], e["name"], c["relation"])
                        for c in e["codes"]
                        if c["code"] in paths
                    ]
        pairs = _pairs(columns, coded, unit, self._units(unit, set(columns[0].tolist())), 1)
        g = build_network(nodes, pairs, min_weight, hierarchy, relations, elements, links)
        # the core category counts the categories it integrates (related to it) with its own
        cores = [c.path for c in codes if c.level == "selective"]
        linked = self.p.structure.core()["paths"] if cores else {}
        for core in cores:
            roots = [core, *(cat for cat, steps in linked.items() if steps[-1] == core)]
            node = g.nodes[code_id(core)]
            node["aggregate"] = float(
                sum(
                    n
                    for p, n in frequency.items()
                    if any(p == r or p.startswith(r + "/") for r in roots)
                )
            )
            node["aggregate_categories"] = len(roots) - 1
        # for figures and for readers of the GraphML: what was counted, and the framework chain
        describe(g, framework, unit=unit, min_weight=min_weight, level=level)
        return g

    def draw_network(
        self,
        path: str,
        layout: str = "force",
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        min_weight: int = 1,
        include: Sequence[str] = (),
        seed: int = 42,
    ) -> Any:
        """The network drawn to ``path`` (PNG, SVG or PDF): see ``qcode.analysis.figures``."""
        from qcode.analysis.figures import check_path
        from qcode.analysis.network_figure import draw_network

        check_path(path)
        g = self.network(unit, coders, where, docs, level, min_weight, include)
        return draw_network(g, path, layout=layout, seed=seed)
