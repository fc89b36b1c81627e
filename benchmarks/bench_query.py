"""Figures for queries (processor time, user and system; the machine may be shared) on the generated project of 2,000 documents, 200 codes and 200,000
codings (built as ``bench_analysis.py`` builds it): ``A and B``, ``A followed by B within 2
sentences`` and a three-operand expression in the service and from the command line, a 20 x 10
matrix query, and the same answers from a naive evaluation (every pair of codings in each
document) on the same data in the same run.

Run with ``.venv/bin/python benchmarks/bench_query.py`` (``--keep DIR`` builds the project there
once and reuses it). Prints numbers; asserts nothing beyond the two evaluations agreeing.
"""

from __future__ import annotations

import argparse
import bisect
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_analysis import build

from qcode import Project
from qcode.services.scope import Scope

A, B, C = "'code 000'", "'code 001'", "'code 002'"
LEFT = "(" + " or ".join(f"'code {i:03d}'" for i in range(100, 150)) + ")"
RIGHT = "(" + " or ".join(f"'code {i:03d}'" for i in range(150, 200)) + ")"
QUERIES = {
    "A and B": f"{A} and {B}",
    "dense: (50 codes or-ed) and (50 others)": f"{LEFT} and {RIGHT}",
    "A followed by B within 2 sentences": f"{A} followed by {B} within 2 sentences",
    "A and (B or C)": f"{A} and ({B} or {C})",
}


