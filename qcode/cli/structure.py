"""Grounded-theory structure: qcode relate, relations, paradigm, core."""

from __future__ import annotations

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

relations_app = typer.Typer(
    help=N_("List, edit and remove relations; relation types."), invoke_without_command=True
)
app.add_typer(relations_app, name="relations")


@app.command()
def relate(
    source: str,
    type_name: str = typer.Argument(..., metavar="TYPE", help=N_("e.g. 'causal condition of'.")),
    target: str = typer.Argument(...),
    comment: str = typer.Option("", "--comment"),
    evidence: list[int] = typer.Option([], "--evidence", help=N_("Coding id (repeatable).")),
    coder: str | None = typer.Option(None, "--coder"),
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """Relate two codes or categories: SOURCE TYPE TARGET."""
    r = project().structure.relate(source, type_name, target, comment, evidence, coder)
    if json_:
        emit_json(r.as_json())
    else:
        ok(f"#{r.id} {r.source} --{r.type}--> {r.target}")


@relations_app.callback()
def relations(
    ctx: typer.Context,
    code: str | None = typer.Option(None, "--code", help=N_("Only relations of this code.")),
    json_: bool = typer.Option(False, "--json"),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Every relation (with no subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = project().structure.list(code)
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    table(
        None,
        [_("id"), _("source"), _("type"), _("target"), _("evidence"), _("comment")],
        [
            (
                r.id,
                r.source,
                r.type + ("" if r.directed else " (symmetric)"),
                r.target,
                len(r.evidence),
                r.comment,
            )
            for r in rows
        ],
        justify_right=[_("id"), _("evidence")],
    )


@relations_app.command("edit")
def relations_edit(
    relation_id: int,
    comment: str | None = typer.Option(None, "--comment"),
    add_evidence: list[int] = typer.Option([], "--add-evidence"),
    remove_evidence: list[int] = typer.Option([], "--remove-evidence"),
) -> None:
    """Change a relation's comment or evidence."""
    r = project().structure.edit(relation_id, comment, add_evidence, remove_evidence)
    ok(
        _("#{id} {source} --{type}--> {target}: {n} evidence coding(s)").format(
            id=r.id, source=r.source, type=r.type, target=r.target, n=len(r.evidence)
        )
    )


@relations_app.command("remove")
def relations_remove(relation_id: int) -> None:
    """Remove a relation."""
    project().structure.remove(relation_id)
    ok(_("removed relation #{relation_id}").format(relation_id=relation_id))


@relations_app.command("types")
def relation_types(json_: bool = typer.Option(False, "--json"), _all_rows: bool = ALL_ROWS) -> None:
    """Relation types: the paradigm model's, ATLAS.ti's six, and your own."""
    rows = project().structure.types()
    if json_:
        emit_json([t.as_json() for t in rows])
        return
    table(
        None,
        [_("type"), _("family"), _("directed"), _("relations")],
        [(t.name, t.family, "yes" if t.directed else "no (symmetric)", t.relations) for t in rows],
        justify_right=[_("relations")],
    )


@relations_app.command("add-type")
def relation_add_type(
    name: str,
    symmetric: bool = typer.Option(False, "--symmetric", help=N_("Undirected (A~B is B~A).")),
    description: str = typer.Option("", "--description"),
) -> None:
    """Define a relation type of your own."""
    t = project().structure.add_type(name, not symmetric, description)
    ok(_("added relation type {name!r}").format(name=t.name))


@app.command()
def paradigm(
    category: str | None = typer.Argument(None, help=N_("The phenomenon.")),
    disable: bool = typer.Option(False, "--disable", help=N_("Switch the paradigm model off.")),
    enable: bool = typer.Option(False, "--enable", help=N_("Switch it back on.")),
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """The paradigm worksheet of CATEGORY: conditions, context, strategies, consequences."""
    from qcode import settings as settings_mod

    p = project()
    if disable or enable:
        p.settings.paradigm = enable
        settings_mod.save(p.root, p.settings)
        ok(_("paradigm model on") if enable else _("paradigm model off"))
        return
    if category is None:
        raise InvalidInputError(_("name the category to use as phenomenon"))
    sheet = p.structure.paradigm(category)
    if json_:
        emit_json(sheet)
        return
    ok(_("phenomenon: {phenomenon}").format(phenomenon=sheet["phenomenon"]))
    for slot, items in sheet["slots"].items():
        ok(f"{slot}:" + (_("  (empty)") if not items else ""))
        for it in items:
            note = f" — {it['comment']}" if it["comment"] else ""
            ok(
                _("  {code}  [{evidence} evidence]{note}").format(
                    code=it["code"], evidence=it["evidence"], note=note
                )
            )


@app.command()
def core(
    category: str | None = typer.Argument(None, help=N_("Make this the core category.")),
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """Set or show the core category, every category's path to it, and what is not related."""
    p = project()
    if category is not None:
        p.structure.set_core(category)
    info = p.structure.core()
    if json_:
        emit_json(info)
        return
    core = ", ".join(info["core"]) or _("(none yet: qcode core CATEGORY)")
    ok(_("core: {core}").format(core=core))
    for cat, steps in info["paths"].items():
        ok(f"  {cat}: " + " ".join((f"--{s}-->" if i % 2 else s) for i, s in enumerate(steps)))
    if info["unrelated"]:
        ok(_("not related to the core: {codes}").format(codes=", ".join(info["unrelated"])))
    if info["storyline"]:
        ok(_("storyline memo(s): {memos}").format(memos=", ".join(info["storyline"])))
