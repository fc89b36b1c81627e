"""Output helpers: JSON for machines, rich tables for people, one-line errors on stderr.

Nothing from a project reaches the terminal raw: every console here passes what it renders
through :func:`qcode.text.safety.visible` (control characters as ``\\x1b``-style escapes), table
cells are plain text (never rich markup), and JSON escapes C1 controls as well as C0 ones.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.text import Text

from qcode.i18n import _
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


# What emit_json writes: "json", or "csv"/"md" when --format asked a --json command for those
_emit: dict[str, str] = {"as": "json"}


def emit_as(fmt: str) -> None:
    """Have :func:`emit_json` write ``fmt`` (json, csv or md) for the rest of this command."""
    _emit["as"] = fmt


def emit_json(data: Any, rows: list[dict[str, Any]] | None = None) -> None:
    """A command's result for machines: JSON, or CSV/Markdown of its records when the command
    was asked for ``--format csv`` or ``--format md`` (see :func:`qcode.cli.options.formats`);
    ``rows`` are those records where the JSON is not a list of them (a mapping by name, say)."""
    if _emit["as"] != "json":
        emit_records(data if rows is None else rows, _emit["as"])
        return
    # written as it is encoded (a large result is never held twice, as data and as one string),
    # C1 controls escaped as well as C0 ones
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)
    chunks: list[str] = []

    def flush() -> None:
        sys.stdout.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", "".join(chunks)))
        chunks.clear()

    for chunk in encoder.iterencode(data):
        chunks.append(chunk)
        if len(chunks) >= 65536:
            flush()
    chunks.append("\n")
    flush()


def cell(value: Any) -> Text:
    """A table cell: plain text (no markup), control characters made visible."""
    return Text("" if value is None else visible(str(value), True))


def cells(row: Sequence[Any]) -> Iterator[Text]:
    return (cell(v) for v in row)


@dataclass
class Listing:
    """How a listing prints: every row (``--all``) or the first screenful, and which of the
    command's options gives the rows to other programs (named in the "more rows" line).

    One per command run, kept in the command's click context by ``--all``'s callback
    (:func:`show_all`); :func:`listing` reads it back for :func:`table` and the concordance."""

    all: bool = False
    formats: str = "a machine-readable format"


_LISTING = "qcode.listing"  # the key of the Listing in the click context's meta
PIPED_ROWS = 50  # a "screen" when the output is not a terminal
WIDTH_SAMPLE = 200  # --all sizes its columns from this many rows, then streams the rest


def reset() -> None:
    """Forget the previous command's --format (the command line may run many in one process;
    each command's Listing lives in its own context)."""
    _emit["as"] = "json"


def show_all(ctx: Any, value: bool) -> bool:
    """Callback of every listing's ``--all``: the command's :class:`Listing`, with the
    machine-readable option the command has, for the "more rows" line."""
    names = {o for p in ctx.command.params for o in getattr(p, "opts", [])}
    formats = Listing.formats
    if "--format" in names:
        formats = "--format csv"
    elif "--json" in names:
        formats = "--json"
    ctx.meta[_LISTING] = Listing(all=bool(value), formats=formats)
    return value


def listing() -> Listing:
    """The running command's :class:`Listing` (the default outside a command, or for a command
    without ``--all``)."""
    try:  # the click that runs the commands: Typer's own copy since 0.2x, else click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover
        from click import get_current_context  # type: ignore[no-redef]

    ctx = get_current_context(silent=True)
    found = None if ctx is None else ctx.meta.get(_LISTING)
    return found if isinstance(found, Listing) else Listing()


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
    how: Listing | None = None,
) -> None:
    """Rows as a table. Without --all, only the first screenful (the rows come in the command's
    order of relevance) and one line on stderr saying how many more there are and how to get
    them; with --all, every row streamed, the columns sized from the first rows. ``how`` is
    how to print it, by default the running command's :func:`listing`."""
    how = listing() if how is None else how
    if how.all:
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
    from rich.table import Table  # loaded by the listings that draw one

    t = Table(
        title=None if title is None else cell(title),
        show_edge=False,
        header_style="bold",
        show_header=header,
    )
    for c in columns:
        t.add_column(c, justify="right" if c in justify_right else "left", overflow="fold")
    for r in head:
        t.add_row(*cells(r))
    if out.is_terminal:
        out.print(t)
    else:  # into a file or another program: each row on one line, as wide as it needs (or
        # $COLUMNS wide), and no line padded with spaces at its end
        from rich.measure import Measurement

        natural = Measurement.get(out, out.options.update_width(UNBOUNDED), t).maximum
        columns = os.environ.get("COLUMNS", "").strip()
        width = int(columns) if columns.isdigit() and int(columns) > 0 else natural
        wide = Console(file=out.file, width=max(width, 1), highlight=False, soft_wrap=True)
        wide.push_render_hook(_NoRawControls())
        with wide.capture() as drawn:
            wide.print(t)
        out.file.write("".join(line.rstrip() + "\n" for line in drawn.get().splitlines()))
        out.file.flush()
    if more:
        err.print(
            _(
                "... {more:,} more row(s) not shown: --all prints every row; "
                "{formats} gives them to other programs"
            ).format(more=more, formats=how.formats),
            markup=False,
        )


