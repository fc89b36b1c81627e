"""The review queue: auto-coding proposals in context, each settled with one key.

``a`` accepts (a coding by you, the rule kept on the suggestion), ``x`` rejects, ``e`` widens the
proposal to its whole sentence, ``+``/``-`` move its end by one word, ``R`` reverts the whole run
the proposal belongs to (every coding accepted from it goes too). Each is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import regex
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qcode.i18n import N_, _, ngettext
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.services.autocode import SuggestionInfo
    from qcode.tui.app import QcodeApp

CONTEXT = 200
_WORD = regex.compile(r"[\p{L}\p{N}]+")


class QueueScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "accept", N_("accept")),
        Binding("x", "reject", N_("reject")),
        Binding("e", "sentence", N_("whole sentence")),
        Binding("plus", "grow", N_("+word")),
        Binding("minus", "shrink", N_("-word")),
        Binding("R", "revert", N_("revert run")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[SuggestionInfo] = []

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="q-status")
            yield DataTable(id="q-table", cursor_type="row", zebra_stripes=True)
            yield VerticalScroll(Static("", id="q-context"), id="q-context-scroll")
        yield localise.footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in (N_("run"), N_("document"), N_("code"), N_("rule"), N_("text")):
            table.add_column(_(label))
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Read the pending suggestions again (in a worker), then list them."""
        from qcode.services.autocode import suggestions

        self.qapp.call(suggestions, self.qapp.project, then=self._fill)

    def _fill(self, items: list[SuggestionInfo]) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        self.items = items
        table.clear()
        for s in self.items:
            table.add_row(
                str(s.run),
                s.document,
                s.code,
                s.rule,
                s.text.replace("\n", " ")[:60],
                key=str(s.id),
            )
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        self.query_one("#q-status", Static).update(
            Text.assemble(
                (_("review queue") + "  ", "bold"),
                ngettext(
                    "{n} pending suggestion", "{n} pending suggestions", len(self.items)
                ).format(n=len(self.items)),
            )
        )
        self.show_current()

    def current(self) -> SuggestionInfo | None:
        table = self.query_one(DataTable)
        if not self.items:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def show_current(self) -> None:
        s = self.current()
        pane = self.query_one("#q-context", Static)
        if s is None:
            pane.update(_("nothing to review: run rules with qcode autocode RULES"))
            return
        self._showing = token = getattr(self, "_showing", 0) + 1

        def show(text: str) -> None:
            if token == self._showing:
                self._show_context(s, text)

        self.qapp.call(self.qapp.project.documents.text, s.document, then=show)

    def _show_context(self, s: SuggestionInfo, text: str) -> None:
        pane = self.query_one("#q-context", Static)
        lo, hi = max(0, s.start - CONTEXT), min(len(text), s.end + CONTEXT)
        pane.update(
            Text.assemble(
                (f"{s.code}", "bold"),
                _("  proposed by rule {rule} (run {run}) in {document} [{start}, {end})").format(
                    rule=repr(s.rule), run=s.run, document=s.document, start=s.start, end=s.end
                )
                + "\n\n",
                "…" if lo else "",
                text[lo : s.start],
                (text[s.start : s.end], "bold black on yellow"),
                text[s.end : hi],
                "…" if hi < len(text) else "",
            )
        )

    def _do(self, fn: Callable[..., Any], *args: object) -> None:
        """Settle a proposal in a worker, then list the queue again."""

        def done(result: object) -> None:
            if isinstance(result, str):
                self.notify(result)
            self.reload()

        self.qapp.call(fn, self.qapp.project, *args, then=done)

    def _with_text(self, kind: str | None, then: Callable[[SuggestionInfo, Any], object]) -> None:
        """``then(suggestion, text)`` with the current proposal's document text, or with its
        units of ``kind``, read in a worker."""
        s = self.current()
        if s is None:
            return
        docs = self.qapp.project.documents
        if kind is None:
            self.qapp.call(docs.text, s.document, then=lambda text: then(s, text))
        else:
            self.qapp.call(docs.units, s.document, kind, then=lambda units: then(s, units))

    def action_accept(self) -> None:
        from qcode.services.autocode import accept

        s = self.current()
        if s is not None:
            self._do(accept, [s.id])

    def action_reject(self) -> None:
        from qcode.services.autocode import reject

        s = self.current()
        if s is not None:
            self._do(reject, [s.id])

    def _move(self, s: SuggestionInfo, start: int, end: int) -> None:
        from qcode.services.autocode import adjust

        if (start, end) != (s.start, s.end):
            self._do(adjust, s.id, start, end)

    def action_sentence(self) -> None:
        def widen(s: SuggestionInfo, units: list[dict[str, Any]]) -> None:
            for u in units:
                if u["start"] <= s.start < u["end"]:
                    self._move(s, min(u["start"], s.start), max(u["end"], s.end))
                    return

        self._with_text("sentence", widen)

    def action_grow(self) -> None:
        def grow(s: SuggestionInfo, text: str) -> None:
            m = _WORD.search(text, s.end)
            if m is not None:
                self._move(s, s.start, m.end())

        self._with_text(None, grow)

    def action_shrink(self) -> None:
        def shrink(s: SuggestionInfo, text: str) -> None:
            words = [m for m in _WORD.finditer(text, s.start, s.end)]
            if len(words) > 1:
                self._move(s, s.start, words[-2].end())

        self._with_text(None, shrink)

    def action_revert(self) -> None:
        from qcode.services.autocode import revert

        s = self.current()
        if s is not None:
            self._do(
                lambda p, run: f"run {run} reverted: {revert(p, run)} coding(s) removed", s.run
            )
