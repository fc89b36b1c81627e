"""Analysis: qcode cooccur."""

from __future__ import annotations

import csv
import sys

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, table
from qcode.errors import InvalidInputError

MEASURES = ("count", "c", "jaccard")
FIELDS = ("code_a", "code_b", "n_a", "n_b", "count", "c", "jaccard", "warning")


@app.command()
def cooccur(
    unit: str = typer.Option(
        "overlap", "--unit", help="overlap, sentence, paragraph, turn or document."
    ),
    measure: str = typer.Option("count", "--measure", help="Sort by: count, c or jaccard."),
    coder: list[str] = typer.Option([], "--coder", help="Only these coders (repeatable)."),
    where: list[str] = typer.Option([], "--where", help="Attribute filter K=V (repeatable)."),
    doc: list[str] = typer.Option([], "--doc", help="Only these documents (repeatable)."),
    level: str = typer.Option(
        "open", "--level", help="open, or axial: categories as the union of their codes."
    ),
    min_count: int = typer.Option(1, "--min", help="Leave out pairs seen fewer times."),
    format_: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Which codes occur together, and how strongly (definitions: qcode.analysis.cooccurrence)."""
    if measure not in MEASURES:
        raise InvalidInputError(f"unknown measure {measure!r} ({', '.join(MEASURES)})")
    if format_ not in ("table", "csv", "json"):
        raise InvalidInputError(f"unknown format {format_!r} (table, csv or json)")
    pairs = project().analysis.cooccur(unit, coder, where, doc, level, min_count)
    if measure != "count":
        pairs.sort(key=lambda p: -(getattr(p, measure) or 0.0))
    else:
        pairs.sort(key=lambda p: -p.count)
    if format_ == "json":
        emit_json([p.as_json() for p in pairs])
    elif format_ == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(FIELDS)
        for p in pairs:
            w.writerow(["" if v is None else v for v in (getattr(p, f) for f in FIELDS)])
    else:

        def fmt(v: float | None) -> str:
            return "" if v is None else f"{v:.3f}"

        table(
            f"co-occurrence ({unit})",
            ["code A", "code B", "n A", "n B", "count", "c", "jaccard", ""],
            [
                (
                    p.code_a,
                    p.code_b,
                    p.n_a,
                    p.n_b,
                    p.count,
                    fmt(p.c),
                    fmt(p.jaccard),
                    "n differ >5x" if p.warning else "",
                )
                for p in pairs
            ],
            justify_right=["n A", "n B", "count", "c", "jaccard"],
        )
