"""Coded segments out: qcode segments export."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.options import CODER, DOC, WHERE
from qcode.cli.output import ok
from qcode.i18n import N_, ngettext

segments_app = typer.Typer(help=N_("Export coded segments, one row per coding (csv, xlsx, md)."))
app.add_typer(segments_app, name="segments")


@segments_app.command("export")
def export(
    output: Path = typer.Option(
        ..., "--output", "-o", help=N_("File to write: .csv, .xlsx or .md.")
    ),
    format_: str | None = typer.Option(
        None, "--format", help=N_("csv, xlsx or md (default: from the file's extension).")
    ),
    code: list[str] = typer.Option(
        [], "--code", help=N_("Only this code and the codes under it (repeatable).")
    ),
    subcodes: bool = typer.Option(
        True, "--subcodes/--no-subcodes", help=N_("With --code: include the codes under it.")
    ),
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = typer.Option(
        [], "--case", help=N_("Only documents of these cases (repeatable).")
    ),
    level: str = typer.Option(
        "open", "--level", help=N_("open: every coding; axial: only codings under a category.")
    ),
    query: str | None = typer.Option(
        None, "--query", help=N_("Only the codings behind a saved set's (or a query's) results.")
    ),
    group_by: str = typer.Option(
        "code", "--group-by", help=N_("md: sections by code or document.")
    ),
    bom: bool = typer.Option(
        False, "--bom", help=N_("csv: start with a UTF-8 byte-order mark (for Excel).")
    ),
) -> None:
    """One row per coding with document, case, attributes, code, coder, offsets, exact text,
    speaker and memos: for R, SPSS, Excel, or (md) to read and quote."""
    from qcode.services.segments import SegmentFilter, export_segments

    scope = SegmentFilter(
        codes=code,
        coders=coder,
        docs=doc,
        where=where,
        cases=case,
        level=level,
        subcodes=subcodes,
        query=query,
    )
    n = export_segments(project(), output, format_, scope, group_by, bom)
    ok(
        ngettext("{n} segment written to {output}", "{n} segments written to {output}", n).format(
            n=n, output=output
        )
    )
