"""Memos: qcode memos add|list|show|edit|delete."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import clip, emit_json, ok, plain, table
from qcode.errors import InputFileError
from qcode.i18n import N_, _, link_kind, memo_type

if TYPE_CHECKING:
    from qcode.services.memos import MemoInfo

memos_app = typer.Typer(help=N_("Write and find memos."), no_args_is_help=True)
app.add_typer(memos_app, name="memos")


def _body(body: str | None, file: Path | None) -> str | None:
    if file is None:
        return body
    if not file.is_file():
        raise InputFileError(file, _("no such file") if not file.exists() else _("is not a file"))
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            file, _("cannot be read as UTF-8 text ({exc})").format(exc=exc)
        ) from None


def _show(m: MemoInfo) -> None:
    ok(
        _("#{id} {title} [{type}] by {coder}, {updated}").format(
            id=m.id, title=m.title, type=memo_type(m.type), coder=m.coder, updated=m.updated
        )
    )
    for lk in m.links:
        span = f" [{lk.start}, {lk.end})" if lk.start is not None else ""
        ok(f"  -> {link_kind(lk.kind)}: {lk.label}{span}")
    ok(m.body)


@memos_app.command("add")
def add(
    title: str,
    body: str | None = typer.Option(None, "--body", help=N_("Markdown text.")),
    file: Path | None = typer.Option(
        None, "--file", help=N_("Read the Markdown text from a file.")
    ),
    type_: str = typer.Option(
        "free", "--type", help=N_("free, code, theory, method, sampling, storyline.")
    ),
    code: list[str] = typer.Option([], "--code", help=N_("Link to a code (repeatable).")),
    doc: list[str] = typer.Option([], "--doc", help=N_("Link to a document (repeatable).")),
    coding: list[int] = typer.Option([], "--coding", help=N_("Link to a coding id (repeatable).")),
    case: list[str] = typer.Option([], "--case", help=N_("Link to a case (repeatable).")),
    relation: list[int] = typer.Option([], "--relation", help=N_("Link to a relation id.")),
    memo: list[int] = typer.Option([], "--memo", help=N_("Link to another memo's id.")),
    coder: str | None = typer.Option(None, "--coder"),
    json_: bool = typer.Option(False, "--json"),
) -> None:
    """Write a memo."""
    from qcode.services.memos import Target

    targets = (
        [Target("code", c) for c in code]
        + [Target("document", d) for d in doc]
        + [Target("coding", str(i)) for i in coding]
        + [Target("case", c) for c in case]
        + [Target("relation", str(i)) for i in relation]
        + [Target("memo", str(i)) for i in memo]
    )
    m = project().memos.add(title, _body(body, file) or "", type_, targets, coder)
    if json_:
        emit_json(m.as_json())
    else:
        ok(_("added memo #{id} {title!r}").format(id=m.id, title=m.title))


@memos_app.command("list")
def list_(
    search: str | None = typer.Option(
        None, "--search", help=N_("Only memos containing this text.")
    ),
    json_: bool = typer.Option(False, "--json"),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Memos, newest first."""
    memos = project().memos.list(search=search)
    if json_:
        emit_json([m.as_json() for m in memos])
        return
    table(
        None,
        [_("id"), _("title"), _("type"), _("coder"), _("updated"), _("links"), _("text")],
        [
            (m.id, m.title, memo_type(m.type), m.coder, m.updated, len(m.links), clip(m.body, 40))
            for m in memos
        ],
        justify_right=[_("id"), _("links")],
    )


@memos_app.command("show")
def show(memo_id: int, json_: bool = typer.Option(False, "--json")) -> None:
    """One memo in full."""
    m = project().memos.get(memo_id)
    if json_:
        emit_json(m.as_json())
    else:
        _show(m)


@memos_app.command("edit")
def edit(
    memo_id: int,
    title: str | None = typer.Option(None, "--title"),
    body: str | None = typer.Option(None, "--body"),
    file: Path | None = typer.Option(None, "--file"),
    type_: str | None = typer.Option(None, "--type"),
    editor: bool = typer.Option(
        False,
        "--editor",
        help=N_("Edit the text in your editor (setting editor, $VISUAL, $EDITOR)."),
    ),
) -> None:
    """Change a memo's title, text or type."""
    p = project()
    text = _body(body, file)
    if editor:
        from qcode.cli.editor import edit_text

        old = p.memos.get(memo_id).body
        text = edit_text(old if text is None else text)
        if text == old and title is None and type_ is None:
            ok(_("memo #{memo_id} unchanged").format(memo_id=memo_id))
            return
    m = p.memos.edit(memo_id, title, text, type_)
    ok(_("updated memo #{id}").format(id=m.id))


@memos_app.command("delete")
def delete(memo_id: int) -> None:
    """Delete a memo."""
    project().memos.delete(memo_id)
    ok(_("deleted memo #{memo_id}").format(memo_id=memo_id))


@memos_app.command("export")
def export(
    format_: str = typer.Option("md", "--format", help=N_("md (one Markdown outline).")),
    output: Path | None = typer.Option(None, "-o", "--output", help=N_("File (default: stdout).")),
) -> None:
    """Write every memo as one outline."""
    if format_ != "md":
        raise InputFileError(
            output or "-",
            _("unsupported memo export format {format_!r} (md)").format(format_=format_),
        )
    text = project().memos.export_markdown()
    if output is None:
        plain(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        ok(_("wrote {output}").format(output=output))
