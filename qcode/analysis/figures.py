"""Publication figures with matplotlib: the shared parts (journal sizes, the palette, fonts,
saving with the figure's geometry) and bar charts, heat maps and saturation curves. Networks are
drawn in ``qcode.analysis.network_figure``, the other kinds in ``qcode.analysis.figure_kinds``.

Figures are drawn on a ``matplotlib.figure.Figure`` (no pyplot, no global state) at the size
they are printed (``single``: 85 mm, ``double``: 175 mm, ``full``: a full page), so that a
font size is the printed size, and saved as PNG (300 dpi unless asked), SVG or PDF, chosen by
the file's extension. Saving is reproducible: the same data and seed give the same layout, and
SVG and PDF carry no date. Each PNG and SVG carries its geometry (see
``qcode.analysis.figure_check``).
"""

from __future__ import annotations

import contextlib
import functools
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from qcode.errors import InvalidInputError
from qcode.i18n import _

P = ParamSpec("P")
R = TypeVar("R")

FORMATS = ("png", "svg", "pdf")
MM = 72.0 / 25.4  # points per millimetre
# journal sizes: width and height in millimetres (a full page within usual margins)
SIZES = {"single": (85.0, 85.0), "double": (175.0, 130.0), "full": (175.0, 235.0)}
DPI = 300
WIDTH_IN = SIZES["double"][0] / 25.4  # charts and heat maps: a double column
PAGE_IN = SIZES["full"][1] / 25.4

# Okabe and Ito's colour-blind-safe palette: codes by level, then framework dimensions in the
# order of the framework chain. Each has an ink (black or white) with WCAG contrast >= 4.5.
CODE_COLORS = {"open": "#0072B2", "axial": "#E69F00", "selective": "#D55E00"}
DIMENSION_COLORS = ("#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999")
# in grey: levels far enough apart to tell kinds apart, with shapes doing the rest
GREYS = ("#1a1a1a", "#8c8c8c", "#d9d9d9", "#4d4d4d", "#b3b3b3", "#ffffff", "#666666")
INK = "#1a1a1a"


# Fonts with Han characters (and kana, hangul), used after the Latin font for the characters it
# lacks: matplotlib falls back glyph by glyph along the family list.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)


class FigureWarning(UserWarning):
    """Something in a figure that will not look as it should (one per figure)."""


@functools.cache
def _installed() -> frozenset[str]:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if names.isdisjoint(CJK_FONTS) and _add_new_fonts(font_manager):
        names = {f.name for f in font_manager.fontManager.ttflist}
    return frozenset(names)


def _add_new_fonts(font_manager: Any) -> bool:
    """Add the system's font files that matplotlib's list of fonts does not hold; True if any.

    matplotlib lists the fonts it finds when it first runs and keeps that list until its own
    version changes, so a font installed since (fonts-noto-cjk, say, after a first figure had
    warned of boxes) would stay unknown to it for good. The list is saved again the way
    matplotlib saves it, so that later figures find the font at once."""
    import matplotlib

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist} | {f.fname for f in manager.afmlist}
    added = False
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            manager.addfont(path)
        except Exception:  # a damaged font file: matplotlib leaves those out too
            continue
        added = True
    if added:
        cache = Path(matplotlib.get_cachedir()) / (
            f"fontlist-v{font_manager.FontManager.__version__}.json"
        )
        with contextlib.suppress(OSError):  # a cache one cannot write: found again next time
            font_manager.json_dump(manager, cache)
    return added


def _fonts() -> list[str]:
    """The Latin font, then the first installed font with Han characters (for those only)."""
    cjk = [f for f in CJK_FONTS if f in _installed()]
    return ["DejaVu Sans", *cjk[:1]]


class FigureError(InvalidInputError):
    """A figure that cannot be drawn as asked (say, an unknown file type)."""


def check_path(path: str | Path) -> Path:
    """The figure file's path, if its extension names a format we write and its folder is
    there."""
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise FigureError(_("{path}: a figure must end in .png, .svg or .pdf").format(path=path))
    if not path.parent.is_dir():
        raise FigureError(_("{output}: its folder does not exist").format(output=path))
    return path


def check_size(size: str, dpi: int = DPI) -> None:
    if size not in SIZES:
        raise FigureError(_("unknown size {size!r} (single, double or full)").format(size=size))
    if not 72 <= dpi <= 1200:
        raise FigureError(
            _("--dpi {dpi}: give 72 to 1200 (300 for photos, 600 for line art)").format(dpi=dpi)
        )


def ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (pure black where neither the usual
    near-black ink nor white reaches a contrast of 4.5, as on viridis's middle teals)."""
    from qcode.analysis.figure_check import MIN_CONTRAST, contrast

    best = INK if contrast(INK, fill) >= contrast("#ffffff", fill) else "#ffffff"
    if contrast(best, fill) < MIN_CONTRAST and contrast("#000000", fill) > contrast(best, fill):
        return "#000000"
    return best


def as_grey(color: str) -> str:
    """A colour's grey of the same luminance."""
    from matplotlib.colors import to_hex

    from qcode.analysis.figure_check import luminance

    lum = luminance(color)
    v = 12.92 * lum if lum <= 0.0031308 else 1.055 * lum ** (1 / 2.4) - 0.055
    return to_hex((v, v, v))


def with_fonts(draw: Callable[P, R]) -> Callable[P, R]:
    """Run a drawing function with the Latin font followed by an installed font with Han
    characters, without touching matplotlib's global settings."""

    @functools.wraps(draw)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib

        with matplotlib.rc_context({"font.family": _fonts(), "svg.hashsalt": "qcode"}):
            return draw(*args, **kwargs)

    return inner


def new_figure(width: float, height: float, constrained: bool = True) -> Any:
    """A figure of ``width`` x ``height`` inches."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


def sized_figure(size: str, aspect: float | None = None, constrained: bool = True) -> Any:
    """A figure of a journal size; ``aspect`` (height / width) instead of the size's own."""
    width, height = SIZES[size]
    if aspect is not None:
        height = min(SIZES["full"][1], width * aspect)
    return new_figure(width / 25.4, height / 25.4, constrained)


def save(fig: Any, path: str | Path, dpi: int = DPI, hidden: int = 0) -> Path:
    """Save as the extension says (PNG at ``dpi``, SVG or PDF without a date), with the
    figure's geometry in PNG and SVG; one warning if characters have no font here."""
    import warnings

    import matplotlib

    from qcode.analysis import figure_check

    path = check_path(path)
    ext = path.suffix.lower().lstrip(".")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        geom = figure_check.geometry(fig, hidden=hidden)
        metadata: dict[str, Any] = {}
        if ext == "svg":
            metadata = {"Date": None}
        elif ext == "pdf":
            metadata = {"CreationDate": None, "ModDate": None}
        else:
            metadata = figure_check.png_metadata(geom)
        # text stays text (editable, searchable): TrueType in PDF, <text> in SVG
        rc: dict[Any, Any] = {"svg.hashsalt": "qcode", "svg.fonttype": "none", "pdf.fonttype": 42}
        with matplotlib.rc_context(rc):
            extra = {"pil_kwargs": {"compress_level": 3}} if ext == "png" else {}
            fig.savefig(path, format=ext, dpi=dpi, metadata=metadata, **extra)
    if ext == "svg":
        figure_check.embed(path, geom)
    if any(lab.missing for lab in geom.labels) or any(
        "missing from font" in str(w.message) for w in caught
    ):
        warnings.warn(
            _(
                "{path}: some characters have no font here and show as boxes; install a font "
                "with them (for Chinese, Japanese and Korean, the Debian package fonts-noto-cjk)"
            ).format(path=path),
            FigureWarning,
            stacklevel=2,
        )
    return path


def _columns(text: str) -> int:
    """How many columns ``text`` takes: Chinese, Japanese and Korean characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(label: str, width: int = 18) -> str:
    """Lines of at most ``width`` columns: at spaces, and between wide characters."""
    if _columns(label) == len(label):
        return "\n".join(textwrap.wrap(label, width)) or label
    lines: list[str] = []
    line = ""
    for word in label.split(" "):
        for ch in word if _columns(word) > width else [word]:
            piece = ch if not line or _columns(ch) > 1 or ch == word else ch
            joined = f"{line} {piece}" if line and ch == word else line + piece
            if line and _columns(joined) > width:
                lines.append(line)
                line = piece
            else:
                line = joined
    return "\n".join([*lines, line] if line else lines) or label


NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕”’…‥·％,.;:?!)]}%")


def wrap_caption(text: str, width: int) -> str:
    """A caption in lines of at most ``width`` columns: at spaces in Latin text; in text with
    Chinese, Japanese or Korean characters also between them, a Latin word kept whole and no
    line begun with a closing mark (，。）...: it stays at the end of the line before)."""
    if _columns(text) == len(text):
        return textwrap.fill(text, width)
    import re

    lines: list[str] = []
    line = ""
    for piece in re.findall(r"\s+|[^\s\u2e80-\uffef]+|.", text):
        if piece.isspace():
            line += " " if line else ""
            continue
        if line and _columns(line + piece) > width and piece not in NO_LINE_START:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    return "\n".join([*lines, line.rstrip()] if line.strip() else lines)


@with_fonts
def bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    path: str | Path,
    title: str = "",
    xlabel: str = "",
) -> Path:
    """Horizontal bars, one group per label, one bar per series (in the palette's order)."""
    import numpy as np

    path = check_path(path)
    rows_in = 0.28 * len(labels) * max(1, len(series)) ** 0.5 + 1.2
    fig = new_figure(WIDTH_IN, min(PAGE_IN, max(2.5, rows_in)))
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    height = 0.8 / max(1, len(series))
    palette = list(CODE_COLORS.values()) + list(DIMENSION_COLORS)
    for i, (name, values) in enumerate(series.items()):
        ax.barh(
            y + (i - (len(series) - 1) / 2) * height,
            values,
            height=height,
            label=name,
            color=palette[i % len(palette)],
        )
    ax.set_yticks(y, [_wrap(s, 40) for s in labels], fontsize=6)
    ax.tick_params(labelsize=6)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=7)
    ax.set_title(title, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False)
    return save(fig, path)


def _row_in(labels: Sequence[str]) -> float:
    """Inches a heat map's row takes for the tallest of ``labels`` at 6 pt."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(0.14, lines * 6 * 1.3 / 72)


@with_fonts
def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    path: str | Path,
    title: str = "",
    label: str = "",
) -> Path:
    """A matrix as a heat map (viridis, colour-blind safe), each cell annotated when the
    matrix is small enough to read."""
    import numpy as np
    from matplotlib.colors import to_hex

    path = check_path(path)
    data = np.asarray(values, dtype=float).reshape(len(rows), len(columns))
    # each row as tall as its label's lines (6 pt, as small as print allows): labels of two
    # lines are first put on one, longer, when the rows would not fit a page; past that the
    # figure grows rather than labels running into each other
    labels = [_wrap(r, 40) for r in rows]
    if len(rows) * _row_in(labels) + 2.2 > PAGE_IN:
        labels = [_wrap(r, 64) for r in rows]
    height = len(rows) * _row_in(labels) + 2.2
    fig = new_figure(
        min(WIDTH_IN, max(4.0, 0.45 * len(columns) + 3.0)),
        max(3.0, height),
    )
    ax = fig.add_subplot()
    image = ax.imshow(data, aspect="auto", cmap="viridis")
    # upright column heads when they are long: a slanted head of two lines reaches over the
    # next column's
    long = any(_columns(c) > 8 for c in columns)
    ax.set_xticks(
        range(len(columns)),
        [_wrap(c, 20 if long else 14) for c in columns],
        fontsize=6,
        rotation=90 if long else 60,
        ha="center" if long else "right",
    )
    ax.set_yticks(range(len(rows)), labels, fontsize=6)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    if data.size and bool(np.all(data == np.round(data))):  # counts: no ticks at 0.5, 1.5 ...
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    bar.set_label(label, fontsize=7)
    bar.ax.tick_params(labelsize=6)
    ax.set_title(title, fontsize=9)
    if data.size:
        # each cell's value, in black or white as reads better on the cell's colour, where the
        # cells are large enough to hold it
        from qcode.analysis.figure_check import set_background

        fig.draw_without_rendering()
        box = ax.get_window_extent()
        cell_w = box.width / len(columns) * 72 / fig.dpi
        cell_h = box.height / len(rows) * 72 / fig.dpi
        texts = [f"{v:g}" if float(v).is_integer() else f"{v:.2f}" for v in data.flat]
        if cell_h >= 7.5 and cell_w >= 3.6 * max(len(t) for t in texts) + 2:
            for (i, j), text in zip(np.ndindex(data.shape), texts, strict=True):
                cell = to_hex(image.cmap(image.norm(data[i, j])))
                t = ax.text(j, i, text, ha="center", va="center", fontsize=6, color=ink(cell))
                set_background(t, cell)
    return save(fig, path)


@with_fonts
def saturation_curve(
    documents: Sequence[str],
    new: Sequence[int],
    cumulative: Sequence[int],
    path: str | Path,
    caption: str = "",
) -> Path:
    """New codes per document (bars) and the cumulative number of codes (line)."""
    path = check_path(path)
    fig = new_figure(min(WIDTH_IN, max(4.0, 0.35 * len(documents) + 2.0)), 3.5)
    ax = fig.add_subplot()
    x = list(range(1, len(documents) + 1))
    ax.bar(x, new, color=CODE_COLORS["open"], label=_("new codes"))
    ax.plot(
        x,
        cumulative,
        color=CODE_COLORS["selective"],
        marker="o",
        markersize=3,
        label=_("cumulative codes"),
    )
    ax.set_xticks(x, [_wrap(d, 12) for d in documents], fontsize=6, rotation=60, ha="right")
    ax.tick_params(labelsize=6)
    ax.set_xlabel(_("documents in order"), fontsize=7)
    ax.set_ylabel(_("codes"), fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False)
    if caption:
        fig.supxlabel(wrap_caption(caption, int(fig.get_size_inches()[0] * 18)), fontsize=6.5)
    return save(fig, path)
