"""Terminal UI (Textual)."""

from qcode.tui.safety import install

install()  # no raw control character from a project reaches the terminal
