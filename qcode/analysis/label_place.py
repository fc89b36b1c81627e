"""Where a figure's labels go: beside their nodes, never on another label, another node or off
the drawing area; the most central nodes first, and a label that has no free place is left out
(the figure's caption says how many).

Greedy placement over candidate positions (right, left, above, below, then the four corners,
then the same a little further out), checked against every node's disc and every label already
placed, with numpy. adjustText (the usual library for this) moves labels iteratively and
measures its own overlaps; it neither guarantees none are left nor decides which labels to drop,
and on 500 labels it takes seconds, so qcode places them itself (see ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MARGIN = 1.0  # points of air between a label and anything else
# (dx, dy) direction from the node's centre, with the matching text alignment
CANDIDATES = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (1, 1, "left", "bottom"),
    (1, -1, "left", "top"),
    (-1, 1, "right", "bottom"),
    (-1, -1, "right", "top"),
)


@dataclass(frozen=True)
class Placed:
    x: float  # the text's anchor, in points
    y: float
    ha: str
    va: str


def box_of(x: float, y: float, w: float, h: float, ha: str, va: str) -> tuple[float, ...]:
    x0 = x if ha == "left" else x - w if ha == "right" else x - w / 2
    y0 = y if va == "bottom" else y - h if va == "top" else y - h / 2
    return (x0, y0, x0 + w, y0 + h)


def place(
    centres: Sequence[tuple[float, float]],
    radii: Sequence[float],
    sizes: Sequence[tuple[float, float]],
    order: Sequence[int],
    area: tuple[float, float, float, float],
    candidates: Sequence[tuple[int, int, str, str]] = CANDIDATES,
) -> list[Placed | None]:
    """For each node (centre and radius in points) and its label's box (width, height, points),
    where the label goes, or None if it has no free place. Nodes are taken in ``order`` (the most
    central first); ``area`` (x0, y0, x1, y1) is where labels may lie."""
    import numpy as np

    n = len(centres)
    out: list[Placed | None] = [None] * n
    if not n:
        return out
    c = np.asarray(centres, dtype=float).reshape(n, 2)
    r = np.asarray(radii, dtype=float)
    placed = np.zeros((0, 4))
    index = np.arange(n)
    for i in order:
        w, h = sizes[i]
        x, y = c[i]
        for reach in (1.0, 2.2):
            boxes = []
            for dx, dy, ha, va in candidates:
                gap = r[i] * reach + MARGIN + 0.5
                # corners sit on the diagonal, a little closer than the side positions
                k = 0.75 if dx and dy else 1.0
                boxes.append(box_of(x + dx * gap * k, y + dy * gap * k, w, h, ha, va))
            b = np.asarray(boxes)
            ok = (
                (b[:, 0] >= area[0])
                & (b[:, 1] >= area[1])
                & (b[:, 2] <= area[2])
                & (b[:, 3] <= area[3])
            )
            # discs of the other nodes: the distance from each centre to the box
            ddx = np.maximum(
                np.maximum(b[:, None, 0] - c[None, :, 0], 0), c[None, :, 0] - b[:, None, 2]
            )
            ddy = np.maximum(
                np.maximum(b[:, None, 1] - c[None, :, 1], 0), c[None, :, 1] - b[:, None, 3]
            )
            near = np.hypot(ddx, ddy) < (r + MARGIN)[None, :]
            near[:, index == i] = False
            ok &= ~near.any(axis=1)
            if len(placed):
                hit = (
                    (b[:, None, 0] < placed[None, :, 2] + MARGIN)
                    & (b[:, None, 2] > placed[None, :, 0] - MARGIN)
                    & (b[:, None, 1] < placed[None, :, 3] + MARGIN)
                    & (b[:, None, 3] > placed[None, :, 1] - MARGIN)
                )
                ok &= ~hit.any(axis=1)
            free = np.flatnonzero(ok)
            if len(free):
                j = int(free[0])
                dx, dy, ha, va = candidates[j]
                gap = r[i] * reach + MARGIN + 0.5
                k = 0.75 if dx and dy else 1.0
                out[i] = Placed(float(x + dx * gap * k), float(y + dy * gap * k), ha, va)
                placed = np.vstack([placed, b[j]])
                break
    return out


def declutter(
    pos: dict[Any, tuple[float, float]],
    boxes: Mapping[Any, tuple[float, float]],
    iterations: int = 150,
) -> dict[Any, tuple[float, float]]:
    """The earlier way (kept to compare against in the benchmark): push apart nodes whose
    labels' boxes (half-width, half-height, in the layout's units) overlap, each step along the
    axis where the overlap is smaller, until none overlap or the steps run out."""
    import numpy as np

    keys = list(pos)
    if len(keys) < 2:
        return dict(pos)
    xy = np.array([pos[k] for k in keys], dtype=float)
    half = np.array([boxes[k] for k in keys], dtype=float) * 1.02
    idx = np.arange(len(keys))
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
        sx = np.where(dx == 0, np.sign(idx[:, None] - idx), np.sign(dx))
        sy = np.where(dy == 0, np.sign(idx[:, None] - idx), np.sign(dy))
        xy[:, 0] += 0.5 * np.where(along_x, ox * sx, 0.0).sum(axis=1)
        xy[:, 1] += 0.5 * np.where(along_y, oy * sy, 0.0).sum(axis=1)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


def separate(
    centres: Sequence[tuple[float, float]],
    radii: Sequence[float],
    area: tuple[float, float, float, float],
    gap: float = 1.0,
    rounds: int = 200,
    upright: bool = False,
) -> tuple[list[tuple[float, float]], float]:
    """Nodes moved apart until no two discs (centre and radius, in points) come closer than
    ``gap``, each within ``area``: every step, each overlapping pair moves apart along the line
    between their centres by half the overlap. Where the discs cannot all fit, they shrink (by a
    tenth at a time) until they do. ``upright``: nodes move only up and down (the columns of a
    layered layout stay columns). Returns the centres and the factor the radii were scaled by.
    No randomness: the same input gives the same output."""
    import numpy as np

    n = len(centres)
    c = np.asarray(centres, dtype=float).reshape(n, 2).copy()
    base = np.asarray(radii, dtype=float)
    # where two centres coincide, a fixed direction per pair (by index) parts them
    angle = np.arange(n) * 2.399963  # the golden angle
    fallback = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    scale = 1.0
    for _ in range(25):
        r = base * scale
        lo = np.stack([area[0] + r, area[1] + r], axis=1)
        hi = np.stack([area[2] - r, area[3] - r], axis=1)
        if (lo > hi).any():
            scale *= 0.9
            continue
        c = np.clip(c, lo, hi)
        need = r[:, None] + r[None, :] + gap
        for _ in range(rounds):
            d = c[:, None, :] - c[None, :, :]
            dist = np.hypot(d[..., 0], d[..., 1])
            over = need - dist
            np.fill_diagonal(over, -1.0)
            if not (over > 1e-3).any():
                return [(float(x), float(y)) for x, y in c], scale
            away = np.where(
                (dist > 1e-9)[..., None],
                d / np.maximum(dist, 1e-9)[..., None],
                np.where(
                    (np.arange(n)[:, None] < np.arange(n)[None, :])[..., None],
                    fallback[:, None, :],
                    -fallback[None, :, :],
                ),
            )
            push = np.clip(over, 0.0, None)[..., None] * away * 0.5
            if upright:
                push[..., 0] = 0.0
            c = np.clip(c + push.sum(axis=1) * 1.02, lo, hi)
        scale *= 0.9
    return [(float(x), float(y)) for x, y in c], scale
