"""The workbench's key descriptions in the interface's language.

Textual reads ``BINDINGS`` once, when a class is defined, before the language is known; the
descriptions there are marked with :func:`qcode.i18n.N_`. :func:`localise_bindings` rebuilds
every widget class's merged bindings from its English ``BINDINGS`` with the descriptions and
tooltips translated, so that the footer, the command palette and the help show them in the
language chosen; a widget made afterwards copies them.
"""

from __future__ import annotations

import dataclasses

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from qcode.i18n import N_, _, term

# Textual's own key descriptions that the workbench can show (translated in the catalogue)
TEXTUAL = (
    N_("Quit"),
    N_("Search for commands…"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Quit the application as soon as possible"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Theme"),
    N_("Change the current theme"),
)


def _translated(binding: Binding) -> Binding:
    return dataclasses.replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def _classes(root: type[DOMNode]) -> list[type[DOMNode]]:
    seen: list[type[DOMNode]] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


def localise_bindings() -> None:
    """Every widget class's bindings, described in the interface's language."""
    for cls in _classes(DOMNode):
        merged = cls._merge_bindings()
        keys = {k: [_translated(b) for b in bs] for k, bs in merged.key_to_bindings.items()}
        cls._merged_bindings = BindingsMap.from_keys(keys)


# the names the services use for levels, units, measures, memo types and the kinds of thing a
# memo is linked to, as the workbench shows them: English as the services name them, translated
# in the context of what they name
def name(value: str) -> str:
    """A level, unit, measure or order's name in the interface's language."""
    return term(value)


def counts(c: object) -> str:
    """A code's codings: ``12``, or ``0 own · 37 with sub-codes`` for one with sub-codes."""
    own = getattr(c, "codings", 0)
    total = getattr(c, "codings_with_subcodes", None)
    if total is None or total == own:
        return str(own)
    return _("{own} own · {total} with sub-codes").format(own=own, total=total)


class PinnedKeys(Footer):
    """The help key and the command palette's key, as the footer shows them, at its right: a
    screen's own keys may fill the row and be cut at its edge, these never are."""

    DEFAULT_CSS = """
    PinnedKeys { dock: none; width: auto; padding-left: 1; }
    PinnedKeys FooterKey.-command-palette { dock: none; }
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        found = active.get("f1")
        if found is not None and found[1].action == "help":  # the help screen's f1 closes it
            yield self._key(found[1], found[2], found[3])
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is not None:
            binding = found[1]
            yield self._key(
                binding, found[2], binding.tooltip or binding.description, "-command-palette"
            )

    def _key(self, binding: Binding, enabled: bool, tooltip: str, classes: str = "") -> FooterKey:
        return FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            classes=classes,
            disabled=not enabled,
            tooltip=tooltip,
        )


class KeysRow(Footer):
    """The screen's own keys: a key that does not fit the row whole is left out, with the
    ones after it, rather than cut at the row's edge (``m`` without ``move``). Widths are
    reckoned from the keys' text as ``FooterKey`` lays it out (`` key description ``), so
    that the row is right in the same refresh."""

    async def recompose(self) -> None:
        await super().recompose()
        self.fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width)

    def fit(self, width: int) -> None:
        used, cut = 0, False
        for child in self.children:
            if isinstance(child, FooterKey):
                wide = cell_len(child.key_display) + 2
                wide += cell_len(child.description) + 1 if child.description else 0
            else:  # not made here (no binding groups): as laid out
                wide = child.outer_size.width
            used += wide
            cut = cut or used > width
            child.display = not cut


class SplitFooter(Horizontal):
    """The footer: the row of the screen's keys, and beside it (not over it, as Textual docks
    its palette key) the pinned keys. Where Textual's palette key lies over the row, a wide
    character of a key beneath that meets its edge blanks cells of the palette's own label."""

    DEFAULT_CSS = """
    SplitFooter { dock: bottom; height: 1; width: 1fr; }
    SplitFooter > Footer.-keys { dock: none; width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield KeysRow(show_command_palette=False, classes="-keys")
        yield PinnedKeys()


def footer() -> Widget:
    """The screens' footer, with the help and command palette's keys at its right."""
    return SplitFooter()
