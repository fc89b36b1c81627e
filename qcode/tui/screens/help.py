"""The help screen (F1 or ?), written in Markdown."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from qcode.i18n import N_, _, current

HERE = Path(__file__).resolve().parents[1]


def help_text() -> str:
    """The help in the interface's language (help.md, or help.zh.md in Chinese)."""
    name = "help.zh.md" if current() == "zh" else "help.md"
    return (HERE / name).read_text(encoding="utf-8")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: thick $primary;
                                  background: $panel; }
    /* a Chinese sentence is one long word to the wrapper: folded, not cut short with an ellipsis */
    HelpScreen MarkdownTableContent > .cell { text-overflow: fold; }
    """
    BINDINGS = [Binding("escape,q,f1,question_mark", "app.pop_screen", N_("close"))]

    def __init__(self, keys: str = "") -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(help_text())
            if self.keys:
                yield Markdown(
                    _(
                        "## Keys by id\n\nAs they are now: remap any in `[keymap]` of the user "
                        'settings file (`~/.config/qcode/config.toml`), e.g. `apply_code = "k"`.'
                    )
                    + "\n\n"
                    + self.keys
                )
