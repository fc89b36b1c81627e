"""The code network as a figure: a seeded force layout, or a layered layout that follows the
framework chain, at a journal size, with every label placed beside its node where it is free
(``qcode.analysis.label_place``) and the caption saying how many were left out.

Nodes: colour and shape by kind (codes round, framework elements square; in grey, a shape per
kind), area by codings, a category's and the core category's including their sub-codes'.
Edges: width by co-occurrence count, style by kind; in the layered layout an edge that spans
columns passes each column between its nodes, and an edge within a column bows out beside it.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from qcode.analysis import figure_check
from qcode.analysis.figures import (
    CODE_COLORS,
    DIMENSION_COLORS,
    DPI,
    GREYS,
    INK,
    FigureError,
    _wrap,
    as_grey,
    check_path,
    check_size,
    save,
    sized_figure,
    with_fonts,
    wrap_caption,
)
from qcode.analysis.label_place import declutter, place, separate
from qcode.i18n import N_, _, marked, ngettext, term

LAYOUTS = ("force", "layered")
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "cooccurrence": {"color": "#7f7f7f", "linestyle": "solid", "label": N_("co-occurrence")},
    "hierarchy": {"color": "#4d4d4d", "linestyle": "dotted", "label": N_("hierarchy")},
    "relation": {"color": "#D55E00", "linestyle": "dashed", "label": N_("relation")},
    "framework": {"color": "#009E73", "linestyle": "dashdot", "label": N_("framework link")},
}
# the legend's names of the code levels (a framework dimension is named by the framework)
LEVEL_NAMES = {
    "open": N_("open code"),
    "axial": N_("axial code"),
    "selective": N_("selective code"),
}
SHAPES = ("o", "s", "D", "^", "v", "p", "h", "8", "<", ">")
LABEL_PT = 6.0
BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _is_code(data: Mapping[str, Any]) -> bool:
    return data.get("kind") in CODE_COLORS


def node_colors(g: nx.Graph, chain: Sequence[str], grey: bool = False) -> dict[str, str]:
    """Colour per node kind: code levels, then framework dimensions in chain order."""
    kinds = sorted({d.get("kind", "") for _n, d in g.nodes(data=True)} - set(CODE_COLORS))
    ordered = [k for k in chain if k in kinds] + [k for k in kinds if k not in chain]
    colors = dict(CODE_COLORS)
    for i, kind in enumerate(ordered):
        colors[kind] = DIMENSION_COLORS[i % len(DIMENSION_COLORS)]
    if grey:
        return {k: GREYS[i % len(GREYS)] for i, k in enumerate(colors)}
    return colors


def node_shapes(g: nx.Graph, chain: Sequence[str], grey: bool = False) -> dict[str, str]:
    """Codes round and elements square; in grey a shape per kind, since greys alone blur."""
    colors = node_colors(g, chain)
    if grey:
        return {k: SHAPES[i % len(SHAPES)] for i, k in enumerate(colors)}
    return {k: "o" if k in CODE_COLORS else "s" for k in colors}


def aggregate_sizes(g: nx.Graph) -> dict[Any, float]:
    """Each node's size: a code's codings with its sub-codes' (by path), an element's own."""
    by_path = {d.get("path", n): float(d.get("size", 0.0)) for n, d in g.nodes(data=True)}
    out = {}
    for n, d in g.nodes(data=True):
        own = float(d.get("size", 0.0))
        if "aggregate" in d:  # the core category: with the categories related to it
            out[n] = float(d["aggregate"])
            continue
        if _is_code(d) and d.get("kind") != "open" and "path" in d:
            prefix = d["path"] + "/"
            own += sum(v for p, v in by_path.items() if str(p).startswith(prefix))
        out[n] = own
    return out


def centrality(g: nx.Graph, sizes: Mapping[Any, float]) -> dict[Any, float]:
    """Weighted degree (co-occurrence counts and links), then size: who gets a label first."""
    score: dict[Any, float] = defaultdict(float)
    for a, b, d in g.edges(data=True):
        if a != b:
            score[a] += float(d.get("weight", 1.0))
            score[b] += float(d.get("weight", 1.0))
    return {n: score[n] + 1e-3 * sizes.get(n, 0.0) for n in g.nodes}


_DENSE_UP_TO = 500  # from this many nodes networkx's spring layout loops over nodes in Python


def dense_spring_layout(
    g: nx.Graph, k: float, seed: int, iterations: int, threshold: float = 1e-4
) -> dict[Any, Any]:
    """Fruchterman-Reingold as networkx computes it for fewer than 500 nodes (every pair at once,
    in arrays), for any number of nodes: from 500 networkx switches to a sparse variant that loops
    over the nodes in Python, several times slower at the size of a large codebook. Seeded: the
    same graph and seed give the same positions."""
    import numpy as np

    a = nx.to_numpy_array(g, weight="weight")
    n = a.shape[0]
    pos = np.random.RandomState(seed).rand(n, 2)
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    for _i in range(iterations):
        delta = pos[:, np.newaxis, :] - pos[np.newaxis, :, :]
        dist = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        disp = np.einsum("ijk,ij->ik", delta, k * k / dist**2 - a * dist / k)
        length = np.clip(np.linalg.norm(disp, axis=-1), 0.01, None)
        step = np.einsum("ij,i->ij", disp, t / length)
        pos += step
        t -= dt
        if np.linalg.norm(step) / n < threshold:
            break
    return dict(zip(g, pos, strict=True))


def isolated(g: nx.Graph) -> list[Any]:
    """Nodes linked to nothing else (a link to itself aside), in the order of their labels."""
    linked = {n for a, b in g.edges() if a != b for n in (a, b)}
    return sorted(
        (k for k in g.nodes if k not in linked), key=lambda k: str(g.nodes[k].get("label", k))
    )


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
        hub = "\0hub"
        for node in sorted(simple.nodes, key=str):
            simple.add_edge(hub, node, weight=0.05)
        # (past a few hundred nodes, half the steps: the layout has settled, the time halves)
        k, steps = 2.5 / math.sqrt(n), 100 if n <= 300 else 50
        if simple.number_of_nodes() < _DENSE_UP_TO:
            raw = nx.spring_layout(
                simple, k=k, seed=seed, weight="weight", iterations=steps, method="force"
            )
        else:
            raw = dense_spring_layout(simple, k, seed, steps)
        xs = [float(v[0]) for k, v in raw.items() if k != hub]
        ys = [float(v[1]) for k, v in raw.items() if k != hub]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        # half the layout, half its ranks: the crowded middle spreads out, the order stays
        rank_x = {x: i / max(1, len(xs) - 1) for i, x in enumerate(sorted(xs))}
        rank_y = {y: i / max(1, len(ys) - 1) for i, y in enumerate(sorted(ys))}
        for k, v in raw.items():
            if k != hub:
                x, y = float(v[0]), float(v[1])
                pos[k] = (
                    0.5 * (x - min(xs)) / span_x + 0.5 * rank_x[x],
                    0.5 * (y - min(ys)) / span_y + 0.5 * rank_y[y],
                )
    loose = isolated(g)
    per_row = max(4, math.ceil(math.sqrt(len(loose) * 2)))
    for i, k in enumerate(loose):
        row, col = divmod(i, per_row)
        pos[k] = ((col + 0.5) / per_row, -0.12 - 0.08 * row)
    return pos


def layered_positions(g: nx.Graph, chain: Sequence[str]) -> dict[Any, tuple[float, float]]:
    """Columns that follow the framework chain: before each dimension's elements, the codes
    linked to them; codes linked to nothing in a last column. Without framework elements,
    columns by level (selective, axial, open). Within a column, nodes are ordered by the mean
    position of their neighbours in the columns before (two sweeps), to cut crossings."""
    column: dict[Any, int] = {}
    elements = [n for n, d in g.nodes(data=True) if not _is_code(d)]
    if elements:
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

    def place_column(col: int) -> None:
        members = columns[col]
        for i, n in enumerate(members):
            y[n] = 1.0 - (i + 0.5) / len(members)

    for col in sorted(columns):
        place_column(col)
    for _i in range(2):
        for col in sorted(columns)[1:]:

            def barycentre(n: Any, col: int = col) -> float:
                ys = [y[m] for m in g.neighbors(n) if index[column[m]] < col]
                return -sum(ys) / len(ys) if ys else -y[n]

            columns[col].sort(key=barycentre)
            place_column(col)
    width = max(1, len(columns) - 1)
    return {n: (index[column[n]] / width, y[n]) for n in g.nodes}


def route(
    a: tuple[float, float],
    b: tuple[float, float],
    columns: Mapping[float, Sequence[float]],
    clear: float,
    bow: float,
) -> list[tuple[float, float]]:
    """An edge of the layered layout as a polyline (points): across each column between its
    ends it passes through the gap nearest its straight line, at least ``clear`` from every node
    there; within one column it bows out by ``bow``."""
    (xa, ya), (xb, yb) = a, b
    if abs(xa - xb) < 1e-6:
        return [a, (xa - bow, (ya + yb) / 2), b]
    if xa > xb:
        return route(b, a, columns, clear, bow)[::-1]
    out = [a]
    for x in sorted(columns):
        if not xa + 1e-6 < x < xb - 1e-6:
            continue
        y = ya + (yb - ya) * (x - xa) / (xb - xa)
        ys = sorted(columns[x])
        if any(abs(y - v) < clear for v in ys):
            gaps = [(p + q) / 2 for p, q in zip(ys, ys[1:], strict=False) if q - p >= 2 * clear]
            gaps = gaps or [ys[0] - 1.5 * clear, ys[-1] + 1.5 * clear]
            y = min(gaps, key=lambda v: abs(v - y))
        out.append((x, y))
    out.append(b)
    return out


def _tints(color: str, alphas: Sequence[float]) -> Any:
    """The opaque colours that ``color`` at each of ``alphas`` gives over white (an N x 3 array)."""
    import numpy as np
    from matplotlib.colors import to_rgb

    return 1.0 - np.outer(alphas, 1.0 - np.asarray(to_rgb(color)))


def smooth(points: Sequence[tuple[float, float]], rounds: int = 3) -> list[tuple[float, float]]:
    """Chaikin's corner cutting: a polyline's corners rounded, its ends kept (the curve stays
    within the polyline's hull, so it still passes between the nodes)."""
    pts = list(points)
    for _i in range(rounds if len(pts) > 2 else 0):
        out = [pts[0]]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1)]
            out += [(0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        out.append(pts[-1])
        pts = out
    return pts


def network_caption(g: nx.Graph, layout: str, seed: int, hidden: int = 0) -> str:
    unit = term(str(g.graph.get("unit", "overlap")))
    threshold = int(g.graph.get("min_weight", 1))
    how = (
        _("force layout, seed {seed}").format(seed=seed)
        if layout == "force"
        else _("layered by framework chain")
    )
    text = _(
        "{nodes} nodes, {edges} edges. Node area: codings "
        "(a category's with its sub-codes', the core category's with the categories related "
        "to it); edge width: co-occurrence count ({unit} unit), "
        "edges with count >= {threshold} shown; {how}."
    ).format(
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        unit=unit,
        threshold=threshold,
        how=how,
    )
    if hidden:
        shown = g.number_of_nodes() - hidden
        text += ngettext(
            " Labels: {shown} of {nodes} nodes, given to the most central "
            "first (by weighted degree) where a label fits; {hidden} is unlabelled.",
            " Labels: {shown} of {nodes} nodes, given to the most central "
            "first (by weighted degree) where a label fits; {hidden} are unlabelled.",
            hidden,
        ).format(shown=shown, nodes=g.number_of_nodes(), hidden=hidden)
    return text


@with_fonts
def draw_network(
    g: nx.Graph,
    path: str | Path,
    layout: str = "force",
    caption: str | None = None,
    seed: int = 42,
    title: str | None = None,
    size: str = "double",
    dpi: int = DPI,
    grey: bool = False,
    placement: str = "beside",
) -> Path:
    """Draw the code network (see ``qcode.analysis.network``) and save it.

    ``placement``: ``beside`` (labels beside their nodes where free, the default) or ``push``
    (the earlier way: labels on their nodes, nodes pushed apart; for comparison only)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    path = check_path(path)
    check_size(size, dpi)
    if layout not in LAYOUTS:
        raise FigureError(_("unknown layout {layout!r} (force or layered)").format(layout=layout))
    chain = [c for c in str(g.graph.get("chain", "")).split(",") if c]
    pos = force_positions(g, seed) if layout == "force" else layered_positions(g, chain)
    n = g.number_of_nodes()
    tallest = max(
        (sum(1 for p in pos.values() if p[0] == x) for x in {p[0] for p in pos.values()}),
        default=1,
    )
    aspect = None
    if layout == "layered":  # tall enough for the tallest column, within 2:1 either way
        width_mm = 85.0 if size == "single" else 175.0
        aspect = min(2.0, max(0.5, (tallest * 6.5 + 30) / width_mm))
    fig = sized_figure(size, aspect, constrained=False)
    ax = fig.add_subplot()
    ax.set_axis_off()
    width_pt, height_pt = (float(v) * 72.0 for v in fig.get_size_inches())
    colors = node_colors(g, chain, grey)
    shapes = node_shapes(g, chain, grey)
    kind_names = dict(
        item.split("=", 1) for item in str(g.graph.get("kind_names", "")).split(";") if "=" in item
    )

    # the legend and caption fix the drawing area; the layout is fitted into it
    handles = []
    present = {d.get("kind", "") for _n, d in g.nodes(data=True)}
    shown: set[str] = set()
    for kind in [*CODE_COLORS, *(k for k in chain if k in present), *sorted(present)]:
        if kind not in present or kind in shown:
            continue
        shown.add(kind)
        handles.append(
            Line2D(
                [],
                [],
                marker=shapes.get(kind, "s"),
                linestyle="",
                markersize=6,
                markerfacecolor=colors.get(kind, "#999999"),
                markeredgecolor=INK if grey else "white",
                markeredgewidth=0.5,
                label=kind_names.get(kind, marked(LEVEL_NAMES, kind)),
            )
        )
    edge_kinds = {d.get("kind") for *_, d in g.edges(data=True)}
    for kind, style in EDGE_STYLES.items():
        if kind in edge_kinds:
            color = as_grey(style["color"]) if grey else style["color"]
            handles.append(
                Line2D([], [], color=color, linestyle=style["linestyle"], label=_(style["label"]))
            )
    ncol = 2 if width_pt < 300 else 4
    if handles:
        fig.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - (2 + (14 if title else 0)) / height_pt),
            ncol=min(ncol, len(handles)),
            fontsize=6.5,
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.0,
            borderaxespad=0.2,
        )
    legend_pt = 4 + (14 if title else 0)
    if handles:  # the legend as drawn: nothing goes under it
        box = fig.legends[0].get_window_extent(figure_check._renderer(fig))
        legend_pt = max(legend_pt, height_pt - box.y0 * 72.0 / fig.dpi + 2)
    per_line = int((width_pt - 8) / 3.9)
    sizes = aggregate_sizes(g)
    labels = {
        k: _wrap(str(d.get("label", k)), 14 if layout == "layered" else 18)
        for k, d in g.nodes(data=True)
    }

    def caption_text(hidden: int) -> str:
        return wrap_caption(
            caption if caption is not None else network_caption(g, layout, seed, hidden), per_line
        )

    longest = max(caption_text(0), caption_text(n), key=len)  # room for the hidden count
    bottom_pt = 6 + 8.5 * (longest.count("\n") + 2)
    area = (4.0, bottom_pt, width_pt - 4.0, height_pt - legend_pt)
    ax.set_position(
        [
            area[0] / width_pt,
            area[1] / height_pt,
            (area[2] - area[0]) / width_pt,
            (area[3] - area[1]) / height_pt,
        ]
    )
    keys = list(g.nodes)
    by_size = g.graph.get("level") == "framework"
    biggest = max([sizes[k] for k in keys if _is_code(g.nodes[k]) or by_size] or [1.0]) or 1.0
    spacing = math.sqrt((area[2] - area[0]) * (area[3] - area[1]) / max(n, 1))
    r_max = max(2.5, min(9.0, 0.3 * spacing))
    r_min = min(1.5, r_max / 2)
    radius = {
        k: r_min + (r_max - r_min) * math.sqrt(sizes[k] / biggest)
        if _is_code(g.nodes[k]) or by_size
        else 0.75 * r_max
        for k in keys
    }
    # the layout's box into the drawing area, leaving the largest node's radius at the edges;
    # in the force layout, nodes linked to nothing in rows of their own beneath it
    loose = isolated(g) if layout == "force" else []
    linked = {k: p for k, p in pos.items() if k not in set(loose)}
    xs = [p[0] for p in linked.values()] or [0.0]
    ys = [p[1] for p in linked.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    inset = r_max + 2
    right_room = 0.0
    if layout == "layered" and len({p[0] for p in pos.values()}) > 1:
        right_room = min(60.0, (area[2] - area[0]) / len({p[0] for p in pos.values()}) * 0.8)
    inner = (area[0] + inset, area[1] + inset, area[2] - inset - right_room, area[3] - inset)
    inner_w, inner_h = inner[2] - inner[0], inner[3] - inner[1]
    pt: dict[Any, tuple[float, float]] = {}
    band = 0.0
    if loose:
        per_row = max(
            1, min(max(4, math.ceil(math.sqrt(len(loose) * 2))), int(inner_w // (2 * r_max + 3)))
        )
        rows = math.ceil(len(loose) / per_row)
        pitch = inner_h / rows if not linked else min(2 * r_max + 8, 0.6 * inner_h / rows)
        band = rows * pitch
        for i, k in enumerate(loose):
            row, col = divmod(i, per_row)
            pt[k] = (
                inner[0] + (col + 0.5) / per_row * inner_w,
                inner[1] + band - (row + 0.5) * pitch,
            )
        band += 2 * r_max if linked else 0.0
    for k, p in linked.items():
        pt[k] = (
            inner[0] + (p[0] - min(xs)) / span_x * inner_w,
            inner[1] + band + (p[1] - min(ys)) / span_y * (inner_h - band),
        )
    # no node on another: overlapping discs pushed apart (shrunk where they cannot all fit)
    parted, scale = separate(
        [pt[k] for k in keys],
        [radius[k] for k in keys],
        (area[0] + 2, area[1] + 2, area[2] - 2 - right_room, area[3] - 2),
        upright=layout == "layered",
    )
    pt = dict(zip(keys, parted, strict=True))
    radius = {k: radius[k] * scale for k in keys}
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    ax.set_position([0, 0, 1, 1])  # data units are points on the page

    # edges
    top = max(
        (float(d["weight"]) for *_, d in g.edges(data=True) if d.get("kind") == "cooccurrence"),
        default=1.0,
    )
    thin = min(1.0, math.sqrt(400 / max(1, g.number_of_edges())))
    columns: dict[float, list[float]] = defaultdict(list)
    if layout == "layered":
        for k in keys:
            columns[round(pt[k][0], 3)].append(pt[k][1])
    # Beyond a few thousand edges, blending every hairline with the layer under it costs seconds
    # at 300 dpi; there each edge gets an opaque tint of its colour (lighter when weaker) and
    # edges are drawn weakest first, which reads the same on paper.
    dense = g.number_of_edges() > 5000
    for kind, style in EDGE_STYLES.items():
        edges = [(a, b, d) for a, b, d in g.edges(data=True) if d.get("kind") == kind and a != b]
        if not edges:
            continue
        alpha = 0.5 if kind == "cooccurrence" else 0.85
        weights = [float(d.get("weight", 1.0)) / top for *_, d in edges]
        if dense:
            order = sorted(range(len(edges)), key=weights.__getitem__)
            edges, weights = [edges[i] for i in order], [weights[i] for i in order]
        if layout == "layered":
            bow = right_room / 3 + 6
            segments = [
                smooth(route(pt[a], pt[b], columns, 0.6 * r_max + 1.5, bow)) for a, b, _d in edges
            ]
        else:
            segments = [[pt[a], pt[b]] for a, b, _d in edges]
        widths = [thin * (0.3 + 2.2 * w) if kind == "cooccurrence" else 0.6 for w in weights]
        color = as_grey(style["color"]) if grey else style["color"]
        tints: Any = color
        if dense:
            tints = _tints(color, [alpha * (0.45 + 0.55 * w) for w in weights])
        ax.add_collection(
            LineCollection(
                segments,
                linewidths=widths,
                colors=tints,
                linestyles=style["linestyle"],
                alpha=None if dense else alpha,
                antialiaseds=not dense,
                zorder=1,
            )
        )
    # nodes, a scatter per shape
    by_shape: dict[str, list[Any]] = defaultdict(list)
    for k in keys:
        by_shape[shapes.get(g.nodes[k].get("kind", ""), "s")].append(k)
    for shape, members in sorted(by_shape.items()):
        coll = ax.scatter(
            [pt[k][0] for k in members],
            [pt[k][1] for k in members],
            s=[(2 * radius[k]) ** 2 for k in members],
            c=[colors.get(g.nodes[k].get("kind", ""), "#999999") for k in members],
            marker=shape,
            edgecolors=INK if grey else "white",
            linewidths=0.4,
            zorder=2,
        )
        figure_check.mark_nodes(coll, [str(k) for k in members])

    # labels
    renderer = figure_check._renderer(fig)
    texts = {}
    for k in keys:
        t = ax.text(
            0, 0, labels[k], fontsize=LABEL_PT, color=INK, zorder=3, bbox=BOX, linespacing=1.05
        )
        texts[k] = t
    extents = {}
    pad = 0.15 * LABEL_PT
    to_points = 72.0 / fig.dpi
    with warnings.catch_warnings():  # a missing glyph is reported once, when saving
        warnings.filterwarnings("ignore", "Glyph .* missing from font")
        for k, t in texts.items():
            e = t.get_window_extent(renderer)
            extents[k] = (e.width * to_points + 2 * pad, e.height * to_points + 2 * pad)
    hidden = 0
    if placement == "push":
        boxes = {k: (extents[k][0] / 2, extents[k][1] / 2) for k in keys}
        moved = declutter(pt, boxes)
        for k in keys:
            texts[k].set_position(moved[k])
            texts[k].set_ha("center")
            texts[k].set_va("center")
            figure_check.mark_label(texts[k], str(k))
    else:
        score = centrality(g, sizes)
        order = sorted(range(len(keys)), key=lambda i: (-score[keys[i]], labels[keys[i]]))
        spots = place(
            [pt[k] for k in keys],
            [radius[k] for k in keys],
            [extents[k] for k in keys],
            order,
            area,
        )
        for k, spot in zip(keys, spots, strict=True):
            t = texts[k]
            if spot is None:
                t.remove()
                hidden += 1
                continue
            # the anchor is the box's edge; the text sits inside its padding
            dx = pad if spot.ha == "left" else -pad if spot.ha == "right" else 0.0
            dy = pad if spot.va == "bottom" else -pad if spot.va == "top" else 0.0
            t.set_position((spot.x + dx, spot.y + dy))
            t.set_ha(spot.ha)
            t.set_va(spot.va)
            figure_check.mark_label(t, str(k))
    if title:
        fig.text(0.5, 1 - 4 / height_pt, title, ha="center", va="top", fontsize=9)
    wrapped = caption_text(hidden)
    if wrapped:
        fig.text(
            0.5,
            4 / height_pt,
            wrapped,
            ha="center",
            va="bottom",
            fontsize=6.5,
            color=INK,
            linespacing=1.2,
        )
    return save(fig, path, dpi=dpi, hidden=hidden)
