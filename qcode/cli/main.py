"""Entry point: ``qcode``. Commands live in sibling modules and register on :data:`app`."""

from __future__ import annotations

import sys

import typer

from qcode.cli import (  # noqa: F401  (registration)
    analysis,
    cases,
    codebook,
    coders,
    codes,
    codings,
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
from qcode.cli.output import err
from qcode.errors import QcodeError


def _one_line_warning(message: Warning | str, *_args: object, **_kwargs: object) -> None:
    err.print(f"warning: {message}", markup=False)


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.showwarning = _one_line_warning
    try:
        # without standalone mode click returns the code of a typer.Exit instead of raising it
        rc = app(args=argv, prog_name="qcode", standalone_mode=False)
        if isinstance(rc, int) and rc:
            return rc
    except QcodeError as exc:
        err.print(f"error: {exc}", markup=False)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
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
        return exc.exit_code or 2
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
