"""Figures: qcode figure check (and the --check that the figure commands share)."""

from __future__ import annotations

from pathlib import Path

import typer

from qcode.cli.app import app, project
from qcode.cli.output import emit_json, ok, out
from qcode.i18n import N_, _

figure_app = typer.Typer(
    help=N_("More figures (code line, coding stripes, paradigm map), and checking any qcode drew."),
    no_args_is_help=True,
)
app.add_typer(figure_app, name="figure")

CHECK = typer.Option(
    False, "--check", help=N_("Then print the figure's overlap, contrast, size and glyph findings.")
)


FINDING_KINDS = {  # the kinds of finding, as the report names them (the JSON keeps its keys)
    "overlap": N_("overlap"),
    "covers-node": N_("covers-node"),
    "node-overlap": N_("node-overlap"),
    "outside": N_("outside"),
    "contrast": N_("contrast"),
    "small": N_("small"),
    "glyphs": N_("glyphs"),
}


def report(path: Path, json_: bool = False, to_err: bool = False) -> int:
    """Print a figure's findings (on stderr with ``to_err``: after JSON or CSV); 1 if any."""
    from qcode.analysis.figure_check import findings, read, summary
    from qcode.cli.output import err

    def ok(line: str) -> None:
        if to_err:
            err.print(line, markup=False)
        else:
            out.print(line, markup=False)

    geom = read(path)
    found = findings(geom)
    counts = summary(geom, found)
    if json_:
        emit_json({"file": str(path), **counts, "findings": [f.__dict__ for f in found]})
    else:
        hidden = _(", {n} unlabelled").format(n=geom.hidden) if geom.hidden else ""
        verdict = _("clean") if not found else _("{n} findings").format(n=len(found))
        ok(
            _(
                "{path}: {labels} texts, {nodes} nodes{hidden}, printed {width} mm wide: {verdict}"
            ).format(
                path=path,
                labels=counts["labels"],
                nodes=counts["nodes"],
                hidden=hidden,
                width=counts["print_width_mm"],
                verdict=verdict,
            )
        )
        for f in found:
            ok(f"  {_(FINDING_KINDS[f.kind]) if f.kind in FINDING_KINDS else f.kind}: {f.message}")
    return 1 if found else 0


@figure_app.command("check")
def check_cmd(
    file: Path,
    json_: bool = typer.Option(False, "--json", help=N_("The counts and findings as JSON.")),
) -> None:
    """Overlapping labels, labels on other nodes or off the canvas, contrast below 4.5, text
    under 6 pt at print size and missing glyphs, in a PNG or SVG figure qcode drew (exit 1 if
    any)."""
    rc = report(file, json_)
    if rc:
        raise typer.Exit(rc)


SIZE = typer.Option(
    "double", "--size", help=N_("Figure width: single (85 mm), double (175 mm) or full (page).")
)
DPI_OPT = typer.Option(300, "--dpi", help=N_("PNG resolution (600 for line art)."))
GREY = typer.Option(False, "--grey", help=N_("In greys."))


def checked(figure: Path | None, check_: bool, format_: str = "table") -> None:
    """After a command drew ``figure``: its findings if asked, exit code 1 if any."""
    if figure is not None and check_:
        rc = report(figure, to_err=format_ != "table")
        if rc:
            raise typer.Exit(rc)


def refuse_pdf_check(figure: Path | None, check_: bool) -> None:
    from qcode.errors import InvalidInputError

    if figure is not None and check_ and figure.suffix.lower() == ".pdf":
        raise InvalidInputError(
            _("{figure}: --check reads .png and .svg figures").format(figure=figure)
        )


def _prepare(file: Path, size: str, dpi: int, check_: bool) -> None:
    from qcode.analysis.figures import check_path, check_size
    from qcode.errors import InvalidInputError

    check_path(file)
    check_size(size, dpi)
    if check_ and file.suffix.lower() == ".pdf":
        raise InvalidInputError(_("{file}: --check reads .png and .svg figures").format(file=file))


def _codings(document: str) -> tuple[str, list[tuple[str, int, int]], dict[str, str]]:
    p = project()
    text = p.documents.text(document)
    codings = [(c.code, c.start, c.end) for c in p.codings.list(document=document)]
    levels = {c.path: c.level for c in p.codes.list(counts=False)}
    return text, codings, levels


def _done(file: Path, check_: bool) -> None:
    ok(_("drew {file}").format(file=file))
    if check_:
        rc = report(file)
        if rc:
            raise typer.Exit(rc)


@figure_app.command("codeline")
def codeline_cmd(
    document: str,
    file: Path,
    size: str = SIZE,
    dpi: int = DPI_OPT,
    grey: bool = GREY,
    check_: bool = CHECK,
) -> None:
    """The code line of DOCUMENT: a row per code, a bar at each coding's place in the text."""
    from qcode.analysis.figure_kinds import codeline

    _prepare(file, size, dpi, check_)
    text, codings, levels = _codings(document)
    codeline(document, len(text), codings, levels, file, size=size, dpi=dpi, grey=grey)
    _done(file, check_)


@figure_app.command("stripes")
def stripes_cmd(
    document: str,
    file: Path,
    first_line: int = typer.Option(1, "--from-line", help=N_("The first line shown.")),
    size: str = SIZE,
    dpi: int = DPI_OPT,
    grey: bool = GREY,
    check_: bool = CHECK,
) -> None:
    """DOCUMENT's text with a stripe per code beside the lines its codings cover (a page)."""
    from qcode.analysis.figure_kinds import stripes

    _prepare(file, size, dpi, check_)
    text, codings, levels = _codings(document)
    stripes(document, text, codings, levels, file, size, dpi, grey, first_line)
    _done(file, check_)


@figure_app.command("paradigm")
def paradigm_cmd(
    category: str,
    file: Path,
    size: str = SIZE,
    dpi: int = DPI_OPT,
    grey: bool = GREY,
    check_: bool = CHECK,
) -> None:
    """The paradigm model of CATEGORY as a map: conditions, context, strategies, consequences."""
    from qcode.analysis.figure_kinds import paradigm_map

    _prepare(file, size, dpi, check_)
    sheet = project().structure.paradigm(category)
    paradigm_map(sheet, file, size=size, dpi=dpi, grey=grey)
    _done(file, check_)
