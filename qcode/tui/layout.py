"""Wrapping stored text into screen rows, and mapping between offsets and cells.

Pure functions over a string: no Textual. Offsets are code points into the stored text; a row is
a half-open range ``[start, end)`` of one line (the line feed itself belongs to no row). Wide (CJK)
characters take two cells; control characters such as TAB are shown as one cell. Rows break after
a space where possible and never inside a grapheme cluster.
"""

from __future__ import annotations

import bisect
import re
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


_NL = re.compile("\n")
EAGER = 100_000  # a text up to this many characters is laid out whole (in a few milliseconds)
_NL_BYTES = re.compile(b"\n")


class Layout:
    """The rows of ``text`` at a given width, laid out lazily, a line (a paragraph between two
    line feeds) at a time.

    Only lines asked for are wrapped; every other line counts an estimate of its rows (from its
    length in characters and in UTF-8 bytes, so Chinese counts two cells a character) until it
    is laid out, when its exact rows replace the estimate. So opening a document costs a scan
    for its line feeds, not wrapping all of it. A row index is therefore stable only while no
    line before it is laid out; the viewer lays out what it shows (:meth:`ensure`) and keeps
    its view on the text it showed.
    """

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = w = max(4, width)
        ends = [m.start() for m in _NL.finditer(text)]
        self._line_start = [0, *(e + 1 for e in ends)]
        ends.append(len(text))
        self._line_end = ends
        if text.isascii():
            cells = [e - a for a, e in zip(self._line_start, ends, strict=True)]
        else:  # a wide character is 3 or 4 bytes in UTF-8, a Latin one 1 or 2
            data = text.encode("utf-8", "surrogatepass")
            bends = [m.start() for m in _NL_BYTES.finditer(data)]
            bstarts = [0, *(e + 1 for e in bends)]
            bends.append(len(data))
            cells = [
                (e - a) + ((be - bs) - (e - a)) // 2
                for a, e, bs, be in zip(self._line_start, ends, bstarts, bends, strict=True)
            ]
        self._count = [max(1, -(-c // w)) for c in cells]
        self._rows: list[list[tuple[int, int]] | None] = [None] * len(cells)
        self._first = [0, *accumulate(self._count)]  # the first row of each line
        self._stale = False  # a count changed since _first was summed
        if len(text) <= EAGER:  # small enough to count every row exactly at once
            self.rows  # noqa: B018

    # -- lines ---------------------------------------------------------------------------------
    def _fresh(self) -> list[int]:
        if self._stale:
            self._first = [0, *accumulate(self._count)]
            self._stale = False
        return self._first

    def line_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._line_start, offset) - 1)

    def line_of_row(self, row: int) -> int:
        first = self._fresh()
        return min(max(0, bisect.bisect_right(first, row) - 1), len(self._count) - 1)

    @property
    def lines(self) -> int:
        return len(self._count)

    def line(self, i: int) -> tuple[int, int]:
        """The ``[start, end)`` of line ``i`` (its line feed excluded)."""
        return self._line_start[i], self._line_end[i]

    def laid(self, line: int) -> bool:
        return self._rows[line] is not None

    def _lay(self, line: int) -> list[tuple[int, int]]:
        rows = self._rows[line]
        if rows is None:
            rows = self._rows[line] = self._wrap(self._line_start[line], self._line_end[line])
            if len(rows) != self._count[line]:
                self._count[line] = len(rows)
                self._stale = True
        return rows

    def ensure(self, lo: int, hi: int) -> bool:
        """Lay out every line with a row in ``[lo, hi)`` (the rows as counted once they are);
        whether any count changed."""
        changed = False
        while True:
            a = self.line_of_row(max(0, lo))
            b = self.line_of_row(max(0, hi - 1))
            todo = [i for i in range(a, b + 1) if self._rows[i] is None]
            if not todo:
                return changed
            for i in todo:
                before = self._count[i]
                self._lay(i)
                changed = changed or self._count[i] != before

    def ensure_around(self, offset: int, above: int, below: int) -> None:
        """Lay out the rows from ``above`` rows before the one showing ``offset`` to ``below``
        rows after it, so that moving by rows there counts exact rows."""
        while True:
            r = self.row_of(offset)
            if not self.ensure(r - above, r + below + 1):
                return

    # -- rows ----------------------------------------------------------------------------------
    def row(self, row: int) -> tuple[int, int]:
        """The ``[start, end)`` of ``row`` (clamped to the rows there are)."""
        while True:
            row = min(max(row, 0), len(self) - 1)
            i = self.line_of_row(row)
            rows = self._lay(i)
            first = self._fresh()
            if first[i] <= row < first[i] + len(rows):
                return rows[row - first[i]]

    @property
    def rows(self) -> list[tuple[int, int]]:
        """Every row (lays out the whole text: for checks, not for drawing)."""
        return [r for i in range(len(self._count)) for r in self._lay(i)]

    def _wrap(self, start: int, end: int) -> list[tuple[int, int]]:
        text, width = self.text, self.width
        rows: list[tuple[int, int]] = []
        line = text[start:end]
        if end - start <= width and line.isascii():
            return [(start, end)]
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
                return rows
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
        return rows or [(start, end)]

    def __len__(self) -> int:
        return self._fresh()[-1]

    def row_of(self, offset: int) -> int:
        """The row showing ``offset`` (an offset at a wrap point belongs to the later row)."""
        i = self.line_of(offset)
        rows = self._lay(i)
        k = max(0, bisect.bisect_right(rows, (offset, len(self.text) + 1)) - 1)
        return self._fresh()[i] + k

    def x_of(self, offset: int) -> int:
        """The cell column of ``offset`` within its row."""
        a, _ = self.row(self.row_of(offset))
        seg = self.text[a:offset]
        return len(seg) if seg.isascii() else sum(cell_width(c) for c in seg)

    def offset_at(self, row: int, x: int) -> int:
        """The offset shown at cell ``x`` of ``row`` (clamped to the row), on a grapheme
        boundary."""
        a, b = self.row(row)
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
