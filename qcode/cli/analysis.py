"""Analysis: qcode cooccur."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli.app import app, project
from qcode.cli.figure import CHECK, report
from qcode.cli.options import (
    ALL_ROWS,
    CASE,
    CODER,
    DOC,
    FORMAT,
    LEVEL,
    MIN,
    SETS,
    UNIT,
    WHERE,
    check,
    scope_of,
    write_csv,
)
from qcode.cli.output import emit_json, note, ok, table
from qcode.cli.progress import working
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _, ngettext, term

if TYPE_CHECKING:
    from qcode.services.project import Project
    from qcode.services.scope import Scope

MEASURES = ("count", "c", "jaccard")
FIELDS = (
    "code_a",
    "code_b",
    "n_a",
    "n_b",
    "count",
    "c",
    "jaccard",
    "warning",
    "overlapping_a",
    "overlapping_b",
)


@app.command()
def cooccur(
    unit: str = UNIT,
    measure: str = typer.Option("count", "--measure", help=N_("Sort by: count, c or jaccard.")),
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    case: list[str] = CASE,
    set_: list[str] = SETS,
    level: str = LEVEL,
    min_count: int = MIN,
    format_: str = FORMAT,
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Which codes occur together, and how strongly: the count, and ATLAS.ti's c-coefficient
    n12 / (nA + nB - n12), which by sentence, paragraph, turn or document is the Jaccard index
    of the units holding each code; by overlap, n12 is the mean number of codings of each code
    that overlap the other (the columns "A overlapping" and "B overlapping")."""
    if measure not in MEASURES:
        raise InvalidInputError(
            _("unknown measure {measure!r} ({v1})").format(measure=measure, v1=", ".join(MEASURES))
        )
    check(format_)
    p, scope = project(), scope_of(doc, case, where, coder, level, set_)
    pairs = p.analysis.cooccur(unit, min_count=min_count, scope=scope)
    if measure != "count":
        pairs.sort(key=lambda p: -(getattr(p, measure) or 0.0))
    else:
        pairs.sort(key=lambda p: -p.count)
    if format_ == "json":
        emit_json(pairs.as_json())
    elif format_ == "csv":
        write_csv(FIELDS, [[getattr(p, f) for f in FIELDS] for p in pairs])
    else:

        def fmt(v: float | None) -> str:
            return "" if v is None else f"{v:.3f}"

        # by units c is the Jaccard index (the CSV and JSON keep both); by overlap, the codings
        # of each code that overlap the other, from which c is reckoned
        overlap = unit == "overlap"
        extra = [_("A overlapping"), _("B overlapping")] if overlap else []
        table(
            _("co-occurrence ({unit})").format(unit=term(unit)),
            [_("code A"), _("code B"), "n A", "n B", _("count"), *extra, "c", _("note")],
            [
                (
                    p.code_a,
                    p.code_b,
                    p.n_a,
                    p.n_b,
                    p.count,
                    *((p.overlapping_a, p.overlapping_b) if overlap else ()),
                    fmt(p.c),
                    _("n differ >5x") if p.warning else "",
                )
                for p in pairs
            ],
            justify_right=["n A", "n B", _("count"), *extra, "c"],
        )
        if not pairs:
            note(_no_pairs(p, unit, scope, min_count))


def _no_pairs(p: Project, unit: str, scope: Scope, min_count: int) -> str:
    """Why the table is empty, and the option that would fill it."""
    from qcode.services.nopairs import why_no_pairs

    r = why_no_pairs(p, unit, scope=scope, min_count=min_count)
    if r.why == "no-categories":
        return _("no categories (axial codes) yet: --level open counts the open codes")
    if r.why == "no-codings" and r.coders:
        return _("no codings by {coders}").format(coders=", ".join(r.coders))
    if r.why == "no-codings":
        return _("no codings yet: code some text first (qcode code DOC START END CODE)")
    if r.why == "one-code":
        return _("only one code has codings: a pair needs two codes")
    if r.why == "other-unit":
        return ngettext(
            "no two codes co-occur with --unit {unit}: --unit {other} finds {n} pair",
            "no two codes co-occur with --unit {unit}: --unit {other} finds {n} pairs",
            r.n,
        ).format(unit=term(unit), other=r.other, n=r.n)
    return _("no two codes share any unit: code more text")


