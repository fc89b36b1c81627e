"""The write-up: qcode report (the theory report) and qcode quotes."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.options import WHERE
from qcode.cli.output import emit_json, ok
from qcode.cli.progress import working
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

ATTRIBUTES = typer.Option(
    None, "--with-attributes", help=N_("Attributes shown with each quote: K1,K2.")
)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@app.command()
def report(
    output: Path = typer.Option(
        ..., "--output", "-o", help=N_("File to write: .docx, .md or .html.")
    ),
    format_: str | None = typer.Option(
        None, "--format", help=N_("docx, md or html (default: from the file's extension).")
    ),
    core: bool = typer.Option(
        False, "--core", help=N_("The core category and every category related to it.")
    ),
    category: list[str] = typer.Option(
        [], "--category", help=N_("Report this category (repeatable).")
    ),
    quotes: int = typer.Option(3, "--quotes", help=N_("Representative quotes per category.")),
    with_figures: bool = typer.Option(
        False, "--with-figures", help=N_("Draw each category's co-occurrence neighbourhood.")
    ),
    with_attributes: str | None = ATTRIBUTES,
) -> None:
    """The theory report: for the core category and the categories related to it, definition,
    sub-codes, paradigm, quotes with references to their codings, memos, a network figure and
    a saturation note; the storyline; the framework when one is loaded."""
    from qcode.services.report import write_report

    with working(_("writing {name}").format(name=output.name)):
        doc = write_report(
            project(),
            output,
            format_,
            core,
            category,
            quotes,
            _split(with_attributes),
            with_figures,
        )
    n = sum(1 for b in doc.blocks if type(b).__name__ == "QuoteBlock")
    ok(_("report written to {output} ({n} quotes)").format(output=output, n=n))


@app.command("quotes")
def quotes_(
    code: str | None = typer.Argument(
        None, help=N_("A code or category (with the codes under it).")
    ),
    query: str | None = typer.Option(
        None, "--query", help=N_("Instead of CODE: a coding query, as qcode query takes it.")
    ),
    n: int = typer.Option(5, "--n", help=N_("How many quotes.")),
    where: list[str] = WHERE,
    format_: str = typer.Option("md", "--format", help=N_("md, docx, csv or json.")),
    output: Path | None = typer.Option(None, "--output", "-o", help=N_("Write to FILE.")),
    with_attributes: str | None = ATTRIBUTES,
) -> None:
    """The most representative quotes of a code (or of a coding query's result), with speaker,
    case, attributes and a reference to each coding: for pasting into a paper."""
    from qcode.interchange import grid
    from qcode.interchange.document import Doc, Heading, to_markdown, write_docx
    from qcode.services.quotes import query_quotes, quotes
    from qcode.services.report import quote_block

    if format_ not in ("md", "docx", "csv", "json"):
        raise InvalidInputError(
            _("unknown format {format_!r} (md, docx, csv or json)").format(format_=format_)
        )
    if format_ == "docx" and output is None:
        raise InvalidInputError(_("--format docx writes a file: give it with --output FILE"))
    if output is not None and not output.parent.is_dir():
        raise InvalidInputError(_("{output}: its folder does not exist").format(output=output))
    attrs = _split(with_attributes)
    if (code is None) == (query is None):
        raise InvalidInputError(_("give a CODE or --query EXPR (one of them)"))
    if query is not None:
        found = query_quotes(project(), query, n, where, attrs)
    else:
        assert code is not None
        found = quotes(project(), code, n, where, attrs)
    title = code if code is not None else _("query {query}").format(query=query)
    if format_ == "json":
        emit_json([q.as_json() for q in found])
        return
    if format_ == "csv":
        header = ["text", "code", "speaker", "case", *attrs, "document", "start", "end"]
        header += ["page", "coding_guid"]
        rows = [
            [q.text, q.code, q.speaker, q.case, *(q.as_json()["attributes"][a] for a in attrs)]
            + [q.document, q.start, q.end, q.page, q.coding_guid]
            for q in found
        ]
        text = grid.to_csv(header, rows)
    else:
        heading = _("Quotes: {title}").format(title=title)
        doc = Doc(heading, [Heading(1, heading)])
        doc.add(*(quote_block(q) for q in found))
        if format_ == "docx":
            assert output is not None
            write_docx(doc, output)
            ok(_("{n} quotes written to {output}").format(n=len(found), output=output))
            return
        text = to_markdown(doc)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        ok(_("{n} quotes written to {output}").format(n=len(found), output=output))
