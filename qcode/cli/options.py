"""Options and checks shared by the analysis commands (cooccur, network, framework view, freq,
matrix, crosstab, saturation)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import typer

from qcode.errors import InvalidInputError
from qcode.text.safety import visible

FORMATS = ("table", "csv", "json")

UNIT = typer.Option("overlap", "--unit", help="overlap, sentence, paragraph, turn or document.")
CODER = typer.Option([], "--coder", help="Only these coders (repeatable).")
WHERE = typer.Option([], "--where", help="Attribute filter K=V (repeatable).")
DOC = typer.Option([], "--doc", help="Only these documents (repeatable).")
SETS = typer.Option(
    [], "--set", help="Also count a saved set's results, as the code set:NAME (repeatable)."
)
CASE = typer.Option([], "--case", help="Only documents of these cases (repeatable).")
LEVEL = typer.Option("open", "--level", help="open, or axial: categories with their codes.")
MIN = typer.Option(1, "--min", help="Leave out pairs seen fewer times.")
FORMAT = typer.Option("table", "--format", help="table, csv or json.")
FIGURE = typer.Option(None, "--figure", help="Also draw it to FILE.png (300 dpi), .svg or .pdf.")


def check(format_: str, figure: Path | None = None) -> None:
    """Refuse an unknown format or figure type before any work is done."""
    if format_ not in FORMATS:
        raise InvalidInputError(f"unknown format {format_!r} (table, csv or json)")
    if figure is not None:
        from qcode.analysis.figures import check_path

        check_path(figure)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV on stdout, None as an empty field, control characters but line breaks made visible."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else visible(v, True) if isinstance(v, str) else v for v in r])


def _show_all(ctx: typer.Context, value: bool) -> bool:
    from qcode.cli.output import show_all

    return show_all(ctx, value)


# Every listing: the first screenful by default, every row (streamed) with --all.
ALL_ROWS = typer.Option(
    False,
    "--all",
    help="Print every row, streamed (default: the first screenful and a count of the rest).",
    callback=_show_all,
    expose_value=False,
)


def scope_of(*args: Any) -> Any:
    """``Scope.of`` (the shared scope of queries and analyses), loaded when a command runs."""
    from qcode.services.scope import Scope

    return Scope.of(*args)
