"""The codebook: qcode codes add|list|show|rename|move|merge|edit|delete."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project, project_dir
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.i18n import N_, _, term

codes_app = typer.Typer(help=N_("Manage the codebook."), no_args_is_help=True)
app.add_typer(codes_app, name="codes")


@codes_app.command("add")
def add(
    name: str,
    parent: str | None = typer.Option(None, "--parent", help=N_("Parent code (name or path).")),
    description: str = typer.Option("", "--description", help=N_("What the code means.")),
    color: str | None = typer.Option(None, "--color", help=N_("Colour as #RRGGBB.")),
    level: str = typer.Option("open", "--level", help=N_("open, axial or selective.")),
    inclusion: str = typer.Option("", "--inclusion", help=N_("When to apply it.")),
    exclusion: str = typer.Option("", "--exclusion", help=N_("When not to.")),
    example: str = typer.Option("", "--example", help=N_("A typical quote.")),
    in_vivo: bool = typer.Option(False, "--in-vivo", help=N_("Named in the interviewee's words.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
) -> None:
    """Add a code (or, with --level axial/selective, a category)."""
    c = project().codes.add(
        name,
        parent,
        description,
        color,
        level,
        inclusion=inclusion,
        exclusion=exclusion,
        example=example,
        in_vivo=in_vivo,
    )
    if json_:
        emit_json(c.as_json())
    else:
        ok(_("added code {path!r}").format(path=c.path))


@codes_app.command("list")
def list_(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    aggregate: bool = typer.Option(
        False, "--aggregate", help=N_("Also count each code's sub-codes' codings and documents.")
    ),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """The code tree with coding and document counts."""
    from qcode.services import glance  # SQLite read directly, when it surely reads the same

    found = glance.codes(project_dir(), aggregate)
    codes = project().codes.list(aggregate=aggregate) if found is None else found
    if json_:
        emit_json([c.as_json() for c in codes])
        return
    extra = [_("aggregate"), _("agg. docs")] if aggregate else []
    table(
        None,
        [
            _("id"),
            _("code"),
            _("level"),
            _("codings"),
            _("docs"),
            *extra,
            _("colour"),
            _("description"),
        ],
        [
            (
                c.id,
                "  " * c.path.count("/") + c.name,
                term(c.level),
                c.codings,
                c.documents,
                *((c.codings_with_subcodes, c.documents_with_subcodes) if aggregate else ()),
                c.color,
                c.description,
            )
            for c in codes
        ],
        justify_right=[_("id"), _("codings"), _("docs"), *extra],
    )


@codes_app.command("show")
def show(code: str) -> None:
    """One code as JSON."""
    emit_json(project().codes.get(code).as_json())


@codes_app.command("rename")
def rename(code: str, new_name: str) -> None:
    """Rename a code (its path changes; codings stay)."""
    ok(_("renamed to {path!r}").format(path=project().codes.rename(code, new_name).path))


@codes_app.command("move")
def move(
    code: str,
    parent: str | None = typer.Argument(None, help=N_("New parent; omit (or --top) for the top.")),
    top: bool = typer.Option(False, "--top", help=N_("Move to the top level.")),
) -> None:
    """Move a code (with its sub-codes) under another code."""
    if parent is None and not top:
        raise typer.BadParameter("name a new parent, or pass --top")
    ok(_("moved to {path!r}").format(path=project().codes.move(code, None if top else parent).path))


@codes_app.command("merge")
def merge(source: str, target: str) -> None:
    """Merge SOURCE into TARGET: codings and sub-codes follow, SOURCE is deleted."""
    c = project().codes.merge(source, target)
    ok(_("merged into {path!r} ({codings} codings)").format(path=c.path, codings=c.codings))


@codes_app.command("edit")
def edit(
    code: str,
    description: str | None = typer.Option(None, "--description"),
    color: str | None = typer.Option(None, "--color"),
    level: str | None = typer.Option(None, "--level"),
    inclusion: str | None = typer.Option(None, "--inclusion"),
    exclusion: str | None = typer.Option(None, "--exclusion"),
    example: str | None = typer.Option(None, "--example"),
    in_vivo: bool | None = typer.Option(None, "--in-vivo/--not-in-vivo"),
) -> None:
    """Change a code's description, colour, level or notes."""
    c = project().codes.edit(
        code,
        description,
        color,
        level,
        inclusion=inclusion,
        exclusion=exclusion,
        example=example,
        in_vivo=in_vivo,
    )
    ok(_("updated {path!r}").format(path=c.path))


@codes_app.command("delete")
def delete(
    code: str, force: bool = typer.Option(False, "--force", help=N_("Delete its codings too."))
) -> None:
    """Delete a code and its sub-codes (refused while codings exist unless --force)."""
    n = project().codes.delete(code, force)
    if n:
        ok(_("deleted {code!r} and {n} coding(s)").format(code=code, n=n))
    else:
        ok(_("deleted {code!r}").format(code=code))
