"""Errors a researcher can act on.

Every error raised on purpose inside qcode derives from :class:`QcodeError`; its message is one
line that names the thing and the problem. The command line prints it and exits with the class's
``exit_code``:

====  =============================================================================
code  meaning
====  =============================================================================
0     success
1     bad input: a malformed argument, an unusable file or setting, an unknown name;
      a project database file that is damaged, empty or written by a newer qcode, and
      a malformed --db URL
2     usage: the command line itself is wrong (unknown command or option, missing
      argument, an option value of the wrong type)
3     conflict: the change would break a rule of the project, or someone else
      changed the same thing meanwhile
4     database or server: the database server cannot be reached, or the database
      fails or cannot be migrated beneath a command
130   interrupted (ctrl+c)
141   the reader of the output went away (``qcode ... | head``), as for programs that
      die of SIGPIPE; nothing is said
====  =============================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3
EXIT_STORE = 4
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a program killed by it


class QcodeError(Exception):
    """A refusal or failure with a one-line, human-readable message."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT


class NotFoundError(QcodeError):
    """A named document, code, case, coder, attribute or project does not exist."""


class ConflictError(QcodeError):
    """The change would break a rule of the project (a duplicate name, a cycle, ...)."""

    exit_code: ClassVar[int] = EXIT_CONFLICT


class InvalidInputError(QcodeError):
    """An argument is malformed (a bad range, a bad colour, a name with '/', ...)."""


class StoreError(QcodeError):
    """The project's database (a file, or a server) cannot be opened, reached or migrated."""

    exit_code: ClassVar[int] = EXIT_STORE


class DamagedStoreError(StoreError):
    """The project's database file is unusable as it is (damaged, empty, not SQLite, written by a
    newer qcode): bad input, like any other unusable file; ``qcode check`` says more."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT


class InputFileError(QcodeError):
    """A file given to qcode cannot be used; the message starts with the file's name."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
