"""Errors a researcher can act on.

Every error raised on purpose inside qcode derives from :class:`QcodeError`; its message is one
line that names the thing and the problem. The command line prints it and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class QcodeError(Exception):
    """A refusal or failure with a one-line, human-readable message."""


class NotFoundError(QcodeError):
    """A named document, code, case, coder, attribute or project does not exist."""


class ConflictError(QcodeError):
    """The change would break a rule of the project (a duplicate name, a cycle, ...)."""


class InvalidInputError(QcodeError):
    """An argument is malformed (a bad range, a bad colour, a name with '/', ...)."""


class InputFileError(QcodeError):
    """A file given to qcode cannot be used; the message starts with the file's name."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
