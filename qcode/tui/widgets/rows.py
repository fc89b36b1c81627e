"""The pure parts of the transcript viewer's rows: speaker labels, the margin's code names, the
search hits, and the layout made ahead of showing a document (may run in a worker thread)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import regex
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from qcode.services.codings import Span
from qcode.tui.layout import Layout

_LABEL = regex.compile(r"[^:：\n]{1,60}[:：]")


def turn_labels(text: str, turns: Sequence[Unit]) -> dict[int, int]:
    """Where each turn's speaker label starts -> where it ends."""
    out = {}
    for u in turns:
        m = _LABEL.match(text, u.start, u.end)
        if m:
            out[u.start] = m.end()
    return out


def prepare(text: str, turns: Sequence[Unit], width: int) -> tuple[Layout, dict[int, int]]:
    """The rows and speaker labels of ``text`` for a view ``width`` cells wide (pure: may run
    in a worker thread)."""
    return Layout(text, width), turn_labels(text, turns)


def margin_pieces(spans: Sequence[Span], room: int) -> list[tuple[Span | None, str]]:
    """What the margin shows for a row's codings in ``room`` cells: each code once, as " ■" and
    its (abbreviated) name; when not all fit, as many as fit and then " +N" for the rest, so that
    no code is hidden without a sign. ``None`` marks the count."""
    codes: list[Span] = []
    seen: set[int] = set()
    for s in spans:
        if s.code_id not in seen:
            seen.add(s.code_id)
            codes.append(s)
    names = [s.code.rsplit("/", 1)[-1] for s in codes]
    n = len(codes)
    for k in range(n, 0, -1):
        more = f" +{n - k}" if k < n else ""
        per = (room - len(more)) // k - 2  # cells for each name after " ■"
        if per >= 1 and all(cell_len(nm) <= per or per >= 3 for nm in names[:k]):
            pieces: list[tuple[Span | None, str]] = []
            spare = room - len(more) - sum(2 + min(cell_len(nm), per) for nm in names[:k])
            for s, nm in zip(codes[:k], names[:k], strict=True):
                width = per + spare if k == 1 or s is codes[k - 1] else per
                pieces.append((s, _abbreviate(nm, width)))
            if more:
                pieces.append((None, more))
            return pieces
    return [(None, f" +{n}")] if n else []


def _abbreviate(name: str, width: int) -> str:
    if cell_len(name) <= width:
        return name
    out, used = "", 0
    for ch in name:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


class Unit(NamedTuple):
    """A sentence, turn or paragraph of the shown text."""

    start: int
    end: int
    speaker: str | None = None


def margin_segments(spans: Sequence[Span], width: int, base: Style, muted: Style) -> list[Segment]:
    """The margin beside a row, ``width`` cells: a rule, then each code's colour and name."""
    out = [Segment(" │", base + muted)]
    room = width - 2
    for s, piece in margin_pieces(spans, room):
        if s is None:
            out.append(Segment(piece, base + muted + Style(bold=True)))
        else:
            out.append(Segment(" ■", base + Style(color=s.color)))
            out.append(Segment(piece, base + muted))
        room -= cell_len(piece) + (2 if s is not None else 0)
    if room > 0:
        out.append(Segment(" " * room, base))
    return out


def trim_spaces(segments: list[Segment], excess: int) -> int:
    """Drop up to ``excess`` spaces from the end of ``segments``; how many were dropped."""
    dropped = 0
    while segments and dropped < excess:
        seg = segments[-1]
        n = min(excess - dropped, len(seg.text) - len(seg.text.rstrip(" ")))
        if n == 0:
            break
        dropped += n
        if n == len(seg.text):
            segments.pop()
        else:
            segments[-1] = Segment(seg.text[:-n], seg.style)
    return dropped


class Hits:
    """Search hits, ``(start, end)`` ranges sorted by start, found by offset in log time."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self._starts = [a for a, _ in self.ranges]

    def __len__(self) -> int:
        return len(self.ranges)

    def within(self, a: int, b: int) -> list[tuple[int, int]]:
        """The hits that share a code point with ``[a, b)``."""
        i = max(0, bisect.bisect_left(self._starts, a) - 1)
        out = []
        for h in self.ranges[i:]:
            if h[0] >= b:
                break
            if h[1] > a:
                out.append(h)
        return out

    def next_from(self, here: int, step: int) -> tuple[tuple[int, int], bool]:
        """The hit after (``step`` 1) or before (-1) ``here``, wrapping at the ends; and whether
        it wrapped."""
        if step > 0:
            i = bisect.bisect_right(self._starts, here)
            wrapped = i >= len(self.ranges)
            return self.ranges[0 if wrapped else i], wrapped
        i = bisect.bisect_left(self._starts, here) - 1
        wrapped = i < 0
        return self.ranges[-1 if wrapped else i], wrapped


def span_drawn(spans: Sequence[Span], span_id: int, start: int) -> bool:
    """Whether coding ``span_id`` (starting at ``start``) is among ``spans``, which are sorted
    by start: bisected, not scanned (a long transcript draws tens of thousands)."""
    at = bisect.bisect_left(spans, start, key=lambda s: s.start)
    here = itertools.takewhile(lambda s: s.start == start, itertools.islice(spans, at, None))
    return any(s.id == span_id for s in here)
