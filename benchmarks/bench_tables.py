"""Table output at the size of a large study: 125,000 rows of five columns (code pairs with
counts, as `cooccur --unit document` gives), printed to /dev/null.

Compares, in the same run: the default listing (first screenful and a count), `--all` (streamed),
CSV through the standard library (the floor), and one rich Table of every row (what every listing
did before). Prints seconds and the peak memory each adds. Run:
.venv/bin/python benchmarks/bench_tables.py [ROWS]"""

from __future__ import annotations

import csv
import os
import sys
import time
import tracemalloc
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from qcode.cli import output


def rows(n: int):  # type: ignore[no-untyped-def]
    for i in range(n):
        yield (
            f"code {i % 500} 收入波动",
            f"code {(i * 7) % 500} contribution",
            i % 97,
            i % 13,
            0.5,
        )


def clock(label: str, fn: Callable[[], None]) -> None:
    """Seconds (a clean run), then peak Python memory (a second run under tracemalloc)."""
    t = time.perf_counter()
    fn()
    s = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<48} {s:7.2f} s   peak {peak / 1e6:8.1f} MB", file=sys.stderr)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 125_000
    cols = ["code a", "code b", "count", "documents", "c"]
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    output.out.file = sink
    output.err.file = sink
    print(f"{n:,} rows", file=sys.stderr)

    def default() -> None:
        output.reset()
        output.table(None, cols, rows(n), ["count", "documents", "c"])

    def stream() -> None:
        output.reset()
        output._listing["all"] = True
        output.table(None, cols, rows(n), ["count", "documents", "c"])

    def as_csv() -> None:
        w = csv.writer(sink)
        w.writerow(cols)
        w.writerows(rows(n))

    def rich_all() -> None:
        t = Table(show_edge=False)
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows(n // 25):
            t.add_row(*map(str, r))
        Console(file=sink, width=120).print(t)

    clock("default listing (first screenful + count)", default)
    clock("--all, streamed", stream)
    clock("CSV, standard library (the floor)", as_csv)
    clock(f"one rich Table of {n // 25:,} rows (before; 1/25)", rich_all)


if __name__ == "__main__":
    main()
