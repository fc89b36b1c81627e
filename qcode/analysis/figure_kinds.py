"""More figures researchers put in papers and appendices: the code line of a document (codes
along the transcript, one row per code), the coding stripes of a document (its text with a
stripe per code beside the lines it covers), and the paradigm model's code-relations map (the
phenomenon in the centre; conditions, context, strategies and consequences around it).

Plain data in: codings as ``(code path, start, end)`` with the code's level; the paradigm
worksheet as ``qcode.services.structure`` gives it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qcode.analysis.figures import (
    CODE_COLORS,
    DIMENSION_COLORS,
    DPI,
    INK,
    MM,
    SIZES,
    _columns,
    _wrap,
    as_grey,
    check_path,
    check_size,
    ink,
    new_figure,
    save,
    with_fonts,
    wrap_caption,
)
from qcode.i18n import N_, _, marked

Coding = tuple[str, int, int]  # code path, start, end
ROW_PT = 9.0
LINE_PT = 8.0


def _color(level: str, grey: bool) -> str:
    color = CODE_COLORS.get(level, CODE_COLORS["open"])
    return as_grey(color) if grey else color


def _draw_caption(fig: Any, text: str, width_pt: float) -> None:
    if text:
        fig.text(
            0.5,
            3 / (fig.get_size_inches()[1] * 72),
            wrap_caption(text, int((width_pt - 8) / 3.9)),
            ha="center",
            va="bottom",
            fontsize=6.5,
            color=INK,
        )


@with_fonts
def codeline(
    document: str,
    length: int,
    codings: Sequence[Coding],
    levels: Mapping[str, str],
    path: str | Path,
    size: str = "double",
    dpi: int = DPI,
    grey: bool = False,
) -> Path:
    """One row per code (in the order codes first appear), a bar for each coding at its place
    in the document: where in a transcript each code is spoken of."""
    path = check_path(path)
    check_size(size, dpi)
    first: dict[str, int] = {}
    for code, start, _end in sorted(codings, key=lambda c: c[1]):
        first.setdefault(code, start)
    width_mm = SIZES[size][0]
    width_pt = width_mm * MM
    # the names take at most two fifths of the width: longer ones are wrapped, and every row
    # is as tall as the most lines a name takes
    cols = max(8, int((0.4 * width_pt - 12) / 3.4))
    names = {c: _wrap(c.rsplit("/", 1)[-1], cols) for c in first}
    lines = max((n.count("\n") + 1 for n in names.values()), default=1)
    row_pt = ROW_PT + 7.0 * (lines - 1)
    most = int((SIZES["full"][1] * MM - 76) // row_pt)
    codes = sorted(first, key=first.__getitem__)
    shown = codes[:most]
    # the rows, with 46 pt below them (numbers, axis label, caption) and 18 above (the title)
    height_pt = len(shown) * row_pt + 76
    fig = new_figure(width_mm / 25.4, height_pt / 72, constrained=False)
    ax = fig.add_axes((0.4, 46 / height_pt, 0.57, 1 - 64 / height_pt))
    row = {c: i for i, c in enumerate(shown)}
    for code, start, end in codings:
        if code in row:
            ax.broken_barh(
                [(start, max(end - start, length / 400))],
                (row[code] - 0.35, 0.7),
                facecolors=_color(levels.get(code, "open"), grey),
            )
    ax.set_xlim(0, max(length, 1))
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_yticks(range(len(shown)), [names[c] for c in shown], fontsize=6)
    ax.tick_params(axis="x", labelsize=6)
    # as much room on the left as the widest name takes, measured as drawn (with its tick and
    # a margin), and on the right as the last position's number reaches past the axis
    fig.draw_without_rendering()
    to_pt = 72 / fig.dpi
    widest = max((lab.get_window_extent().width for lab in ax.get_yticklabels()), default=0.0)
    left = (widest * to_pt + 12) / width_pt
    ax.set_position((left, 46 / height_pt, 0.97 - left, 1 - 64 / height_pt))
    fig.draw_without_rendering()
    reach = max(
        (
            lab.get_window_extent().x1 * to_pt
            for loc, lab in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
            if 0 <= loc <= max(length, 1)  # matplotlib keeps, undrawn, the ticks past the end
        ),
        default=0.0,
    )
    right = 0.97 - max(0.0, reach - (width_pt - 5)) / width_pt
    ax.set_position((left, 46 / height_pt, right - left, 1 - 64 / height_pt))
    ax.set_xlabel(_("position in the document (characters)"), fontsize=6.5)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_("Code line: {document}").format(document=document), fontsize=8, loc="left")
    more = (
        _("; {n} more codes not shown").format(n=len(codes) - len(shown))
        if len(codes) > len(shown)
        else ""
    )
    _draw_caption(
        fig,
        _("{n} codings of {codes} codes, in the order the codes first appear{more}.").format(
            n=len(codings), codes=len(codes), more=more
        ),
        width_pt,
    )
    return save(fig, path, dpi=dpi)


NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕”’…‥·％,.;:?!)]}%")


def _lines(text: str, width: int) -> list[tuple[int, int]]:
    """The text's display lines as (start, end) offsets: at newlines, then wrapped at
    ``width`` columns (at spaces where there are any, and never before a closing mark)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        start = pos
        while _columns(para[start - pos :]) > width:
            cut, cols = start, 0
            while cut < pos + len(para) and cols + _columns(text[cut]) <= width:
                cols += _columns(text[cut])
                cut += 1
            space = text.rfind(" ", start, cut)
            if space > start and cut < pos + len(para):
                cut = space + 1
            # no line begins with a closing mark (，。」...): the character before it goes down
            # with it
            while cut - 1 > start and cut < pos + len(para) and text[cut] in NO_LINE_START:
                cut -= 1
            out.append((start, cut))
            start = cut
        out.append((start, pos + len(para)))
        pos += len(para) + 1
    return out


