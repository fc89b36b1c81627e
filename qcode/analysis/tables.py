"""Tables of a coded project: code frequencies, the code x document matrix, code x attribute
crosstabs, and thematic saturation after Guest, Namey and Chen (2020). Plain data in (spans as in
``qcode.analysis.cooccurrence``), plain data out.

Saturation (Guest, Namey and Chen 2020, "A simple method to assess and report thematic
saturation in qualitative research", PLoS ONE 15(5): e0232076):

- the documents are taken in a chosen order (the order of the interviews);
- the *base* is the first ``base_size`` documents (4 by default), and the base's number of
  unique codes is the denominator;
- a *run* is ``run_length`` consecutive documents (2 by default); runs start right after the
  base and move on one document at a time;
- a run's new information is the number of codes that first appear in it (in none of the
  documents before it), as a share of the base's unique codes;
- saturation is reached at the first run whose new information is at or below the *new
  information threshold* (5% by default; 0% is the strict variant). It is reported as the
  number of documents before that run, confirmed by the run: "saturation at 11 documents
  (base 4, run 2, threshold 5%), confirmed by documents 12-13".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qcode.analysis.cooccurrence import Span
from qcode.i18n import _

COUNTS = ("codings", "documents", "cases", "characters")


@dataclass
class Frequency:
    code: str
    codings: int
    documents: int
    cases: int
    characters: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def covered_length(ranges: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of half-open ranges."""
    total, reach = 0, None
    for a, b in sorted(ranges):
        if reach is None or a >= reach:
            total += b - a
            reach = b
        elif b > reach:
            total += b - reach
            reach = b
    return total


