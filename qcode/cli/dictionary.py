"""Dictionary analysis: qcode dict check | score | matches."""

from __future__ import annotations

import textwrap
from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.figure import CHECK, checked, refuse_pdf_check
from qcode.cli.options import ALL_ROWS, DOC, FIGURE, FORMAT, WHERE, check, write_csv
from qcode.cli.output import clip, emit_json, ok, table
from qcode.cli.progress import working
from qcode.i18n import N_, _

dict_app = typer.Typer(
    help=N_("Dictionary (lexicon) analysis: count a dictionary's categories in the documents."),
    no_args_is_help=True,
)
app.add_typer(dict_app, name="dict")

FILE = typer.Argument(
    ..., help=N_("A dictionary file, YAML or JSON (schemas/dictionary.schema.json).")
)
JOBS = typer.Option(
    0, "--jobs", help=N_("Processes for large projects (0: one per core; used from 2 MB of text).")
)


def _by_label(by: str) -> str:
    """What the rows are, as a column header: document, case (translated) or an attribute."""
    named = {"document": _("document"), "case": _("case")}
    return named.get(by) or by.removeprefix("attribute:")


def _workers(jobs: int) -> int | None:
    return None if jobs <= 0 else jobs


@dict_app.command("check")
def check_cmd(file: Path = FILE, format_: str = FORMAT, _all_rows: bool = ALL_ROWS) -> None:
    """Validate a dictionary file and summarise its categories."""
    from qcode.analysis.dictionary import load_dictionary

    check(format_)
    d = load_dictionary(file)
    rows = d.summary()
    fields = ["category", "terms", "wildcards", "character_terms", "patterns", "case_sensitive"]
    if format_ == "json":
        emit_json({"name": d.name, "file": str(file), "categories": rows})
    elif format_ == "csv":
        write_csv(fields, [[r[k] for k in fields] for r in rows])
    else:
        headers = [
            _("category"),
            _("terms"),
            _("wildcard"),
            _("Han/kana"),
            _("patterns"),
            _("case"),
        ]
        table(
            d.name,
            headers,
            [
                [
                    *(r[k] for k in fields[:5]),
                    _("sensitive") if r["case_sensitive"] else _("ignored"),
                ]
                for r in rows
            ],
            justify_right=headers[1:5],
        )
        ok(_("{file}: valid, {n} categories").format(file=file, n=len(rows)))


@dict_app.command("score")
def score_cmd(
    file: Path = FILE,
    per: float = typer.Option(
        1000.0, "--per", help=N_("Rates per this many word tokens (stop words included).")
    ),
    by: str = typer.Option(
        "document", "--by", help=N_("document, case, or an attribute: KEY or attribute:KEY.")
    ),
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    format_: str = FORMAT,
    figure: Path | None = FIGURE,
    check_figure: bool = CHECK,
    jobs: int = JOBS,
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Matches per category and unit, as counts and as rates per --per word tokens (stop
    words included). Within a category, overlapping matches count once (the longest)."""
    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    with project() as p:
        from qcode.services.dictionary import DictionaryService

        with working(_("scoring")):
            result = DictionaryService(p).score(file, by, where, doc, per, _workers(jobs))
    rate_label = _("matches per {per:g} word tokens").format(per=per)
    if figure is not None:
        from qcode.analysis.figures import heatmap

        heatmap(
            result.units,
            result.categories,
            result.matrix("rate"),
            figure,
            title=_("{dictionary}\nby {by}").format(
                dictionary=textwrap.fill(result.dictionary, 70), by=_by_label(result.by)
            ),
            label=rate_label,
        )
    fields = ["unit", "category", "count", "tokens", "rate", "documents"]
    if format_ == "json":
        emit_json(result.as_json())
    elif format_ == "csv":
        write_csv(fields, [[getattr(r, k) for k in fields] for r in result.rows])
    else:
        cells = {(r.unit, r.category): r for r in result.rows}
        tokens = result.tokens()
        table(
            _("{dictionary}: matches (per {per:g} word tokens)").format(
                dictionary=result.dictionary, per=per
            ),
            [_by_label(result.by), _("tokens"), *result.categories],
            [
                [
                    u,
                    tokens.get(u, 0),
                    *(
                        f"{cells[(u, c)].count} ({cells[(u, c)].rate:.2f})"
                        for c in result.categories
                    ),
                ]
                for u in result.units
            ],
            justify_right=[_("tokens"), *result.categories],
        )
        ok(
            _(
                "rate: {rate_label}, stop words included; overlapping matches "
                "within a category count once (the longest)"
            ).format(rate_label=rate_label)
        )
        if figure is not None:
            ok(_("drew {figure}").format(figure=figure))
    checked(figure, check_figure, format_)


@dict_app.command("matches")
def matches_cmd(
    file: Path = FILE,
    category: list[str] = typer.Option([], "--category", help=N_("Only these categories.")),
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    format_: str = FORMAT,
    jobs: int = JOBS,
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Every match: document, start, end (code points), category and the words matched."""
    check(format_)
    with project() as p:
        from qcode.services.dictionary import DictionaryService

        found = DictionaryService(p).matches(file, where, doc, category, _workers(jobs))
    fields = ["document", "start", "end", "category", "text"]
    if format_ == "json":
        emit_json([m.as_json() for m in found])
    elif format_ == "csv":
        write_csv(fields, [[getattr(m, k) for k in fields] for m in found])
    else:
        table(
            _("{n} matches").format(n=len(found)),
            [_("document"), _("start"), _("end"), _("category"), _("text")],
            [[m.document, m.start, m.end, m.category, clip(m.text)] for m in found],
            justify_right=[_("start"), _("end")],
        )
