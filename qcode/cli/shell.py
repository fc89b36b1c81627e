"""The root options that act before any command: ``--version``, ``--show-completion`` and
``--install-completion``.

Completion scripts are Typer's (bash, zsh, fish, PowerShell), for the shell qcode runs under
(else the login shell, ``$SHELL``). A script for a named shell: ``_QCODE_COMPLETE=source_zsh
qcode`` (``source_bash``, ``source_fish``, ``source_powershell``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

PROG = "qcode"
COMPLETE_VAR = "_QCODE_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def current_shell() -> str:
    """The shell qcode runs under, else the login shell; refused if it has no completion."""
    from typer._completion_shared import _get_shell_name

    shell = _get_shell_name() or Path(os.environ.get("SHELL", "")).name
    if not shell:
        raise InvalidInputError(
            _("cannot tell which shell this is; for bash: _QCODE_COMPLETE=source_bash qcode")
        )
    if shell not in SHELLS:
        raise InvalidInputError(
            _(
                "no completion for the shell {shell!r} (bash, zsh, fish, "
                "powershell); for bash: _QCODE_COMPLETE=source_bash qcode"
            ).format(shell=shell)
        )
    return shell


def prepare_completion() -> None:
    """Make Typer's completion scripts and answers the ones in use (once, before parsing)."""
    from typer.completion import completion_init

    completion_init()


def completion_script(shell: str) -> str:
    """The script that makes SHELL complete qcode's commands, options and values."""
    from typer._completion_shared import get_completion_script

    prepare_completion()
    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def _show(ctx: typer.Context, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    typer.echo(completion_script(current_shell()))
    raise typer.Exit(0)


def _install(ctx: typer.Context, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from typer._completion_shared import install

    prepare_completion()
    shell, path = install(shell=current_shell(), prog_name=PROG, complete_var=COMPLETE_VAR)
    typer.echo(
        _("{shell} completion for qcode installed in {path}; it works in a new terminal").format(
            shell=shell, path=path
        )
    )
    raise typer.Exit(0)


def _version(ctx: typer.Context, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from qcode import __version__

    typer.echo(f"qcode {__version__}")
    raise typer.Exit(0)


VERSION = typer.Option(
    False,
    "--version",
    is_eager=True,
    expose_value=False,
    callback=_version,
    help=N_("Print qcode's version and exit."),
)
SHOW = typer.Option(
    False,
    "--show-completion",
    is_eager=True,
    expose_value=False,
    callback=_show,
    help=N_("Print this shell's completion script (bash, zsh, fish or PowerShell)."),
)
INSTALL = typer.Option(
    False,
    "--install-completion",
    is_eager=True,
    expose_value=False,
    callback=_install,
    help=N_("Install completion for this shell; it works in a new terminal."),
)
