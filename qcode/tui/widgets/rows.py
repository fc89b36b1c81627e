"""The pure parts of the transcript viewer's rows: speaker labels, the margin's code names, and
the layout made ahead of showing a document (may run in a worker thread)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import regex
from rich.cells import cell_len

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
