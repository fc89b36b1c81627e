"""No raw control character from a project reaches the terminal through the workbench.

Textual writes each segment's text as it is; a code name or a transcript holding ESC or CSI
would retitle, clear or rewrite the terminal. :func:`install` wraps Textual's one place that turns
a line (``Strip``) into terminal output so control characters in the text are dropped there
(they take no cells, so the layout is unchanged); the styles Textual adds are written as before.
Textual has no public hook for this; the wrapped method is small and the version is pinned.
"""

from __future__ import annotations

import re
from typing import Any

from textual.strip import Strip

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_original = Strip.render


def _render(self: Strip, console: Any) -> str:
    segments = self._segments
    if self._render_cache is None and any(_CONTROL.search(s.text) for s in segments):
        self._segments = [
            s._replace(text=_CONTROL.sub("", s.text)) if _CONTROL.search(s.text) else s
            for s in segments
        ]
        try:
            return _original(self, console)
        finally:
            self._segments = segments
    return _original(self, console)


def install() -> None:
    """Wrap ``Strip.render`` once."""
    if Strip.render is not _render:
        Strip.render = _render  # type: ignore[method-assign]
