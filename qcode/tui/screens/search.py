"""Find in every document (ctrl+f): the hits with their context; enter opens one, ``c`` codes the
highlighted hit and ``C`` codes every hit, in one undo step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qcode.i18n import N_, _, ngettext
from qcode.services.codings import CodingRequest
from qcode.services.search import SearchHit, search_documents
from qcode.tui.widgets.findbar import Query
from qcode.tui.widgets.pickers import NEW, Choice, Picker

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp


class SearchScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 110; max-width: 98%; height: 85%; border: thick $primary;
                              background: $panel; padding: 0 1; }
    SearchScreen OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("close")),
        Binding("alt+r", "flip('regex')", N_("regex")),
        Binding("alt+w", "flip('whole_word')", N_("whole word")),
        Binding("alt+c", "flip('case')", N_("case")),
        Binding("c", "code(False)", N_("code hit"), show=False),
        Binding("C", "code(True)", N_("code all hits"), show=False),
    ]

    def __init__(self, pattern: str = "") -> None:
        super().__init__()
        self.pattern = pattern
        self.flags = {"regex": False, "whole_word": False, "case": False}
        self.hits: list[SearchHit] = []

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                _(
                    "Find in every document  (enter search/open · tab to the hits · c code the "
                    "hit · C code all · alt+r/w/c regex/word/case · esc close)"
                )
            )
            yield Input(self.pattern, placeholder=_("words, or a regex with alt+r"), id="sa-input")
            yield Label("", id="sa-state")
            yield OptionList(id="sa-hits")

    @property
    def query_(self) -> Query:
        return Query(self.query_one("#sa-input", Input).value, **self.flags)

    @on(Input.Submitted, "#sa-input")
    def _submitted(self) -> None:
        self.run_search(focus=True)

    def action_flip(self, flag: str) -> None:
        self.flags[flag] = not self.flags[flag]
        self.run_search()

    def run_search(self, focus: bool = False) -> None:
        q = self.query_
        if not q.pattern:
            return
        p = self.qapp.project
        self.query_one("#sa-state", Label).update(
            _("searching ... ({how})").format(how=q.describe())
        )

        def show(hits: list[SearchHit]) -> None:
            if self.query_ != q:
                return
            self.hits = hits
            docs = len({h.document for h in hits})
            self.query_one("#sa-state", Label).update(
                ngettext(
                    "{n} hit in {docs} documents · {how}",
                    "{n} hits in {docs} documents · {how}",
                    len(hits),
                ).format(n=len(hits), docs=docs, how=q.describe())
            )
            options = self.query_one("#sa-hits", OptionList)
            options.clear_options()
            options.add_options(
                Option(
                    Text.assemble(
                        (f"{h.document} [{h.start}, {h.end})  ", "dim"),
                        "…" + h.left,
                        (h.match, "bold reverse"),
                        h.right + "…",
                    ),
                    id=str(i),
                )
                for i, h in enumerate(hits)
            )
            if hits:
                options.highlighted = 0
                if focus:
                    options.focus()

        self.qapp.call(search_documents, p, q.pattern, q.regex, q.whole_word, q.case, then=show)

    @on(OptionList.OptionSelected, "#sa-hits")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.dismiss(None)
        self.qapp.open_at(hit.document, hit.start, hit.end)

    def action_code(self, every: bool) -> None:
        options = self.query_one("#sa-hits", OptionList)
        if not self.hits or (not every and options.highlighted is None):
            self.notify(_("no hit to code"), severity="warning")
            return
        chosen = self.hits if every else [self.hits[options.highlighted or 0]]
        p = self.qapp.project
        choices = [Choice(c.path, c.path) for c in p.codes.list(counts=False)]

        def apply(value: str | None) -> None:
            if not value:
                return
            new = value.startswith(NEW)
            code = value[len(NEW) :] if new else value
            reqs = [CodingRequest(h.document, h.start, h.end, code, None) for h in chosen]

            def done(infos: list[object]) -> None:
                self.notify(
                    ngettext(
                        "coded {n} hit with {code!r}", "coded {n} hits with {code!r}", len(infos)
                    ).format(n=len(infos), code=code),
                    markup=False,
                )

            self.qapp.call(p.codings.apply_many, reqs, new, "code.search", then=done)

        title = f"Code {'all ' + str(len(chosen)) + ' hits' if every else 'this hit'}"
        self.app.push_screen(Picker(title, choices, allow_new=True), apply)

    def action_close(self) -> None:
        self.dismiss(None)
