"""Commands loaded when they are used: ``qcode --help`` and ``qcode codes list`` import only what
they need, not every command module (and what those import).

:data:`qcode.cli.commands_index.INDEX` names, for each of ``qcode``'s commands and command
groups, the modules that define it and the help ``qcode --help`` lists it with. The root group's
commands (:class:`LazyCommands`) load a command's modules when the command is looked up; the root's
help writes the commands not loaded from the index. The index is written by ``python -m
qcode.cli.lazy`` (``make index``) from the commands themselves, and a test keeps the two equal.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer

from qcode.cli.coercion import as_given
from qcode.cli.commands_index import INDEX
from qcode.cli.groups import OTHER, PANEL, GroupedHelp

# Every module that registers commands, in the order their commands are listed.
MODULES = (
    "qcode.cli.analysis",
    "qcode.cli.cases",
    "qcode.cli.codebook",
    "qcode.cli.coders",
    "qcode.cli.codes",
    "qcode.cli.codings",
    "qcode.cli.config",
    "qcode.cli.dictionary",
    "qcode.cli.docs",
    "qcode.cli.exchange",
    "qcode.cli.figure",
    "qcode.cli.framework",
    "qcode.cli.matrices",
    "qcode.cli.memos",
    "qcode.cli.project_cmds",
    "qcode.cli.query",
    "qcode.cli.report",
    "qcode.cli.review",
    "qcode.cli.roles",
    "qcode.cli.segments",
    "qcode.cli.sets",
    "qcode.cli.structure",
    "qcode.cli.summaries",
    "qcode.cli.tables",
    "qcode.cli.team",
    "qcode.cli.words",
)


def prepare(app: typer.Typer) -> None:
    """What every registered command gets before it is built: its group in --help, --format
    wherever there is --json, and help in the interface's language (each step leaves a command
    that has it as it is)."""
    from qcode.cli.groups import assign
    from qcode.cli.localise import use_local_classes
    from qcode.cli.options import add_formats

    assign(app)
    add_formats(app)
    use_local_classes(app)


def load_all() -> None:
    """Register every command on :data:`qcode.cli.app.app` (for the tools that walk them all)."""
    from qcode.cli.app import app

    for module in MODULES:
        importlib.import_module(module)
    prepare(app)


def _name(info: Any) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)


def build(name: str) -> Any:
    """The click command or group ``name`` of the root, its modules loaded; None if unknown."""
    from qcode.cli.app import app

    for module in INDEX[name][0] if name in INDEX else ():
        importlib.import_module(module)
    prepare(app)
    for info in app.registered_commands:
        if _name(info) == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
    return None


class LazyCommands(MutableMapping[str, Any]):
    """The root's commands by name: those built, and those in the index, built (their modules
    imported) when first looked up. Listing the names loads nothing."""

    def __init__(self, built: dict[str, Any]) -> None:
        # a command of the index is built here, with all its modules: typer builds the groups
        # registered so far, and one whose sub-commands live in a module not yet imported
        # (``matrix``, whose ``framework`` is in qcode.cli.matrices) would lack them
        self.given = {name: as_given(c) for name, c in built.items()}  # as typer built them
        self._built = {name: c for name, c in self.given.items() if name not in INDEX}

    def __getitem__(self, name: str) -> Any:
        found = self._built.get(name)
        if found is None:
            found = build(name) if name in INDEX else None
            if found is None:
                raise KeyError(name)
            self._built[name] = as_given(found)
        return found

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from INDEX
        yield from (n for n in self._built if n not in INDEX)

    def __len__(self) -> int:
        return len(INDEX.keys() | self._built.keys())

    def __contains__(self, name: object) -> bool:
        return name in INDEX or name in self._built

    def peek(self, name: str) -> Any:
        """The command ``name`` as built, else a stand-in with its help from the index (enough
        for the root's list of commands)."""
        if name in self._built or name not in INDEX:
            return self.get(name)
        from qcode.cli.localise import LocalCommand

        _modules, help_, short_help, hidden, deprecated = INDEX[name]
        return LocalCommand(
            name=name,
            help=help_,
            short_help=short_help,
            hidden=hidden,
            deprecated=deprecated,  # type: ignore[arg-type]
            rich_help_panel=PANEL.get(name, OTHER),
        )


class LazyGroup(GroupedHelp):
    """The root group: its commands load when used (:class:`LazyCommands`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: Any = LazyCommands(self.commands)
        as_given(self, commands=False)  # its own options; its commands as they are built

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)


# -- the index -------------------------------------------------------------------------------------
def _modules(info: Any) -> set[str]:
    """The modules of a registered command's or group's callbacks (and its sub-commands')."""
    found = {info.callback.__module__} if getattr(info, "callback", None) else set()
    sub = getattr(info, "typer_instance", None)
    if sub is not None:
        if sub.registered_callback is not None and sub.registered_callback.callback is not None:
            found.add(sub.registered_callback.callback.__module__)
        for c in sub.registered_commands:
            found |= _modules(c)
        for g in sub.registered_groups:
            found |= _modules(g)
    return found


def entries() -> dict[str, tuple[tuple[str, ...], str | None, str | None, bool, bool | str]]:
    """The index as the commands have it: every command's modules and help, in their order."""
    from qcode.cli.app import app
    from qcode.cli.localise import english

    load_all()
    infos: dict[str, Any] = {_name(c): c for c in app.registered_commands}
    infos |= {g.name or "": g for g in app.registered_groups}
    root = typer.main.get_command(app)
    found = {}
    for name, cmd in root.commands.given.items():  # type: ignore[attr-defined]
        modules = tuple(sorted(_modules(infos[name])))
        found[name] = (modules, english(cmd), cmd.short_help, cmd.hidden, cmd.deprecated)
    return found


def write_index() -> str:
    lines = [
        '"""The commands of ``qcode``, the modules that define them and their help, for',
        "``qcode --help`` without loading them (:mod:`qcode.cli.lazy`). Written by ``python -m",
        'qcode.cli.lazy``; a test keeps it equal to the commands."""',
        "",
        "INDEX: dict[str, tuple[tuple[str, ...], str | None, str | None, bool, bool | str]] = {",
    ]
    lines += [f"    {name!r}: {entry!r}," for name, entry in entries().items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(write_index())
