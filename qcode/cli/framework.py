"""The study's framework: qcode framework load|show, qcode link, qcode unlink."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, ok

framework_app = typer.Typer(
    help="The framework the study's codes are tied to.", no_args_is_help=True
)
app.add_typer(framework_app, name="framework")


@framework_app.command("load")
def load(
    file: Path,
    force: bool = typer.Option(
        False, "--force", help="Drop links to elements the file no longer has."
    ),
) -> None:
    """Load (or reload) the framework from a YAML or JSON file."""
    fw = project().framework.load(file, force)
    n = sum(len(d["elements"]) for d in fw["dimensions"])
    ok(f"loaded framework {fw['name']!r}: {len(fw['dimensions'])} dimensions, {n} elements")


@framework_app.command("show")
def show(json_: bool = typer.Option(False, "--json")) -> None:
    """Dimensions with their elements and the codes linked to each."""
    fw = project().framework.show()
    if json_:
        emit_json(fw)
        return
    ok(f"{fw['name'] or '(no framework loaded: qcode framework load FILE)'}")
    for d in fw["dimensions"]:
        ok(f"{d['name']} [{d['key']}]")
        for e in d["elements"]:
            codes = ", ".join(c["code"] for c in e["codes"])
            under = f" (under {e['parent']})" if e["parent"] else ""
            ok(f"  - {e['name']}{under}" + (f": {codes}" if codes else ""))
    if fw["links"]:
        ok("chain: " + ", ".join(f"{lk['from']} -> {lk['to']}" for lk in fw["links"]))


@app.command()
def link(
    code: str,
    element: str = typer.Argument(..., help="'dimension/element' or a unique element name."),
    relation: str = typer.Option("indicates", "--relation", help="Kind of link."),
) -> None:
    """Link a code or category to a framework element."""
    project().framework.link(code, element, relation)
    ok(f"linked {code!r} to {element!r} ({relation})")


@app.command()
def unlink(code: str, element: str) -> None:
    """Remove a code's links to a framework element."""
    n = project().framework.unlink(code, element)
    ok(f"removed {n} link(s)")
