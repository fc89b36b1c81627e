"""The framework-matrix screen (``8``): cases down, categories across; the selected cell's
segments in context beside the grid, and an editor for the cell's summary. ``m`` marks (or
unmarks) the highlighted segment as one the summary draws on; ``ctrl+s`` saves the summary.

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
from qcode.i18n import N_, _
from qcode.services.framework_matrix import FrameworkMatrix, framework_matrix
from qcode.store.models import Coding, Document
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

CONTEXT = 60  # characters of context either side of a segment


class MatrixScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("save summary"), priority=True),
        Binding("m", "mark", N_("mark segment")),
        Binding("escape", "to_grid", N_("grid"), show=False),
    ]

    DEFAULT_CSS = """
    #mx-grid { width: 3fr; }
    #mx-side { width: 2fr; }
    #mx-segments { height: 1fr; }
    #mx-summary { height: 1fr; }
    #mx-cell { height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.m: FrameworkMatrix | None = None
        self.cell: tuple[int, int] = (0, 0)
        self.segment_ids: list[int] = []
        self.marked: set[int] = set()
        self._texts: dict[int, str] = {}

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="mx-grid", cursor_type="cell", zebra_stripes=True)
            with Vertical(id="mx-side"):
                yield Static("", id="mx-cell")
                yield OptionList(id="mx-segments")
                yield TextArea("", id="mx-summary", soft_wrap=True)
        yield localise.footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        try:
            self.m = framework_matrix(self.qapp.project)
        except QcodeError as exc:
            self.m = None
            self.query_one("#mx-cell", Static).update(str(exc))
            return
        grid = self.query_one(DataTable)
        grid.clear(columns=True)
        grid.add_columns(_("case"), *(c.rsplit("/", 1)[-1] for c in self.m.columns))
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
        self.show_cell(row, col)

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
                    select(Coding.id, Coding.document_id, Coding.start, Coding.end).where(
                        Coding.id.in_(self.segment_ids)
                    )
                )
            }
        options = self.query_one("#mx-segments", OptionList)
        options.clear_options()
        items = []
        for cid in self.segment_ids:
            r = rows[cid]
            text = self._text(r.document_id)
            before = text[max(0, r.start - CONTEXT) : r.start].replace("\n", " ")
            after = text[r.end : r.end + CONTEXT].replace("\n", " ")
            mark = "● " if cid in self.marked else "  "
            items.append(
                Option(
                    Text.assemble(
                        (mark, "bold"),
                        (before, "dim"),
                        (text[r.start : r.end].replace("\n", " "), "bold"),
                        (after, "dim"),
                    ),
                    id=str(cid),
                )
            )
        options.add_options(items)
        self.query_one("#mx-cell", Static).update(
            Text.assemble(
                (self.m.rows[row], "bold"),
                " × ",
                (self.m.columns[col], "bold"),
                (
                    _("  {count} segments, {marked} marked").format(
                        count=cell.count, marked=len(self.marked)
                    ),
                    "dim",
                ),
            )
        )
        self.query_one("#mx-summary", TextArea).text = cell.summary or ""

    def action_to_grid(self) -> None:
        self.query_one(DataTable).focus()

    def _save(self, segments: list[int] | None) -> bool:
        if self.m is None or not self.m.rows:
            return False
        row, col = self.cell
        text = self.query_one("#mx-summary", TextArea).text
        try:
            info = self.qapp.project.summaries.set(
                self.m.rows[row], self.m.columns[col], text, segments, kind=self.m.rows_of[:-1]
            )
        except QcodeError as exc:
            self.notify(str(exc), severity="error")
            return False
        cell = self.m.cells[row][col]
        cell.summary, cell.summary_id = info.body, info.id
        grid = self.query_one(DataTable)
        grid.update_cell_at(Coordinate(row, col + 1), Text(f"✎ {cell.count}", "bold"))
        return True

    def action_save(self) -> None:
        if self._save(None):
            self.notify(_("summary saved"))
            self.show_cell(*self.cell)

    def action_mark(self) -> None:
        options = self.query_one("#mx-segments", OptionList)
        if options.highlighted is None or not self.segment_ids:
            return
        cid = self.segment_ids[options.highlighted]
        wanted = self.marked ^ {cid}
        if self._save([i for i in self.segment_ids if i in wanted]):
            keep = options.highlighted
            self.show_cell(*self.cell)
            options.highlighted = keep