UNBOUNDED = 100_000  # cells: wider than any table's natural width


def _stream(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    justify_right: Sequence[str],
    header: bool,
) -> None:
    """Every row, one line each, in the look of the table: rich's ``Table`` measures every cell
    of every row before printing the first, which for a long listing takes minutes and holds it
    all in memory."""
    from itertools import chain, islice

    from rich.cells import cell_len

    def text(v: Any) -> str:
        return "" if v is None else visible(" ".join(str(v).split("\n")), True)

    it = iter(rows)
    sample = [[text(v) for v in r] for r in islice(it, WIDTH_SAMPLE)]
    widths = [cell_len(c) if header else 0 for c in columns]
    for r in sample:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], cell_len(v))
    right = [c in justify_right for c in columns]
    write = out.file.write

    def line(values: Sequence[str], sep: str) -> str:
        parts = []
        for v, w, r in zip(values, widths, right, strict=False):
            pad = " " * max(w - cell_len(v), 0)
            parts.append(pad + v if r else v + pad)
        return " " + f" {sep} ".join(parts).rstrip() + "\n"

    if title:
        write(visible(title, True) + "\n")
    if header:
        write(line([visible(c, True) for c in columns], "┃"))
        write("╇".join("━" * (w + 2) for w in widths) + "\n")
    for r in chain(sample, ([text(v) for v in r] for r in it)):
        write(line(r, "│"))
    out.file.flush()


def ok(message: str) -> None:
    out.print(message, markup=False)


def warn(message: str) -> None:
    err.print(_("warning: {message}").format(message=message), markup=False)


def note(message: str) -> None:
    """A line for the person reading a table (why it is empty, say), on stderr."""
    err.print(message, markup=False)


def plain(text: str, nl: bool = True) -> None:
    """Text for a person on stdout: exact but for control characters other than line breaks."""
    sys.stdout.write(visible(text, keep_lines=True) + ("\n" if nl else ""))


def clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _records(data: Any) -> list[dict[str, Any]]:
    """The rows of a JSON result: a list of objects as they are; an object's ``rows`` (or its one
    list of objects) where it has them, else the object as one row; a list of plain values as a
    column ``value``."""
    if isinstance(data, dict):
        tables = [k for k, v in data.items() if _is_table(v)]
        if "rows" in tables:
            return list(data["rows"])
        return list(data[tables[0]]) if len(tables) == 1 else [data]
    if isinstance(data, list | tuple):
        return [r if isinstance(r, dict) else {"value": r} for r in data]
    return [{"value": data}]


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)


def _flat(value: Any) -> Any:
    """A cell: None empty, nested lists and objects as compact JSON, text with control
    characters (but line breaks) made visible."""
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    return visible(value, True) if isinstance(value, str) else value


def emit_records(data: Any, fmt: str) -> None:
    """A JSON-shaped result as CSV (``fmt="csv"``) or a Markdown table (``"md"``) on stdout:
    the columns are the records' keys in the order first seen, the same names as the JSON."""
    import csv

    rows = _records(data)
    columns: dict[str, None] = {}
    for r in rows:
        columns.update(dict.fromkeys(r))
    header = list(columns)
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([_flat(r.get(c)) for c in header])
        return

    def md(v: Any) -> str:
        return str(_flat(v)).replace("|", "\\|").replace("\n", " ")

    sys.stdout.write("| " + " | ".join(md(c) for c in header) + " |\n")
    sys.stdout.write("|" + "---|" * len(header) + "\n")
    for r in rows:
        sys.stdout.write("| " + " | ".join(md(r.get(c)) for c in header) + " |\n")
