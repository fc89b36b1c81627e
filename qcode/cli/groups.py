"""The commands grouped by task in ``qcode --help``.

One table, applied after every command module has registered its commands: a new command gets
its group here (a test checks that every registered command has one, and that every name here is
registered). Within a group, commands appear in the table's order.
"""

from __future__ import annotations

from typing import Any

import typer

from qcode.cli.localise import LocalGroup, translated
from qcode.i18n import N_, _

GROUPS: dict[str, tuple[str, ...]] = {
    "Project": ("init", "info", "config", "undo", "redo", "log", "check"),
    "Import": ("import", "build", "docs", "cases", "attrs"),
    "Coding": ("tui", "code", "uncode", "codings", "memos", "autocode", "review"),
    "Structure": (
        "codes",
        "relate",
        "relations",
        "paradigm",
        "core",
        "framework",
        "link",
        "unlink",
    ),
    "Analysis": (
        "cooccur",
        "network",
        "freq",
        "matrix",
        "crosstab",
        "saturation",
        "query",
        "sets",
        "figure",
    ),
    "Write-up": ("summaries", "report", "quotes"),
    "Exchange": ("export", "codebook", "segments"),
    "Team": ("coders", "merge", "agreement", "resolve", "team"),
    "Text": ("words", "kwic", "dict", "similar"),
}
OTHER = "Other"
# the groups' headings, marked for the catalogue (the keys above stay English: they are ids)
HEADINGS = {
    "Project": N_("Project"),
    "Import": N_("Import"),
    "Coding": N_("Coding"),
    "Structure": N_("Structure"),
    "Analysis": N_("Analysis"),
    "Write-up": N_("Write-up"),
    "Exchange": N_("Exchange"),
    "Team": N_("Team"),
    "Text": N_("Text"),
    OTHER: N_("Other"),
}
PANEL = {name: group for group, names in GROUPS.items() for name in names}
ORDER = {name: i for i, name in enumerate(PANEL)}


def registered(app: typer.Typer) -> list[str]:
    """The names of the commands and command groups registered on ``app``."""
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    names += [g.name or "" for g in app.registered_groups]
    return [n.replace("_", "-") for n in names]


def assign(app: typer.Typer) -> None:
    """Give every registered command the help panel the table names."""
    for c in app.registered_commands:
        name = c.name or (c.callback.__name__.replace("_", "-") if c.callback else "")
        c.rich_help_panel = PANEL.get(name, OTHER)
    for g in app.registered_groups:
        g.rich_help_panel = PANEL.get(g.name or "", OTHER)


class GroupedHelp(LocalGroup):
    """Lists the commands under their groups' headings, in plain text (no terminal styling),
    in the interface's language."""

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if self.epilog:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(translated(self.epilog) or "")

    # Any: Typer carries its own copy of click's classes since 0.2x, plain click before
    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = []
        # the commands not loaded yet listed from the index (qcode.cli.lazy), not loaded for it
        peek = getattr(self.commands, "peek", None)
        for name in self.list_commands(ctx):
            cmd = peek(name) if peek is not None else self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                commands.append((name, cmd))
        if not commands:
            return
        width = max(len(name) for name, _ in commands)
        limit = formatter.width - 6 - width
        by_group: dict[str, list[tuple[str, Any]]] = {}
        for name, cmd in sorted(commands, key=lambda nc: ORDER.get(nc[0], len(ORDER))):
            group = getattr(cmd, "rich_help_panel", None) or PANEL.get(name, OTHER)
            by_group.setdefault(group, []).append((name, cmd))
        extra = [g for g in by_group if g not in GROUPS and g != OTHER]
        for group in [*GROUPS, *extra, OTHER]:
            # names padded to one width, so that the groups' columns line up
            cmds = by_group.get(group, [])
            rows = [(n.ljust(width), c.get_short_help_str(limit)) for n, c in cmds]
            if rows:
                with formatter.section(_(HEADINGS.get(group, group))):
                    formatter.write_dl(rows)
