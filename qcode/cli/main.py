"""Entry point: ``qcode``. Commands live in sibling modules and register on :data:`app`."""

from __future__ import annotations

import os
import sys

import typer

from qcode.cli import (  # noqa: F401  (registration)
    analysis,
    cases,
    codebook,
    coders,
    codes,
    codings,
    config,
    dictionary,
    docs,
    exchange,
    framework,
    memos,
    project_cmds,
    review,
    segments,
    structure,
    tables,
    team,
    words,
)
from qcode.cli.app import app
from qcode.cli.groups import assign
from qcode.cli.output import err, reset
from qcode.cli.shell import COMPLETE_VAR, prepare_completion
from qcode.errors import EXIT_INTERRUPTED, EXIT_STORE, EXIT_USAGE, QcodeError

assign(app)  # every command's group in --help, from one table


def _one_line_warning(message: Warning | str, *_args: object, **_kwargs: object) -> None:
    err.print(f"warning: {message}", markup=False)


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.showwarning = _one_line_warning
    reset()
    if COMPLETE_VAR in os.environ:  # the shell asks for completions (or for a script)
        prepare_completion()
    try:
        # without standalone mode click returns the code of a typer.Exit instead of raising it
        rc = app(args=argv, prog_name="qcode", standalone_mode=False)
        if isinstance(rc, int) and rc:
            return rc
    except QcodeError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            err.print(f"error: {line}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return EXIT_INTERRUPTED
    except SystemExit as exc:
        return int(exc.code or 0)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted", markup=False)
        return 1
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument ...
        message = " ".join(exc.format_message().split())
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        err.print(f"error: {message}{where}", markup=False)
        return exc.exit_code or EXIT_USAGE
    except Exception as exc:
        orig = _database_failure(exc)
        if orig is None:
            raise
        detail = " ".join(str(orig).split()) or type(orig).__name__
        err.print(f"error: the project database failed: {detail}", markup=False)
        return EXIT_STORE
    return 0


def _database_failure(exc: Exception) -> BaseException | None:
    """The driver's error when ``exc`` is the database or its server failing beneath a command
    (SQLAlchemy is only imported once a command has used it, so ``--help`` never loads it)."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    return exc.orig if isinstance(exc, DBAPIError) else None


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
