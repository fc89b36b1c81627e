"""Scratch folders for building a project before it is moved into place (``init --from``).

Each is made beside the target as ``.qcode-import-<pid>-<random>``, and removed when the build
ends, however it ends in Python. A process killed outright (``kill -9``, a power cut) cannot
remove its own, so every new one first removes those whose process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from qcode.errors import InputFileError, QcodeError
from qcode.i18n import _

PREFIX = ".qcode-import-"
T = TypeVar("T")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep(parent: Path) -> list[Path]:
    """Remove the scratch folders in ``parent`` left by processes that are gone."""
    removed: list[Path] = []
    try:
        found = list(parent.glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in found:
        pid_text = folder.name[len(PREFIX) :].split("-", 1)[0]
        if not folder.is_dir() or not pid_text.isdigit():
            continue
        if not _alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def scratch_dir(parent: Path) -> Path:
    sweep(parent)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent))


def build_in_scratch(target: Path, source: Path, build: Callable[[Path], T]) -> T:
    """``build(folder)`` makes a project at ``folder`` inside a scratch folder beside ``target``;
    when it returns, the project is renamed to ``target`` and what ``build`` returned is given back.

    However the build ends the scratch folder is removed, so a damaged ``source`` never leaves a
    half-made project: a :class:`QcodeError` passes through as it is, any other failure becomes an
    :class:`InputFileError` naming ``source``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = scratch_dir(target.parent)
    try:
        result = build(tmp / "project")
        if target.exists():
            target.rmdir()
        (tmp / "project").rename(target)
    except QcodeError:
        raise
    except Exception as exc:  # a damaged file must not leave a half-made project
        raise InputFileError(
            source, _("cannot be imported ({v1}: {exc})").format(v1=type(exc).__name__, exc=exc)
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result
