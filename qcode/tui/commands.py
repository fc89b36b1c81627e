"""Command palette (ctrl+p): apply a code, open a document, jump to a code or a memo, switch."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp


def actions(app: QcodeApp) -> list[tuple[str, Callable[[], object], str]]:
    """Every action that has a key, on the current screen (and its transcript) and the app."""
    from textual.binding import Binding

    screen = app.screen
    out: list[tuple[str, Callable[[], object], str]] = []
    seen: set[str] = set()
    owners: list[object] = [screen, *screen.query("TranscriptView"), app]
    for owner in owners:
        for b in getattr(owner, "BINDINGS", []):
            if not isinstance(b, Binding) or b.action.startswith("switch_mode"):
                continue
            name = b.description or b.action
            if name in seen or b.action in ("cancel_task", "command_palette"):
                continue
            seen.add(name)
            keys = app.keymap_label(b)
            out.append((f"Action: {name}", partial(app.run_action, b.action, owner), keys))  # type: ignore[arg-type]
    return out


class QcodeCommands(Provider):
    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        app: QcodeApp = self.app  # type: ignore[assignment]
        p = app.project
        out: list[tuple[str, Callable[[], object], str]] = []
        for key, (mode, label) in enumerate(
            (
                ("coding", "Coding"),
                ("codebook", "Codebook"),
                ("memos", "Memos"),
                ("analysis", "Analysis"),
                ("agreement", "Agreement"),
                ("queue", "Queue"),
            ),
            start=1,
        ):
            out.append((f"Switch to {label}", partial(app.switch_mode, mode), f"screen {key}"))
        out.extend(actions(app))
        for c in p.codes.list(counts=False):
            out.append(
                (f"Apply code: {c.path}", partial(app.apply_code, c.path), "code the selection")
            )
            out.append((f"Jump to code: {c.path}", partial(app.show_code, c.path), "codebook"))
        for d in p.documents.list():
            out.append(
                (f"Open document: {d.name}", partial(app.open_document, d.name), f"case {d.case}")
            )
        for m in p.memos.list():
            out.append((f"Open memo: {m.title}", partial(app.show_memo, m.id), m.type))
        return out

    async def _entries_off_thread(self) -> list[tuple[str, Callable[[], object], str]]:
        """The entries, read from the project in a thread: the palette never waits on the
        database on the UI thread."""
        return await asyncio.to_thread(self._entries)

    async def discover(self) -> Hits:
        for text, action, help_text in await self._entries_off_thread():
            if text.startswith(("Switch", "Open document", "Action")):
                yield DiscoveryHit(text, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, help_text in await self._entries_off_thread():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, help=help_text)
