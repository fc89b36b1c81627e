"""Entry point: ``qcode``. Commands live in sibling modules and register on :data:`app`."""

from __future__ import annotations

import sys

from qcode.cli import cases, codes, codings, docs, memos, project_cmds  # noqa: F401
from qcode.cli.app import app
from qcode.cli.output import err
from qcode.errors import QcodeError


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv, standalone_mode=False)
    except QcodeError as exc:
        err.print(f"error: {exc}", markup=False)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            return 1
        raise
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
