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
    # written as it is encoded: a large result is never held twice, as data and as one string
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)
    chunks: list[str] = []
    for chunk in encoder.iterencode(data):
        chunks.append(chunk)
        if len(chunks) >= 65536:
            sys.stdout.write("".join(chunks))
            chunks.clear()
    chunks.append("\n")
    sys.stdout.write("".join(chunks))


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str] = (),
    header: bool = True,
) -> None:
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if len(cells) > LONG_TABLE:
        _long_table(title, columns, cells, justify_right, header)
        return
    t = Table(title=title, show_edge=False, header_style="bold", show_header=header)
    for c in columns:
        t.add_column(c, justify="right" if c in justify_right else "left", overflow="fold")
    for r in cells:
        t.add_row(*r)
    out.print(t)


# Past this many rows a table is laid out in one pass, in the same look, without wrapping cells
# to the terminal: rich measures every cell of every row more than once, which takes seconds
# for tens of thousands of rows.
LONG_TABLE = 1000


def _long_table(
    title: str | None,
    columns: Sequence[str],
    rows: list[list[str]],
    justify_right: Sequence[str],
    header: bool,
) -> None:
    from rich.cells import cell_len

    widths = [cell_len(c) if header else 0 for c in columns]
    for r in rows:
        for i, v in enumerate(r):
            n = cell_len(v)
            if n > widths[i]:
                widths[i] = n
    right = [c in justify_right for c in columns]

    def line(values: Sequence[str], sep: str) -> str:
        cells = []
        for v, w, r in zip(values, widths, right, strict=True):
            pad = " " * (w - cell_len(v))
            cells.append(pad + v if r else v + pad)
        return " " + f" {sep} ".join(cells) + " "

    parts = [title] if title else []
    if header:
        parts.append(line(columns, "┃"))
        parts.append("╇".join("━" * (w + 2) for w in widths))
    parts.extend(line(r, "│") for r in rows)
    out.file.write("\n".join(parts) + "\n")


def ok(message: str) -> None:
    out.print(message, markup=False)


def warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False)


def clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"
