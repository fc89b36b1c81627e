"""The query screen (``7``): type a query, see its hit count as you type, browse the hits in
context, open one in the transcript (``enter``), code all hits (``c``), save the query as a set
(``s``); ``m`` asks for the rows and columns of a matrix query and shows it as a grid whose
cells (``enter``) list their segments; ``l`` lists the saved sets with their counts now
(``enter`` runs one).

The count runs in a thread worker a short pause after the last key (a newer key cancels it), so
typing never waits for the database; the grammar is the one of ``qcode query --help``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from qcode.analysis.query_parse import KEYWORDS
from qcode.errors import QcodeError
from qcode.i18n import N_, _, ngettext, pgettext
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.services.query import QueryHit
    from qcode.services.query_matrix import QueryMatrix
    from qcode.services.sets import SetInfo
    from qcode.tui.app import QcodeApp

CONTEXT = 200
DEBOUNCE = 0.06  # seconds after the last key before counting
WORDS = ["followed by", "only one of", "at least", *sorted(KEYWORDS)]


class QuerySuggester(Suggester):
    """Completes the word being typed: a code's path or name, or an operator (inside an open
    quotation, a code only). A completion always extends what was typed."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        quote = ""
        head = value
        for q in ("'", '"'):
            if value.count(q) % 2 == 1:
                quote = q
                head = value[: value.rfind(q) + 1]
        if quote:
            part = value[len(head) :]
            for name in self.names:
                if name.casefold().startswith(part.casefold()) and name != part:
                    return head + name + quote
            return None
        stem, _, part = value.rpartition(" ")
        if not part:
            return None
        lead = stem + " " if stem else ""
        for word in [*WORDS, *self.names]:
            if word.casefold().startswith(part.casefold()) and word != part:
                return lead + word  # bare words make one name until a keyword
        return None