def frequencies(
    spans: Iterable[Span], case_of: Mapping[Hashable, Hashable | None] | None = None
) -> list[Frequency]:
    """Per code: codings, documents, cases (a document without a case counts as its own) and
    characters coded (overlapping codings of one code counted once), sorted by codings."""
    case_of = case_of or {}
    codings: dict[str, int] = defaultdict(int)
    ranges: dict[str, dict[Hashable, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for s in spans:
        codings[s.code] += 1
        ranges[s.code][s.document].append((s.start, s.end))
    out = []
    for code, by_doc in ranges.items():
        cases = {("case", case_of[d]) if case_of.get(d) is not None else ("doc", d) for d in by_doc}
        out.append(
            Frequency(
                code,
                codings[code],
                len(by_doc),
                len(cases),
                sum(covered_length(r) for r in by_doc.values()),
            )
        )
    return sorted(out, key=lambda f: (-f.codings, f.code))


@dataclass
class Matrix:
    """``values[i][j]`` for ``rows[i]`` (codes) and ``columns[j]``; ``totals`` per column where
    a column has a size (documents or cases in an attribute's group)."""

    rows: list[str]
    columns: list[str]
    values: list[list[int]]
    count: str
    totals: list[int] = field(default_factory=list)
    totals_of: str = ""  # what ``totals`` counts: "documents" or "cases" (empty: no totals)

    @property
    def totals_label(self) -> str:
        return f"({self.totals_of} in group)"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_pandas(self) -> Any:
        """A pandas DataFrame: a row per code, a column per document or group (needs pandas)."""
        from qcode.records import pandas

        return pandas().DataFrame(self.values, index=self.rows, columns=self.columns)


def _cells(
    spans: Iterable[Span],
    column_of: Mapping[Hashable, Sequence[str]],
    count: str,
    case_of: Mapping[Hashable, Hashable | None],
) -> dict[tuple[str, str], int]:
    if count not in COUNTS:
        raise ValueError(f"unknown count {count!r} ({', '.join(COUNTS)})")
    codings: dict[tuple[str, str], int] = defaultdict(int)
    members: dict[tuple[str, str], set[Hashable]] = defaultdict(set)
    ranges: dict[tuple[str, str, Hashable], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        for col in column_of.get(s.document, ()):
            key = (s.code, col)
            codings[key] += 1
            if count == "documents":
                members[key].add(s.document)
            elif count == "cases":
                c = case_of.get(s.document)
                members[key].add(("case", c) if c is not None else ("doc", s.document))
            elif count == "characters":
                ranges[(s.code, col, s.document)].append((s.start, s.end))
    if count == "codings":
        return dict(codings)
    if count == "characters":
        chars: dict[tuple[str, str], int] = defaultdict(int)
        for (code, col, _doc), rs in ranges.items():
            chars[(code, col)] += covered_length(rs)
        return dict(chars)
    return {k: len(v) for k, v in members.items()}


def code_document_matrix(
    spans: Iterable[Span],
    documents: Mapping[Hashable, str],
    count: str = "codings",
    codes: Sequence[str] = (),
) -> Matrix:
    """Codes by documents (``documents`` maps a document to its name, in column order):
    codings, characters, or presence (``documents``: 1 where the code is in the document)."""
    spans = list(spans)
    cells = _cells(spans, {d: [name] for d, name in documents.items()}, count, {})
    rows = sorted(set(codes) | {s.code for s in spans})
    columns = list(documents.values())
    return Matrix(rows, columns, [[cells.get((r, c), 0) for c in columns] for r in rows], count, [])


def crosstab(
    spans: Iterable[Span],
    group_of: Mapping[Any, str | None],
    count: str = "codings",
    case_of: Mapping[Hashable, Hashable | None] | None = None,
    codes: Sequence[str] = (),
) -> Matrix:
    """Codes by the values of an attribute (``group_of`` maps every document in scope to its
    value, None where it has none, shown as "(none)"). ``totals`` holds each group's number of
    documents (or cases, when counting cases), so that shares can be read off."""
    case_of = case_of or {}
    spans = list(spans)
    label = {d: ("(none)" if v is None else str(v)) for d, v in group_of.items()}
    columns = sorted(set(label.values()), key=lambda v: (v == "(none)", v))
    cells = _cells(spans, {d: [v] for d, v in label.items()}, count, case_of)
    totals = []
    for col in columns:
        docs = [d for d, v in label.items() if v == col]
        if count == "cases":
            totals.append(
                len(
                    {
                        ("case", case_of[d]) if case_of.get(d) is not None else ("doc", d)
                        for d in docs
                    }
                )
            )
        else:
            totals.append(len(docs))
    rows = sorted(set(codes) | {s.code for s in spans})
    return Matrix(
        rows,
        columns,
        [[cells.get((r, c), 0) for c in columns] for r in rows],
        count,
        totals,
        "cases" if count == "cases" else "documents",
    )


@dataclass
class SaturationStep:
    document: str
    codes: int
    new: list[str]
    cumulative: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "new_count": len(self.new)}


@dataclass
class SaturationRun:
    first: int  # 1-based position of the run's first document
    last: int
    documents: list[str]
    new: int
    ratio: float | None  # new codes in the run / unique codes in the base


@dataclass
class Saturation:
    base_size: int
    run_length: int
    threshold: float
    base_codes: int
    steps: list[SaturationStep]
    runs: list[SaturationRun]
    saturation_at: int | None  # documents before the first run at or under the threshold
    confirmed_by: int | None  # the last document of that run
    total_codes: int

    def as_json(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("steps", "runs")},
            "steps": [s.as_json() for s in self.steps],
            "runs": [asdict(r) for r in self.runs],
            "statement": self.statement(),
        }

    def statement(self) -> str:
        """The assessment in a sentence, in the interface's language."""
        rule = _("base {base}, run {run}, new-information threshold {threshold:.0%}").format(
            base=self.base_size, run=self.run_length, threshold=self.threshold
        )
        if self.saturation_at is None:
            return _("saturation not reached in {n} documents ({rule})").format(
                n=len(self.steps), rule=rule
            )
        return _(
            "saturation at {n} documents ({rule}), confirmed by documents {first}-{last}"
        ).format(
            n=self.saturation_at, rule=rule, first=self.saturation_at + 1, last=self.confirmed_by
        )


def saturation(
    order: Sequence[tuple[Hashable, str]],
    codes_of: Mapping[Any, Iterable[str]],
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
) -> Saturation:
    """Guest, Namey and Chen's (2020) assessment over documents in ``order`` (pairs of
    document and name), with the codes found in each (see the module's notes)."""
    if base_size < 1 or run_length < 1:
        raise ValueError("base size and run length must be at least 1")
    if not 0 <= threshold < 1:
        raise ValueError("the new-information threshold is a share from 0 to under 1")
    seen: set[str] = set()
    first_at: dict[str, int] = {}
    steps = []
    for i, (doc, name) in enumerate(order):
        found = set(codes_of.get(doc, ()))
        new = sorted(found - seen)
        for c in new:
            first_at[c] = i
        seen |= found
        steps.append(SaturationStep(name, len(found), new, len(seen)))
    base_codes = steps[min(base_size, len(steps)) - 1].cumulative if steps else 0
    runs = []
    at = confirmed = None
    for start in range(base_size, len(order) - run_length + 1):
        n_new = sum(1 for i in first_at.values() if start <= i < start + run_length)
        ratio = n_new / base_codes if base_codes else None
        runs.append(
            SaturationRun(
                start + 1,
                start + run_length,
                [name for _, name in order[start : start + run_length]],
                n_new,
                ratio,
            )
        )
        if at is None and ratio is not None and ratio <= threshold + 1e-12:
            at, confirmed = start, start + run_length
    return Saturation(
        base_size, run_length, threshold, base_codes, steps, runs, at, confirmed, len(seen)
    )
