"""qcode matrix framework: cases (or documents) by codes, each cell its summary or its segments."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import typer

from qcode.cli.app import project
from qcode.cli.options import WHERE
from qcode.cli.output import emit_json, ok
from qcode.cli.tables import matrix_app
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

FORMATS = ("table", "csv", "json", "xlsx", "docx", "md")
CELL = 40  # characters of a cell shown in the terminal's table
# characters two columns wide (CJK, Hangul, full-width forms, emoji): only text with one of these
# needs rich's slower measuring
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)


def plain_grid(header: list[str], rows: list[list[Any]]) -> str:
    """A grid of one-line cells, each at most :data:`CELL` columns wide (wide characters count
    twice). Plain text, not a rich table: rich measures and wraps every cell, which takes
    seconds for a few thousand cells."""
    from rich.cells import cell_len, set_cell_size

    def one_line(v: Any) -> str:
        return "" if v is None else " ".join(str(v).split())

    cells = [[one_line(h) for h in header], *[[one_line(v) for v in r] for r in rows]]
    widths = [min(CELL, max(cell_len(r[i]) for r in cells)) for i in range(len(header))]

    def line(r: list[str]) -> str:
        parts = []
        for text, w in zip(r, widths, strict=True):
            if not WIDE.search(text):  # one column a character: plain slicing
                parts.append(text if len(text) <= w else text[: w - 1] + "…")
                parts[-1] = parts[-1].ljust(w)
                continue
            if cell_len(text) > w:
                text = set_cell_size(text, w - 1) + "…"
            parts.append(set_cell_size(text, w))
        return " │ ".join(parts).rstrip()

    out = [line(cells[0]), "─┼─".join("─" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out) + "\n"


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@matrix_app.command("framework")
def framework(
    rows: str = typer.Option("cases", "--rows", help=N_("cases or documents.")),
    codes: str | None = typer.Option(None, "--codes", help=N_("Columns: these codes, C1,C2.")),
    level: str | None = typer.Option(
        None, "--level", help=N_("Columns: axial (every category) or open (every code).")
    ),
    set_: str | None = typer.Option(None, "--set", help=N_("Columns: the codes of this set.")),
    where: list[str] = WHERE,
    with_attributes: str | None = typer.Option(
        None, "--with-attributes", help=N_("Attribute columns after the row's name: K1,K2.")
    ),
    format_: str = typer.Option("table", "--format", help=", ".join(FORMATS) + "."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help=N_("Write to FILE (needed for xlsx and docx).")
    ),
) -> None:
    """The framework matrix: one row per case (or document) with chosen attributes, one column
    per code or category, each cell its summary or, where none is written, the count of its
    segments and their first words. Default columns: the categories (or every code)."""
    from qcode.interchange import grid
    from qcode.services.framework_matrix import framework_matrix

    if format_ not in FORMATS:
        raise InvalidInputError(
            _("unknown format {format_!r} ({v1})").format(format_=format_, v1=", ".join(FORMATS))
        )
    if format_ in ("xlsx", "docx") and output is None:
        raise InvalidInputError(
            _("--format {format_} writes a file: give it with --output FILE").format(
                format_=format_
            )
        )
    if output is not None and not output.parent.is_dir():
        raise InvalidInputError(_("{output}: its folder does not exist").format(output=output))
    p = project()
    m = framework_matrix(p, rows, _split(codes), level, set_, where, _split(with_attributes))
    header = [rows[:-1], *m.attributes, *m.columns]
    body = [
        [name, *(vals.get(a) for a in m.attributes), *(c.text() for c in cells)]
        for name, vals, cells in zip(m.rows, m.values, m.cells, strict=True)
    ]
    title = f"Framework matrix: {p.settings.name}"
    if format_ == "xlsx":
        assert output is not None
        grid.write_xlsx(
            output, "framework matrix", header, body, 1 + len(m.attributes), m.attribute_types
        )
    elif format_ == "docx":
        assert output is not None
        note = f"{len(m.rows)} {rows} by {len(m.columns)} codes."
        first = 1 + len(m.attributes)
        summaries = {  # a summary is Markdown
            (r, first + j)
            for r, cells in enumerate(m.cells)
            for j, c in enumerate(cells)
            if c.summary is not None
        }
        grid.write_docx(output, title, header, body, note, summaries)
    else:
        if format_ == "json":
            import json

            text = json.dumps(m.as_json(), ensure_ascii=False, indent=2, default=str) + "\n"
        elif format_ == "csv":
            text = grid.to_csv(header, body)
        elif format_ == "md":
            text = f"# {title}\n\n" + grid.to_markdown(header, body)
        else:
            if output is None:  # one line a cell here; md, csv, xlsx and docx hold it all
                sys.stdout.write(f"{title}\n\n" + plain_grid(header, body))
                return
            text = grid.to_markdown(header, body)
        if output is None:
            if format_ == "json":
                emit_json(m.as_json())
            else:
                sys.stdout.write(text)
            return
        output.write_text(text, encoding="utf-8")
    ok(
        _("{n} {rows} x {n2} codes written to {output}").format(
            n=len(m.rows), rows=rows, n2=len(m.columns), output=output
        )
    )
