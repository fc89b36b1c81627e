"""The help screen (F1 or ?), written in Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent

from qcode.i18n import N_, _, current

HERE = Path(__file__).resolve().parents[1]


def help_text() -> str:
    """The help in the interface's language (help.md, or help.zh.md in Chinese)."""
    name = "help.zh.md" if current() == "zh" else "help.md"
    return (HERE / name).read_text(encoding="utf-8")


def key_width(cells: Iterable[Content]) -> int:
    """The width (padding included) of a column of keys: its longest key, so that a cell breaks
    between keys (``ctrl+z /`` | ``ctrl+y``) and never inside one (``ctrl+`` | ``p``). A key is a
    run of printable ASCII; Chinese words around it may break anywhere."""
    runs = [run for cell in cells for run in re.findall(r"[!-~]+", cell.plain)]
    return max((cell_len(run) for run in runs), default=1) + 2


class KeyTable(MarkdownTable):
    """A table whose columns but the last are as wide as their longest key; the last (what the
    keys do) takes the rest of the width and wraps. Textual's own table shrinks every column
    alike at 80 columns and folds keys mid-key."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, MarkdownTableContent) and len(widget.headers) > 1:
                columns = list(zip(widget.headers, *widget.rows, strict=False))
                widths = [str(key_width(column)) for column in columns[:-1]]
                widget.styles.grid_columns = " ".join([*widths, "1fr"])
            yield widget


class HelpMarkdown(Markdown):
    BLOCKS = {**Markdown.BLOCKS, "table_open": KeyTable}


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
            yield HelpMarkdown(help_text())
            if self.keys:
                yield HelpMarkdown(
                    _(
                        "## Keys by id\n\nAs they are now: remap any in `[keymap]` of the user "
                        'settings file (`~/.config/qcode/config.toml`), e.g. `apply_code = "k"`.'
                    )
                    + "\n\n"
                    + self.keys
                )
