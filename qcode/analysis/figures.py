"""Publication figures with matplotlib: code networks (a seeded force layout, or a layered
layout that follows the framework chain), bar charts, heat maps and saturation curves.

Figures are drawn on a ``matplotlib.figure.Figure`` (no pyplot, no global state) and saved as
PNG at 300 dpi, SVG or PDF, chosen by the file's extension. Saving is reproducible: the same
data and seed give the same layout, and SVG and PDF carry no date.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import networkx as nx

from qcode.errors import InvalidInputError

P = ParamSpec("P")
R = TypeVar("R")

FORMATS = ("png", "svg", "pdf")
LAYOUTS = ("force", "layered")

# Okabe and Ito's colour-blind-safe palette: codes by level, then framework dimensions in the
# order of the framework chain.
CODE_COLORS = {"open": "#0072B2", "axial": "#E69F00", "selective": "#D55E00"}
DIMENSION_COLORS = ("#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999")
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "cooccurrence": {"color": "#7f7f7f", "linestyle": "solid", "label": "co-occurrence"},
    "hierarchy": {"color": "#4d4d4d", "linestyle": "dotted", "label": "hierarchy"},
    "relation": {"color": "#D55E00", "linestyle": "dashed", "label": "relation"},
    "framework": {"color": "#009E73", "linestyle": "dashdot", "label": "framework link"},
}


# Fonts with Han characters, used after the default font where one is installed.
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


def _fonts() -> list[str]:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(f for f in CJK_FONTS if f in installed)]


class FigureError(InvalidInputError):
    """A figure that cannot be drawn as asked (say, an unknown file type)."""


def check_path(path: str | Path) -> Path:
    """The figure file's path, if its extension names a format we write."""
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise FigureError(f"{path}: a figure must end in .png, .svg or .pdf")
    return path


def with_fonts(draw: Callable[P, R]) -> Callable[P, R]:
    """Run a drawing function with the default font followed by any installed font with Han
    characters, without touching matplotlib's global settings."""

    @functools.wraps(draw)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib

        with matplotlib.rc_context({"font.family": _fonts()}):
            return draw(*args, **kwargs)

    return inner


def new_figure(width: float, height: float, constrained: bool = True) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


def save(fig: Any, path: str | Path) -> Path:
    """Save as the extension says: PNG at 300 dpi, SVG or PDF without a date."""
    import matplotlib

    path = check_path(path)
    ext = path.suffix.lower().lstrip(".")
    metadata: dict[str, Any] = {}
    if ext == "svg":
        metadata = {"Date": None}
    elif ext == "pdf":
        metadata = {"CreationDate": None, "ModDate": None}
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # text stays text (editable, searchable): TrueType in PDF, <text> in SVG
        rc: dict[Any, Any] = {"svg.hashsalt": "qcode", "svg.fonttype": "none", "pdf.fonttype": 42}
        with matplotlib.rc_context(rc):
            extra = {"pil_kwargs": {"compress_level": 3}} if ext == "png" else {}
            fig.savefig(path, format=ext, dpi=300, metadata=metadata, **extra)
    if any("missing from font" in str(w.message) for w in caught):
        warnings.warn(
            f"{path}: some characters have no font here and show as boxes; install a font "
            "with them (for Chinese, the Debian package fonts-noto-cjk)",
            FigureWarning,
            stacklevel=2,
        )
    return path


def node_colors(g: nx.Graph, chain: Sequence[str]) -> dict[str, str]:
    """Colour per node kind: code levels, then framework dimensions in chain order."""
    kinds = sorted({d.get("kind", "") for _, d in g.nodes(data=True)} - set(CODE_COLORS))
    ordered = [k for k in chain if k in kinds] + [k for k in kinds if k not in chain]
    colors = dict(CODE_COLORS)
    for i, kind in enumerate(ordered):
        colors[kind] = DIMENSION_COLORS[i % len(DIMENSION_COLORS)]
    return colors


def _is_code(data: Mapping[str, Any]) -> bool:
    return data.get("kind") in CODE_COLORS


