"""Documents: list, show, units, speakers, rename, delete."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import clip, emit_json, ok, plain, table
from qcode.i18n import N_, _

docs_app = typer.Typer(help=N_("List and manage documents."), no_args_is_help=True)
app.add_typer(docs_app, name="docs")


@docs_app.command("list")
def list_(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")), _all_rows: bool = ALL_ROWS
) -> None:
    """Every document with its case, length and coding count."""
    docs = project().documents.list()
    if json_:
        emit_json([d.as_json() for d in docs])
        return
    table(
        None,
        [
            _("id"),
            _("name"),
            _("case"),
            _("chars"),
            _("lang"),
            _("codings"),
            _("turns"),
            _("sentences"),
        ],
        [
            (
                d.id,
                d.name,
                d.case,
                d.chars,
                d.language,
                d.codings,
                d.units["turn"],
                d.units["sentence"],
            )
            for d in docs
        ],
        justify_right=[_("id"), _("chars"), _("codings"), _("turns"), _("sentences")],
    )


@docs_app.command("show")
def show(
    document: str, json_: bool = typer.Option(False, "--json", help=N_("Print JSON."))
) -> None:
    """Print a document's stored text (exactly, with --json as a string)."""
    p = project()
    text = p.documents.text(document)
    if json_:
        emit_json({**p.documents.get(document).as_json(), "text": text})
    else:
        plain(text)


@docs_app.command("units")
def units(
    document: str,
    kind: str = typer.Option("sentence", "--unit", help=N_("sentence, paragraph or turn")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """A document's sentences, paragraphs or speaker turns with their offsets."""
    rows = project().documents.units(document, kind)
    if json_:
        emit_json(rows)
        return
    table(
        None,
        [_("start"), _("end"), _("speaker"), _("text")],
        [(r["start"], r["end"], r["speaker"], clip(r["text"], 80)) for r in rows],
        justify_right=[_("start"), _("end")],
    )


@docs_app.command("speakers")
def speakers(
    document: str,
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """A document's speakers with their turns, characters and share of the turns."""
    rows = project().documents.speakers(document)
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    table(
        None,
        [_("speaker"), _("turns"), _("characters"), _("share")],
        [(r.speaker, r.turns, r.characters, f"{100 * r.share:.0f}%") for r in rows],
        justify_right=[_("turns"), _("characters"), _("share")],
    )


@docs_app.command("rename")
def rename(document: str, new_name: str) -> None:
    """Rename a document."""
    d = project().documents.rename(document, new_name)
    ok(_("renamed to {name!r}").format(name=d.name))


@docs_app.command("delete")
def delete(
    document: str, force: bool = typer.Option(False, "--force", help=N_("Delete its codings too."))
) -> None:
    """Delete a document (refused while it has codings unless --force)."""
    project().documents.delete(document, force)
    ok(_("deleted {document!r}").format(document=document))
