"""The framework-matrix screen (``8``): cases down, categories across; the selected cell's
segments in context beside the grid (each under its document and offsets), and an editor for
the cell's summary. ``m`` marks (or unmarks) the highlighted segment as one the summary draws
on; ``ctrl+s`` saves the summary, and so does moving to another cell with the text edited.

The matrix is read once when the screen opens (and on ``f5``); moving from cell to cell reads
only the cell's few codings, so it stays within a frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from sqlalchemy import select
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qcode.errors import QcodeError
from qcode.i18n import N_, _, ngettext
from qcode.services.framework_matrix import FrameworkMatrix, framework_matrix
from qcode.store.models import Code, Coding, Document
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

CONTEXT = 60  # characters of context either side of a segment
HEADER = 18  # cells of a column's header


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """About ``width`` characters before and after ``[start, end)``, cut at a space where the
    text has spaces near the cut (never inside a word), with an ellipsis where text goes on."""
    a = max(0, start - width)
    if a > 0:
        space = text.find(" ", a, start)
        a = space + 1 if 0 <= space < a + width // 3 else a
    b = min(len(text), end + width)
    if b < len(text):
        space = text.rfind(" ", end, b)
        b = space if space > b - width // 3 else b
    before = ("…" if a > 0 else "") + text[a:start]
    after = text[end:b] + ("…" if b < len(text) else "")
    return before.replace("\n", " "), after.replace("\n", " ")


def _label(path: str, width: int = HEADER) -> str:
    """A column's header: the code's own name, cut to ``width`` cells (the cell's heading
    beside the grid gives it whole)."""
    from rich.cells import cell_len

    name = path.rsplit("/", 1)[-1]
    if cell_len(name) <= width:
        return name
    while cell_len(name) > width - 1:
        name = name[:-1]
    return name.rstrip() + "…"


class MatrixScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("save summary"), priority=True),
        Binding("m", "mark", N_("mark segment")),
        Binding("escape", "to_grid", N_("grid"), show=False),
    ]

    DEFAULT_CSS = """
    #mx-grid { width: 3fr; }
    #mx-side { width: 2fr; }
    /* the scrollbar always shown: one that comes and goes changes the width the options were
       measured at, and their last lines are cut off */
    #mx-segments { height: 3fr; overflow-y: scroll; }
    #mx-summary { height: 2fr; }
    #mx-cell { height: auto; padding: 0 1; }
    #mx-segments, #mx-summary { border-title-color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.m: FrameworkMatrix | None = None
        self.cell: tuple[int, int] = (0, 0)
        self.segment_ids: list[int] = []
        self.marked: set[int] = set()
        self._texts: dict[int, str] = {}
        # each segment shown: (document and offsets, context before, the segment, context after)
        self._parts: list[tuple[str, str, str, str]] = []

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="mx-grid", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
            with Vertical(id="mx-side"):
                yield Static("", id="mx-cell")
                segments = OptionList(id="mx-segments")
                segments.border_title = _("segments (m marks)")
                yield segments
                summary = TextArea("", id="mx-summary", soft_wrap=True)
                summary.border_title = _("summary (ctrl+s saves)")
                yield summary
        yield localise.footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._keep_edits()  # leaving for another screen

    def reload(self) -> None:
        self._keep_edits()
        try:
            self.m = framework_matrix(self.qapp.project)
        except QcodeError as exc:
            self.m = None
            self.query_one("#mx-cell", Static).update(str(exc))
            return
        grid = self.query_one(DataTable)
        grid.clear(columns=True)
        grid.add_columns(_("case"), *(_label(c) for c in self.m.columns))
        for name, cells in zip(self.m.rows, self.m.cells, strict=True):
            grid.add_row(
                name,
                *(
                    Text(f"✎ {c.count}", "bold") if c.summary is not None else str(c.count or "")
                    for c in cells
                ),
            )
        if self.m.rows:
            row, col = self.cell
            self.cell = (min(row, len(self.m.rows) - 1), min(col, len(self.m.columns) - 1))
            grid.move_cursor(row=self.cell[0], column=self.cell[1] + 1)
            self.show_cell(*self.cell)

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        row, col = event.coordinate.row, event.coordinate.column - 1
        if self.m is None or col < 0 or (row, col) == self.cell and self.segment_ids:
            return
        self._keep_edits()
        self.show_cell(row, col)

    def _keep_edits(self) -> None:
        """Save the summary of the cell being left when its text was edited and not saved."""
        if self.m is None or not self.m.rows:
            return
        row, col = self.cell
        stored = self.m.cells[row][col].summary or ""
        text = self.query_one("#mx-summary", TextArea).text
        if text != stored and text.strip() and self._save(None):
            self.notify(_("summary saved"))

    def _text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            with self.qapp.project.read() as s:
                doc = s.execute(select(Document.id, Document.text).where(Document.id == doc_id))
                self._texts[doc_id] = doc.one()[1]
        return self._texts[doc_id]

    def show_cell(self, row: int, col: int) -> None:
        assert self.m is not None
        self.cell = (row, col)
        cell = self.m.cells[row][col]
        self.segment_ids = list(cell.segments)
        p = self.qapp.project
        self.marked = set()
        if cell.summary_id is not None:
            self.marked = set(p.summaries.get_by_id(cell.summary_id).segments)
        with p.read() as s:
            rows = {
                r.id: r
                for r in s.execute(
                    select(
                        Coding.id,
                        Coding.document_id,
                        Document.name,
                        Code.name.label("code"),
                        Coding.start,
                        Coding.end,
                    )
                    .join(Document, Document.id == Coding.document_id)
                    .join(Code, Code.id == Coding.code_id)
                    .where(Coding.id.in_(self.segment_ids))
                )
            }
        self._parts = []
        for cid in self.segment_ids:
            r = rows[cid]
            text = self._text(r.document_id)
            before, after = context(text, r.start, r.end)
            where = f"{r.name} [{r.start}, {r.end}) · {r.code}\n"
            self._parts.append((where, before, text[r.start : r.end].replace("\n", " "), after))
        options = self.query_one("#mx-segments", OptionList)
        options.clear_options()
        items: list[Option | None] = []
        for i, cid in enumerate(self.segment_ids):
            if items:
                items.append(None)  # a rule between segments
            items.append(Option(self._prompt(i), id=str(cid)))
        options.add_options(items)
        self._show_head()
        self.query_one("#mx-summary", TextArea).text = cell.summary or ""

    def _prompt(self, i: int) -> Text:
        where, before, said, after = self._parts[i]
        mark = "● " if self.segment_ids[i] in self.marked else "  "
        return Text.assemble(
            (mark, "bold"), (where, "italic"), (before, "dim"), (said, "bold"), (after, "dim")
        )

    def _show_head(self) -> None:
        assert self.m is not None
        row, col = self.cell
        count = self.m.cells[row][col].count
        self.query_one("#mx-cell", Static).update(
            Text.assemble(
                (self.m.rows[row], "bold"),
                " × ",
                (self.m.columns[col], "bold"),
                (
                    "  "
                    + ngettext("{n} segment", "{n} segments", count).format(n=count)
                    + _(", {n} marked").format(n=len(self.marked)),
                    "dim",
                ),
            )
        )

    def action_to_grid(self) -> None:
        self.query_one(DataTable).focus()

    def _save(self, segments: list[int] | None) -> bool:
        """Save the editor's text as the cell's summary (with ``segments`` as the codings it
        draws on, or those it had); the marked segments become the saved ones."""
        if self.m is None or not self.m.rows:
            return False
        row, col = self.cell
        text = self.query_one("#mx-summary", TextArea).text
        if not text.strip():
            self.notify(_("write the summary first, then mark the segments it draws on"))
            return False
        try:
            info = self.qapp.project.summaries.set(
                self.m.rows[row], self.m.columns[col], text, segments, kind=self.m.rows_of[:-1]
            )
        except QcodeError as exc:
            self.notify(str(exc), severity="error")
            return False
        cell = self.m.cells[row][col]
        cell.summary, cell.summary_id = info.body, info.id
        self.marked = set(info.segments)
        grid = self.query_one(DataTable)
        grid.update_cell_at(Coordinate(row, col + 1), Text(f"✎ {cell.count}", "bold"))
        return True

    def action_save(self) -> None:
        if self._save(None):
            self.notify(_("summary saved"))
            self._show_head()

    def action_mark(self) -> None:
        options = self.query_one("#mx-segments", OptionList)
        if options.highlighted is None or not self.segment_ids:
            return
        cid = self.segment_ids[options.highlighted]
        wanted = self.marked ^ {cid}
        if self._save([i for i in self.segment_ids if i in wanted]):
            # only this segment's mark and the count change: the list is not rebuilt
            i = options.highlighted
            options.replace_option_prompt_at_index(i, self._prompt(i))
            self._show_head()
