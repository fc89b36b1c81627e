"""The help screen (F1 or ?), written in Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rich.cells import cell_len
from textual import events
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


class KeyTableContent(MarkdownTableContent):
    """A table whose columns but the last are never narrower than their longest key, and as
    wide as their longest cell while that takes at most 30% of the width: in a narrow terminal
    the last column (what the keys do) wraps instead. Textual's own table shrinks every column
    alike and folds keys mid-key (``ctrl+`` | ``p``)."""

    def __init__(self, headers: list[Content], rows: list[list[Content]]) -> None:
        super().__init__(headers, rows)
        columns = list(zip(headers, *rows, strict=False))[:-1]
        self.least = [key_width(column) for column in columns]
        self.natural = [max(cell_len(cell.plain) for cell in column) + 2 for column in columns]
        self._fit(0)

    def _fit(self, width: int) -> None:
        cap = width * 3 // 10
        widths = [max(k, min(n, cap)) for k, n in zip(self.least, self.natural, strict=True)]
        self.styles.grid_columns = " ".join([*map(str, widths), "1fr"])

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)


class KeyTable(MarkdownTable):
    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield KeyTableContent(headers, rows)


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
