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


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str] = (),
    header: bool = True,
) -> None:
    t = Table(title=title, show_edge=False, header_style="bold", show_header=header)
    for c in columns:
        t.add_column(c, justify="right" if c in justify_right else "left", overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    out.print(t)


def ok(message: str) -> None:
    out.print(message, markup=False)


def warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False)


def clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"
