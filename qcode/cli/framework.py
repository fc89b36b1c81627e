"""The study's framework: qcode framework load|show, qcode link, qcode unlink."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.figure import CHECK, checked, refuse_pdf_check
from qcode.cli.options import ALL_ROWS, CODER, DOC, FORMAT, MIN, UNIT, WHERE, check, write_csv
from qcode.cli.output import emit_json, ok
from qcode.i18n import N_, _, term

framework_app = typer.Typer(
    help=N_("The framework the study's codes are tied to."), no_args_is_help=True
)
app.add_typer(framework_app, name="framework")


@framework_app.command("load")
def load(
    file: Path,
    force: bool = typer.Option(
        False, "--force", help=N_("Drop links to elements the file no longer has.")
    ),
) -> None:
    """Load (or reload) the framework from a YAML or JSON file."""
    fw = project().framework.load(file, force)
    n = sum(len(d["elements"]) for d in fw["dimensions"])
    ok(
        _("loaded framework {name!r}: {n} dimensions, {n2} elements").format(
            name=fw["name"], n=len(fw["dimensions"]), n2=n
        )
    )


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
        chain = ", ".join(f"{lk['from']} -> {lk['to']}" for lk in fw["links"])
        ok(_("chain: {chain}").format(chain=chain))


@app.command()
def link(
    code: str,
    element: str = typer.Argument(..., help=N_("'dimension/element' or a unique element name.")),
    relation: str = typer.Option("indicates", "--relation", help=N_("Kind of link.")),
) -> None:
    """Link a code or category to a framework element."""
    project().framework.link(code, element, relation)
    ok(
        _("linked {code!r} to {element!r} ({relation})").format(
            code=code, element=element, relation=relation
        )
    )


@app.command()
def unlink(code: str, element: str) -> None:
    """Remove a code's links to a framework element."""
    n = project().framework.unlink(code, element)
    ok(_("removed {n} link(s)").format(n=n))


@framework_app.command("view")
def view(
    unit: str = UNIT,
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    between: str = typer.Option(
        "",
        "--between",
        help=N_("Two dimensions, e.g. resilience_type,dilemma (default: the links)."),
    ),
    min_count: int = MIN,
    format_: str = FORMAT,
    figure: Path | None = typer.Option(
        None,
        "--figure",
        help=N_("Heat map of the two dimensions (needs --between): PNG, SVG, PDF."),
    ),
    _all_rows: bool = ALL_ROWS,
    check_figure: bool = CHECK,
) -> None:
    """Which framework elements co-occur (resilience types with dilemmas, ...), through which
    codes: codes aggregated onto the elements they are linked to."""
    from qcode.analysis.framework_view import through_text
    from qcode.cli.output import table
    from qcode.errors import InvalidInputError

    check(format_, figure)
    refuse_pdf_check(figure, check_figure)
    dims = [d.strip() for d in between.split(",") if d.strip()]
    if figure is not None and len(dims) != 2:
        raise InvalidInputError(_("--figure needs --between with two dimensions"))
    pairs = project().analysis.framework_view(unit, coder, where, doc, dims, min_count)
    if figure is not None:
        from qcode.analysis.figures import heatmap

        rows = sorted({p.element_a for p in pairs})
        cols = sorted({p.element_b for p in pairs})
        cell = {(p.element_a, p.element_b): p.count for p in pairs}
        heatmap(
            rows,
            cols,
            [[cell.get((r, c), 0) for c in cols] for r in rows],
            figure,
            title=_("{a} x {b} ({unit})").format(a=dims[0], b=dims[1], unit=term(unit)),
            label=_("co-occurrence count"),
        )
    fields = ["dimension_a", "element_a", "dimension_b", "element_b", "n_a", "n_b", "count", "c"]
    if format_ == "json":
        emit_json([p.as_json() for p in pairs])
    elif format_ == "csv":
        write_csv(
            [*fields, "through"],
            [[*(getattr(p, f) for f in fields), through_text(p.through)] for p in pairs],
        )
    else:
        table(
            _("framework view ({unit})").format(unit=term(unit)),
            [_("element A"), _("element B"), "n A", "n B", _("count"), "c", _("through (top 3)")],
            [
                (
                    p.element_a,
                    p.element_b,
                    p.n_a,
                    p.n_b,
                    p.count,
                    "" if p.c is None else f"{p.c:.3f}",
                    through_text(p.through, 3),
                )
                for p in pairs
            ],
            justify_right=["n A", "n B", _("count"), "c"],
        )
        if not pairs:
            ok(
                _(
                    "no elements co-occur at the {unit} unit; a wider unit (turn, document) may"
                ).format(unit=term(unit))
            )
        if figure is not None:
            ok(_("drew {figure}").format(figure=figure))
    checked(figure, check_figure, format_)
