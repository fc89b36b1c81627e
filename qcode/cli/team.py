"""Working as a team: qcode merge."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, ok, warn


@app.command()
def merge(
    other: Path = typer.Argument(..., help="Another coder's copy of the project (its folder)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report what would change; change nothing."
    ),
    json_: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Bring in another coder's copy: documents matched by content, codes by GUID then path,
    duplicate codings dropped, conflicts reported (this project's values kept). One undo step."""
    from qcode.services.merge import merge_project

    res = merge_project(project(), other, dry_run)
    if json_:
        emit_json(res.as_json())
        return
    verb = "would add" if dry_run else "added"
    added = ", ".join(f"{v} {k}" for k, v in res.added.items() if v) or "nothing"
    ok(f"{verb} {added} from {other}; {res.duplicates} duplicate coding(s) dropped")
    matched = ", ".join(f"{v} {k}" for k, v in res.matched.items() if v)
    if matched:
        ok(f"already here: {matched}")
    for line in res.conflicts:
        warn(f"conflict: {line}")
    for line in res.notes:
        warn(line)
