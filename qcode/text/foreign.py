"""Positions that another tool counted in its own copy of a text, carried over to qcode's copy.

Another tool's plain text is *raw*: it may start with a byte-order mark, end lines with CRLF and
hold decomposed accents. qcode stores ``normalize(raw)``, so a position in the raw text has to be
moved: past removed BOMs and the LF of each CRLF, and across NFC composition. A tool may also count
in UTF-16 code units (NVivo does) rather than code points; a BOM at the start is never counted.
Ranges end on whole graphemes of the stored text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

import regex

from qcode.text.normalize import _BREAK_RE, normalize
from qcode.text.offsets import UnitIndex, snap_range

UNITS = ("codepoints", "utf16")
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# characters that may join a neighbour into one grapheme (see qcode.text.offsets._simple)
_JOINING = re.compile("[^\x00-\u02ff\u4e00-\u9fff]")


class ForeignText:
    """A raw text and the way to map its positions (in ``units``) into ``normalize(raw)``."""

    def __init__(self, raw: str, units: str = "codepoints") -> None:
        if units not in UNITS:
            raise ValueError(f"unknown units {units!r}")
        raw = raw.removeprefix("\ufeff")
        self.raw_length = len(raw)
        self.text = normalize(raw)
        self._utf16 = UnitIndex(raw, "utf-16") if units == "utf16" and _ASTRAL.search(raw) else None
        self.units_length = len(raw) + (len(_ASTRAL.findall(raw)) if units == "utf16" else 0)
        self._gone: list[int] = []
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        # every position is a character of the stored text and a grapheme boundary: nothing to map
        self._plain = self._utf16 is None and self.text == raw and not _JOINING.search(raw)
        if self.text == raw:
            return
        lead = len(raw) - len(raw.lstrip("\ufeff"))
        self._gone = list(range(lead)) + [
            m.start() + 1 for m in _BREAK_RE.finditer(raw, lead) if m.group() == "\r\n"
        ]
        broken = _BREAK_RE.sub("\n", raw[lead:])
        if broken != self.text:
            self._cluster_maps(broken)

    def _cluster_maps(self, broken: str) -> None:
        """Per-grapheme maps for text that NFC changes: a position inside a cluster goes to the
        start of the cluster's composed form (as a start) or to its end (as an end)."""
        starts = [0] * (len(broken) + 1)
        ends = [0] * (len(broken) + 1)
        out = 0
        for m in _GRAPHEME.finditer(broken):
            a, b = m.span()
            n = len(unicodedata.normalize("NFC", m.group()))
            for i in range(a, b):
                starts[i] = out
                ends[i + 1] = out + n
            out += n
        starts[len(broken)] = out
        if out != len(self.text):  # composition across clusters: scale instead (never seen)
            k = len(self.text) / max(out, 1)
            starts = [round(v * k) for v in starts]
            ends = [round(v * k) for v in ends]
        self._starts, self._ends = starts, ends

    def _code_point(self, pos: int, is_end: bool) -> int:
        if self._utf16 is None:
            return pos
        cp = self._utf16.from_units(pos)
        if is_end and self._utf16.to_units(cp) < pos:
            cp += 1
        return cp

    def _position(self, pos: int, is_end: bool) -> int:
        cp = min(max(self._code_point(pos, is_end), 0), self.raw_length)
        cp -= bisect.bisect_left(self._gone, cp)
        table = self._ends if is_end else self._starts
        return table[cp] if table is not None else cp

    def range(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` of the raw text as a range of the stored text; None if it holds no
        character of it (empty, or out of the text)."""
        if end <= start or start >= self.units_length or end <= 0:
            return None
        if self._plain:
            return max(start, 0), min(end, len(self.text))
        s, e = snap_range(self.text, self._position(start, False), self._position(end, True))
        return (s, e) if e > s else None