class QueryScreen(Screen[None]):
    DEFAULT_CSS = """
    #qy-status { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    #qy-table { height: 1fr; }
    #qy-context-scroll { height: 1fr; padding: 0 1; border-top: tall $panel; }
    """
    BINDINGS = [
        Binding("escape", "toggle_focus", N_("query / hits")),
        Binding("c", "code_all", N_("code all")),
        Binding("s", "save_set", N_("save as set")),
        Binding("m", "matrix", N_("matrix")),
        Binding("l", "list_sets", N_("sets")),
        Binding("enter", "open_hit", N_("open")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[QueryHit] = []
        self.matrix: QueryMatrix | None = None
        self.from_cell = False
        self.counted = ""  # the query whose count the status line shows
        self.sets: list[SetInfo] | None = None  # listed instead of hits
        self._timer: Timer | None = None
        self.expr = ""

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                # codes of the bundled example study, so that the example runs there
                placeholder=_(
                    "e.g. 'partner not employee' near 'no labour contract' within 1 paragraphs"
                ),
                id="qy-input",
            )
            yield Static(_("type a query; enter lists the hits"), id="qy-status")
            yield DataTable(id="qy-table", cursor_type="row", zebra_stripes=True)
            yield VerticalScroll(Static("", id="qy-context"), id="qy-context-scroll")
        yield localise.footer()

    def on_mount(self) -> None:
        self._hit_columns()
        self.reload()
        self.query_one(Input).focus()

    def on_descendant_focus(self) -> None:
        """The query box says how to leave it (digits typed there are text, not screens) and,
        when the hits have the keys, how to come back."""
        box = self.query_one(Input)
        if box.has_focus:
            box.border_subtitle = _("esc: leave the field, then 1-8 switch screens")
        else:
            box.border_subtitle = _("esc: back to the query")

    def reload(self) -> None:
        codes = self.qapp.project.codes.list(counts=False)
        names = sorted({c.path for c in codes} | {c.path.rsplit("/", 1)[-1] for c in codes})
        self.query_one(Input).suggester = QuerySuggester(names)
        if self.expr:
            self.run_query(self.expr)

    # -- the live count --------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        if not value.strip():
            self.query_one("#qy-status", Static).update(_("type a query; enter lists the hits"))
            return
        self._timer = self.set_timer(DEBOUNCE, lambda: self.count(value))

    @work(thread=True, exclusive=True, group="query-count", exit_on_error=False)
    def count(self, expr: str) -> None:
        try:
            n = self.qapp.project.query.count(expr)
            message = Text.assemble((f"{n}", "bold"), _(" hit(s)  (enter lists them)"))
        except QcodeError as exc:
            message = Text(str(exc), style="red")
        self.app.call_from_thread(self._show_status, expr, message)

    def _show_status(self, expr: str, message: Text) -> None:
        if self.query_one(Input).value == expr:  # not overtaken by newer keys
            self.query_one("#qy-status", Static).update(message)
            self.counted = expr

    # -- the hits --------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_query(event.value)

    def _hit_columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.cursor_type = "row"
        start, end = pgettext("column", "start"), pgettext("column", "end")
        for label in (_("document"), start, end, _("codes"), _("text")):
            table.add_column(label)

    def run_query(self, expr: str) -> None:
        try:
            hits = list(self.qapp.project.query(expr, context=CONTEXT))
        except QcodeError as exc:
            self.query_one("#qy-status", Static).update(Text(str(exc), style="red"))
            return
        self.expr = expr
        self.show_hits(hits, _(" hit(s) of {query}").format(query=expr))

    def show_hits(self, hits: list[QueryHit], title: str) -> None:
        self.hits, self.matrix, self.from_cell, self.sets = hits, None, False, None
        self._hit_columns()
        table = self.query_one(DataTable)
        for i, h in enumerate(self.hits):
            text = h.text.replace("\n", " ")[:60]
            table.add_row(
                h.document, str(h.start), str(h.end), ", ".join(h.codes), text, key=str(i)
            )
        self.query_one("#qy-status", Static).update(
            Text.assemble((f"{len(self.hits)}", "bold"), title)
        )
        if self.hits:
            table.focus()
        self.show_current()

    def current(self) -> QueryHit | None:
        if not self.hits:
            return None
        return self.hits[min(self.query_one(DataTable).cursor_row, len(self.hits) - 1)]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.sets is not None:
            from qcode.services.sets import quote

            name = self.sets[event.cursor_row].name
            self.sets = None
            self.query_one(Input).value = f"set {quote(name)}"
            self.run_query(f"set {quote(name)}")
            return
        self.action_open_hit()

    def show_current(self) -> None:
        h = self.current()
        pane = self.query_one("#qy-context", Static)
        if h is None:
            pane.update("")
            return
        pane.update(
            Text.assemble(
                (h.document, "bold"),
                f"  [{h.start}, {h.end})  {', '.join(h.codes)}  {', '.join(h.coders)}\n\n",
                "…" + h.before,
                (h.text, "bold black on yellow"),
                h.after + "…",
            )
        )

    # -- actions -----------------------------------------------------------------------------------
    def action_toggle_focus(self) -> None:
        box = self.query_one(Input)
        if box.has_focus:
            self.query_one(DataTable).focus()
        else:
            box.focus()

    def action_open_hit(self) -> None:
        h = self.current()
        if h is not None and not self.query_one(Input).has_focus:
            self.qapp.open_at(h.document, h.start, h.end)

    def action_code_all(self) -> None:
        from qcode.tui.widgets.pickers import Prompt

        if not self.hits or self.query_one(Input).has_focus:
            return
        if self.from_cell:
            self.notify(
                _("code all codes a query's hits: enter the query itself"), severity="warning"
            )
            return

        def chosen(code: str | None) -> None:
            if not code or not code.strip():
                return
            try:
                n, had = self.qapp.project.query.code(self.expr, code.strip())
            except QcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(
                _("coded {n} hit(s) with {code!r}").format(n=n, code=code.strip())
                + (_("; {n} already").format(n=had) if had else "")
            )
            self.run_query(self.expr)

        self.app.push_screen(
            Prompt(
                ngettext("Code the {n} hit with", "Code all {n} hits with", len(self.hits)).format(
                    n=len(self.hits)
                )
            ),
            chosen,
        )

    def action_save_set(self) -> None:
        from qcode.tui.widgets.pickers import Prompt

        if not self.expr or self.query_one(Input).has_focus:
            return

        def chosen(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                info = self.qapp.project.sets.save(name.strip(), self.expr)
            except QcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(
                ngettext(
                    "saved set {name!r} ({n} hit)", "saved set {name!r} ({n} hits)", info.count or 0
                ).format(name=info.name, n=info.count)
            )

        self.app.push_screen(Prompt(_("Save the query as the set")), chosen)

    # -- matrix queries ----------------------------------------------------------------------------
    def action_matrix(self) -> None:
        from qcode.tui.widgets.pickers import Prompt

        if self.query_one(Input).has_focus:
            return

        def rows_chosen(rows: str | None) -> None:
            if rows and rows.strip():
                self.app.push_screen(
                    Prompt(_("Matrix columns: queries separated by commas, or attribute:KEY")),
                    lambda cols: self.show_matrix(rows, cols) if cols and cols.strip() else None,
                )

        self.app.push_screen(
            Prompt(_("Matrix rows: queries separated by commas, or attribute:KEY")), rows_chosen
        )

    def show_matrix(self, rows: str, cols: str) -> None:
        """The matrix query as a grid; ``enter`` on a cell lists its segments."""
        from qcode.services.query_matrix import matrix_query

        try:
            m = matrix_query(self.qapp.project, rows, cols)
        except QcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.hits, self.matrix = [], m
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.cursor_type = "cell"
        table.add_column("")
        for c in m.columns:
            table.add_column(c)
        for r, values in zip(m.rows, m.values, strict=True):
            table.add_row(r, *(str(v) for v in values))
        self.query_one("#qy-status", Static).update(
            Text.assemble(
                (_("matrix"), "bold"),
                _(" {rows} x {columns} (segments); enter on a cell lists them").format(
                    rows=len(m.rows), columns=len(m.columns)
                ),
            )  # fmt: skip
        )
        self.query_one("#qy-context", Static).update("")
        table.focus()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        from qcode.services.query_matrix import cell_records

        m = self.matrix
        row, col = event.coordinate.row, event.coordinate.column
        if m is None or col == 0:
            return
        hits = list(cell_records(self.qapp.project, m, f"{row + 1},{col}", CONTEXT))
        self.show_hits(hits, f" segment(s) of {m.rows[row]} and {m.columns[col - 1]}")
        self.from_cell = True

    # -- saved sets --------------------------------------------------------------------------------
    def action_list_sets(self) -> None:
        """The saved sets with their counts now; ``enter`` runs one."""
        if self.query_one(Input).has_focus:
            return
        try:
            sets = self.qapp.project.sets.list()
        except QcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.hits, self.matrix, self.sets = [], None, sets
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.cursor_type = "row"
        for label in (N_("set"), N_("count"), N_("query or codes")):
            table.add_column(_(label))
        for st in sets:
            count = "" if st.count is None else str(st.count)
            table.add_row(st.name, count, st.query or ", ".join(st.codes))
        self.query_one("#qy-status", Static).update(
            Text.assemble((_("sets"), "bold"), _(" {n}; enter runs one").format(n=len(sets)))
        )
        self.query_one("#qy-context", Static).update("")
        table.focus()
