"""Figures: qcode figure check (and the --check that the figure commands share)."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app
from qcode.cli.output import emit_json, ok

figure_app = typer.Typer(help="Check the figures qcode drew.", no_args_is_help=True)
app.add_typer(figure_app, name="figure")

CHECK = typer.Option(
    False, "--check", help="Then print the figure's overlap, contrast, size and glyph findings."
)


def report(path: Path, json_: bool = False) -> int:
    """Print a figure's findings; 1 if there are any."""
    from qcode.analysis.figure_check import findings, read, summary

    geom = read(path)
    found = findings(geom)
    counts = summary(geom, found)
    if json_:
        emit_json({"file": str(path), **counts, "findings": [f.__dict__ for f in found]})
    else:
        hidden = f", {geom.hidden} unlabelled" if geom.hidden else ""
        ok(
            f"{path}: {counts['labels']} texts, {counts['nodes']} nodes{hidden}, printed "
            f"{counts['print_width_mm']} mm wide: "
            + ("clean" if not found else f"{len(found)} findings")
        )
        for f in found:
            ok(f"  {f.kind}: {f.message}")
    return 1 if found else 0


@figure_app.command("check")
def check_cmd(
    file: Path,
    json_: bool = typer.Option(False, "--json", help="The counts and findings as JSON."),
) -> None:
    """Overlapping labels, labels on other nodes or off the canvas, contrast below 4.5, text
    under 6 pt at print size and missing glyphs, in a PNG or SVG figure qcode drew (exit 1 if
    any)."""
    rc = report(file, json_)
    if rc:
        raise typer.Exit(rc)
