"""Auto-coding through a review queue: qcode autocode, qcode review."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS, DOC, WHERE
from qcode.cli.output import emit_json, ok, table
from qcode.cli.progress import working
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _, term


@app.command()
def autocode(
    rules: Path = typer.Argument(
        ..., help=N_("Rules file (YAML or JSON; schemas/rules.schema.json).")
    ),
    apply: bool = typer.Option(
        False, "--apply", help=N_("Apply every proposal now (one undo step) instead of queueing.")
    ),
    doc: list[str] = DOC,
    where: list[str] = WHERE,
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
) -> None:
    """Run auto-coding rules: proposals go to the review queue (qcode review), or with --apply
    straight into the project as codings by you, the rule recorded."""
    from qcode.services.autocode import run_rules

    with working(_("auto-coding")):
        report = run_rules(project(), rules, doc, where, apply)
    if json_:
        emit_json(report.as_json())
        return
    what = "applied" if apply else "queued for review"
    ok(
        _("run {run} ({name}): {proposed} proposal(s) {what}").format(
            run=report.run, name=report.name, proposed=report.proposed, what=what
        )
    )
    for rule, n in report.by_rule.items():
        ok(f"  {rule}: {n}")
    if report.skipped_existing:
        ok(
            _("  {skipped_existing} already coded so, left out").format(
                skipped_existing=report.skipped_existing
            )
        )


review_app = typer.Typer(help=N_("The review queue of auto-coding proposals."))
app.add_typer(review_app, name="review")


@review_app.command("list")
def list_(
    run: int | None = typer.Option(None, "--run", help=N_("Only this run.")),
    status: str = typer.Option(
        "pending", "--status", help=N_("pending, accepted, rejected or all.")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Suggestions with their text."""
    from qcode.services.autocode import suggestions

    rows = suggestions(project(), run, None if status == "all" else status)
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    table(
        _("{n} suggestion(s)").format(n=len(rows)),
        [
            _("id"),
            _("run"),
            _("document"),
            _("start"),
            _("end"),
            _("code"),
            _("rule"),
            _("status"),
            _("text"),
        ],
        [
            (r.id, r.run, r.document, r.start, r.end, r.code, r.rule, r.status, r.text[:60])
            for r in rows
        ],
        justify_right=[_("id"), _("run"), _("start"), _("end")],
    )


def _ids(ids: list[int], all_: bool, run: int | None) -> list[int]:
    from qcode.services.autocode import suggestions

    if all_:
        return [s.id for s in suggestions(project(), run)]
    if not ids:
        raise InvalidInputError(_("name suggestion ids, or --all"))
    return ids


@review_app.command()
def accept(
    ids: list[int] = typer.Argument(None, help=N_("Suggestion ids.")),
    all_: bool = typer.Option(False, "--all", help=N_("Every pending suggestion (of --run).")),
    run: int | None = typer.Option(None, "--run", help=N_("With --all: only this run.")),
) -> None:
    """Accept suggestions: each becomes a coding by you (one undo step)."""
    from qcode.services.autocode import accept as do

    ok(_("accepted {v1} suggestion(s)").format(v1=do(project(), _ids(ids or [], all_, run))))


@review_app.command()
def reject(
    ids: list[int] = typer.Argument(None, help=N_("Suggestion ids.")),
    all_: bool = typer.Option(False, "--all", help=N_("Every pending suggestion (of --run).")),
    run: int | None = typer.Option(None, "--run", help=N_("With --all: only this run.")),
) -> None:
    """Reject suggestions (one undo step)."""
    from qcode.services.autocode import reject as do

    ok(_("rejected {v1} suggestion(s)").format(v1=do(project(), _ids(ids or [], all_, run))))


@review_app.command()
def adjust(
    sid: int = typer.Argument(..., help=N_("Suggestion id.")),
    start: int = typer.Argument(..., help=N_("New start (code points).")),
    end: int = typer.Argument(..., help=N_("New end (code points, exclusive).")),
) -> None:
    """Move a pending suggestion's range before accepting it."""
    from qcode.services.autocode import adjust as do

    s = do(project(), sid, start, end)
    ok(
        _("suggestion {id}: [{start}, {end}) {text!r}").format(
            id=s.id, start=s.start, end=s.end, text=s.text
        )
    )


@review_app.command()
def runs(
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")), _all_rows: bool = ALL_ROWS
) -> None:
    """Auto-coding runs and how their suggestions stand."""
    from qcode.services.autocode import runs as all_runs

    rows = all_runs(project())
    if json_:
        emit_json(rows)
        return
    table(
        _("auto-coding runs"),
        [_("run"), _("name"), _("coder"), _("created"), _("pending"), _("accepted"), _("rejected")],
        [
            (
                r["run"],
                r["name"],
                r["coder"],
                r["created"],
                r.get("pending", 0),
                r.get("accepted", 0),
                r.get("rejected", 0),
            )
            for r in rows
        ],
    )


@review_app.command()
def revert(run: int = typer.Argument(..., help=N_("Run number (qcode review runs)."))) -> None:
    """Take a whole run back: its suggestions and every coding accepted from it."""
    from qcode.services.autocode import revert as do

    ok(_("reverted run {run}: {v1} coding(s) removed").format(run=run, v1=do(project(), run)))


@app.command()
def similar(
    code: str = typer.Argument(..., help=N_("The code (path or unique name).")),
    unit: str = typer.Option("sentence", "--unit", help=N_("sentence, paragraph or turn.")),
    top: int = typer.Option(20, "--top", help=N_("How many.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Uncoded sentences (paragraphs, turns) most like CODE's coded segments (TF-IDF cosine with
    their centroid; word vectors when a trained model that has them is set), for constant
    comparison."""
    from qcode.services.similar import similar as rank

    rows = rank(project(), code, unit, top)
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    table(
        _("uncoded {unit}s most like {code!r}").format(unit=term(unit), code=code),
        [_("score"), _("document"), _("start"), _("end"), _("shared terms"), _("text")],
        [
            (f"{r.score:.3f}", r.document, r.start, r.end, ", ".join(r.terms), r.text[:80])
            for r in rows
        ],
        justify_right=[_("score"), _("start"), _("end")],
    )