@app.command()
def network(
    unit: str = UNIT,
    coder: list[str] = CODER,
    where: list[str] = WHERE,
    doc: list[str] = DOC,
    level: str = LEVEL,
    include: str = typer.Option(
        "", "--include", help=N_("Comma-separated: framework, relations, hierarchy.")
    ),
    min_weight: int = typer.Option(1, "--min-weight", help=N_("Least co-occurrence count drawn.")),
    framework_view: bool = typer.Option(
        False,
        "--framework-view",
        help=N_(
            "Aggregate codes onto framework elements: elements as nodes, linked by co-occurrence."
        ),
    ),
    between: str = typer.Option(
        "",
        "--between",
        help=N_("With --framework-view: two dimensions, e.g. resilience_type,dilemma."),
    ),
    figure: Path | None = typer.Option(
        None, "--figure", help=N_("Draw the network to FILE.png (300 dpi), .svg or .pdf.")
    ),
    size: str = typer.Option(
        "double", "--size", help=N_("Figure width: single (85 mm), double (175 mm) or full (page).")
    ),
    dpi: int = typer.Option(300, "--dpi", help=N_("PNG resolution (600 for line art).")),
    grey: bool = typer.Option(False, "--grey", help=N_("In greys, with a shape per node kind.")),
    check_figure: bool = CHECK,
    layout: str = typer.Option(
        "force", "--layout", help=N_("force (seeded), or layered along the framework chain.")
    ),
    seed: int = typer.Option(42, "--seed", help=N_("Seed of the force layout and communities.")),
    html: Path | None = typer.Option(
        None, "--html", help=N_("Write an interactive network: one .html file that opens offline.")
    ),
    graphml: Path | None = typer.Option(None, "--graphml", help=N_("Write GraphML here.")),
    gexf: Path | None = typer.Option(None, "--gexf", help=N_("Write GEXF (Gephi) here.")),
    metrics: bool = typer.Option(False, "--metrics", help=N_("Degree, betweenness, communities.")),
    json_: bool = typer.Option(False, "--json"),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """The code network: co-occurrence, and optionally hierarchy, relations and the framework."""
    from qcode.analysis.network import as_json, write_gexf, write_graphml
    from qcode.analysis.network import metrics as node_metrics

    if figure is not None:
        from qcode.analysis.figures import check_size
        from qcode.analysis.network_figure import LAYOUTS

        check("table", figure)
        check_size(size, dpi)
        if check_figure and figure.suffix.lower() == ".pdf":
            raise InvalidInputError(
                _("{figure}: --check reads .png and .svg figures").format(figure=figure)
            )
        if layout not in LAYOUTS:
            raise InvalidInputError(
                _("unknown layout {layout!r} (force or layered)").format(layout=layout)
            )
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise InvalidInputError(
            _("{html}: the interactive network must end in .html").format(html=html)
        )
    parts = [p.strip() for p in include.split(",") if p.strip()]
    if framework_view:
        dims = [d.strip() for d in between.split(",") if d.strip()]
        g = project().analysis.framework_network(unit, coder, where, doc, dims, min_weight)
    else:
        g = project().analysis.network(unit, coder, where, doc, level, min_weight, parts)
    if figure is not None:
        from qcode.analysis.network_figure import draw_network

        with working(_("drawing {name}").format(name=figure.name)):
            draw_network(g, figure, layout=layout, seed=seed, size=size, dpi=dpi, grey=grey)
    if html is not None:
        from collections import defaultdict

        from qcode.analysis.network_html import write_html

        p = project()
        quotes: dict[str, list[dict[str, str]]] = defaultdict(list)
        for c in p.codings.list():
            if not coder or c.coder in coder:
                quotes[c.code].append({"document": c.document, "text": c.text})
        definitions = {c.path: c.description for c in p.codes.list(counts=False)}
        write_html(
            g,
            html,
            quotes,
            definitions,
            title=_("{name}: code network").format(name=p.settings.name),
            seed=seed,
        )
    if graphml is not None:
        write_graphml(g, str(graphml))
    if gexf is not None:
        write_gexf(g, str(gexf))
    if json_:
        emit_json(as_json(g, metrics, seed))
        return
    wrote = [_("; wrote {file}").format(file=f) for f in (graphml, gexf) if f]
    wrote += [_("; drew {file}").format(file=figure)] if figure else []
    wrote += [_("; wrote {file}").format(file=html)] if html else []
    ok(
        _("{nodes} nodes, {edges} edges").format(
            nodes=g.number_of_nodes(), edges=g.number_of_edges()
        )
        + "".join(wrote)
    )
    pairs = sum(1 for *_ends, d in g.edges(data=True) if d.get("kind") == "cooccurrence")
    if not framework_view and not pairs and level in ("open", "axial"):  # say why, as cooccur
        note(_no_pairs(project(), unit, scope_of(doc, (), where, coder, level), min_weight))
    if figure is not None and check_figure:
        rc = report(figure)
        if rc:
            raise typer.Exit(rc)
    if metrics:
        m = node_metrics(g, seed)
        top = sorted(m.items(), key=lambda kv: -kv[1]["weighted_degree"])[:20]
        table(
            _("most connected"),
            [_("node"), _("degree"), _("weighted"), _("betweenness"), _("community")],
            [
                (
                    n,
                    v["degree"],
                    f"{v['weighted_degree']:.0f}",
                    f"{v['betweenness']:.3f}",
                    v["community"],
                )
                for n, v in top
            ],
            justify_right=[_("degree"), _("weighted"), _("betweenness"), _("community")],
        )
