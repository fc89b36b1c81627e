"""Output helpers: JSON for machines, rich tables for people, one-line errors on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# A listing prints one screenful unless --all was given (see :func:`table`).
_listing: dict[str, Any] = {"all": False, "formats": "a machine-readable format"}
PIPED_ROWS = 50  # a "screen" when the output is not a terminal
WIDTH_SAMPLE = 200  # --all sizes its columns from this many rows, then streams the rest


def reset() -> None:
    """Forget the previous command's --all (the command line may run many in one process)."""
    _listing["all"] = False
    _listing["formats"] = "a machine-readable format"


def show_all(ctx: Any, value: bool) -> bool:
    """Callback of every listing's ``--all``; notes which machine-readable option the command
    has, for the "more rows" line."""
    if value:
        _listing["all"] = True
    names = {o for p in ctx.command.params for o in getattr(p, "opts", [])}
    if "--format" in names:
        _listing["formats"] = "--format csv"
    elif "--json" in names:
        _listing["formats"] = "--json"
    return value


def screenful() -> int:
    """How many rows a listing prints by default: $QCODE_ROWS, else what fits the terminal."""
    import os

    env = os.environ.get("QCODE_ROWS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    if out.is_terminal:
        return max(out.size.height - 6, 10)
    return PIPED_ROWS


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str] = (),
    header: bool = True,
) -> None:
    """Rows as a table. Without --all, only the first screenful (the rows come in the command's
    order of relevance) and one line on stderr saying how many more there are and how to get
    them; with --all, every row streamed with the columns sized from the first rows."""
    if _listing["all"]:
        _stream(title, columns, rows, justify_right, header)
        return
    limit = screenful()
    it = iter(rows)
    head: list[Sequence[Any]] = []
    for r in it:
        head.append(r)
        if len(head) > limit:
            break
    more = 0
    if len(head) > limit:
        head.pop()
        more = 1 + sum(1 for _ in it)
    t = Table(title=title, show_edge=False, header_style="bold", show_header=header)
    for c in columns:
        t.add_column(c, justify="right" if c in justify_right else "left", overflow="fold")
    for r in head:
        t.add_row(*["" if v is None else str(v) for v in r])
    out.print(t)
    if more:
        err.print(
            f"... {more:,} more row(s) not shown: --all prints every row; "
            f"{_listing['formats']} gives them to other programs",
            markup=False,
        )


def _stream(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str],
    header: bool,
) -> None:
    from itertools import chain, islice

    from rich.cells import cell_len

    def cell(v: Any) -> str:
        return "" if v is None else " ".join(str(v).split("\n"))

    it = iter(rows)
    sample = [[cell(v) for v in r] for r in islice(it, WIDTH_SAMPLE)]
    widths = [cell_len(c) if header else 0 for c in columns]
    for r in sample:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], cell_len(v))
    right = [c in justify_right for c in columns]
    write = out.file.write

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * max(widths[i] - cell_len(v), 0)
            parts.append(pad + v if right[i] else (v + pad if i < len(values) - 1 else v))
        return "  ".join(parts).rstrip() + "\n"

    if title:
        write(title + "\n")
    if header:
        write(line(list(columns)))
        write("  ".join("-" * w for w in widths) + "\n")
    for r in chain(sample, ([cell(v) for v in r] for r in it)):
        write(line(r))
    out.file.flush()


def ok(message: str) -> None:
    out.print(message, markup=False)


def warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False)


def clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"
