"""Is a drawn figure clean? Its geometry after drawing, and what is wrong with it.

From a drawn ``matplotlib.figure.Figure``: every visible text's box (matplotlib's own extents
after drawing, with the label's background box where it has one), the nodes of a network
(centre and radius, from the scatter collections the drawing marks), the canvas, and the print
width the figure is meant for. From that geometry, the findings:

- ``overlap``: two text boxes overlap (by more than half a point each way);
- ``covers-node``: a label's box lies on a node other than its own;
- ``node-overlap``: two nodes' discs overlap (by more than half a point);
- ``outside``: a text box reaches outside the canvas;
- ``contrast``: a text's WCAG 2 contrast ratio against its background is below 4.5;
- ``small``: a text is below 6 pt at print size;
- ``glyphs``: characters that none of the text's fonts has (they would print as boxes).

All lengths are in points (1/72 inch) at the figure's own size, with y upwards. qcode stores the
geometry with each figure it saves (a PNG text chunk, an SVG ``<metadata>`` element), so that
``qcode figure check`` can read it back from the file.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qcode.errors import InvalidInputError
from qcode.i18n import _

KEY = "qcode-geometry"  # the PNG text chunk and the SVG metadata element's id
MIN_CONTRAST = 4.5
MIN_POINTS = 6.0
TOLERANCE = 0.5  # points: boxes that touch or graze are not overlapping
DOUBLE_COLUMN_MM = 175.0


@dataclass
class Label:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    points: float  # font size at the figure's own size
    color: str
    background: str
    owner: str | None = None  # the node it names
    missing: str = ""  # characters no font of the text has


@dataclass
class Node:
    id: str
    x: float
    y: float
    r: float
    color: str = "#ffffff"


@dataclass
class Geometry:
    width: float
    height: float
    print_width: float  # the width (points) it is printed at
    labels: list[Label] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    hidden: int = 0  # labels left out because they did not fit

    @property
    def scale(self) -> float:
        return self.print_width / self.width if self.width else 1.0

    def to_json(self) -> str:
        return json.dumps(_rounded(asdict(self)), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Geometry:
        d = json.loads(text)
        return cls(
            width=d["width"],
            height=d["height"],
            print_width=d["print_width"],
            labels=[Label(**{**x, "box": tuple(x["box"])}) for x in d["labels"]],
            nodes=[Node(**x) for x in d["nodes"]],
            hidden=d.get("hidden", 0),
        )


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str


def _rounded(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 2)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_rounded(x) for x in v]
    return v


# --- colour ------------------------------------------------------------------------------------


def luminance(color: Any) -> float:
    """WCAG 2 relative luminance of a colour."""
    from matplotlib.colors import to_rgb

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = to_rgb(color)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: Any, b: Any) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(color: Any, alpha: float, under: Any) -> str:
    """``color`` at ``alpha`` laid over the opaque ``under``, as #rrggbb."""
    from matplotlib.colors import to_hex, to_rgb

    top, bottom = to_rgb(color), to_rgb(under)
    r, g, b = (alpha * t + (1 - alpha) * u for t, u in zip(top, bottom, strict=True))
    return to_hex((r, g, b))


# --- fonts -------------------------------------------------------------------------------------

_charmaps: dict[str, set[int]] = {}


def _charmap(path: str) -> set[int]:
    if path not in _charmaps:
        from matplotlib.ft2font import FT2Font

        _charmaps[path] = set(FT2Font(path).get_charmap())
    return _charmaps[path]


def missing_glyphs(text: str, families: Sequence[str]) -> str:
    """The characters of ``text`` that no font of ``families`` (in fallback order) has."""
    from matplotlib import font_manager

    paths = []
    for family in families:
        try:
            prop = font_manager.FontProperties(family=family)
            paths.append(font_manager.findfont(prop, fallback_to_default=False))
        except ValueError:
            continue
    maps = [_charmap(p) for p in dict.fromkeys(paths)]
    seen = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or not ch.isprintable():
            continue
        if not any(ord(ch) in m for m in maps):
            seen.append(ch)
    return "".join(seen)


# --- geometry of a drawn figure ----------------------------------------------------------------


def mark_nodes(collection: Any, ids: Sequence[str]) -> None:
    """Tell the checker that the points of a scatter collection are these nodes."""
    collection.qcode_nodes = list(ids)


def mark_label(text: Any, owner: str) -> None:
    """Tell the checker that a text names a node."""
    text.qcode_owner = owner


def set_background(text: Any, color: str) -> None:
    """Tell the checker what lies under a text (a heat map's cell, say)."""
    text.qcode_background = color


