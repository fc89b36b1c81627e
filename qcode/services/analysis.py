"""Analysis as a researcher asks for it: spans in scope from the project, then the pure
functions of ``qcode.analysis``."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.analysis.cooccurrence import UNITS, Pair, Span, cooccurrence
from qcode.errors import InvalidInputError, NotFoundError
from qcode.services.attributes import parse_assignments, parse_value
from qcode.services.codes import CodeTree
from qcode.services.codings import find_document
from qcode.store.models import AttributeDef, Code, Coder, Coding, Document, Segment

if TYPE_CHECKING:
    from qcode.services.project import Project


class AnalysisService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def documents_in_scope(
        self, where: Sequence[str] = (), docs: Sequence[str] = ()
    ) -> builtins.list[int]:
        """Ids of the documents named (all when none) whose case or document attributes match
        every ``KEY=VALUE`` of ``where``."""
        conditions = parse_assignments(list(where))
        case_vals = self.p.attributes.values("case") if conditions else {}
        doc_vals = self.p.attributes.values("document") if conditions else {}
        with self.p.read() as s:
            types = {(a.scope, a.name): a.type for a in s.scalars(select(AttributeDef))}
            if docs:
                ids = [find_document(s, d).id for d in docs]
                rows = s.execute(
                    select(Document.id, Document.name, Document.case_id).where(Document.id.in_(ids))
                ).all()
            else:
                rows = s.execute(select(Document.id, Document.name, Document.case_id)).all()
            from qcode.store.models import Case

            case_names = dict(s.execute(select(Case.id, Case.name)).all())
        for key in conditions:
            if ("case", key) not in types and ("document", key) not in types:
                raise NotFoundError(f"no attribute {key!r} to filter on")
        out = []
        for doc_id, name, case_id in rows:
            ok = True
            for key, raw in conditions.items():
                matched = False
                for scope, values in (
                    ("case", case_vals.get(case_names.get(case_id or -1, ""), {})),
                    ("document", doc_vals.get(name, {})),
                ):
                    type_ = types.get((scope, key))
                    if type_ is None or key not in values:
                        continue
                    try:
                        wanted = parse_value(key, type_, raw)
                    except InvalidInputError:
                        continue
                    have = values[key]
                    have_s = ("true" if have else "false") if isinstance(have, bool) else str(have)
                    if parse_value(key, type_, have_s) == wanted:
                        matched = True
                ok = ok and matched
            if ok:
                out.append(doc_id)
        return out

    def _codings(
        self, coders: Sequence[str], where: Sequence[str], docs: Sequence[str], level: str
    ) -> tuple[Any, builtins.list[str]]:
        """The codings in scope as integer NumPy columns (document id, code index, start, end),
        and the code paths the indices stand for. With ``level="axial"`` each coding counts for
        the nearest category (axial code) at or above its code; codings under no category are
        left out. Read with one plain query and filtered in NumPy: the fast path for large
        projects."""
        import numpy as np

        if level not in ("open", "axial"):
            raise InvalidInputError(f"unknown level {level!r} (open or axial)")
        filtered = bool(where or docs)
        doc_ids = self.documents_in_scope(where, docs) if filtered else []
        with self.p.read() as s:
            tree = CodeTree(s)
            levels = dict(s.execute(select(Code.id, Code.level)).all())
            coder_ids: builtins.list[int] = []
            if coders:
                known = dict(s.execute(select(Coder.name, Coder.id)).all())
                for c in coders:
                    if c not in known:
                        raise NotFoundError(f"no coder {c!r}")
                    coder_ids.append(known[c])
            # the DB-API cursor itself: tuples, not rows, into NumPy
            cursor = s.connection().connection.cursor()
            try:
                cursor.execute('SELECT document_id, code_id, coder_id, start, "end" FROM codings')
                rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 5)
            finally:
                cursor.close()
        keep = np.ones(len(rows), dtype=bool)
        if filtered:
            keep &= np.isin(rows[:, 0], np.array(doc_ids, dtype=np.int64))
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
        """The codings in scope as analysis spans (see ``_codings`` for ``level``)."""
        (doc, code, start, end), paths = self._codings(coders, where, docs, level)
        return [
            Span(d, paths[c], a, b)
            for d, c, a, b in zip(
                doc.tolist(), code.tolist(), start.tolist(), end.tolist(), strict=True
            )
        ]

    def cooccur(
        self,
        unit: str = "overlap",
        coders: Sequence[str] = (),
        where: Sequence[str] = (),
        docs: Sequence[str] = (),
        level: str = "open",
        min_count: int = 1,
    ) -> builtins.list[Pair]:
        if unit not in UNITS:
            raise InvalidInputError(f"unknown unit {unit!r} ({', '.join(UNITS)})")
        if unit == "overlap":
            return self._overlap(coders, where, docs, level, min_count)
        spans = self.spans(coders, where, docs, level)
        units = None
        if unit in ("sentence", "paragraph", "turn"):
            doc_ids = {s.document for s in spans}
            units_by_doc: dict[Hashable, builtins.list[tuple[int, int]]] = defaultdict(list)
            with self.p.read() as s:
                for doc_id, a, b in s.execute(
                    select(Segment.document_id, Segment.start, Segment.end)
                    .where(Segment.kind == unit, Segment.document_id.in_(doc_ids))
                    .order_by(Segment.document_id, Segment.start)
                ):
                    units_by_doc[doc_id].append((a, b))
            units = units_by_doc
        return cooccurrence(spans, unit, units, min_count)

    def _overlap(
        self,
        coders: Sequence[str],
        where: Sequence[str],
        docs: Sequence[str],
        level: str,
        min_count: int,
    ) -> builtins.list[Pair]:
        import numpy as np

        from qcode.analysis.cooccurrence import make_pair, overlap_pair_counts

        (doc, code, start, end), paths = self._codings(coders, where, docs, level)
        a, b, counts = overlap_pair_counts(doc, code, start, end, len(paths))
        n = np.bincount(code, minlength=len(paths)).tolist()
        return [
            make_pair(paths[i], paths[j], n[i], n[j], k, False)
            for i, j, k in zip(a.tolist(), b.tolist(), counts.tolist(), strict=True)
            if k >= min_count
        ]

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
        from qcode.analysis.network import CodeNode, ElementNode, build_network

        unknown = set(include) - {"hierarchy", "relations", "framework"}
        if unknown:
            raise InvalidInputError(
                f"cannot include {', '.join(sorted(unknown))} (hierarchy, relations, framework)"
            )
        spans = self.spans(coders, where, docs, level)
        frequency: dict[str, int] = defaultdict(int)
        for s in spans:
            frequency[s.code] += 1
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
        if "framework" in include:
            for d in self.p.framework.show()["dimensions"]:
                for e in d["elements"]:
                    elements.append(ElementNode(d["key"], e["name"]))
                    links += [
                        (c["code"], d["key"], e["name"], c["relation"])
                        for c in e["codes"]
                        if c["code"] in paths
                    ]
        pairs = self.cooccur(unit, coders, where, docs, level, 1)
        return build_network(nodes, pairs, min_weight, hierarchy, relations, elements, links)
