"""Hints added to usage errors where the command line was probably meant differently."""

from __future__ import annotations

import re
from typing import Any

from qcode.i18n import _

_NEGATIVE = re.compile(r"^No such option:? '?(-\d+(?:\.\d*)?)'?")


def negative_number(message: str, ctx: Any) -> str:
    """``message``, or for ``qcode code DOC -5 10 CODE`` (whose ``-5`` the parser takes for an
    option) the way to give a negative number."""
    m = _NEGATIVE.match(message)
    if m is None:
        return message
    command = getattr(ctx, "command_path", None) or "qcode COMMAND"
    return _(
        "{value} is read as an option; to give a negative number, put -- before the "
        "arguments: {command} [OPTIONS] -- ARGS"
    ).format(value=m.group(1), command=command)
