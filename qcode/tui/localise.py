"""The workbench's key descriptions in the interface's language.

Textual reads ``BINDINGS`` once, when a class is defined, before the language is known; the
descriptions there are marked with :func:`qcode.i18n.N_`. :func:`localise_bindings` rebuilds
every widget class's merged bindings from its English ``BINDINGS`` with the descriptions and
tooltips translated, so that the footer, the command palette and the help show them in the
language chosen; a widget made afterwards copies them.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from qcode.i18n import N_, _

# Textual's own key descriptions that the workbench can show (translated in the catalogue)
TEXTUAL = (N_("Quit"),)


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


# the names the services use for levels, units and measures, as the workbench shows them
NAMES = {
    "open": N_("open coding"),
    "axial": N_("axial coding"),
    "selective": N_("selective coding"),
    "sentence": N_("sentence"),
    "turn": N_("turn"),
    "paragraph": N_("paragraph"),
    "document": N_("document"),
    "count": N_("count"),
    "jaccard": N_("Jaccard"),
    "ascending": N_("ascending"),
    "descending": N_("descending"),
}


def name(value: str) -> str:
    """A level, unit or measure's name in the interface's language (others as they are)."""
    return _(NAMES[value]) if value in NAMES else value


def counts(c: object) -> str:
    """A code's codings: ``12``, or ``0 own · 37 with sub-codes`` for one with sub-codes."""
    own = getattr(c, "codings", 0)
    total = getattr(c, "codings_with_subcodes", None)
    if total is None or total == own:
        return str(own)
    return _("{own} own · {total} with sub-codes").format(own=own, total=total)


# the memo types (the services' names) as the workbench shows them
MEMO_TYPES = {
    "free": N_("free memo"),
    "code": N_("code memo"),
    "theory": N_("theoretical memo"),
    "method": N_("method memo"),
    "sampling": N_("sampling memo"),
    "storyline": N_("storyline memo"),
}


def memo_type(value: str) -> str:
    return _(MEMO_TYPES[value]) if value in MEMO_TYPES else value


# the kinds of thing a memo is linked to
KINDS = {"code": N_("code"), "document": N_("document"), "coding": N_("coding"), "case": N_("case")}


def kind(value: str) -> str:
    return _(KINDS[value]) if value in KINDS else value
