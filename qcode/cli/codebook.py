"""Codebooks out and in: qcode codebook export | import."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, ok
from qcode.i18n import N_, _, ngettext

codebook_app = typer.Typer(
    help=N_("Export the codebook (md, csv, json, docx, xlsx, qdc) or merge one in."),
    no_args_is_help=True,
)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("export")
def export(
    output: Path = typer.Option(..., "--output", "-o", help=N_("The file to write.")),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help=N_("md, csv, json, docx, xlsx or qdc (default: from the file's extension)."),
    ),
    level: list[str] = typer.Option(
        [], "--level", help=N_("Only codes of this level: open, axial, selective (repeatable).")
    ),
    with_counts: bool = typer.Option(
        False, "--with-counts", help=N_("Add each code's codings and documents.")
    ),
    with_examples: int = typer.Option(
        0, "--with-examples", min=0, metavar="N", help=N_("Add up to N coded quotes per code.")
    ),
) -> None:
    """Write the codebook: hierarchy, levels, notes, counts, quotes, relations, framework links."""
    from qcode.services.codebook import export_codebook

    levels = [lv.strip() for item in level for lv in item.split(",") if lv.strip()]
    cb = export_codebook(project(), output, fmt, levels or None, with_counts, with_examples)
    n = sum(not c.context for c in cb.codes)
    ok(
        _("wrote {output}: {n} code(s), {n2} relation(s), {n3} set(s)").format(
            output=output, n=n, n2=len(cb.relations), n3=len(cb.sets)
        )
    )
    queries = sum(1 for s in cb.sets if s.query)
    if queries and (fmt or output.suffix.lower().lstrip(".")) == "qdc":
        ok(
            ngettext(
                "note: {queries} saved query: REFI-QDA has no place for a query; each is "
                "written as a 'qcode query:' paragraph of its set's description",
                "note: {queries} saved queries: REFI-QDA has no place for a query; each is "
                "written as a 'qcode query:' paragraph of its set's description",
                queries,
            ).format(queries=queries)
        )


@codebook_app.command("import")
def import_(
    file: Path = typer.Argument(..., help=N_("A codebook: .csv, .json or .qdc.")),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help=N_("csv, json or qdc (default: from the file's extension).")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print the report as JSON.")),
) -> None:
    """Merge a codebook into the project (one undo step): codes matched by GUID, then path."""
    from qcode.services.codebook import import_codebook

    report = import_codebook(project(), file, fmt)
    if json_:
        emit_json(asdict(report))
        return
    ok(
        _("{file}: added {n}, updated {n2}, skipped {n3}").format(
            file=file, n=len(report.added), n2=len(report.updated), n3=len(report.skipped)
        )
    )
    for word, items in (
        ("added", report.added),
        ("updated", report.updated),
        ("skipped", report.skipped),
        ("note", report.notes),
    ):
        for item in items:
            ok(f"  {word}: {item}")
