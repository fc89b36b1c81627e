"""Wrapping stored text into screen rows, and mapping between offsets and cells.

Pure functions over a string: no Textual. Offsets are code points into the stored text; a row is
a half-open range ``[start, end)`` of one line (the line feed itself belongs to no row). Wide (CJK)
characters take two cells; control characters such as TAB are shown as one cell. Rows break after
a space where possible and never inside a grapheme cluster.
"""

from __future__ import annotations

import bisect
from itertools import accumulate

from rich.cells import get_character_cell_size

from qcode.text.offsets import snap_end, snap_start


def cell_width(ch: str) -> int:
    if ch < " " or ch == "\x7f":
        return 1
    return get_character_cell_size(ch)


def display(text: str) -> str:
    """Text as drawn: control characters become visible single cells."""
    if text.isprintable():
        return text
    return "".join(" " if c == "\t" else "·" if (c < " " or c == "\x7f") else c for c in text)


# no row starts with closing punctuation, and none ends with opening punctuation
CLOSING = frozenset("，。！？；：、）》」』】〕〉”’,.!?;:)]}…—")
OPENING = frozenset("（《「『【〔〈“‘([{")


def kinsoku(text: str, pos: int, brk: int) -> int:
    """Move a break at ``brk`` (a row ``[pos, brk)``) back so that the next row does not open
    with closing punctuation and this one does not end with opening punctuation; the characters
    moved go down with it, so no row grows past its width."""
    best = brk
    while best - 1 > pos and (text[best] in CLOSING if best < len(text) else False):
        best = snap_start(text, best - 1)
    while best - 1 > pos and text[best - 1] in OPENING:
        best = snap_start(text, best - 1)
    return best if best > pos else brk


class Layout:
    """The rows of ``text`` at a given width."""

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(4, width)
        self.rows: list[tuple[int, int]] = []
        pos = 0
        n = len(text)
        while True:
            nl = text.find("\n", pos)
            end = n if nl < 0 else nl
            self._wrap(pos, end)
            if nl < 0:
                break
            pos = nl + 1
        self.starts = [r[0] for r in self.rows]

    def _wrap(self, start: int, end: int) -> None:
        text, width, rows = self.text, self.width, self.rows
        line = text[start:end]
        if end - start <= width and line.isascii():
            rows.append((start, end))
            return
        cum = None if line.isascii() else [0, *accumulate(cell_width(c) for c in line)]
        pos = start
        while pos < end:
            if cum is None:
                fit = min(end, pos + width)
            else:
                base = cum[pos - start]
                fit = start + bisect.bisect_right(cum, base + width) - 1
                fit = min(max(fit, pos + 1), end)
            if fit >= end:
                rows.append((pos, end))
                return
            space = text.rfind(" ", pos, fit)
            # a space far back would leave a row of Chinese half empty: break there only when
            # it is in the row's second half (CJK text wraps between any two characters)
            if space > pos and (
                cum is None or 2 * (cum[space - start] - cum[pos - start]) >= width
            ):
                brk = space + 1
            else:
                brk = snap_start(text, fit)
                if brk <= pos:
                    brk = snap_end(text, pos + 1)
                brk = kinsoku(text, pos, brk)
            rows.append((pos, brk))
            pos = brk

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, offset: int) -> int:
        """The row showing ``offset`` (an offset at a wrap point belongs to the later row)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def x_of(self, offset: int) -> int:
        """The cell column of ``offset`` within its row."""
        a, _ = self.rows[self.row_of(offset)]
        seg = self.text[a:offset]
        return len(seg) if seg.isascii() else sum(cell_width(c) for c in seg)

    def offset_at(self, row: int, x: int) -> int:
        """The offset shown at cell ``x`` of ``row`` (clamped to the row), on a grapheme
        boundary."""
        row = min(max(row, 0), len(self.rows) - 1)
        a, b = self.rows[row]
        seg = self.text[a:b]
        if seg.isascii():
            pos = a + min(max(x, 0), b - a)
        else:
            cells, pos = 0, a
            for c in seg:
                w = cell_width(c)
                if cells + w > x:
                    break
                cells += w
                pos += 1
        return snap_start(self.text, pos)
