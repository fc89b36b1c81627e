"""Coders: qcode coders list | add | edit."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.i18n import N_, _

coders_app = typer.Typer(help=N_("Coders: name, GUID and colour."))
app.add_typer(coders_app, name="coders")


@coders_app.command("list")
def list_(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")), _all_rows: bool = ALL_ROWS
) -> None:
    """Every coder with their GUID, colour and number of codings."""
    from qcode.services.coders import list_coders

    rows = list_coders(project())
    if json_:
        emit_json([c.as_json() for c in rows])
        return
    table(
        _("coders"),
        [_("name"), _("colour"), _("codings"), _("GUID")],
        [(c.name, c.color or "", c.codings, c.uuid) for c in rows],
        justify_right=[_("codings")],
    )


@coders_app.command("add")
def add(
    name: str = typer.Argument(..., help=N_("The coder's name.")),
    color: str | None = typer.Option(None, "--color", help=N_("#RRGGBB")),
) -> None:
    """Add a coder (coders are also added when they first code)."""
    from qcode.services.coders import add_coder

    c = add_coder(project(), name, color)
    ok(_("added coder {name!r} ({uuid})").format(name=c.name, uuid=c.uuid))


@coders_app.command("edit")
def edit(
    name: str = typer.Argument(..., help=N_("The coder's current name.")),
    new_name: str | None = typer.Option(None, "--name", help=N_("A new name.")),
    color: str | None = typer.Option(None, "--color", help=N_("#RRGGBB")),
) -> None:
    """Rename a coder or set their colour (their GUID stays)."""
    from qcode.services.coders import edit_coder

    c = edit_coder(project(), name, new_name, color)
    ok(_("coder {name!r}: colour {v1}").format(name=c.name, v1=c.color or "none"))
