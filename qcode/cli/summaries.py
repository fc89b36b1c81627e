"""Summaries of framework-matrix cells: qcode summaries set|list|show|delete."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli.app import app, project
from qcode.cli.memos import _body
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import clip, emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

if TYPE_CHECKING:
    from qcode.services.summaries import SummaryInfo

summaries_app = typer.Typer(
    help=N_("Summaries of a case (or document) by a code: the cells of a framework matrix."),
    no_args_is_help=True,
)
app.add_typer(summaries_app, name="summaries")

ROW_KIND = typer.Option(
    None, "--rows", help=N_("case or document (default: a case of that name, else a document).")
)


def _show(m: SummaryInfo) -> None:
    ok(
        _("#{id} {row_kind} {row} x {code} by {coder}, {updated}").format(
            id=m.id, row_kind=m.row_kind, row=m.row, code=m.code, coder=m.coder, updated=m.updated
        )
    )
    if m.segments:
        ok(_("  draws on codings {v1}").format(v1=", ".join(str(i) for i in m.segments)))
    ok(m.body)


@summaries_app.command("set")
def set_(
    case: str = typer.Argument(..., help=N_("A case (or, with --rows document, a document).")),
    code: str = typer.Argument(..., help=N_("A code or category.")),
    text: str | None = typer.Option(None, "--text", help=N_("The summary, in Markdown.")),
    file: Path | None = typer.Option(None, "--file", help=N_("Read the Markdown from a file.")),
    segments: str | None = typer.Option(
        None, "--segments", help=N_("Ids of the codings it summarises: 3,7,12 (replaces earlier).")
    ),
    rows: str | None = ROW_KIND,
    coder: str | None = typer.Option(None, "--coder"),
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """Write (or rewrite) the summary of one cell."""
    body = _body(text, file)
    if body is None:
        raise InvalidInputError(_("give the summary with --text or --file"))
    from qcode.services.summaries import parse_ids

    m = project().summaries.set(case, code, body, parse_ids(segments), rows, coder)
    if json_:
        emit_json(m.as_json())
    else:
        ok(_("summary #{id}: {row} x {code}").format(id=m.id, row=m.row, code=m.code))


@summaries_app.command("list")
def list_(
    case: str | None = typer.Option(None, "--case", help=N_("Only this case's (or document's).")),
    code: str | None = typer.Option(None, "--code", help=N_("Only this code's.")),
    rows: str | None = ROW_KIND,
    json_: bool = typer.Option(False, "--json"),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """The summaries, by case and code."""
    found = project().summaries.list(case, code, rows)
    if json_:
        emit_json([m.as_json() for m in found])
        return
    table(
        _("summaries"),
        [_("id"), _("row"), _("code"), _("segments"), _("text")],
        [[m.id, m.row, m.code, len(m.segments), clip(m.body)] for m in found],
    )


@summaries_app.command("show")
def show(
    case: str,
    code: str,
    rows: str | None = ROW_KIND,
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """One cell's summary in full."""
    m = project().summaries.get(case, code, rows)
    if json_:
        emit_json(m.as_json())
    else:
        _show(m)


@summaries_app.command("delete")
def delete(case: str, code: str, rows: str | None = ROW_KIND) -> None:
    """Delete one cell's summary (undoable)."""
    project().summaries.delete(case, code, rows)
    ok(_("deleted the summary of {code!r} for {case!r}").format(code=code, case=case))
