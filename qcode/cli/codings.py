"""Coding: qcode code, qcode uncode, qcode codings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import clip, emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _
from qcode.records import Records

if TYPE_CHECKING:
    from qcode.services.codings import CodingInfo


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        # a value of the wrong type is a usage error (exit 2), as click gives for an int option
        raise typer.BadParameter(
            _("{what} {value!r} is not a whole number").format(what=what, value=value)
        ) from None


def _report(infos: list[CodingInfo], json_: bool) -> None:
    if json_:
        emit_json([c.as_json() for c in infos])
        return
    for c in infos[:20]:
        if c.existed:
            ok(
                _("{document!r} [{start}, {end}) is coded with {code!r} already: {text!r}").format(
                    document=c.document, start=c.start, end=c.end, code=c.code, text=clip(c.text)
                )
            )
            continue
        ok(
            _("coded {document!r} [{start}, {end}) with {code!r}: {v1!r}").format(
                document=c.document, start=c.start, end=c.end, code=c.code, v1=clip(c.text)
            )
        )
    if len(infos) > 20:
        ok(_("... {n} codings in all").format(n=len(infos)))


@app.command()
def code(
    args: list[str] = typer.Argument(None, help=N_("DOC START END CODE, or DOC CODE with --text.")),
    text: str | None = typer.Option(None, "--text", help=N_("Code where these exact words occur.")),
    all_: bool = typer.Option(False, "--all", help=N_("With --text: every occurrence.")),
    from_file: Path | None = typer.Option(
        None, "--from", help=N_("CSV/JSONL: document,start,end,code,coder.")
    ),
    coder: str | None = typer.Option(None, "--coder", help=N_("Coder (default: your user name).")),
    create: bool = typer.Option(False, "--create", help=N_("Create codes that do not exist yet.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
) -> None:
    """Apply a code to [START, END) code points of a document."""
    from qcode.services.codings import CodingRequest

    p = project()
    args = args or []
    if from_file is not None:
        if args or text:
            raise InvalidInputError(_("--from takes no DOC, range, code or --text"))
        _report(p.codings.apply_file(from_file, create, coder), json_)
        return
    if text is not None:
        if len(args) != 2:
            raise InvalidInputError(
                _("with --text give DOC and CODE: qcode code DOC --text WORDS CODE")
            )
        doc, code_ref = args
        ranges = p.codings.find_text(doc, text, all_)
        reqs = [CodingRequest(doc, a, b, code_ref, coder) for a, b in ranges]
        _report(p.codings.apply_many(reqs, create, existing_ok=True), json_)
        return
    if len(args) != 4:
        raise InvalidInputError(
            _("give DOC START END CODE (or DOC --text WORDS CODE, or --from FILE)")
        )
    doc, start, end, code_ref = args
    info = p.codings.apply(doc, _int(start, "START"), _int(end, "END"), code_ref, coder, create)
    _report([info], json_)


@app.command()
def uncode(
    args: list[str] = typer.Argument(None, help=N_("DOC START END CODE, or DOC CODE with --text.")),
    ids: list[int] = typer.Option([], "--id", help=N_("Coding id to remove (repeatable).")),
    text: str | None = typer.Option(None, "--text", help=N_("Where these exact words occur.")),
    all_: bool = typer.Option(False, "--all", help=N_("With --text: every occurrence.")),
    coder: str | None = typer.Option(None, "--coder", help=N_("Only this coder's codings.")),
    overlapping: bool = typer.Option(
        False, "--overlapping", help=N_("Remove every coding of CODE that overlaps the range.")
    ),
) -> None:
    """Remove codings: by id, or CODE on exactly [START, END) (or overlapping it)."""
    p = project()
    args = args or []
    targets = list(ids)
    if text is not None:
        if len(args) != 2:
            raise InvalidInputError(_("with --text give DOC and CODE"))
        doc, code_ref = args
        for a, b in p.codings.find_text(doc, text, all_):
            targets += p.codings.matching(doc, a, b, code_ref, coder, overlapping)
    elif args:
        if len(args) != 4:
            raise InvalidInputError(_("give DOC START END CODE, or --id ID"))
        doc, start, end, code_ref = args
        targets += p.codings.matching(
            doc, _int(start, "START"), _int(end, "END"), code_ref, coder, overlapping
        )
    if not targets:
        raise InvalidInputError(_("name codings to remove: --id ID, or DOC START END CODE"))
    ok(_("removed {v1} coding(s)").format(v1=p.codings.remove(targets)))


@app.command()
def codings(
    doc: str | None = typer.Option(None, "--doc", help=N_("Only this document.")),
    code_ref: str | None = typer.Option(None, "--code", help=N_("Only this code.")),
    coder: list[str] = typer.Option([], "--coder", help=N_("Only these coders (repeatable).")),
    subcodes: bool = typer.Option(False, "--subcodes", help=N_("With --code: include sub-codes.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """List codings with the text they cover: all coders', or those of --coder."""
    p = project()
    if len(coder) > 1:
        from qcode.errors import NotFoundError
        from qcode.services.coders import list_coders

        known = {c.name for c in list_coders(p)}
        unknown = [c for c in coder if c not in known]
        if unknown:
            raise NotFoundError(_("no coder named {v1!r}").format(v1=unknown[0]))
    rows = p.codings.list(
        doc, code_ref, coder[0] if len(coder) == 1 else None, include_subcodes=subcodes
    )
    if len(coder) > 1:
        rows = Records((r for r in rows if r.coder in coder), of=rows.of)
    if json_:
        emit_json(rows.as_json())
        return
    table(
        None,
        [_("id"), _("document"), _("start"), _("end"), _("page"), _("code"), _("coder"), _("text")],
        [
            (
                c.id,
                c.document,
                c.start,
                c.end,
                "" if c.page is None else f"p. {c.page}",
                c.code,
                c.coder,
                clip(c.text),
            )
            for c in rows
        ],
        justify_right=[_("id"), _("start"), _("end")],
    )
