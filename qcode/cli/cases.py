"""Cases and attributes: qcode cases ..., qcode attrs ..."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.i18n import N_, _, attribute_type, term

cases_app = typer.Typer(
    help=N_("Manage cases (usually one per interviewee)."), no_args_is_help=True
)
attrs_app = typer.Typer(help=N_("Typed attributes of cases and documents."), no_args_is_help=True)
app.add_typer(cases_app, name="cases")
app.add_typer(attrs_app, name="attrs")

_SCOPE = typer.Option(False, "--doc", help=N_("Document attributes rather than case attributes."))


@cases_app.command("list")
def cases_list(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")), _all_rows: bool = ALL_ROWS
) -> None:
    """Every case with its document count and attributes."""
    cases = project().cases.list()
    if json_:  # as CSV: a column per attribute
        records = [c.as_json() for c in cases]
        flat = [
            {k: v for k, v in r.items() if k != "attributes"} | r["attributes"] for r in records
        ]
        emit_json(records, rows=flat)
        return
    table(
        None,
        [_("id"), _("case"), _("documents"), _("attributes")],
        [
            (
                c.id,
                c.name,
                c.documents,
                ", ".join(f"{k}={_shown(v)}" for k, v in c.attributes.items()),
            )
            for c in cases
        ],
        justify_right=[_("id"), _("documents")],
    )


@cases_app.command("add")
def cases_add(
    name: str,
    description: str = typer.Option("", "--description"),
    attr: list[str] = typer.Option([], "--attr", help=N_("KEY=VALUE (repeatable).")),
) -> None:
    """Add a case."""
    from qcode.services.attributes import parse_assignments

    c = project().cases.add(name, description, parse_assignments(attr))
    ok(_("added case {name!r}").format(name=c.name))


@cases_app.command("rename")
def cases_rename(name: str, new_name: str) -> None:
    """Rename a case."""
    ok(_("renamed to {name!r}").format(name=project().cases.rename(name, new_name).name))


@cases_app.command("delete")
def cases_delete(
    name: str, force: bool = typer.Option(False, "--force", help=N_("Detach its documents."))
) -> None:
    """Delete a case (refused while documents belong to it unless --force)."""
    project().cases.delete(name, force)
    ok(_("deleted case {name!r}").format(name=name))


@cases_app.command("assign")
def cases_assign(document: str, case: str) -> None:
    """Put a document in a case (created if new)."""
    project().cases.assign(document, case)
    ok(_("{document!r} is now in case {case!r}").format(document=document, case=case))


@attrs_app.command("list")
def attrs_list(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")), _all_rows: bool = ALL_ROWS
) -> None:
    """Attribute definitions with their types."""
    defs = project().attributes.list()
    if json_:
        emit_json([a.as_json() for a in defs])
        return
    table(
        None,
        [_("name"), _("type"), _("scope"), _("values")],
        [(a.name, a.type, a.scope, a.values) for a in defs],
        justify_right=[_("values")],
    )


@attrs_app.command("define")
def attrs_define(
    name: str,
    type_: str = typer.Option("text", "--type", help=N_("text, number, date or boolean.")),
    doc: bool = _SCOPE,
) -> None:
    """Define an attribute and its type before any value is set."""
    a = project().attributes.define(name, type_, "document" if doc else "case")
    ok(
        _("defined {scope} attribute {name!r} ({type})").format(
            scope=term(a.scope), name=a.name, type=attribute_type(a.type)
        )
    )


@attrs_app.command("set")
def attrs_set(target: str, assignments: list[str], doc: bool = _SCOPE) -> None:
    """Set KEY=VALUE attributes on a case (or a document with --doc)."""
    from qcode.services.attributes import parse_assignments

    vals = project().attributes.set(
        target, parse_assignments(assignments), "document" if doc else "case"
    )
    ok(", ".join(f"{k}={_shown(v)}" for k, v in vals.get(target, {}).items()))


@attrs_app.command("unset")
def attrs_unset(target: str, names: list[str], doc: bool = _SCOPE) -> None:
    """Remove attribute values from a case (or a document with --doc)."""
    project().attributes.unset(target, names, "document" if doc else "case")
    ok(_("removed {v1} from {target!r}").format(v1=", ".join(names), target=target))


@attrs_app.command("show")
def attrs_show(
    target: str | None = typer.Argument(None),
    doc: bool = _SCOPE,
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Attribute values of every case (or one), or of documents with --doc."""
    scope = "document" if doc else "case"
    vals = project().attributes.values(scope, target)
    if json_:  # as CSV: one row per case (or document), a column per attribute
        emit_json(vals, rows=[{scope: k, **d} for k, d in vals.items()])
        return
    table(
        None,
        ["", _("attributes")],
        [(k, ", ".join(f"{a}={_shown(v)}" for a, v in d.items())) for k, d in vals.items()],
    )


def _shown(value: object) -> object:
    """A value as a case sheet writes it: a yes/no attribute as yes or no."""
    return ("yes" if value else "no") if isinstance(value, bool) else value
