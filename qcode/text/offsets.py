"""Offsets into normalised text.

qcode counts in code points (Python ``str`` indices), half-open ``[start, end)``. Other units are
converted only at the boundary that needs them: UTF-16 code units (NVivo, Word, JavaScript) and
UTF-8 bytes (tree-sitter, some web tools). Ranges are snapped to extended grapheme clusters so that
a coding never splits an emoji, a flag or a letter from its combining mark.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)


def grapheme_boundaries(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Every grapheme boundary of ``text`` within ``[lo, hi]`` (both ends included).

    ``lo`` must itself be a boundary; 0 and any position just after a line feed always are.
    """
    hi = len(text) if hi is None else hi
    out = [lo]
    for m in _GRAPHEME.finditer(text, lo, hi):
        out.append(m.end())
    return out


def _line_start(text: str, pos: int) -> int:
    """A position at or before ``pos`` that is certainly a grapheme boundary."""
    nl = text.rfind("\n", 0, pos)
    return 0 if nl < 0 else nl + 1


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def _simple(ch: str) -> bool:
    """True for characters that join with no neighbour into a grapheme cluster: those below
    U+0300 (Latin, Greek letters before the combining marks; no Extend, ZWJ, SpacingMark, Prepend,
    Regional Indicator or Hangul among them) and the CJK Unified Ideographs."""
    o = ord(ch)
    return o < 0x300 or 0x4E00 <= o <= 0x9FFF


def is_boundary_fast(text: str, pos: int) -> bool:
    """A cheap sufficient test: ``pos`` lies between two simple characters."""
    return 0 < pos < len(text) and _simple(text[pos - 1]) and _simple(text[pos])


def snap_start(text: str, pos: int) -> int:
    """The grapheme boundary at or before ``pos``."""
    if pos <= 0:
        return 0
    if pos >= len(text):
        return len(text)
    if is_boundary_fast(text, pos):
        return pos
    bounds = grapheme_boundaries(text, _line_start(text, pos), min(len(text), _line_end(text, pos)))
    return bounds[bisect.bisect_right(bounds, pos) - 1]


def snap_end(text: str, pos: int) -> int:
    """The grapheme boundary at or after ``pos``."""
    if pos <= 0:
        return 0
    if pos >= len(text):
        return len(text)
    if is_boundary_fast(text, pos):
        return pos
    bounds = grapheme_boundaries(text, _line_start(text, pos), min(len(text), _line_end(text, pos)))
    return bounds[bisect.bisect_left(bounds, pos)]


def snap_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole graphemes."""
    return snap_start(text, start), snap_end(text, end)


class UnitIndex:
    """Converts code-point offsets of one text to and from UTF-16 or UTF-8 offsets.

    Built once per text in O(n); each conversion is O(log k) where k is the number of code points
    whose width in the other unit is not 1.
    """

    def __init__(self, text: str, unit: str = "utf-16") -> None:
        if unit not in ("utf-16", "utf-8"):
            raise ValueError(f"unknown unit {unit!r}")
        self.unit = unit
        self.length = len(text)
        # positions (code-point index) of characters wider than one unit, and their extra width
        self._cp: list[int] = []
        self._extra_before: list[int] = [0]
        if not text.isascii():
            import numpy as np

            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if unit == "utf-16":
                extra = (points > 0xFFFF).astype(np.int64)
            else:
                extra = (
                    (points > 0x7F).astype(np.int64)
                    + (points > 0x7FF).astype(np.int64)
                    + (points > 0xFFFF).astype(np.int64)
                )
            wide = np.flatnonzero(extra)
            self._cp = wide.tolist()
            self._extra_before += np.cumsum(extra[wide]).tolist()
        # unit offset at which each wide character starts, for the reverse direction
        self._unit_pos = [cp + self._extra_before[k] for k, cp in enumerate(self._cp)]

    def to_units(self, cp: int) -> int:
        """Code-point offset -> offset in the other unit."""
        k = bisect.bisect_left(self._cp, cp)
        return cp + self._extra_before[k]

    def from_units(self, u: int) -> int:
        """Offset in the other unit -> code-point offset (a position inside a character rounds
        down to the character's start)."""
        k = bisect.bisect_right(self._unit_pos, u)
        if k and u < self._unit_pos[k - 1] + self._width(k - 1):
            return self._cp[k - 1]
        return u - self._extra_before[k]

    def _width(self, k: int) -> int:
        return 1 + self._extra_before[k + 1] - self._extra_before[k]


def slices(text: str, ranges: Sequence[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in ranges]
