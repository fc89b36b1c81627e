"""Scratch folders for building a project before it is moved into place (``init --from``).

Each is made beside the target as ``.qcode-import-<pid>-<random>``, and removed when the build
ends, however it ends in Python. A process killed outright (``kill -9``, a power cut) cannot
remove its own, so every new one first removes those whose process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PREFIX = ".qcode-import-"


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
