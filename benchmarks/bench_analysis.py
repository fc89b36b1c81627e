"""Figures for analysis: co-occurrence with the overlap unit on a generated project of 2,000
documents, 200 codes and 200,000 codings, from the database to the result, and the ratio to the
straightforward all-pairs-per-document method run on the same spans.

Run with ``.venv/bin/python benchmarks/bench_analysis.py`` (a few minutes, most of it building the
project; ``--keep DIR`` builds it there once and reuses it). Prints numbers; asserts nothing
beyond the two methods agreeing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
from bench_foundation import transcript

from qcode import Project
from qcode.analysis.cooccurrence import overlap_pair_counts
from qcode.services.codings import CodingRequest


def naive(
    doc: np.ndarray, code: np.ndarray, start: np.ndarray, end: np.ndarray
) -> dict[tuple[int, int], int]:
    """Every pair of codings within each document, compared one by one."""
    by_doc: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for d, c, s, e in zip(doc.tolist(), code.tolist(), start.tolist(), end.tolist(), strict=True):
        by_doc[d].append((c, s, e))
    out: dict[tuple[int, int], int] = defaultdict(int)
    for codings in by_doc.values():
        for (ca, sa, ea), (cb, sb, eb) in combinations(codings, 2):
            if ca != cb and sa < eb and sb < ea:
                out[(ca, cb) if ca < cb else (cb, ca)] += 1
    return dict(out)


def sweep(
    doc: np.ndarray, code: np.ndarray, start: np.ndarray, end: np.ndarray, n_codes: int
) -> dict[tuple[int, int], int]:
    """The method qcode uses, from the same codings."""
    a, b, counts = overlap_pair_counts(doc, code, start, end, n_codes)
    return dict(zip(zip(a.tolist(), b.tolist(), strict=True), counts.tolist(), strict=True))


def build(root: Path, n_docs: int, n_codes: int, n_codings: int) -> Project:
    rng = random.Random(5)
    p = Project.init(root)
    src = root / "docs"
    src.mkdir()
    files = []
    for i in range(n_docs):
        f = src / f"d{i:04d}.txt"
        f.write_text(transcript(rng, 5_000), encoding="utf-8")
        files.append(f)
    t0 = time.perf_counter()
    p.documents.import_files(files)
    print(f"built: {n_docs} documents in {time.perf_counter() - t0:.1f} s")
    names = [f"code {i:03d}" for i in range(n_codes)]
    for name in names:
        p.codes.add(name)
    seen: set[tuple[int, int, int, str]] = set()
    reqs: list[CodingRequest] = []
    while len(reqs) < n_codings:
        d, a = rng.randrange(n_docs), rng.randrange(0, 4_800)
        key = (d, a, a + rng.randint(5, 200), rng.choice(names))
        if key in seen:
            continue
        seen.add(key)
        reqs.append(CodingRequest(f"d{d:04d}", key[1], key[2], key[3]))
    for i in range(0, len(reqs), 20_000):
        p.codings.apply_many(reqs[i : i + 20_000])
    print(f"built: {len(reqs)} codings")
    return p


def run(p: Project) -> None:
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        pairs = p.analysis.cooccur("overlap")
        times.append(time.perf_counter() - t0)
    print(
        f"co-occurrence (overlap), database to result: median {statistics.median(times):.3f} s, "
        f"best {min(times):.3f} s, {len(pairs)} pairs of codes"
    )
    # Both methods from the same codings, read once from the database as columns (document,
    # code index, start, end), to the same counts per pair of codes.
    t0 = time.perf_counter()
    columns, paths = p.analysis.coding_columns()
    t_read = time.perf_counter() - t0
    fast_times, fast = [], {}
    for _ in range(5):
        t0 = time.perf_counter()
        fast = sweep(*columns, len(paths))
        fast_times.append(time.perf_counter() - t0)
    t_fast = statistics.median(fast_times)
    t0 = time.perf_counter()
    slow = naive(*columns)
    t_naive = time.perf_counter() - t0
    assert fast == slow, "the two methods disagree"
    print(f"reading {len(columns[0])} codings: {t_read:.3f} s")
    print(
        f"same codings to pair counts: sweep {t_fast:.3f} s, all pairs per document "
        f"{t_naive:.3f} s, ratio {t_naive / t_fast:.1f}x"
    )
    figure_times = []
    from qcode.analysis.figures import draw_network  # noqa: I001

    g = None
    for layout in ("force", "layered"):
        for ext in ("png", "svg", "pdf"):
            with tempfile.TemporaryDirectory() as out:
                t0 = time.perf_counter()
                g = p.analysis.network("overlap", min_weight=1)
                draw_network(g, Path(out) / f"n.{ext}", layout=layout, caption="bench")
                figure_times.append((layout, ext, time.perf_counter() - t0))
    assert g is not None
    print(
        f"network + figure, {g.number_of_nodes()} nodes and {g.number_of_edges()} edges: "
        + ", ".join(f"{lay} {ext} {t:.2f} s" for lay, ext, t in figure_times)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--codes", type=int, default=200)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument(
        "--keep", type=Path, help="Build the project here (or reuse it when it already exists)."
    )
    args = ap.parse_args()
    if args.keep is not None:
        if (args.keep / "qcode.toml").exists():
            run(Project.open(args.keep))
        else:
            run(build(args.keep, args.docs, args.codes, args.codings))
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(build(Path(tmp) / "p", args.docs, args.codes, args.codings))


if __name__ == "__main__":
    main()