def timed(fn: Callable[[], Any], n: int = 5) -> tuple[float, Any]:
    """The median processor time of ``n`` runs (the machine may be shared: wall time would
    count other processes' turns), and the last result."""
    times, out = [], None
    for _ in range(n):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def naive(p: Project, name: str) -> set[tuple[int, int, int]]:
    """Every pair of codings of the two (three) codes in each document, one by one."""
    tree = p.query.resolve(QUERIES[name])
    data = p.query.load(Scope(), [tree], "match")
    # every coding read, by its code (each hit of an operand carries its code's path)
    by_label: dict[str, dict[int, list[Any]]] = {}
    for hits in data.leaf_hits.values():
        for k, v in hits.items():
            for h in v:
                by_label.setdefault(next(iter(h.codes)), {}).setdefault(k, []).append(h)
    a, b, c = (by_label.get(x.strip("'"), {}) for x in (A, B, C))
    out: set[tuple[int, int, int]] = set()
    if name.startswith("dense"):
        a = {}
        b = {}
        for label, hits in by_label.items():
            side = a if int(label.split()[1]) < 150 else b
            for k, v in hits.items():
                side.setdefault(k, []).extend(v)
    for d in data.docs:
        ha, hb = a.get(d.id, []), b.get(d.id, [])
        if name == "A and B" or name.startswith("dense"):
            for x in ha:
                for y in hb:
                    if x.start < y.end and y.start < x.end:
                        out.add((d.id, max(x.start, y.start), min(x.end, y.end)))
        elif name == "A and (B or C)":
            for x in ha:
                for y in hb + c.get(d.id, []):
                    if x.start < y.end and y.start < x.end:
                        out.add((d.id, max(x.start, y.start), min(x.end, y.end)))
        else:
            starts = [u[0] for u in data.units.get(d.id, {}).get("sentences", [])]
            for x in ha:
                for y in hb:
                    unit_a = bisect.bisect_right(starts, x.end - 1)
                    unit_b = bisect.bisect_right(starts, y.start)
                    if y.start >= x.end and unit_b - unit_a <= 2:
                        out.add((d.id, x.start, x.end))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="Build the project here once and reuse it.")
    ap.add_argument("--dense-only", action="store_true", help="Only the one-document case.")
    args = ap.parse_args()
    dense_document()
    if args.dense_only:
        return
    if args.keep and (args.keep / "qcode.toml").exists():
        p = Project.open(args.keep)
    else:
        root = args.keep or Path(tempfile.mkdtemp()) / "bench"
        p = build(root, 2_000, 200, 200_000)
    print(f"project: {p.info()['documents']} documents, {p.info()['codings']} codings")
    for name, expr in QUERIES.items():

        def cold(expr: str = expr) -> Any:
            p.query._cache.clear()  # read from the database every time
            return p.query.hits(expr)

        t, found = timed(cold)
        warm, _ = timed(lambda expr=expr: p.query.hits(expr))
        got = {(d.id, h.start, h.end) for d, hits in found for h in hits}
        p.query._cache.clear()
        t0 = time.process_time()
        want = naive(p, name)
        t_naive = time.process_time() - t0
        assert got == want, f"{name}: the engine and the naive evaluation disagree"
        cli, wall = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), child_cpu()
            subprocess.run(
                [sys.executable, "-m", "qcode.cli.main", "query", expr, "--format", "json"],
                cwd=p.root,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            cli.append(child_cpu() - c0)
            wall.append(time.perf_counter() - t0)
        print(
            f"{name}: service {t:.3f} s (median of 5; {warm:.3f} s with the codes' hits cached), "
            f"command line {statistics.median(cli):.2f} s"
            f" (wall {statistics.median(wall):.2f} s; median of 3), {len(got)} results; naive "
            f"all pairs {t_naive:.3f} s (loading included)"
        )
    from qcode.services.query_matrix import matrix_query

    rows = ",".join(f"'code {i:03d}'" for i in range(20))
    cols = ",".join(f"'code {i:03d}'" for i in range(20, 30))

    def matrix(count: str) -> Any:
        p.query._cache.clear()
        return matrix_query(p, rows, cols, count)

    t, m = timed(lambda: matrix("segments"), 3)
    print(f"matrix query 20 x 10 (segments): {t:.3f} s (median of 3), {sum(map(sum, m.values))}")
    t, m = timed(lambda: matrix("cases"), 3)
    print(f"matrix query 20 x 10 (cases): {t:.3f} s (median of 3)")
    p.query._cache.clear()
    t, n = timed(lambda: p.query.count("'code 000' and not 'code 001'"), 1)
    print(f"count of A and not B (every document): {t:.3f} s (median of 3), {n}")
    live_count(p)


def dense_document(n: int = 5_000, length: int = 1_000_000) -> None:
    """One long document with n codings of A and n of B (the engine alone, no database)."""
    import random

    from qcode.analysis.query_eval import DocData, Hit, evaluate
    from qcode.analysis.query_parse import parse

    rng = random.Random(16)

    def hits(code: str) -> list[Hit]:
        out = []
        for _ in range(n):
            a = rng.randrange(length - 400)
            out.append(Hit(a, a + rng.randint(5, 400), frozenset([code]), frozenset(["ann"])))
        return out

    leaf = {"A": hits("A"), "B": hits("B")}
    doc = DocData(length, {}, lambda node: leaf[node.ref])  # type: ignore[attr-defined]
    for expr in ("A and B", "A followed by B within 50 chars", "A inside B"):
        tree = parse(expr)
        t0 = time.process_time()
        got = evaluate(tree, doc)
        t_engine = time.process_time() - t0
        t0 = time.process_time()
        if expr == "A and B":
            want = {(max(x.start, y.start), min(x.end, y.end)) for x in leaf["A"] for y in leaf["B"]
                    if x.start < y.end and y.start < x.end}  # fmt: skip
        elif expr.startswith("A followed"):
            want = {(x.start, x.end) for x in leaf["A"]
                    if any(0 <= y.start - x.end <= 50 for y in leaf["B"])}  # fmt: skip
        else:
            want = {(x.start, x.end) for x in leaf["A"]
                    if any(y.start <= x.start and x.end <= y.end for y in leaf["B"])}  # fmt: skip
        t_naive = time.process_time() - t0
        assert {(h.start, h.end) for h in got} == want, expr
        print(
            f"one document, {n:,} + {n:,} codings, {expr}: engine {t_engine:.3f} s, naive all "
            f"pairs {t_naive:.2f} s ({t_naive / t_engine:.0f}x), {len(got)} results"
        )


def live_count(p: Project) -> None:
    """The workbench's query screen: from the last key to the count on screen (wall time)."""
    import asyncio

    from qcode.tui.app import QcodeApp

    async def main() -> list[float]:
        app = QcodeApp(p)
        out = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("7")
            await pilot.pause()
            for expr in QUERIES.values():
                if len(expr) > 100:
                    continue
                box = app.screen.query_one("#qy-input")
                box.value = ""  # type: ignore[attr-defined]
                await pilot.pause()
                await pilot.press(*expr)
                t0 = time.perf_counter()
                screen: Any = app.screen
                while screen.counted != expr:
                    await asyncio.sleep(0.002)
                out.append(time.perf_counter() - t0)
        return out

    times = asyncio.run(main())
    print(
        "workbench live count, last key to the count shown (wall, debounce included): "
        + ", ".join(f"{t * 1000:.0f} ms" for t in times)
    )


if __name__ == "__main__":
    main()
