"""The framework-matrix screen (``8``): cases down, categories across; the selected cell's
segments in context beside the grid (each under its document and offsets), and an editor for
the cell's summary. ``m`` marks (or unmarks) the highlighted segment as one the summary draws
on; ``ctrl+s`` saves the summary, and so does moving to another cell with the text edited.

The matrix is read once when the screen opens (and on ``f5``); moving to a cell shows it at
once as the matrix was read and reads its few codings and its summary again, in a worker (the
last cell asked for wins): a segment deleted since is left out and the heading says how many
changed elsewhere. Saving runs in a worker too; nothing waits on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
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
from qcode.services import framework_matrix as fm
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.services.framework_matrix import Cell, CellView, FrameworkMatrix, Segment
    from qcode.services.summaries import SummaryInfo
    from qcode.tui.app import QcodeApp

HEADER = 18  # cells of a column's header
T = TypeVar("T")


def tried(fn: Callable[..., T]) -> Callable[..., T | QcodeError]:
    """``fn`` returning the refusal it raised instead of raising it, for a screen that shows
    the refusal where it belongs (or goes on after it) rather than as a notification."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> T | QcodeError:
        try:
            return fn(*args, **kwargs)
        except QcodeError as exc:
            return exc

    return run


def _cell_text(cell: Cell) -> Text | str:
    """What a cell of the grid shows: ✎ and the count where it has a summary, else the count."""
    return Text(f"✎ {cell.count}", "bold") if cell.summary is not None else str(cell.count or "")


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
        self._segments: list[Segment] = []
        self._gone = 0  # the cell's segments deleted since the matrix was read
        self._summary_changed = False  # the cell's summary, since the matrix was read
        self._shown: tuple[int, int] | None = None  # the cell last asked for
        self._asked = 0  # the newest cell read asked for; older answers are dropped
        self._reading = 0  # the same for the matrix
        self._saving: dict[tuple[int, int], int] = {}  # cells with a save on its way
        self._writes: dict[tuple[int, int], int] = {}  # saves asked for, by cell

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
                summary.border_subtitle = _("esc: leave the field")
                yield summary
        yield localise.footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._keep_edits()  # leaving for another screen

    def on_screen_resume(self) -> None:
        if self.m is not None and self.m.rows:  # back from another screen: what changed there
            self.show_cell(*self.cell)

    @property
    def _editor(self) -> TextArea:
        return self.query_one("#mx-summary", TextArea)

    def reload(self) -> None:
        """Save the summary being edited, then read the matrix again (in a worker) and draw it."""
        self._reading = token = self._reading + 1
        p = self.qapp.project

        def show(result: FrameworkMatrix | QcodeError) -> None:
            if token == self._reading:
                self._draw(result)

        self._keep_edits(then=lambda: self.qapp.call(tried(fm.framework_matrix), p, then=show))

    def _draw(self, result: FrameworkMatrix | QcodeError) -> None:
        if isinstance(result, QcodeError):
            self.m = None
            self.query_one("#mx-cell", Static).update(str(result))
            return
        self.m = m = result
        self._shown = None
        grid = self.query_one(DataTable)
        grid.clear(columns=True)
        grid.add_columns(_("case"), *(_label(c) for c in m.columns))
        for name, cells in zip(m.rows, m.cells, strict=True):
            grid.add_row(name, *(_cell_text(c) for c in cells))
        if m.rows:
            row, col = self.cell
            self.cell = (min(row, len(m.rows) - 1), min(col, len(m.columns) - 1))
            grid.move_cursor(row=self.cell[0], column=self.cell[1] + 1)
            self.show_cell(*self.cell)

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        row, col = event.coordinate.row, event.coordinate.column - 1
        if self.m is None or col < 0 or (row, col) == self._shown:
            return
        self._keep_edits()
        self.show_cell(row, col)

    def _keep_edits(self, then: Callable[[], object] | None = None) -> None:
        """Save the summary of the cell being left when its text was edited and not saved; then
        run ``then`` (after the save, so that what it reads holds it)."""
        if self.m is not None and self.m.rows:
            row, col = self.cell
            text = self._editor.text
            if text != (self.m.cells[row][col].summary or "") and text.strip():

                def done(info: SummaryInfo | None) -> None:
                    if info is not None:
                        self.notify(_("summary saved"))
                    if then is not None:
                        then()

                self._save(None, done)
                return
        if then is not None:
            then()

    def show_cell(self, row: int, col: int) -> None:
        """Show the cell at once as the matrix was read, then its segments and summary as they
        are now, read in a worker."""
        assert self.m is not None
        m = self.m
        self.cell = self._shown = (row, col)
        cell = m.cells[row][col]
        self.segment_ids, self._segments, self.marked = [], [], set()
        self._gone, self._summary_changed = 0, False
        self.query_one("#mx-segments", OptionList).clear_options()
        self._editor.text = cell.summary or ""
        self._show_head()
        self._asked = token = self._asked + 1
        # the summary read is newer than the one kept here unless a save overlaps the read
        writes = None if (row, col) in self._saving else self._writes.get((row, col), 0)

        def show(view: CellView) -> None:
            if token == self._asked and self.m is m:
                now = None if (row, col) in self._saving else self._writes.get((row, col), 0)
                self._show_view(view, summary=writes is not None and writes == now)

        self.qapp.call(
            fm.framework_cell,
            self.qapp.project,
            m.rows_of,
            m.row_ids[row],
            m.column_ids[col],
            list(cell.segments),
            then=show,
        )

    def _show_view(self, view: CellView, summary: bool) -> None:
        assert self.m is not None
        row, col = self.cell
        cell = self.m.cells[row][col]
        self._segments = view.segments
        self.segment_ids = [s.id for s in view.segments]
        self._gone = len(view.gone)
        if view.gone:
            cell.segments, cell.count = list(self.segment_ids), len(self.segment_ids)
        if summary:  # else what was saved here meanwhile is as new as what was read
            if (view.summary, view.summary_id) != (cell.summary, cell.summary_id):
                self._summary_changed = True
                if self._editor.text == (cell.summary or ""):  # not edited here since
                    self._editor.text = view.summary or ""
                cell.summary, cell.summary_id = view.summary, view.summary_id
            self.marked = set(view.marked)
        self.query_one(DataTable).update_cell_at(Coordinate(row, col + 1), _cell_text(cell))
        items: list[Option | None] = []
        for i, cid in enumerate(self.segment_ids):
            if items:
                items.append(None)  # a rule between segments
            items.append(Option(self._prompt(i), id=str(cid)))
        options = self.query_one("#mx-segments", OptionList)
        options.clear_options()
        options.add_options(items)
        self._show_head()

    def _prompt(self, i: int) -> Text:
        seg = self._segments[i]
        where = f"{seg.document} [{seg.start}, {seg.end}) · {seg.code}\n"
        mark = "● " if seg.id in self.marked else "  "
        return Text.assemble(
            (mark, "bold"),
            (where, "italic"),
            (seg.before, "dim"),
            (seg.text, "bold"),
            (seg.after, "dim"),
        )

    def _show_head(self) -> None:
        assert self.m is not None
        row, col = self.cell
        count = self.m.cells[row][col].count
        note = ngettext("{n} segment", "{n} segments", count).format(n=count)
        note += _(", {n} marked").format(n=len(self.marked))
        if self._gone:
            note += _("; {n} changed elsewhere (f5 reads all again)").format(n=self._gone)
        if self._summary_changed:
            note += _("; its summary changed elsewhere")
        self.query_one("#mx-cell", Static).update(
            Text.assemble(
                (self.m.rows[row], "bold"),
                " × ",
                (self.m.columns[col], "bold"),
                ("  " + note, "dim"),
            )
        )

    def action_to_grid(self) -> None:
        self.query_one(DataTable).focus()

    def _save(
        self,
        segments: list[int] | None,
        done: Callable[[SummaryInfo | None], object] | None = None,
    ) -> None:
        """Save the editor's text as the cell's summary (with ``segments`` as the codings it
        draws on, or those it had), in a worker; the marked segments become the saved ones.
        ``done`` then gets what was saved, or None when it was refused."""
        if self.m is None or not self.m.rows:
            return
        m, (row, col) = self.m, self.cell
        text = self._editor.text
        if not text.strip():
            self.notify(_("write the summary first, then mark the segments it draws on"))
            return
        cell = m.cells[row][col]
        before = cell.summary
        cell.summary = text  # meanwhile: coming back to the cell shows what is being saved
        self._saving[(row, col)] = self._saving.get((row, col), 0) + 1
        self._writes[(row, col)] = self._writes.get((row, col), 0) + 1

        def saved(result: SummaryInfo | QcodeError) -> None:
            left = self._saving.pop((row, col)) - 1
            if left:
                self._saving[(row, col)] = left
            here = self.m is m and self.cell == (row, col)
            if isinstance(result, QcodeError):
                cell.summary = before
                self.notify(str(result), severity="error")
                if here:
                    self.show_cell(row, col)  # as it is now
            elif self.m is m:
                cell.summary, cell.summary_id = result.body, result.id
                grid = self.query_one(DataTable)
                grid.update_cell_at(Coordinate(row, col + 1), _cell_text(cell))
                if here:
                    self._show_marks(set(result.segments))
            if done is not None:
                done(None if isinstance(result, QcodeError) else result)

        self.qapp.call(
            tried(self.qapp.project.summaries.set),
            m.rows[row],
            m.columns[col],
            text,
            segments,
            kind=m.rows_of[:-1],
            then=saved,
        )

    def _show_marks(self, marked: set[int]) -> None:
        """Only the marks and the count change: the list is not rebuilt."""
        options = self.query_one("#mx-segments", OptionList)
        changed = marked ^ self.marked
        self.marked = marked
        for i, cid in enumerate(self.segment_ids):
            if cid in changed:
                options.replace_option_prompt_at_index(i, self._prompt(i))
        self._show_head()

    def action_save(self) -> None:
        def done(info: SummaryInfo | None) -> None:
            if info is not None:
                self.notify(_("summary saved"))

        self._save(None, done)

    def action_mark(self) -> None:
        options = self.query_one("#mx-segments", OptionList)
        if options.highlighted is None or not self.segment_ids:
            return
        cid = self.segment_ids[options.highlighted]
        wanted = self.marked ^ {cid}
        self._save([i for i in self.segment_ids if i in wanted])
