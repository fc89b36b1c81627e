"""Tables: qcode freq, matrix, crosstab, saturation (as tables, CSV, JSON and figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qcode.cli.app import app, project
from qcode.cli.figure import CHECK, checked, refuse_pdf_check
from qcode.cli.options import (
    ALL_ROWS,
    CASE,
    CODER,
    DOC,
    FIGURE,
    FORMAT,
    LEVEL,
    SETS,
    WHERE,
    check,
    scope_of,
    write_csv,
)
from qcode.cli.output import emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _, term

_scope = scope_of


@app.command()
def freq(
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = CASE,
    set_: list[str] = SETS,
    level: str = LEVEL,
    format_: str = FORMAT,
    figure: Path | None = FIGURE,
    _all_rows: bool = ALL_ROWS,
    check_figure: bool = CHECK,
) -> None:
    """Code frequencies: codings, documents, cases and characters coded, per code."""
    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    rows = project().analysis.frequencies(scope=_scope(doc, case, where, coder, level, set_))
    if figure is not None:
        from qcode.analysis.figures import bar_chart

        shown = [f for f in rows if f.codings][:40]
        bar_chart(
            [f.code for f in shown],
            {
                _("codings"): [f.codings for f in shown],
                _("documents"): [f.documents for f in shown],
                _("cases"): [f.cases for f in shown],
            },
            figure,
            title=_("Code frequencies"),
            xlabel=_("count"),
        )
    fields = ["code", "codings", "documents", "cases", "characters"]
    if format_ == "json":
        emit_json(rows.as_json())
    elif format_ == "csv":
        write_csv(fields, [[getattr(f, k) for k in fields] for f in rows])
    else:
        columns = [_("code"), _("codings"), _("documents"), _("cases"), _("characters")]
        table(
            _("code frequencies"),
            columns,
            [[getattr(f, k) for k in fields] for f in rows],
            justify_right=columns[1:],
        )
        if figure is not None:
            ok(_("drew {figure}").format(figure=figure))
    checked(figure, check_figure, format_)


def _matrix_out(m: Any, format_: str, title: str, figure: Path | None, label: str) -> None:
    if figure is not None:
        from qcode.analysis.figures import heatmap

        heatmap(m.rows, m.columns, m.values, figure, title=title, label=label)
    if format_ == "json":
        emit_json(m.as_json())
    elif format_ == "csv":
        rows = [[r, *vals] for r, vals in zip(m.rows, m.values, strict=True)]
        if m.totals:
            rows.append([m.totals_label, *m.totals])
        write_csv(["code", *m.columns], rows)
    else:
        rows = [[r, *vals] for r, vals in zip(m.rows, m.values, strict=True)]
        if m.totals:
            shown = {"documents": _("(documents in group)"), "cases": _("(cases in group)")}
            rows.append([shown.get(m.totals_of, m.totals_label), *m.totals])
        table(title, [_("code"), *m.columns], rows, justify_right=list(m.columns))
        if figure is not None:
            ok(_("drew {figure}").format(figure=figure))


matrix_app = typer.Typer(
    help=N_("The code x document matrix; qcode matrix framework: the framework matrix."),
    invoke_without_command=True,
)
app.add_typer(matrix_app, name="matrix")


@matrix_app.callback()
def matrix(
    ctx: typer.Context,
    count: str = typer.Option(
        "codings", "--count", help=N_("codings, characters, or documents (1 where present).")
    ),
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = CASE,
    set_: list[str] = SETS,
    level: str = LEVEL,
    format_: str = FORMAT,
    figure: Path | None = FIGURE,
    _all_rows: bool = ALL_ROWS,
    check_figure: bool = CHECK,
) -> None:
    """The code x document matrix (qcode matrix framework: cases by codes, with summaries)."""
    if ctx.invoked_subcommand is not None:
        return
    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    m = project().analysis.matrix(count, scope=_scope(doc, case, where, coder, level, set_))
    title = _("codes x documents ({count})").format(count=term(count))
    _matrix_out(m, format_, title, figure, term(count))
    checked(figure, check_figure, format_)


@app.command()
def crosstab(
    attribute: str = typer.Argument(..., help=N_("A case or document attribute, e.g. occupation.")),
    count: str = typer.Option(
        "codings", "--count", help=N_("codings, characters, documents or cases with the code.")
    ),
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = CASE,
    set_: list[str] = SETS,
    level: str = LEVEL,
    format_: str = FORMAT,
    figure: Path | None = FIGURE,
    _all_rows: bool = ALL_ROWS,
    check_figure: bool = CHECK,
) -> None:
    """Codes by the values of an attribute (such as occupation or labour form)."""
    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    m = project().analysis.crosstab(
        attribute, count, scope=_scope(doc, case, where, coder, level, set_)
    )
    title = _("codes x {attribute} ({count})").format(attribute=attribute, count=term(count))
    _matrix_out(m, format_, title, figure, term(count))
    checked(figure, check_figure, format_)


@app.command()
def saturation(
    order: str = typer.Option(
        "imported",
        "--order",
        help=N_("imported, name, given (the --doc order), or an attribute such as a date."),
    ),
    base: int = typer.Option(4, "--base", help=N_("Base size: documents in the base.")),
    run: int = typer.Option(2, "--run", help=N_("Run length: documents per run.")),
    threshold: float = typer.Option(
        5.0, "--threshold", help=N_("New-information threshold in percent (5, or 0 for strict).")
    ),
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = CASE,
    level: str = LEVEL,
    format_: str = FORMAT,
    figure: Path | None = FIGURE,
    _all_rows: bool = ALL_ROWS,
    check_figure: bool = CHECK,
) -> None:
    """Thematic saturation after Guest, Namey and Chen (2020): new codes per document, the
    cumulative curve, and the base size, run length and new-information threshold."""
    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    if not 0 <= threshold < 100:
        raise InvalidInputError(
            _("threshold {threshold}: give a percentage from 0 to under 100").format(
                threshold=threshold
            )
        )
    sat = project().analysis.saturation(
        order, base, run, threshold / 100, scope=_scope(doc, case, where, coder, level)
    )
    if figure is not None:
        from qcode.analysis.figures import saturation_curve

        saturation_curve(
            [s.document for s in sat.steps],
            [len(s.new) for s in sat.steps],
            [s.cumulative for s in sat.steps],
            figure,
            caption=sat.statement(),
        )
    if format_ == "json":
        emit_json(sat.as_json())
        checked(figure, check_figure, format_)
        return
    header = ["position", "document", "codes", "new", "cumulative", "run new", "run share"]
    by_last = {r.last: r for r in sat.runs}
    rows = []
    for i, s in enumerate(sat.steps, 1):
        r = by_last.get(i)
        rows.append(
            [
                i,
                s.document,
                s.codes,
                len(s.new),
                s.cumulative,
                "" if r is None else r.new,
                "" if r is None or r.ratio is None else f"{r.ratio:.1%}",
            ]
        )
    if format_ == "csv":
        write_csv(header, rows)
        checked(figure, check_figure, format_)
        return
    shown = [_("position"), _("document"), _("codes"), _("new"), _("cumulative"), _("run new")]
    shown.append(_("run share"))
    table(_("saturation"), shown, rows, justify_right=[h for h in shown if h != _("document")])
    ok(_("base codes {base_codes}; {v1}").format(base_codes=sat.base_codes, v1=sat.statement()))
    if figure is not None:
        ok(_("drew {figure}").format(figure=figure))
    checked(figure, check_figure, format_)
