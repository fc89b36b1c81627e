"""Whole projects out: qcode export --format qdpx."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, ok, warn
from qcode.cli.progress import working
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _


@app.command("export")
def export(
    format_: str = typer.Option("qdpx", "--format", help=N_("qdpx (REFI-QDA project).")),
    output: Path = typer.Option(..., "--output", "-o", help=N_("File to write (FILE.qdpx).")),
    json_: bool = typer.Option(False, "--json", help=N_("Print what was written as JSON.")),
) -> None:
    """Write the whole project for another tool: REFI-QDA .qdpx (codebook, cases, variables,
    sources, codings, memos, relations, sets)."""
    if format_ != "qdpx":
        raise InvalidInputError(
            _(
                "unknown format {format_!r} (qdpx; for codebooks see 'qcode codebook export')"
            ).format(format_=format_)
        )
    from qcode.services.exchange import export_qdpx

    with working(_("exporting {name}").format(name=output.name)):
        report = export_qdpx(project(), output)
    if json_:
        emit_json({"file": str(report.path), "counts": report.counts, "notes": report.notes})
        return
    parts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    ok(_("wrote {path}: {parts}").format(path=report.path, parts=parts))
    for note in report.notes:
        warn(note)
