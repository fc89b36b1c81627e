"""Coding queries and text searches: qcode query."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS, CASE, CODER, DOC, LEVEL, WHERE, scope_of, write_csv
from qcode.cli.output import emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

if TYPE_CHECKING:
    from qcode.services.query import QueryHit

FORMATS = ("table", "csv", "json", "md")
FIELDS = ("document", "case", "start", "end", "codes", "coders", "text")

GRAMMAR = """\b
Grammar (loosest first; keywords in any case):
  query   := query or query | query and query | not query
           | operand OP operand
  OP      := inside | outside | overlaps
           | followed by ... within N UNIT | near ... within N UNIT
  operand := CODE | text "words" | text /regex/[i] | word WORD
           | set NAME | ( query )
           | only one of (query, ...) | at least N of (query, ...)
  CODE    := a path or name; quote it when it holds a keyword;
             CODE/* takes the codes under it too
  UNIT    := chars | sentences | paragraphs | turns
\b
Ranges are half-open [start, end) in code points. A and B: the overlap
of each overlapping pair (with --unit: the units holding both); not A:
what A does not cover (with --unit: the units A does not touch); inside:
contained, equal counts; outside: no shared code point; followed by:
from A's end to B's start. A inside/outside/overlaps/followed by/near B
returns A's ranges. Definitions in full: the README, "Queries".
\b
Examples:
  qcode query "'income volatility' inside 'contribution decisions'"
  qcode query "distrust and not 'family provides'" --unit document
  qcode query "text /told me nothing/ followed by strategy within 0 turns"
  qcode query --rows "a,b" --cols attribute:gender --count cases"""


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@app.command(help="Find coded segments and text: a coding query or a matrix query.\n\n" + GRAMMAR)
def query(
    expr: str = typer.Argument("", help=N_("The query (see the grammar above).")),
    doc: list[str] = DOC,
    case: list[str] = CASE,
    where: list[str] = WHERE,
    coder: list[str] = CODER,
    level: str = LEVEL,
    unit: str = typer.Option(
        "match", "--unit", help=N_("match, sentence, paragraph, turn or document.")
    ),
    format_: str = typer.Option("table", "--format", help=N_("table, csv, json or md (xlsx: -o).")),
    context: int = typer.Option(0, "--context", help=N_("Show N characters either side.")),
    code: str | None = typer.Option(
        None, "--code", help=N_("Code every result with this code (made if new); one undo step.")
    ),
    to_queue: bool = typer.Option(
        False, "--to-queue", help=N_("With --code: send the results to the review queue instead.")
    ),
    rows: str | None = typer.Option(
        None, "--rows", help=N_("Matrix: comma-separated queries (codes), or attribute:KEY.")
    ),
    cols: str | None = typer.Option(
        None, "--cols", help=N_("Matrix: comma-separated queries (codes), or attribute:KEY.")
    ),
    count: str = typer.Option(
        "segments", "--count", help=N_("Matrix cells: segments, documents, cases or characters.")
    ),
    cell: str | None = typer.Option(None, "--cell", help=N_("Matrix: the segments of cell R,C.")),
    output: Path | None = typer.Option(
        None, "--output", "-o", help=N_("Matrix: write .csv, .json or .xlsx here.")
    ),
    figure: Path | None = typer.Option(
        None, "--figure", help=N_("Matrix: draw a heat map to FILE.png, .svg or .pdf.")
    ),
    _all_rows: bool = ALL_ROWS,
) -> None:
    from qcode.services.query import UNITS

    if format_ not in FORMATS:
        raise InvalidInputError(
            _("unknown format {format_!r} ({v1})").format(format_=format_, v1=", ".join(FORMATS))
        )
    if unit not in UNITS:
        raise InvalidInputError(
            _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
        )
    if context < 0 or context > 100_000:
        raise InvalidInputError(
            _("--context {context} is out of range (0 to 100000)").format(context=context)
        )
    if to_queue and not code:
        raise InvalidInputError(_("--to-queue needs --code CODE: the code the results suggest"))
    scope = scope_of(doc, case, where, coder, level)
    if rows is not None or cols is not None:
        from qcode.cli.query_matrix import matrix_query

        if code or to_queue or context:
            raise InvalidInputError(
                _("--code, --to-queue and --context take a query, not a matrix")
            )

        matrix_query(expr, rows, cols, count, cell, scope, unit, format_, output, figure)
        return
    matrix_only = {"--cell": cell, "--output": output, "--figure": figure}
    if count != "segments":
        matrix_only["--count"] = count
    for option, value in matrix_only.items():
        if value is not None:
            raise InvalidInputError(
                _("{option} belongs to a matrix query: give --rows and --cols").format(
                    option=option
                )
            )
    if not expr.strip():
        raise InvalidInputError(_("query: column 1: expected a code, a text search or '('"))
    p = project()
    if code:
        if to_queue:
            run, n = p.query.queue(expr, code, scope, unit)
            queued = _("{n} result(s) queued for review").format(n=n)
            ok(queued + (_(" (run {run})").format(run=run) if run else ""))
        else:
            coded, had = p.query.code(expr, code, scope, unit)
            done = _("coded {coded} result(s) with {code!r}").format(coded=coded, code=code)
            ok(done + (_("; {had} already so").format(had=had) if had else ""))
        return
    hits = p.query.run(expr, scope, unit, context)
    show(hits, format_, context)


def show(hits: Sequence[QueryHit], format_: str, context: int = 0) -> None:
    """Hits as json, csv, md or a table."""
    if format_ == "json":
        emit_json([h.as_json(context=bool(context)) for h in hits])
    elif format_ == "csv":
        extra = ("before", "after") if context else ()
        write_csv(
            (*FIELDS, *extra),
            [
                [
                    *(getattr(h, f) for f in FIELDS[:4]),
                    ";".join(h.codes),
                    ";".join(h.coders),
                    h.text,
                    *(getattr(h, f) for f in extra),
                ]
                for h in hits
            ],
        )
    elif format_ == "md":
        lines = ["| document | case | start | end | codes | coders | text |", "|---" * 7 + "|"]
        for h in hits:
            text = f"…{h.before}**{h.text}**{h.after}…" if context else h.text
            cells = [h.document, h.case or "", h.start, h.end, ", ".join(h.codes)]
            cells += [", ".join(h.coders), text]
            lines.append("| " + " | ".join(_md(str(c)) for c in cells) + " |")
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        from qcode.cli.output import clip

        table(
            _("{n} result(s)").format(n=len(hits)),
            [_("document"), _("case"), _("start"), _("end"), _("codes"), _("coders"), _("text")],
            [
                (
                    h.document,
                    h.case or "",
                    h.start,
                    h.end,
                    ", ".join(h.codes),
                    ", ".join(h.coders),
                    (h.before + "«" + h.text + "»" + h.after) if context else clip(h.text, 80),
                )
                for h in hits
            ],
            justify_right=[_("start"), _("end")],
        )
