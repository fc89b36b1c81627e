"""Names and text that reach a terminal: control characters and escape sequences.

A code, case, coder or attribute name is plain text. A control character in one (C0, DEL or C1,
Unicode category ``Cc``: ESC, BEL, CSI ...) has no meaning for research and lets a name retitle,
clear or rewrite the terminal that lists it. So:

- a name typed on the command line (or in the workbench) with one is refused: :func:`check_label`;
- a name read from a file (.qdpx, a codebook, a CSV, another project in a merge) is cleaned, whole
  escape sequences removed, and the change reported: :func:`clean_label`;
- anything printed for a person shows control characters as visible ``\\x1b``-style escapes:
  :func:`visible`.

Line breaks and tabs in a name become single spaces (names are one line); in longer text printed
for a person (quotes, memos) they are kept.
"""

from __future__ import annotations

import re

from qcode.errors import InvalidInputError
from qcode.i18n import _

# A whole terminal escape sequence: CSI (7- or 8-bit), OSC / DCS / PM / APC / SOS up to their
# terminator (BEL or ST, 7- or 8-bit) or the end, and two-character ESC sequences.
_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]?
    | (?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f]) [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?
    | \x1b [ -~]?
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_in(text: str) -> str | None:
    """The first control character in ``text``, or None."""
    m = _CONTROL.search(text)
    return m.group() if m else None


def describe(ch: str) -> str:
    """``U+001B ESC``-style: a control character named without writing it."""
    name = {"\x1b": "ESC", "\x07": "BEL", "\x9b": "CSI", "\x00": "NUL", "\x7f": "DEL"}.get(ch)
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def check_label(kind: str, name: str) -> None:
    """Refuse a name (typed by a person) that holds a control character other than spaces."""
    ch = control_in(name.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    if ch is not None:
        raise InvalidInputError(
            _(
                "{kind} name '{v1}' contains a control character ({v2}); names are plain text"
            ).format(kind=kind, v1=visible(name), v2=describe(ch))
        )


def clean_label(name: str) -> str:
    """``name`` without escape sequences or control characters, white space collapsed."""
    if control_in(name) is None:
        return name
    text = _SEQUENCE.sub("", name)
    text = re.sub(r"[\t\n\r\x0b\x0c\x85]", " ", text)
    text = _CONTROL.sub("", text)
    return " ".join(text.split())


def visible(text: str, keep_lines: bool = False) -> str:
    """``text`` with each control character written as a visible escape (``\\x1b``); with
    ``keep_lines`` line breaks and tabs stay as they are."""
    pattern = _CONTROL_BUT_LINES if keep_lines else _CONTROL
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class Cleaner:
    """Cleans names read from one file, keeping one line of report per changed name."""

    def __init__(self, report: list[str]) -> None:
        self.report = report

    def __call__(self, kind: str, name: str, fallback: str = "") -> str:
        clean = clean_label(name)
        if clean == name:
            return name
        clean = clean or fallback or f"unnamed {kind}"
        self.report.append(
            _("{kind} name '{name}' held control characters; named {clean!r}").format(
                kind=kind, name=visible(name), clean=clean
            )
        )
        return clean
