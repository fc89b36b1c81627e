"""Saved queries (retrieval sets): qcode sets save|list|show|run|delete."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS, CASE, CODER, DOC, LEVEL, WHERE, scope_of
from qcode.cli.output import emit_json, ok, table
from qcode.i18n import N_, _

sets_app = typer.Typer(help=N_("Saved queries (retrieval sets) and sets of codes."))
app.add_typer(sets_app, name="sets")

JSON = typer.Option(False, "--json", help=N_("Print JSON."))


@sets_app.command("save")
def save(
    name: str = typer.Argument(..., help=N_("The set's name.")),
    expr: str = typer.Argument(..., help=N_("The query (see qcode query --help).")),
    description: str = typer.Option("", "--description", help=N_("What the set is for.")),
    replace: bool = typer.Option(
        False, "--replace", help=N_("Change the query of an existing set.")
    ),
) -> None:
    """Save a query as a set: it is evaluated again whenever it is used (a smart code)."""
    info = project().sets.save(name, expr, description, replace)
    ok(_("saved set {name!r}: {count} result(s) now").format(name=info.name, count=info.count))


@sets_app.command("list")
def list_(json_: bool = JSON, _all_rows: bool = ALL_ROWS) -> None:
    """The sets with their queries (or codes) and current counts."""
    rows = project().sets.list()
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    table(
        _("{n} set(s)").format(n=len(rows)),
        [_("name"), _("count"), _("query or codes")],
        [(r.name, "" if r.count is None else r.count, r.query or ", ".join(r.codes)) for r in rows],
        justify_right=[_("count")],
    )


@sets_app.command("show")
def show(name: str = typer.Argument(...), json_: bool = JSON) -> None:
    """One set: its query or codes, description and count."""
    info = project().sets.show(name)
    if json_:
        emit_json(info.as_json())
        return
    ok(f"{info.name}: {info.query or ', '.join(info.codes)}")
    if info.description:
        ok(info.description)
    if info.count is not None:
        ok(_("{count} result(s)").format(count=info.count))


@sets_app.command("run")
def run(
    name: str = typer.Argument(...),
    doc: list[str] = DOC,
    case: list[str] = CASE,
    where: list[str] = WHERE,
    coder: list[str] = CODER,
    level: str = LEVEL,
    unit: str = typer.Option(
        "match", "--unit", help=N_("match, sentence, paragraph, turn, document.")
    ),
    format_: str = typer.Option("table", "--format", help=N_("table, csv, json or md.")),
    context: int = typer.Option(0, "--context", help=N_("Show N characters either side.")),
) -> None:
    """The set's results now, as qcode query shows them."""
    from qcode.cli.query import FORMATS, show
    from qcode.errors import InvalidInputError

    if format_ not in FORMATS:
        raise InvalidInputError(
            _("unknown format {format_!r} ({v1})").format(format_=format_, v1=", ".join(FORMATS))
        )
    scope = scope_of(doc, case, where, coder, level)
    show(project().sets.run(name, scope, unit, context), format_, context)


@sets_app.command("delete")
def delete(name: str = typer.Argument(...)) -> None:
    """Delete a set (one undo step); codes and codings stay."""
    project().sets.delete(name)
    ok(_("deleted set {name!r}").format(name=name))