@with_fonts
def stripes(
    document: str,
    text: str,
    codings: Sequence[Coding],
    levels: Mapping[str, str],
    path: str | Path,
    size: str = "double",
    dpi: int = DPI,
    grey: bool = False,
    first_line: int = 1,
) -> Path:
    """A document's text with a coloured stripe per code beside the lines each coding covers
    (one page from ``first_line``; the caption says which lines are shown)."""
    from matplotlib.patheffects import Normal, Stroke

    path = check_path(path)
    check_size(size, dpi)
    width_mm, page_mm = SIZES[size][0], SIZES["full"][1]
    width_pt = width_mm * MM
    codes = sorted(
        {c for c, _s, _e in codings}, key=lambda c: min(s for k, s, _e in codings if k == c)
    )
    stripe_pt = 9.0
    text_pt = width_pt * 0.62
    lines = _lines(text, int(text_pt / 3.5))
    per_page = int((page_mm * MM - 110) // LINE_PT)
    lo = max(0, first_line - 1)
    page = lines[lo : lo + per_page]
    head_pt = 6 + 3.6 * max((_columns(c.rsplit("/", 1)[-1]) for c in codes), default=4)
    height_pt = len(page) * LINE_PT + head_pt + 40
    fig = new_figure(width_mm / 25.4, height_pt / 72, constrained=False)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    top = height_pt - head_pt - 10
    for i, (a, b) in enumerate(page):
        y = top - i * LINE_PT
        ax.text(6, y, text[a:b].rstrip(), fontsize=6, va="top", ha="left", color=INK)
    # stripes to the right of the text, one column per code in order of first appearance
    x0 = text_pt + 16
    palette = [*CODE_COLORS.values(), *DIMENSION_COLORS[:4]]
    shown_codes = codes[: int((width_pt - x0 - 4) // stripe_pt)]
    for j, code in enumerate(shown_codes):
        x = x0 + j * stripe_pt
        color = palette[j % len(palette)] if not grey else as_grey(palette[j % len(palette)])
        ax.text(
            x,
            top + 6,
            code.rsplit("/", 1)[-1],
            rotation=90,
            fontsize=6,
            ha="center",
            va="bottom",
            color=INK,
        )
        for code_, start, end in codings:
            if code_ != code:
                continue
            rows = [i for i, (a, b) in enumerate(page) if a < end and start < max(b, a + 1)]
            if rows:
                y1 = top - rows[0] * LINE_PT + 1
                y2 = top - rows[-1] * LINE_PT - LINE_PT + 1
                ax.plot(
                    [x, x],
                    [y1, y2],
                    color=color,
                    linewidth=3,
                    solid_capstyle="butt",
                    # outlined in ink: a pale stripe (yellow, or its grey) still shows on white
                    path_effects=[Stroke(linewidth=3.8, foreground=INK), Normal()],
                )
    last = lo + len(page)
    more = (
        _("; {n} codes without a column").format(n=len(codes) - len(shown_codes))
        if len(codes) > len(shown_codes)
        else ""
    )
    _draw_caption(
        fig,
        _(
            "Coding stripes: {document}, lines {first}-{last} of {lines}; a stripe per code "
            "beside the lines its codings cover{more}."
        ).format(document=document, first=lo + 1, last=last, lines=len(lines), more=more),
        width_pt,
    )
    return save(fig, path, dpi=dpi)


SLOT_PLACES = {  # where each slot of the paradigm model sits: column, row (0 top, 1, 2)
    "causal conditions": (0, 1),
    "context": (2, 0),
    "intervening conditions": (2, 2),
    "strategies": (2, 1),
    "consequences": (3, 1),
}
ARROWS = (
    ("causal conditions", "phenomenon"),
    ("phenomenon", "strategies"),
    ("context", "strategies"),
    ("intervening conditions", "strategies"),
    ("strategies", "consequences"),
)


MIDDLE = ("causal conditions", "phenomenon", "strategies", "consequences")  # the middle row
# each box's head, in the interface's language (the services name the slots in English)
SLOT_NAMES = {
    "phenomenon": N_("Phenomenon"),
    "causal conditions": N_("Causal conditions"),
    "context": N_("Context"),
    "intervening conditions": N_("Intervening conditions"),
    "strategies": N_("Strategies"),
    "consequences": N_("Consequences"),
}


def slot_name(slot: str) -> str:
    """A slot's name as the figure heads its box (an unknown slot as it is)."""
    return marked(SLOT_NAMES, slot)


GAP_PT = 6.0  # at least this between the middle row's boxes, for an arrowhead to show


def _paradigm_texts(sheet: Mapping[str, Any], wrap: int) -> dict[str, str]:
    """Each box's text: its slot's name (wrapped only where it is wider than ``wrap``), then
    its codes with their evidence counts."""

    def lines_of(label: str) -> list[str]:
        if _columns(label) == len(label):  # no word is cut, however long
            return textwrap.wrap(label, wrap, break_long_words=False) or [label]
        return _wrap(label, wrap).split("\n")

    def body(slot: str, items: Sequence[Mapping[str, Any]]) -> str:
        lines = lines_of(slot_name(slot).upper())
        head = len(lines)
        for it in items:
            lines += lines_of(f"{str(it['code']).rsplit('/', 1)[-1]} ({it['evidence']})")
        if len(lines) == head:
            lines.append(_("(none yet)"))
        return "\n".join(lines)

    texts = {slot: body(slot, sheet["slots"].get(slot, [])) for slot in SLOT_PLACES}
    texts["phenomenon"] = "\n".join(
        [slot_name("phenomenon").upper(), *lines_of(str(sheet["phenomenon"]).rsplit("/", 1)[-1])]
    )
    return texts


def _paradigm_boxes(
    sheet: Mapping[str, Any], texts: Mapping[str, str], width_pt: float, grey: bool
) -> tuple[Any, dict[str, Any], dict[str, float]]:
    """The figure with each slot's box in its row (not yet at its place across), and each
    box's width in points as drawn."""
    lines = {k: v.count("\n") + 1 for k, v in texts.items()}
    row_h = [
        max(lines["context"], 2),
        max(lines[s] for s in MIDDLE),
        max(lines["intervening conditions"], 2),
    ]
    heights = [h * 8.0 + 18 for h in row_h]
    height_pt = sum(heights) + 40
    fig = new_figure(width_pt / 72, height_pt / 72, constrained=False)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    row_y = [
        height_pt - 6 - heights[0] / 2,
        height_pt - 6 - heights[0] - heights[1] / 2,
        height_pt - 6 - heights[0] - heights[1] - heights[2] / 2,
    ]
    places = {**SLOT_PLACES, "phenomenon": (1, 1)}
    palette = dict(
        zip(
            ["phenomenon", *SLOT_PLACES],
            [CODE_COLORS["selective"], *DIMENSION_COLORS],
            strict=False,
        )
    )
    artists = {}
    for slot, (col, row) in places.items():
        fill = palette[slot]
        fill = as_grey(fill) if grey else fill
        artists[slot] = ax.text(
            width_pt * (col + 0.5) / 4,
            row_y[row],
            texts[slot],
            ha="center",
            va="center",
            fontsize=6.5,
            color=ink(fill),
            linespacing=1.15,
            bbox={
                "boxstyle": "round,pad=0.5",
                "facecolor": fill,
                "edgecolor": INK,
                "linewidth": 0.5,
            },
        )
    fig.draw_without_rendering()
    widths = {
        slot: a.get_bbox_patch().get_window_extent().width * 72 / fig.dpi
        for slot, a in artists.items()
    }
    return fig, artists, widths


@with_fonts
def paradigm_map(
    sheet: Mapping[str, Any],
    path: str | Path,
    size: str = "double",
    dpi: int = DPI,
    grey: bool = False,
) -> Path:
    """The paradigm model around its phenomenon: causal conditions -> phenomenon ->
    action/interaction strategies -> consequences, with context and intervening conditions
    bearing on the strategies; each box lists its codes with their evidence counts. The middle
    row's boxes are measured as drawn and spread over the width with equal gaps (narrower
    wrapping where they would not fit); context and intervening conditions stand above and
    below the strategies."""
    from matplotlib.patches import FancyArrowPatch

    path = check_path(path)
    check_size(size, dpi)
    width_mm = SIZES[size][0]
    width_pt = width_mm * MM
    wrap = max(12, int(width_pt / 4 / 3.6) - 3)
    # narrower wrapping until the middle row fits, keeping the widest wrapping that gave the
    # narrowest row (a word is never cut, so past some point wrapping narrows nothing)
    best = None
    while True:
        fig, artists, widths = _paradigm_boxes(sheet, _paradigm_texts(sheet, wrap), width_pt, grey)
        row = sum(widths[s] for s in MIDDLE)
        if best is None or row < best[0] - 0.5:
            best = (row, fig, artists, widths)
        if row + 4 * GAP_PT <= width_pt or wrap <= 6:
            break
        wrap -= 1
    row, fig, artists, widths = best
    # the middle row: equal gaps between the boxes, half a gap at either edge
    gap = (width_pt - row) / 4
    x = gap / 2
    for slot in MIDDLE:
        artists[slot].set_x(x + widths[slot] / 2)
        x += widths[slot] + gap
    centre = artists["strategies"].get_position()[0]
    for slot in ("context", "intervening conditions"):
        half = widths[slot] / 2 + 2
        artists[slot].set_x(min(max(centre, half), width_pt - half))
    ax = fig.axes[0]
    for a, b in ARROWS:
        ax.add_patch(
            FancyArrowPatch(
                artists[a].get_position(),
                artists[b].get_position(),
                patchA=artists[a].get_bbox_patch(),
                patchB=artists[b].get_bbox_patch(),
                arrowstyle="-|>",
                mutation_scale=9,
                color=INK,
                linewidth=0.8,
                shrinkA=2,
                shrinkB=2,
                # drawn after the boxes: a text places its box only as it is drawn, so arrows
                # drawn before would be clipped to where the boxes stood at the last drawing
                # (another place, or another dpi), their heads hidden under the boxes
                zorder=4,
            )
        )
    empty = _(", ").join(slot_name(s).lower() for s in sheet.get("empty", []))
    text = _(
        "The paradigm model (Strauss and Corbin): codes by their relation to the phenomenon, "
        "with the number of evidence segments of each relation"
    )
    _draw_caption(
        fig,
        (_("{text}; empty: {empty}.") if empty else _("{text}.")).format(text=text, empty=empty),
        width_pt,
    )
    return save(fig, path, dpi=dpi)
