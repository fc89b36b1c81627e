"""Figures for analysis: co-occurrence with the overlap unit on a generated project of 2,000
documents, 200 codes and 200,000 codings, from the database to the result, and the ratio to the
straightforward all-pairs-per-document method run on the same spans.

Run with ``.venv/bin/python benchmarks/bench_analysis.py`` (a few minutes, most of it building the
project). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from bench_foundation import transcript

from qcode import Project
from qcode.analysis.cooccurrence import Span, overlap_counts
from qcode.services.codings import CodingRequest


def naive(spans: list[Span]) -> dict[tuple[str, str], int]:
    """Every pair of codings within each document, compared one by one."""
    by_doc: dict[object, list[Span]] = defaultdict(list)
    for s in spans:
        by_doc[s.document].append(s)
    out: dict[tuple[str, str], int] = defaultdict(int)
    for doc_spans in by_doc.values():
        for x, y in combinations(doc_spans, 2):
            if x.code != y.code and x.start < y.end and y.start < x.end:
                key = (x.code, y.code) if x.code < y.code else (y.code, x.code)
                out[key] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--codes", type=int, default=200)
    ap.add_argument("--codings", type=int, default=200_000)
    args = ap.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        p = Project.init(root / "p")
        src = root / "docs"
        src.mkdir()
        files = []
        for i in range(args.docs):
            f = src / f"d{i:04d}.txt"
            f.write_text(transcript(rng, 5_000), encoding="utf-8")
            files.append(f)
        t0 = time.perf_counter()
        p.documents.import_files(files)
        print(f"built: {args.docs} documents in {time.perf_counter() - t0:.1f} s")
        for i in range(args.codes):
            p.codes.add(f"code {i:03d}")
        names = [f"code {i:03d}" for i in range(args.codes)]
        seen: set[tuple[int, int, int, str]] = set()
        reqs: list[CodingRequest] = []
        while len(reqs) < args.codings:
            d, a = rng.randrange(args.docs), rng.randrange(0, 4_800)
            key = (d, a, a + rng.randint(5, 200), rng.choice(names))
            if key in seen:
                continue
            seen.add(key)
            reqs.append(CodingRequest(f"d{d:04d}", key[1], key[2], key[3]))
        for i in range(0, len(reqs), 20_000):
            p.codings.apply_many(reqs[i : i + 20_000])
        print(f"built: {len(reqs)} codings")
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            pairs = p.analysis.cooccur("overlap")
            times.append(time.perf_counter() - t0)
        spans = p.analysis.spans()
        t0 = time.perf_counter()
        fast = overlap_counts(spans)
        t_fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow = naive(spans)
        t_naive = time.perf_counter() - t0
        assert dict(fast) == dict(slow), "the two methods disagree"
        print(
            f"co-occurrence (overlap), database to result: best {min(times):.3f} s, "
            f"{len(pairs)} pairs of codes"
        )
        print(
            f"same spans: sweep {t_fast:.3f} s, all pairs per document {t_naive:.3f} s, "
            f"ratio {t_naive / t_fast:.1f}x"
        )


if __name__ == "__main__":
    main()
