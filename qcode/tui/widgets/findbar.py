"""The find bar above the transcript: ``/`` opens it; a pattern, with toggles for regular
expressions (alt+r), whole words (alt+w) and case (alt+c; case-insensitive by default)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from qcode.i18n import N_, _


@dataclass(frozen=True)
class Query:
    pattern: str
    regex: bool = False
    whole_word: bool = False
    case: bool = False

    def describe(self) -> str:
        flags = [f for f, on_ in ((_("regex"), self.regex), (_("whole word"), self.whole_word),
                                  (_("match case"), self.case)) if on_]  # fmt: skip
        return ", ".join(flags) or _("plain text, any case")


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 3; display: none; background: $panel; }
    FindBar > Input { width: 1fr; }
    FindBar > Static { width: auto; max-width: 50%; padding: 1 1 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("alt+r", "flip('regex')", N_("regex"), show=False),
        Binding("alt+w", "flip('whole_word')", N_("whole word"), show=False),
        Binding("alt+c", "flip('case')", N_("case"), show=False),
        Binding("escape", "close", N_("close find"), show=False),
    ]

    class Changed(Message):
        """The query changed (``submitted``: enter was pressed)."""

        def __init__(self, query: Query, submitted: bool) -> None:
            super().__init__()
            self.current = query
            self.submitted = submitted

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flags = {"regex": False, "whole_word": False, "case": False}
        self.hits_label = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("find in this document (alt+r regex, alt+w word, alt+c case)"),
                    id="find-input")  # fmt: skip
        yield Static("", id="find-state")

    @property
    def current(self) -> Query:
        return Query(self.query_one(Input).value, **self.flags)

    def open(self) -> None:
        self.display = True  # at once (a class would wait for the next style update)
        field = self.query_one(Input)
        field.focus()
        field.select_all()  # typing replaces the last pattern

    def show_state(self, hits: str) -> None:
        self.hits_label = hits
        self.query_one("#find-state", Static).update(f"{hits} · {self.current.describe()}")

    @on(Input.Changed, "#find-input")
    def _changed(self) -> None:
        self.post_message(self.Changed(self.current, False))

    @on(Input.Submitted, "#find-input")
    def _submitted(self) -> None:
        self.post_message(self.Changed(self.current, True))

    def action_flip(self, flag: str) -> None:
        self.flags[flag] = not self.flags[flag]
        self.post_message(self.Changed(self.current, False))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