def _renderer(fig: Any) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def geometry(fig: Any, print_width: float | None = None, hidden: int = 0) -> Geometry:
    """The geometry of ``fig`` as drawn. ``print_width`` (points): the width it is printed at;
    by default its own width, or a double column (175 mm) if it is wider."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    renderer = _renderer(fig)
    fig.draw_without_rendering()  # the layout, without rasterising anything
    to_pt = 72.0 / fig.dpi
    width_in, height_in = fig.get_size_inches()
    width, height = width_in * 72.0, height_in * 72.0
    if print_width is None:
        print_width = min(width, DOUBLE_COLUMN_MM / 25.4 * 72.0)
    nodes: list[Node] = []
    for ax in fig.axes:
        for coll in ax.collections:
            ids = getattr(coll, "qcode_nodes", None)
            if not ids:
                continue
            offsets = coll.get_offset_transform().transform(coll.get_offsets())
            sizes = list(coll.get_sizes()) or [36.0]
            faces = coll.get_facecolors()
            for i, node in enumerate(ids):
                r = math.sqrt(float(sizes[i % len(sizes)])) / 2.0  # marker area is in pt^2
                face = to_hex(faces[i % len(faces)]) if len(faces) else "#ffffff"
                x, y = offsets[i]
                nodes.append(Node(node, float(x) * to_pt, float(y) * to_pt, r, face))
    by_id = {n.id: n for n in nodes}
    labels: list[Label] = []
    page = to_hex(fig.get_facecolor())
    skip = _undrawn_ticks(fig)
    for t in fig.findobj(Text):
        content = t.get_text()
        if not t.get_visible() or not content.strip() or t.figure is None or id(t) in skip:
            continue
        patch = t.get_bbox_patch()
        ext = (patch if patch is not None else t).get_window_extent(renderer)
        if patch is not None:
            t.update_bbox_position_size(renderer)
            ext = patch.get_window_extent(renderer)
        box = (ext.x0 * to_pt, ext.y0 * to_pt, ext.x1 * to_pt, ext.y1 * to_pt)
        owner = getattr(t, "qcode_owner", None)
        under = getattr(t, "qcode_background", None)
        if under is None:
            under = page
            ax = t.axes
            if ax is not None and ax.patch.get_visible():
                under = over(ax.patch.get_facecolor(), ax.patch.get_facecolor()[3], page)
            hit = _covered(box, nodes)
            if hit is not None:
                under = hit.color
        if patch is not None and patch.get_visible():
            face = patch.get_facecolor()
            under = over(face, face[3] * (patch.get_alpha() or 1.0), under)
        families = t.get_fontproperties().get_family()
        labels.append(
            Label(
                text=content,
                box=box,
                points=float(t.get_fontsize()),
                color=to_hex(t.get_color()),
                background=under,
                owner=owner if owner in by_id else None,
                missing=missing_glyphs(content, families),
            )
        )
    return Geometry(width, height, float(print_width), labels, nodes, hidden)


def _undrawn_ticks(fig: Any) -> set[int]:
    """Tick labels beyond an axis's view (matplotlib keeps them but does not draw them)."""
    skip: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = (hi - lo) * 1e-6
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                loc = tick.get_loc()
                if loc is None or not lo - eps <= loc <= hi + eps:
                    skip.update((id(tick.label1), id(tick.label2)))
    return skip


def _covered(box: tuple[float, float, float, float], nodes: Iterable[Node]) -> Node | None:
    """The node whose disc covers the centre of ``box``, if any (the topmost drawn)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    found = None
    for n in nodes:
        if (n.x - cx) ** 2 + (n.y - cy) ** 2 <= n.r**2:
            found = n
    return found


# --- findings ----------------------------------------------------------------------------------


def findings(geom: Geometry) -> list[Finding]:
    """Everything wrong with a figure's geometry (empty for a clean figure)."""
    import numpy as np

    out: list[Finding] = []
    labels = geom.labels
    if labels:
        b = np.array([lab.box for lab in labels], dtype=float)
        ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
        oy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
        hit = np.triu((ox > TOLERANCE) & (oy > TOLERANCE), k=1)
        for i, j in zip(*np.nonzero(hit), strict=True):
            out.append(
                Finding(
                    "overlap",
                    _("{a} overlaps {b}").format(a=_name(labels[i]), b=_name(labels[j])),
                )
            )
        if geom.nodes:
            nx_ = np.array([n.x for n in geom.nodes])
            ny_ = np.array([n.y for n in geom.nodes])
            nr = np.array([n.r for n in geom.nodes])
            # distance from each node's centre to each box (0 inside it)
            dx = np.maximum(
                np.maximum(b[:, None, 0] - nx_[None, :], 0), nx_[None, :] - b[:, None, 2]
            )
            dy = np.maximum(
                np.maximum(b[:, None, 1] - ny_[None, :], 0), ny_[None, :] - b[:, None, 3]
            )
            on = np.hypot(dx, dy) < nr[None, :] - TOLERANCE
            ids = [n.id for n in geom.nodes]
            for i, j in zip(*np.nonzero(on), strict=True):
                if labels[i].owner != ids[j]:
                    out.append(
                        Finding(
                            "covers-node",
                            _("{label} lies on node {node!r}").format(
                                label=_name(labels[i]), node=ids[j]
                            ),
                        )
                    )
    out += _node_overlaps(geom.nodes)
    for lab in labels:
        x0, y0, x1, y1 = lab.box
        if (
            x0 < -TOLERANCE
            or y0 < -TOLERANCE
            or x1 > geom.width + TOLERANCE
            or y1 > geom.height + TOLERANCE
        ):
            out.append(
                Finding("outside", _("{label} reaches outside the canvas").format(label=_name(lab)))
            )
        ratio = contrast(lab.color, lab.background)
        if ratio < MIN_CONTRAST:
            out.append(
                Finding(
                    "contrast",
                    _(
                        "{label}: contrast {ratio:.2f} ({color} on {background}), below {least}"
                    ).format(
                        label=_name(lab),
                        ratio=ratio,
                        color=lab.color,
                        background=lab.background,
                        least=MIN_CONTRAST,
                    ),
                )
            )
        printed = lab.points * geom.scale
        if printed < MIN_POINTS - 0.05:
            out.append(
                Finding(
                    "small",
                    _("{label}: {points:.1f} pt at print size, below 6 pt").format(
                        label=_name(lab), points=printed
                    ),
                )
            )
        if lab.missing:
            out.append(
                Finding(
                    "glyphs",
                    _("{label}: no font here has {missing!r}").format(
                        label=_name(lab), missing=lab.missing
                    ),
                )
            )
    return out


