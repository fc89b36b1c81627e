"""Text edited in the user's editor: the ``editor`` setting, else ``$VISUAL``, else ``$EDITOR``."""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from pathlib import Path

from qcode.errors import InvalidInputError
from qcode.i18n import _


def edit_text(text: str, name: str = "memo.md") -> str:
    """Open ``text`` in the editor and return what was saved."""
    from qcode.settings import load_user_settings

    editor = load_user_settings().editor
    if not editor:
        raise InvalidInputError(
            _("no editor: qcode config set --user editor nano (or set $VISUAL or $EDITOR)")
        )
    with tempfile.TemporaryDirectory(prefix="qcode-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            code = subprocess.call([*shlex.split(editor), str(path)])
        except (FileNotFoundError, PermissionError):
            raise InvalidInputError(
                _("cannot run the editor {editor!r}").format(editor=editor)
            ) from None
        if code != 0:
            raise InvalidInputError(
                _("the editor {editor!r} exited with {code}; nothing changed").format(
                    editor=editor, code=code
                )
            )
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError(
                _("the editor saved text that is not UTF-8; nothing changed")
            ) from None
