"""Command palette (ctrl+p): apply a code, open a document, jump to a code or a memo, switch."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qcode.i18n import N_, _, memo_type

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

# an entry: its text, what it does, the help beside it, offered before any typing
Entry = tuple[str, Callable[[], object], str, bool]


def actions(app: QcodeApp) -> list[Entry]:
    """Every action that has a key, on the current screen (and its transcript) and the app."""
    from textual.binding import Binding

    screen = app.screen
    out: list[Entry] = []
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
            text = _("Action: {action}").format(action=_(name))
            out.append((text, partial(app.run_action, b.action, owner), keys, True))  # type: ignore[arg-type]
    return out


class QcodeCommands(Provider):
    def _entries(self) -> list[Entry]:
        app: QcodeApp = self.app  # type: ignore[assignment]
        p = app.project
        out: list[Entry] = []
        for key, (mode, label) in enumerate(
            (
                ("coding", N_("Coding")),
                ("codebook", N_("Codebook")),
                ("memos", N_("Memos")),
                ("analysis", N_("Analysis")),
                ("agreement", N_("Agreement")),
                ("queue", N_("Queue")),
            ),
            start=1,
        ):
            text = _("Switch to {screen}").format(screen=_(label))
            screen_key = _("screen {key}").format(key=key)
            out.append((text, partial(app.switch_mode, mode), screen_key, True))
        out.extend(actions(app))
        for c in p.codes.list(counts=False):
            out.append(
                (
                    _("Apply code: {code}").format(code=c.path),
                    partial(app.apply_code, c.path),
                    _("code the selection"),
                    False,
                )
            )
            text = _("Jump to code: {code}").format(code=c.path)
            out.append((text, partial(app.show_code, c.path), _("codebook"), False))
        for d in p.documents.list():
            out.append(
                (
                    _("Open document: {document}").format(document=d.name),
                    partial(app.open_document, d.name),
                    _("case {case}").format(case=d.case),
                    True,
                )
            )
        for m in p.memos.list():
            text = _("Open memo: {title}").format(title=m.title)
            out.append((text, partial(app.show_memo, m.id), memo_type(m.type), False))
        return out

    async def _entries_off_thread(self) -> list[Entry]:
        """The entries, read from the project in a thread: the palette never waits on the
        database on the UI thread."""
        return await asyncio.to_thread(self._entries)

    async def discover(self) -> Hits:
        for text, action, help_text, shown in await self._entries_off_thread():
            if shown:  # screens, documents and actions are offered before any typing
                yield DiscoveryHit(text, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, help_text, _shown in await self._entries_off_thread():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, help=help_text)