def _node_overlaps(nodes: Sequence[Node]) -> list[Finding]:
    """Pairs of nodes whose discs overlap: a node drawn on another hides it."""
    import numpy as np

    if len(nodes) < 2:
        return []
    x = np.array([n.x for n in nodes])
    y = np.array([n.y for n in nodes])
    r = np.array([n.r for n in nodes])
    gap = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) - (r[:, None] + r[None, :])
    hit = np.triu(gap < -TOLERANCE, k=1)
    return [
        Finding(
            "node-overlap",
            _("node {a!r} overlaps node {b!r}").format(a=nodes[i].id, b=nodes[j].id),
        )
        for i, j in zip(*np.nonzero(hit), strict=True)
    ]


def _name(lab: Label) -> str:
    text = " ".join(lab.text.split())
    return repr(text if len(text) <= 40 else text[:39] + "…")


def summary(geom: Geometry, found: Sequence[Finding]) -> dict[str, Any]:
    """Counts of each kind of finding, for a report or a test."""
    kinds = ("overlap", "covers-node", "node-overlap", "outside", "contrast", "small", "glyphs")
    counts = {k: sum(1 for f in found if f.kind == k) for k in kinds}
    return {
        "labels": len(geom.labels),
        "nodes": len(geom.nodes),
        "hidden_labels": geom.hidden,
        "print_width_mm": round(geom.print_width / 72.0 * 25.4, 1),
        **counts,
        "clean": not found,
    }


# --- stored with the file ----------------------------------------------------------------------


def embed(path: Path, geom: Geometry) -> None:
    """Store the geometry in a saved SVG (a ``<metadata>`` element before its end)."""
    from xml.sax.saxutils import escape

    if path.suffix.lower() == ".svg":
        text = path.read_text(encoding="utf-8")
        element = f'<metadata id="{KEY}">{escape(geom.to_json())}</metadata>\n'
        end = text.rindex("</svg>")
        path.write_text(text[:end] + element + text[end:], encoding="utf-8")


def png_metadata(geom: Geometry) -> dict[str, str]:
    """The PNG text chunk holding the geometry (compressed, then hex, to stay Latin-1)."""
    return {KEY: zlib.compress(geom.to_json().encode("utf-8"), 9).hex()}


def read(path: str | Path) -> Geometry:
    """The geometry qcode stored with a figure file it drew."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(_("{path}: no such file").format(path=path))
    ext = path.suffix.lower()
    try:
        if ext == ".png":
            from PIL import Image

            with Image.open(path) as im:
                stored = im.info.get(KEY)
            if stored is None:
                raise InvalidInputError(
                    _("{path}: no figure geometry in it (not drawn by qcode)").format(path=path)
                )
            return Geometry.from_json(zlib.decompress(bytes.fromhex(stored)).decode("utf-8"))
        if ext == ".svg":
            import xml.etree.ElementTree as ET

            root = ET.parse(path).getroot()
            for el in root.iter():
                if el.tag.endswith("metadata") and el.get("id") == KEY and el.text:
                    return Geometry.from_json(el.text)
            raise InvalidInputError(
                _("{path}: no figure geometry in it (not drawn by qcode)").format(path=path)
            )
    except InvalidInputError:
        raise
    except Exception as exc:  # a damaged file: PIL, zlib, XML or JSON errors
        raise InvalidInputError(
            _("{path}: not a readable figure ({v1})").format(path=path, v1=type(exc).__name__)
        ) from exc
    raise InvalidInputError(_("{path}: qcode checks .png and .svg figures").format(path=path))
