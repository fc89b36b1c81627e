"""Roles on a team server: qcode team roles | add-coder."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.i18n import N_, _

team_app = typer.Typer(help=N_("Who may change what on a PostgreSQL team server."))
app.add_typer(team_app, name="team")


@team_app.command("roles")
def roles(
    codebook: str | None = typer.Option(
        None, "--codebook", help=N_("Who may change the codebook: leads (default) or coders.")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """The people with a role in this project (lead, coder, observer); the server enforces that
    an observer changes nothing and a coder only their own codings and memos."""
    p = project()
    if codebook is not None:
        p.roles.set_codebook(codebook)
        ok(_("the codebook may now be changed by {codebook}").format(codebook=codebook))
    members = p.roles.members()
    with p.engine.connect() as conn:
        by_coders = p.roles.codebook_by_coders(conn)
    if json_:
        emit_json(
            {
                "members": [m.as_json() for m in members],
                "codebook": "coders" if by_coders else "leads",
            }
        )
        return
    table(_("roles"), [_("name"), _("role")], [(m.name, m.role) for m in members])
    ok(_("codebook changed by: {v1}").format(v1="leads and coders" if by_coders else "leads"))


@team_app.command("add-coder")
def add_coder(
    name: str = typer.Argument(..., help=N_("The person's server role name (lower case).")),
    role: str = typer.Option("coder", "--role", help=N_("coder, lead or observer.")),
) -> None:
    """Create a server login role for a person and print the line they connect with."""
    url, password = project().roles.add(name, role)
    ok(_("added {name} as {role}").format(name=name, role=role))
    ok(_("connect with: qcode init FOLDER --db {url} --user {name}").format(url=url, name=name))
    ok(
        _("password (shown once; keep it in ~/.pgpass or PGPASSWORD): {password}").format(
            password=password
        )
    )
