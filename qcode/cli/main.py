"""Entry point: ``qcode``. Commands live in sibling modules and register on :data:`app` when
they are used (:mod:`qcode.cli.lazy`)."""

from __future__ import annotations

import errno
import os
import sys

import typer

from qcode.cli.app import app
from qcode.cli.hints import negative_number
from qcode.cli.lazy import prepare
from qcode.cli.localise import usage_error
from qcode.cli.shell import COMPLETE_VAR, prepare_completion
from qcode.errors import (
    EXIT_BAD_INPUT,
    EXIT_CLOSED_PIPE,
    EXIT_CONFLICT,
    EXIT_INTERRUPTED,
    EXIT_STORE,
    EXIT_USAGE,
    QcodeError,
)
from qcode.i18n import _

prepare(app)  # groups in --help, --format beside --json, help in the interface's language


def _say(line: str) -> None:
    """One line on stderr (rich, which writes it, is loaded by the first that is written)."""
    from qcode.cli.output import err

    err.print(line, markup=False)


def _reset_output() -> None:
    """Forget the previous command's --format, if a command that prints has run."""
    output = sys.modules.get("qcode.cli.output")
    if output is not None:
        output.reset()


def _one_line_warning(message: Warning | str, *_args: object, **_kwargs: object) -> None:
    _say(_("warning: {message}").format(message=message))


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.showwarning = _one_line_warning
    _reset_output()
    if COMPLETE_VAR in os.environ:  # the shell asks for completions (or for a script)
        prepare_completion()
    try:
        # without standalone mode click returns the code of a typer.Exit instead of raising it
        rc = app(args=argv, prog_name="qcode", standalone_mode=False)
        if isinstance(rc, int) and rc:
            return rc
    except QcodeError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            _say(_("error: {message}").format(message=line))
        return exc.exit_code
    except KeyboardInterrupt:
        _say(_("interrupted"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as git does
        _output_gone()
        return EXIT_CLOSED_PIPE
    except SystemExit as exc:
        if _closed_pipe(exc):  # click and rich turn a closed pipe into exit 1, bad input's
            _output_gone()
            return EXIT_CLOSED_PIPE
        return int(exc.code or 0)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _say(_("aborted"))
        return 1
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument ...
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:  # a group alone
            typer.echo(ctx.get_help())
            return EXIT_USAGE
        message = " ".join(exc.format_message().split())
        message = usage_error(negative_number(message, ctx))
        if ctx is not None:
            where = _(" (see '{command} --help')").format(command=ctx.command_path)
            message += where
        _say(_("error: {message}").format(message=message))
        return exc.exit_code or EXIT_USAGE
    except Exception as exc:
        return _store_failure(exc)
    return 0


def _closed_pipe(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while a write to a closed pipe failed."""
    cause = exc.__context__
    return isinstance(cause, OSError) and cause.errno == errno.EPIPE


def _output_gone() -> None:
    """Point standard output at nothing, so that Python's last flush of what is still
    buffered for the closed pipe fails silently instead of printing its own error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor to redirect (a captured stream)
        pass


def _store_failure(exc: Exception) -> int:
    """The one line for a failure of the database beneath a command, or re-raise ``exc``.
    SQLAlchemy is only imported once a command has used it, so ``--help`` never loads it."""
    if "sqlalchemy" not in sys.modules:
        raise exc
    from sqlalchemy.exc import DBAPIError, NoResultFound
    from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

    if isinstance(exc, DBAPIError):  # the database or its server failed beneath a command
        detail = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
        if "malformed" in detail or "not a database" in detail:  # the file itself: bad input
            detail += _(" ('qcode check' says what is damaged; 'qcode check --repair' restores)")
            message = _("the project database failed: {detail}").format(detail=detail)
            _say(_("error: {message}").format(message=message))
            return EXIT_BAD_INPUT
        message = _("the project database failed: {detail}").format(detail=detail)
        _say(_("error: {message}").format(message=message))
        return EXIT_STORE
    if isinstance(exc, StaleDataError | NoResultFound | ObjectDeletedError):  # a race lost
        message = _("someone changed the same thing at the same moment; run the command again")
        _say(_("error: {message}").format(message=message))
        return EXIT_CONFLICT
    raise exc


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
