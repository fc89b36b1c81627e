"""Tables over counted terms: frequencies (occurrences, texts containing a term, the rate per
1,000 words), the same by group, and keyness between two groups of texts.

The counts come from ``qcode.analysis.words`` (one :class:`TermCounts` per text). Keyness is
Dunning's (1993) log-likelihood G2 as Rayson and Garside (2000) apply it to compare two corpora,
with Hardie's (2014) log ratio as the effect size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from qcode.bulkload import collector_paused


@dataclass(frozen=True, slots=True)
class TermCounts:
    """The terms counted in one text (or in its coded part)."""

    counts: dict[str, int]
    size: int  # words (phrases) before stop words were left out


@dataclass(frozen=True, slots=True)
class TermFrequency:
    term: str
    count: int
    documents: int  # documents (of the group) containing the term
    per_1000: float  # occurrences per 1,000 words (phrases) of the documents (of the group)
    group: str | None = None  # the document or case, when counted by one of them

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Keyness:
    term: str
    count_a: int
    count_b: int
    documents_a: int
    documents_b: int
    per_1000_a: float
    per_1000_b: float
    g2: float  # log-likelihood; 3.84 is p < 0.05, 6.63 p < 0.01, 10.83 p < 0.001 (1 d.f.)
    p: float
    log_ratio: float  # log2 of the ratio of relative frequencies (a over b); 1 = twice as often
    overused_in: str  # "a", "b", or "" when the rates are equal

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# -- tables --------------------------------------------------------------------------------------
def _rate(count: int, size: int) -> float:
    return round(1000 * count / size, 3) if size else 0.0


def frequencies(
    per_text: Sequence[TermCounts], top: int | None = None, group: str | None = None
) -> list[TermFrequency]:
    """Terms over the texts: occurrences, texts containing them and the rate per 1,000 words,
    most frequent first (ties by term); the ``top`` ones when given."""
    with collector_paused():  # tens of thousands of rows, no cycles
        return _frequencies(per_text, top, group)


def _frequencies(
    per_text: Sequence[TermCounts], top: int | None, group: str | None
) -> list[TermFrequency]:
    size = sum(tc.size for tc in per_text)
    # every text's terms in a row, each term an id, summed by arrays (Counter.update with a
    # mapping adds term by term in Python)
    keys = [t for tc in per_text for t in tc.counts]
    if not keys:
        return []
    ids = {t: i for i, t in enumerate(dict.fromkeys(keys))}
    which = np.fromiter(map(ids.__getitem__, keys), dtype=np.int64, count=len(keys))
    times = np.fromiter(
        (c for tc in per_text for c in tc.counts.values()), dtype=np.int64, count=len(keys)
    )
    total = np.zeros(len(ids), dtype=np.int64)
    np.add.at(total, which, times)
    texts = np.bincount(which, minlength=len(ids))  # a term comes once in each text's counts
    terms = list(ids)
    # most frequent first, ties by term (code point order, as Python compares strings)
    order = np.lexsort((np.array(terms, dtype=str), -total))[: top or None]
    counts, docs = total[order].tolist(), texts[order].tolist()
    rate = {c: _rate(c, size) for c in set(counts)}  # round() once per count
    return [
        TermFrequency(terms[i], c, d, rate[c], group)
        for i, c, d in zip(order.tolist(), counts, docs, strict=True)
    ]


def grouped_frequencies(
    per_text: Sequence[TermCounts], groups: Sequence[str], top: int | None = None
) -> list[TermFrequency]:
    """``frequencies`` within each group of texts (``groups[i]`` is text i's), groups in the
    order they first appear."""
    by_group: dict[str, list[TermCounts]] = {}
    for tc, g in zip(per_text, groups, strict=True):
        by_group.setdefault(g, []).append(tc)
    return [f for g, tcs in by_group.items() for f in frequencies(tcs, top, g)]


# -- keyness -------------------------------------------------------------------------------------
def log_likelihood(a: int, b: int, size_a: int, size_b: int) -> float:
    """Dunning's G2 for a term seen ``a`` times in a corpus of ``size_a`` words and ``b`` times
    in one of ``size_b``: 2 * sum(O * ln(O / E)), E_i = size_i * (a + b) / (size_a + size_b),
    and 0 * ln 0 = 0."""
    total = size_a + size_b
    if total <= 0 or a + b <= 0:
        return 0.0
    g2 = 0.0
    for observed, size in ((a, size_a), (b, size_b)):
        if observed:
            g2 += observed * math.log(observed / (size * (a + b) / total))
    return max(0.0, 2 * g2)


def log_ratio(a: int, b: int, size_a: int, size_b: int) -> float:
    """Hardie's log ratio: log2 of (a / size_a) / (b / size_b), a zero count taken as 0.5."""
    if size_a <= 0 or size_b <= 0:
        return 0.0
    return math.log2((max(a, 0.5) / size_a) / (max(b, 0.5) / size_b))


def chi2_p(g2: float) -> float:
    """The p value of G2 under the chi-squared distribution with one degree of freedom."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2))


def keyness(
    group_a: Sequence[TermCounts], group_b: Sequence[TermCounts], top: int | None = None
) -> list[Keyness]:
    """Every term of either group with G2, its p value, the log ratio and the group that uses
    it more, by G2 (largest first; ties by term)."""
    fa, fb = frequencies(group_a), frequencies(group_b)
    size_a = sum(tc.size for tc in group_a)
    size_b = sum(tc.size for tc in group_b)
    a_of = {f.term: f for f in fa}
    b_of = {f.term: f for f in fb}
    out = []
    for term in a_of.keys() | b_of.keys():
        a = a_of[term].count if term in a_of else 0
        b = b_of[term].count if term in b_of else 0
        g2 = log_likelihood(a, b, size_a, size_b)
        ra, rb = a * size_b, b * size_a  # compares a / size_a with b / size_b exactly
        out.append(
            Keyness(
                term,
                a,
                b,
                a_of[term].documents if term in a_of else 0,
                b_of[term].documents if term in b_of else 0,
                _rate(a, size_a),
                _rate(b, size_b),
                g2,
                chi2_p(g2),
                log_ratio(a, b, size_a, size_b),
                "a" if ra > rb else "b" if rb > ra else "",
            )
        )
    out.sort(key=lambda k: (-k.g2, k.term))
    return out[:top] if top else out