def force_positions(g: nx.Graph, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """A seeded Fruchterman-Reingold layout, weighted by co-occurrence (log-scaled), of the
    connected nodes, in the unit square; isolated nodes in rows beneath it."""
    simple = nx.Graph()
    for a, b, d in g.edges(data=True):
        if a == b:
            continue
        w = math.log1p(float(d.get("weight", 1.0)))
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += w
        else:
            simple.add_edge(a, b, weight=w)
    pos: dict[Any, tuple[float, float]] = {}
    if simple.number_of_nodes():
        n = simple.number_of_nodes()
        # a light pull of every node towards an unseen centre keeps separate components close
        hub = object()
        for node in list(simple.nodes):
            simple.add_edge(hub, node, weight=0.05)
        raw = nx.spring_layout(
            simple, k=2.5 / math.sqrt(n), seed=seed, weight="weight", iterations=100
        )
        xs = [float(v[0]) for k, v in raw.items() if k is not hub]
        ys = [float(v[1]) for k, v in raw.items() if k is not hub]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        for k, v in raw.items():
            if k is not hub:
                pos[k] = ((float(v[0]) - min(xs)) / span_x, (float(v[1]) - min(ys)) / span_y)
    isolated = sorted(
        (k for k in g.nodes if k not in pos), key=lambda k: str(g.nodes[k].get("label", k))
    )
    per_row = max(4, math.ceil(math.sqrt(len(isolated) * 2)))
    for i, k in enumerate(isolated):
        row, col = divmod(i, per_row)
        pos[k] = ((col + 0.5) / per_row, -0.12 - 0.08 * row)
    return pos


def declutter(
    pos: dict[Any, tuple[float, float]],
    boxes: Mapping[Any, tuple[float, float]],
    iterations: int = 150,
) -> dict[Any, tuple[float, float]]:
    """Push apart nodes whose labels' boxes (half-width, half-height, in the layout's units)
    overlap, each step along the axis where the overlap is smaller, until none overlap or the
    steps run out. Keeps the layout's shape while making every label readable."""
    import numpy as np

    keys = list(pos)
    if len(keys) < 2:
        return dict(pos)
    xy = np.array([pos[k] for k in keys], dtype=float)
    half = np.array([boxes[k] for k in keys], dtype=float) * 1.02  # a little air between labels
    for _ in range(iterations):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        ox = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
        oy = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        along_x = hit & (
            ox / np.maximum(half[:, None, 0], 1e-9) <= oy / np.maximum(half[:, None, 1], 1e-9)
        )
        along_y = hit & ~along_x
        # ties (nodes on the same spot) are broken by index
        sx = np.where(
            dx == 0, np.sign(np.arange(len(keys))[:, None] - np.arange(len(keys))), np.sign(dx)
        )
        sy = np.where(
            dy == 0, np.sign(np.arange(len(keys))[:, None] - np.arange(len(keys))), np.sign(dy)
        )
        xy[:, 0] += 0.5 * np.where(along_x, ox * sx, 0.0).sum(axis=1)
        xy[:, 1] += 0.5 * np.where(along_y, oy * sy, 0.0).sum(axis=1)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


def layered_positions(g: nx.Graph, chain: Sequence[str]) -> dict[Any, tuple[float, float]]:
    """Columns that follow the framework chain: before each dimension's elements, the codes
    linked to them; codes linked to nothing in a last column. Without framework elements,
    columns by level (selective, axial, open). Within a column, nodes are ordered by the mean
    position of their neighbours in the columns before (two sweeps), to cut crossings."""
    column: dict[Any, int] = {}
    elements = [n for n, d in g.nodes(data=True) if not _is_code(d)]
    if elements:
        # three columns per dimension: sub-codes of linked codes, linked codes, the elements
        dims = list(chain) + sorted({g.nodes[n]["kind"] for n in elements} - set(chain))
        for n in elements:
            column[n] = 3 * dims.index(g.nodes[n]["kind"]) + 2
        parent: dict[Any, Any] = {}
        for a, b, e in g.edges(data=True):
            if e.get("kind") == "hierarchy":
                parent[b] = a  # hierarchy edges run parent -> child
        for n, d in g.nodes(data=True):
            if not _is_code(d):
                continue
            linked = [
                column[m]
                for m in g.neighbors(n)
                if not _is_code(g.nodes[m])
                and any(e.get("kind") == "framework" for e in g.get_edge_data(n, m).values())
            ]
            if linked:
                column[n] = min(linked) - 1
        linked_codes = {n: c for n, c in column.items() if _is_code(g.nodes[n])}
        for n, d in g.nodes(data=True):
            if _is_code(d) and n not in column:
                # beside the nearest linked category above it, else in the last column
                up, seen = parent.get(n), set()
                while up is not None and up not in seen and up not in linked_codes:
                    seen.add(up)
                    up = parent.get(up)
                column[n] = linked_codes[up] - 1 if up in linked_codes else 3 * len(dims)
    else:
        order = {"selective": 0, "axial": 1, "open": 2}
        for n, d in g.nodes(data=True):
            column[n] = order.get(d.get("kind", "open"), 2)
    used = sorted(set(column.values()))
    index = {c: i for i, c in enumerate(used)}
    columns: dict[int, list[Any]] = defaultdict(list)
    for n in sorted(g.nodes, key=lambda n: str(g.nodes[n].get("label", n)).lower()):
        columns[index[column[n]]].append(n)
    y: dict[Any, float] = {}

    def place(col: int) -> None:
        members = columns[col]
        for i, n in enumerate(members):
            y[n] = 1.0 - (i + 0.5) / len(members)

    for col in sorted(columns):
        place(col)
    for _ in range(2):
        for col in sorted(columns)[1:]:

            def barycentre(n: Any, col: int = col) -> float:
                ys = [y[m] for m in g.neighbors(n) if index[column[m]] < col]
                return -sum(ys) / len(ys) if ys else -y[n]

            columns[col].sort(key=barycentre)
            place(col)
    width = max(1, len(columns) - 1)
    return {n: (index[column[n]] / width, y[n]) for n in g.nodes}


def _tints(color: str, alphas: Sequence[float]) -> Any:
    """The opaque colours that ``color`` at each of ``alphas`` gives over white (an N x 3 array)."""
    import numpy as np
    from matplotlib.colors import to_rgb

    return 1.0 - np.outer(alphas, 1.0 - np.asarray(to_rgb(color)))


def _wrap(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


@with_fonts
def draw_network(
    g: nx.Graph,
    path: str | Path,
    layout: str = "force",
    caption: str | None = None,
    seed: int = 42,
    title: str | None = None,
) -> Path:
    """Draw the code network (see ``qcode.analysis.network``) and save it.

    Node colour and shape by kind (codes round, framework elements square), node size by
    frequency, edge width by co-occurrence count, edge style by kind; a legend; and a caption
    that states the unit and the edge threshold (from ``g.graph`` unless given)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    path = check_path(path)
    if layout not in LAYOUTS:
        raise FigureError(f"unknown layout {layout!r} (force or layered)")
    chain = [c for c in str(g.graph.get("chain", "")).split(",") if c]
    pos = force_positions(g, seed) if layout == "force" else layered_positions(g, chain)
    n = g.number_of_nodes()
    font = 8.0 if n <= 40 else 6.5 if n <= 80 else 5.0 if n <= 150 else 4.0
    if layout == "force":
        side = min(12.0, max(7.0, 1.5 * math.sqrt(max(n, 1))))
        fig = new_figure(side, side * 0.8, constrained=False)
        # label boxes in layout units: the layout spans about 80% of the figure's width
        ys_all = [p[1] for p in pos.values()] or [0.0]
        extent_y = (max(ys_all) - min(ys_all)) or 1.0
        boxes = {}
        for k, d in g.nodes(data=True):
            lines = _wrap(str(d.get("label", k))).split("\n")
            w_in = max(len(line) for line in lines) * 0.55 * font / 72 + 0.05
            h_in = len(lines) * 1.25 * font / 72 + 0.04
            boxes[k] = (w_in / 2 / (0.8 * side), h_in / 2 / (0.75 * side * 0.8) * extent_y)
        pos = declutter(pos, boxes)
    else:
        per_column = Counter(x for x, _ in pos.values())
        n_cols, tallest = len(per_column), max(per_column.values(), default=1)
        fig = new_figure(
            min(18.0, max(7.0, 2.4 * n_cols)), min(18.0, max(4.5, 0.42 * tallest)), False
        )
    ax = fig.add_subplot()
    ax.set_axis_off()
    colors = node_colors(g, chain)

    top = max(
        (float(d["weight"]) for *_, d in g.edges(data=True) if d.get("kind") == "cooccurrence"),
        default=1.0,
    )
    # in a dense network, thinner lines: the widths keep their proportions, the page stays legible
    # (and a raster at 300 dpi does not spend seconds on overdrawn pixels)
    thin = min(1.0, math.sqrt(400 / max(1, g.number_of_edges())))
    # Beyond a few thousand edges, blending every hairline with the layer under it costs seconds
    # at 300 dpi; there each edge gets an opaque tint of its colour (lighter when weaker) and
    # edges are drawn weakest first, which reads the same on paper.
    dense = g.number_of_edges() > 5000
    for kind, style in EDGE_STYLES.items():
        edges = [(a, b, d) for a, b, d in g.edges(data=True) if d.get("kind") == kind and a != b]
        if not edges:
            continue
        alpha = 0.55 if kind == "cooccurrence" else 0.85
        weights = [float(d.get("weight", 1.0)) / top for *_, d in edges]
        if dense:
            order = sorted(range(len(edges)), key=weights.__getitem__)
            edges, weights = [edges[i] for i in order], [weights[i] for i in order]
        segments = [[pos[a], pos[b]] for a, b, _ in edges]
        widths = [thin * (0.4 + 3.6 * w) if kind == "cooccurrence" else thin for w in weights]
        tints: Any = style["color"]
        if dense:
            tints = _tints(style["color"], [alpha * (0.45 + 0.55 * w) for w in weights])
        ax.add_collection(
            LineCollection(
                segments,
                linewidths=widths,
                colors=tints,
                linestyles=style["linestyle"],
                alpha=None if dense else alpha,
                # thousands of crossing hairlines: smoothing them costs seconds, shows nothing
                antialiaseds=not dense,
                zorder=1,
            )
        )
    by_size = g.graph.get("level") == "framework"  # elements sized by their codings
    sizes = [float(d.get("size", 0.0)) for _, d in g.nodes(data=True) if _is_code(d) or by_size]
    biggest = max(sizes or [1.0]) or 1.0
    for shape, is_code in (("o", True), ("s", False)):
        nodes = [(k, d) for k, d in g.nodes(data=True) if _is_code(d) == is_code]
        if not nodes:
            continue
        ax.scatter(
            [pos[k][0] for k, _ in nodes],
            [pos[k][1] for k, _ in nodes],
            s=[
                60 + 840 * math.sqrt(float(d.get("size", 0.0)) / biggest)
                if is_code or by_size
                else 320
                for _, d in nodes
            ],
            c=[colors.get(d.get("kind", ""), "#999999") for _, d in nodes],
            marker=shape,
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
        )
    # a light box behind each label keeps it readable over edges and stays text in SVG and PDF
    box = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
    for k, d in g.nodes(data=True):
        x, y = pos[k]
        ax.text(
            x,
            y,
            _wrap(str(d.get("label", k))),
            fontsize=font,
            ha="center",
            va="center",
            zorder=3,
            bbox=box,
        )
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    pad_x = 0.08 * (max(xs) - min(xs) or 1.0)
    pad_y = 0.06 * (max(ys) - min(ys) or 1.0)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)

    handles = []
    present = {d.get("kind", "") for _, d in g.nodes(data=True)}
    names = g.graph.get("kind_names", "")
    kind_names = dict(item.split("=", 1) for item in str(names).split(";") if "=" in item)
    shown: set[str] = set()
    for kind in [*CODE_COLORS, *(k for k in chain if k in present), *sorted(present)]:
        if kind not in present or kind in shown:
            continue
        shown.add(kind)
        is_code = kind in CODE_COLORS
        handles.append(
            Line2D(
                [],
                [],
                marker="o" if is_code else "s",
                linestyle="",
                markersize=8,
                markerfacecolor=colors.get(kind, "#999999"),
                markeredgecolor="white",
                label=kind_names.get(kind, f"{kind} code" if is_code else kind),
            )
        )
    edge_kinds = {d.get("kind") for *_, d in g.edges(data=True)}
    for kind, style in EDGE_STYLES.items():
        if kind in edge_kinds:
            handles.append(
                Line2D(
                    [], [], color=style["color"], linestyle=style["linestyle"], label=style["label"]
                )
            )
    # laid out by hand, not by the constrained layout engine, which would draw every edge twice
    width_in, height_in = fig.get_size_inches()
    top_in = 0.1 + (0.2 * math.ceil(len(handles) / 4) if handles else 0.0) + (0.3 if title else 0)
    if handles:
        fig.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - 0.05 / height_in),
            ncol=min(4, len(handles)),
            fontsize=7.5,
            frameon=False,
        )
    if caption is None:
        caption = network_caption(g, layout, seed)
    wrapped = textwrap.fill(caption, 130) if caption else ""
    bottom_in = 0.12 + (0.16 * (wrapped.count("\n") + 1) if wrapped else 0.0)
    if wrapped:
        fig.text(0.5, 0.08 / height_in, wrapped, ha="center", va="bottom", fontsize=7.5)
    if title:
        fig.text(0.5, 1 - (top_in - 0.05) / height_in, title, ha="center", va="bottom", fontsize=10)
    ax.set_position([0.02, bottom_in / height_in, 0.96, 1 - (top_in + bottom_in) / height_in])
    return save(fig, path)


def network_caption(g: nx.Graph, layout: str, seed: int) -> str:
    unit = g.graph.get("unit", "overlap")
    threshold = int(g.graph.get("min_weight", 1))
    how = f"force layout, seed {seed}" if layout == "force" else "layered by framework chain"
    return (
        f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges. Node size: codings; "
        f"edge width: co-occurrence count ({unit} unit), edges with count >= {threshold} shown; "
        f"{how}."
    )


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
    fig = new_figure(7.0, max(2.5, 0.28 * len(labels) * max(1, len(series)) ** 0.5 + 1.2))
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
    ax.set_yticks(y, [_wrap(s, 40) for s in labels], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False)
    return save(fig, path)


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

    path = check_path(path)
    data = np.asarray(values, dtype=float).reshape(len(rows), len(columns))
    fig = new_figure(
        min(18.0, max(5.0, 0.45 * len(columns) + 3.0)), min(18.0, max(3.0, 0.3 * len(rows) + 1.5))
    )
    ax = fig.add_subplot()
    image = ax.imshow(data, aspect="auto", cmap="viridis")
    ax.set_xticks(
        range(len(columns)), [_wrap(c, 14) for c in columns], fontsize=7, rotation=60, ha="right"
    )
    ax.set_yticks(range(len(rows)), [_wrap(r, 40) for r in rows], fontsize=7)
    if data.size and data.size <= 600:
        middle = (np.nanmax(data) + np.nanmin(data)) / 2
        for i in range(len(rows)):
            for j in range(len(columns)):
                v = data[i, j]
                ax.text(
                    j,
                    i,
                    f"{v:g}" if float(v).is_integer() else f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="black" if v > middle else "white",
                )
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
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
    fig = new_figure(min(16.0, max(6.0, 0.35 * len(documents) + 2.0)), 4.0)
    ax = fig.add_subplot()
    x = list(range(1, len(documents) + 1))
    ax.bar(x, new, color=CODE_COLORS["open"], label="new codes")
    ax.plot(
        x,
        cumulative,
        color=CODE_COLORS["selective"],
        marker="o",
        markersize=3,
        label="cumulative codes",
    )
    ax.set_xticks(x, [_wrap(d, 12) for d in documents], fontsize=6, rotation=60, ha="right")
    ax.set_xlabel("documents in order", fontsize=8)
    ax.set_ylabel("codes", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False)
    if caption:
        fig.supxlabel(textwrap.fill(caption, 120), fontsize=7.5)
    return save(fig, path)
