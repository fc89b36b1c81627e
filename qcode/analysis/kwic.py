"""Keyword in context: where a term occurs in a text, with the words around it.

A plain term is matched as text, not as tokens, and ignoring case: at word boundaries where it
begins or ends with a letter or digit of an alphabetic script (``pay`` finds *Pay* and *pay,*
but not *payment*), anywhere where it begins or ends with a CJK character (社保 is found inside
交社保). White space in the term matches any run of spaces or tabs (not a line break). A term
given as a regular expression is the ``regex`` module's syntax, also ignoring case (``(?-i)``
turns that off) and with ``^``/``$`` at line ends; empty matches are skipped.

Offsets are code points of the text, half-open; the context is up to ``window`` characters each
side, trimmed to whole graphemes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regex

from qcode.text.offsets import snap_end, snap_start

FLAGS = regex.IGNORECASE | regex.MULTILINE
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_WORDISH = regex.compile(r"[\p{L}\p{N}\p{M}_]")
_BEFORE = r"(?<![\p{L}\p{N}\p{M}_])"
_AFTER = r"(?![\p{L}\p{N}\p{M}_])"


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    left: str
    match: str
    right: str

    def as_json(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies every field and was most of a large listing
        return {
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "match": self.match,
            "right": self.right,
        }


def term_pattern(term: str, is_regex: bool = False) -> Any:
    """The compiled pattern for ``term`` (see the module's rules). Raises ``ValueError`` with a
    one-line reason for an empty term or an invalid regular expression."""
    if not term.strip():
        raise ValueError("the term is empty")
    if is_regex:
        try:
            return regex.compile(term, FLAGS)
        except regex.error as exc:
            raise ValueError(f"invalid regular expression {term!r}: {exc}") from None
    parts = term.split()
    body = r"[^\S\n]+".join(regex.escape(p) for p in parts)
    first, last = parts[0][0], parts[-1][-1]
    if _WORDISH.match(first) and not _CJK.match(first):
        body = _BEFORE + body
    if _WORDISH.match(last) and not _CJK.match(last):
        body += _AFTER
    return regex.compile(body, FLAGS)


def find(text: str, pattern: Any, timeout: float | None = None) -> list[tuple[int, int]]:
    """Every non-empty match of ``pattern`` in ``text``, as (start, end). Raises
    ``TimeoutError`` when matching takes longer than ``timeout`` seconds."""
    return [m.span() for m in pattern.finditer(text, timeout=timeout) if m.end() > m.start()]


def lines(text: str, hits: Sequence[tuple[int, int]], window: int = 40) -> list[Line]:
    """Each hit with up to ``window`` characters of context each side (whole graphemes)."""
    out = []
    n = len(text)
    for a, b in hits:
        lo = snap_end(text, max(0, a - window)) if a > 0 else 0
        hi = snap_start(text, min(n, b + window)) if b < n else n
        lo, hi = min(lo, a), max(hi, b)
        out.append(Line(a, b, text[lo:a], text[a:b], text[b:hi]))
    return out


def units_around(
    hits: Sequence[tuple[int, int]], units: Sequence[tuple[int, int]]
) -> tuple[list[tuple[int, int]], int]:
    """The units (sorted, non-overlapping ranges such as sentences) that the hits overlap, each
    once and in order, and how many hits lie in no unit."""
    starts = [u[0] for u in units]
    found: set[tuple[int, int]] = set()
    outside = 0
    for a, b in hits:
        i = max(bisect_right(starts, a) - 1, 0)
        hit = False
        while i < len(units) and units[i][0] < b:
            if units[i][1] > a:
                found.add(units[i])
                hit = True
            i += 1
        outside += not hit
    return sorted(found), outside
