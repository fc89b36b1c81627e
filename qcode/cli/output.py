"""Output helpers: JSON for machines, rich tables for people, one-line errors on stderr.

Nothing from a project reaches the terminal raw: every console here passes what it renders
through :func:`qcode.text.safety.visible` (control characters as ``\\x1b``-style escapes), table
cells are plain text (never rich markup), and JSON escapes C1 controls as well as C0 ones.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from qcode.text.safety import visible


class _Visible:
    """A renderable drawn with control characters in its text made visible."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for seg in console.render(self.inner, options):
            yield seg if seg.control else Segment(visible(seg.text, True), seg.style)


class _NoRawControls(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Visible(r) for r in renderables]


def _console(stderr: bool) -> Console:
    c = Console(stderr=stderr, highlight=False, soft_wrap=True)
    c.push_render_hook(_NoRawControls())
    return c


out = _console(stderr=False)
err = _console(stderr=True)
_C1 = re.compile(r"[\x7f-\x9f]")


def emit_json(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def cell(value: Any) -> Text:
    """A table cell: plain text (no markup), control characters made visible."""
    return Text("" if value is None else visible(str(value), True))


def cells(row: Sequence[Any]) -> Iterator[Text]:
    return (cell(v) for v in row)


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str] = (),
    header: bool = True,
) -> None:
    t = Table(
        title=None if title is None else cell(title),
        show_edge=False,
        header_style="bold",
        show_header=header,
    )
    for c in columns:
        t.add_column(c, justify="right" if c in justify_right else "left", overflow="fold")
    for r in rows:
        t.add_row(*cells(r))
    out.print(t)


def ok(message: str) -> None:
    out.print(message, markup=False)


def warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False)


def plain(text: str, nl: bool = True) -> None:
    """Text for a person on stdout: exact but for control characters other than line breaks."""
    sys.stdout.write(visible(text, keep_lines=True) + ("\n" if nl else ""))


def clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"
