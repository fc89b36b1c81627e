"""Ranking text units by their similarity to a code's coded segments, for constant comparison.

TF-IDF: a unit's terms are the normalised forms (lemma, or the Chinese word) of its word tokens
that are not stop words; term frequency is the raw count; inverse document frequency over all the
units and segments compared is ``idf(t) = ln((1 + N) / (1 + df(t))) + 1`` (the smoothed form);
vectors are L2-normalised. The code is the normalised sum (centroid) of its segments' vectors,
and a unit's score is the cosine of its vector with the centroid (0 to 1). With word vectors (a
trained spaCy model that has them), the same cosine is taken between mean word vectors instead.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    score: float
    terms: tuple[str, ...]  # the unit's terms that weigh most in the score, strongest first


def _weights(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    n = len(bags)
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    out = []
    for bag in bags:
        vec = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        out.append({t: v / norm for t, v in vec.items()} if norm else {})
    return out


def rank_tfidf(
    segments: Sequence[Sequence[str]],
    units: Sequence[tuple[Hashable, Sequence[str]]],
    top: int = 20,
) -> list[Ranked]:
    """Units (key, terms) ranked by TF-IDF cosine with the centroid of ``segments`` (terms)."""
    bags = [Counter(s) for s in segments] + [Counter(terms) for _, terms in units]
    vecs = _weights(bags)
    seg_vecs, unit_vecs = vecs[: len(segments)], vecs[len(segments) :]
    centroid: dict[str, float] = {}
    for v in seg_vecs:
        for t, w in v.items():
            centroid[t] = centroid.get(t, 0.0) + w
    norm = math.sqrt(sum(w * w for w in centroid.values()))
    if not norm:
        return []
    centroid = {t: w / norm for t, w in centroid.items()}
    ranked = []
    for (key, _), v in zip(units, unit_vecs, strict=True):
        parts = {t: w * centroid[t] for t, w in v.items() if t in centroid}
        score = sum(parts.values())
        if score > 0:
            strongest = sorted(parts, key=lambda t: (-parts[t], t))[:5]
            ranked.append(Ranked(key, score, tuple(strongest)))
    ranked.sort(key=lambda r: (-r.score, str(r.key)))
    return ranked[:top]


def rank_vectors(
    segments: Sequence[Any], units: Sequence[tuple[Hashable, Any]], top: int = 20
) -> list[Ranked]:
    """The same with dense vectors (numpy arrays): cosine with the mean of the segments'."""
    import numpy as np

    seg = [np.asarray(s, dtype=float) for s in segments if np.any(s)]
    if not seg:
        return []
    centroid = np.mean(seg, axis=0)
    c = float(np.linalg.norm(centroid))
    ranked = []
    for key, vec in units:
        v = np.asarray(vec, dtype=float)
        nv = float(np.linalg.norm(v))
        if nv and c:
            ranked.append(Ranked(key, float(v @ centroid) / (nv * c), ()))
    ranked.sort(key=lambda r: (-r.score, str(r.key)))
    return ranked[:top]
