"""The Typer application object and the project option shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qcode.cli import shell
from qcode.cli.lazy import LazyGroup
from qcode.i18n import N_, _

if TYPE_CHECKING:  # the service layer loads when a command needs a project
    from qcode.services import Project

app = typer.Typer(
    name="qcode",
    # translated where GroupedHelp writes them
    help=N_(
        "Grounded-theory qualitative coding: import transcripts, code them, analyse, exchange."
    ),
    epilog=N_(
        "Exit codes: 0 done, 1 bad input, 2 usage error, 3 conflict, 4 database or server "
        "error, 130 interrupted. Settings: qcode config show."
    ),
    cls=LazyGroup,  # each command's module loads when the command is used
    no_args_is_help=False,
    add_completion=False,  # qcode.cli.shell's options, with a one-line error for an unknown shell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state: dict[str, Path | None] = {"project": None}


def _language(value: str | None) -> str | None:
    """--lang: the interface's language, set before --help (an eager option) is written."""
    if value is not None:
        from qcode.i18n import LANGUAGES, set_language

        if value not in LANGUAGES:
            raise typer.BadParameter(f"{value!r}: expected en or zh", param_hint="--lang")
        set_language(value)
    return value


def project_dir() -> Path | None:
    """The folder --project names, if it names one."""
    return _state["project"]


def project() -> Project:
    """Open the project named by --project, $QCODE_PROJECT, or the current folder."""
    from qcode.services import Project

    return Project.open(_state["project"])


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    project_dir: Path | None = typer.Option(
        None,
        "--project",
        "-p",
        help=N_("Project folder (default: $QCODE_PROJECT or the current one)."),
    ),
    _lang: str | None = typer.Option(
        None,
        "--lang",
        metavar="en|zh",
        is_eager=True,
        callback=_language,
        expose_value=True,
        help=N_("Interface language (default: language in the user settings, else the locale)."),
    ),
    _version: bool = shell.VERSION,
    _show_completion: bool = shell.SHOW,
    _install_completion: bool = shell.INSTALL,
) -> None:
    _state["project"] = project_dir
    if ctx.invoked_subcommand is None:
        from qcode.errors import NotFoundError
        from qcode.settings_paths import find_project

        try:
            find_project(project_dir)
        except NotFoundError:
            typer.echo(ctx.get_help())
            return
        from qcode.tui.app import run

        run(project_dir)


@app.command()
def tui(
    coder: list[str] = typer.Option([], "--coder", help=N_("Show only these coders' codings.")),
    blind: bool = typer.Option(
        False, "--blind", help=N_("Code blind: show only your own codings (the current user's).")
    ),
) -> None:
    """Open the coding workbench (also: plain `qcode` inside a project folder)."""
    from qcode.services import Project
    from qcode.tui.app import run

    if blind:
        with Project.open(_state["project"]) as p:
            coder = [p.user]
    elif coder:
        from qcode.errors import NotFoundError
        from qcode.services.coders import list_coders

        with Project.open(_state["project"]) as p:
            known = [c.name for c in list_coders(p)]
        unknown = [c for c in coder if c not in known]
        if unknown:
            listed = ", ".join(known) or "none"
            raise NotFoundError(
                _("no coder {v1!r} in this project (its coders: {listed})").format(
                    v1=unknown[0], listed=listed
                )
            )
    run(_state["project"], coder or None)
