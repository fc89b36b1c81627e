"""Matrix queries: a table whose cells are queries (row AND column), counted as segments,
documents, cases or characters, with the segments behind any cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qcode.analysis.query_eval import DocData, Hit, conjunction, evaluate
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.query import _MODE, Records, _Doc
from qcode.services.query_tree import candidates
from qcode.services.scope import Scope, did_you_mean

if TYPE_CHECKING:
    from qcode.services.project import Project

COUNTS = ("segments", "documents", "cases", "characters")


def split_top(text: str) -> list[str]:
    """Comma-separated items, not splitting inside quotes, regexes or parentheses."""
    items: list[str] = []
    buf: list[str] = []
    depth, quote = 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(buf).strip())
            buf = []
            continue
        buf.append(ch)
    items.append("".join(buf).strip())
    return [i for i in items if i]


@dataclass
class QueryMatrix:
    rows: list[str]
    columns: list[str]
    values: list[list[int]]
    count: str
    cells: dict[tuple[int, int], list[tuple[_Doc, list[Hit]]]] = field(
        default_factory=dict, repr=False
    )

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "columns": self.columns,
            "count": self.count,
            "values": self.values,
        }

    def to_pandas(self) -> Any:
        """A pandas DataFrame: a row per row query, a column per column query (needs pandas)."""
        from qcode.records import pandas

        return pandas().DataFrame(self.values, index=self.rows, columns=self.columns)


def _count(found: list[tuple[_Doc, list[Hit]]], count: str) -> int:
    if count == "segments":
        return sum(len(h) for _, h in found)
    if count == "documents":
        return len(found)
    if count == "cases":
        return len({d.case for d, _ in found if d.case is not None})
    total = 0
    for _doc, hits in found:  # characters covered, overlapping hits counted once
        pos = 0
        for h in sorted(hits):
            a = max(h.start, pos)
            if h.end > a:
                total += h.end - a
            pos = max(pos, h.end)
    return total


def matrix_query(
    p: Project,
    rows: str,
    cols: str,
    count: str = "segments",
    scope: Scope | None = None,
    unit: str = "match",
) -> QueryMatrix:
    """Rows and columns are comma-separated queries or ``attribute:KEY`` (one cell per value);
    a cell holds the hits of ``row and column`` (an attribute: the row's hits in documents
    with that value)."""
    scope = scope or Scope()
    if count not in COUNTS:
        raise InvalidInputError(
            _("unknown count {count!r} ({v1})").format(count=count, v1=", ".join(COUNTS))
        )
    if unit not in _MODE:
        raise InvalidInputError(_("unknown unit {unit!r}").format(unit=unit))
    sides: list[tuple[str, Any]] = []
    for side, spec in (("--rows", rows), ("--cols", cols)):
        if not spec or not spec.strip():
            raise InvalidInputError(
                _("{side} is empty: give queries or attribute:KEY").format(side=side)
            )
        if spec.strip().startswith("attribute:"):
            sides.append(("attribute", spec.strip()[len("attribute:") :].strip()))
        else:
            sides.append(("queries", split_top(spec)))
    if sides[0][0] == sides[1][0] == "attribute":
        raise InvalidInputError(_("--rows and --cols cannot both be attributes: give queries"))
    trees: dict[str, Any] = {}
    for kind, spec in sides:
        if kind == "queries":
            for q in spec:
                trees[q] = p.query.resolve(q, scope.level)
    data = p.query.load(scope, list(trees.values()), unit)
    mode = _MODE[unit]
    groups: dict[int, str | None] = {}
    labels: list[list[str]] = []
    for kind, spec in sides:
        if kind == "attribute":
            names = {a.name for a in p.attributes.list()}
            if spec not in names:
                raise NotFoundError(
                    _("no attribute {spec!r}{v1}").format(
                        spec=spec, v1=did_you_mean(spec, sorted(names))
                    )
                )
            groups = p.analysis._attribute_of([(d.id, d.name, None) for d in data.docs], spec)
            # a document's own value first, then its case's
            groups = _with_cases(p, data.docs, spec, groups)
            labels.append(sorted({v for v in groups.values() if v is not None}))
        else:
            labels.append(list(spec))
    by_length = {d.id: d.length for d in data.docs}
    values_of: dict[str, dict[int, list[Hit]]] = {q: {} for q in trees}
    all_docs = [d.id for d in data.docs]
    docs: dict[int, DocData] = {}
    for q, tree in trees.items():
        docs_of = candidates(tree, data.leaf_hits)  # where results can be
        where = all_docs if docs_of is None else sorted(docs_of)
        for k in where:
            doc = docs.get(k)
            if doc is None:
                doc = docs[k] = DocData(
                    by_length[k],
                    data.units.get(k, {}),
                    lambda leaf, k=k: data.leaf_hits[leaf].get(k, []),  # type: ignore[misc]
                )
            v = evaluate(tree, doc, mode)
            if v:
                values_of[q][k] = v
    out = QueryMatrix(labels[0], labels[1], [], count)
    by_id = {d.id: d for d in data.docs}
    for i, r in enumerate(labels[0]):
        row_vals = []
        for j, c in enumerate(labels[1]):
            found: list[tuple[_Doc, list[Hit]]] = []
            if sides[1][0] == "attribute":
                found = [(by_id[k], v) for k, v in values_of[r].items() if groups.get(k) == c]
            elif sides[0][0] == "attribute":
                found = [(by_id[k], v) for k, v in values_of[c].items() if groups.get(k) == r]
            else:
                right = values_of[c]
                for k, v in values_of[r].items():
                    if k in right:
                        both = conjunction(v, right[k], mode)
                        if both:
                            found.append((by_id[k], both))
                found.sort(key=lambda kv: kv[0].id)
            out.cells[(i, j)] = found
            row_vals.append(_count(found, count))
        out.values.append(row_vals)
    return out


def _with_cases(
    p: Project, docs: Sequence[_Doc], key: str, own: dict[int, str | None]
) -> dict[int, str | None]:
    case_vals = p.attributes.values("case")
    out = dict(own)
    for d in docs:
        if out.get(d.id) is None and d.case is not None:
            v = case_vals.get(d.case, {}).get(key)
            if isinstance(v, bool):
                v = "true" if v else "false"
            out[d.id] = None if v is None else str(v)
    return out


def cell_records(p: Project, m: QueryMatrix, ref: str, context: int = 0) -> Records:
    """The hits of one cell, named ``R,C`` by 1-based numbers or by labels."""
    parts = split_top(ref)
    if len(parts) != 2:
        raise InvalidInputError(
            _("--cell {ref!r}: give ROW,COLUMN (numbers from 1, or labels)").format(ref=ref)
        )

    def index(value: str, labels: list[str], what: str) -> int:
        if value in labels:
            return labels.index(value)
        if value.isdigit() and 1 <= int(value) <= len(labels):
            return int(value) - 1
        raise InvalidInputError(
            _("--cell: no {what} {value!r} (1 to {n}, or a label)").format(
                what=what, value=value, n=len(labels)
            )
        )

    i, j = index(parts[0], m.rows, "row"), index(parts[1], m.columns, "column")
    return p.query.records(m.cells[(i, j)], context)
