"""Modal dialogs: a fuzzy picker, a text prompt, a memo editor and a confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from qcode.i18n import N_, _, memo_type


def _preview_hint() -> str:
    """What an empty memo's preview says."""
    return "*" + _("the body's Markdown, as it will read") + "*"


NEW = "\x00new:"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


class Picker(ModalScreen[str | None]):
    """Type to filter, arrows to move, Enter to choose; with ``allow_new`` a name that matches
    nothing exactly is offered as a new entry (returned as ``NEW + name``)."""

    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 80%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    Picker OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("cancel")),
        Binding("down", "cursor(1)", show=False, priority=True),
        Binding("up", "cursor(-1)", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        choices: list[Choice],
        allow_new: bool = False,
        placeholder: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.allow_new = allow_new
        self.placeholder = _("type to filter") if placeholder is None else placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder=self.placeholder, id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        query = query.strip()
        if query:
            matcher = Matcher(query)
            scored = [(matcher.match(c.label), c) for c in self.choices]
            ranked = [c for score, c in sorted(scored, key=lambda t: -t[0]) if score > 0]
            items = [Option(matcher.highlight(c.label), id=c.value) for c in ranked]
        else:
            items = [Option(c.label, id=c.value) for c in self.choices]
        if self.allow_new and query and all(c.label != query for c in self.choices):
            items.append(Option(_("+ new: {name}").format(name=query), id=NEW + query))
        options.add_options(items)
        if items:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)


class Prompt(ModalScreen[str | None]):
    """One line of text."""

    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 70; height: auto; border: thick $primary; background: $panel;
                        padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("cancel"))]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(value=self.value, id="prompt-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(ModalScreen[tuple[str, str] | None]):
    """A memo's title, Markdown body with a live preview, and type (when ``types`` are given;
    read :attr:`memo_type` after saving), one under the other so that each fits a terminal of
    60 columns; Tab goes title -> body -> type; ctrl+s saves. Keys typed where they are not
    text (on the type selector) never let an empty body be saved silently."""

    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    MemoEditor > Vertical { width: 110; max-width: 98%; height: 28; max-height: 100%;
                            border: thick $primary; background: $panel; padding: 0 1; }
    MemoEditor Label { width: 1fr; }
    MemoEditor #memo-keys { color: $text-muted; }
    MemoEditor #memo-main { height: 1fr; min-height: 4; }
    MemoEditor TextArea { width: 1fr; height: 1fr; }
    MemoEditor #memo-preview { width: 1fr; height: 1fr; border-left: tall $panel-lighten-2; }
    MemoEditor.-narrow #memo-preview { display: none; }
    MemoEditor #memo-type-row { height: 3; }
    MemoEditor #memo-type-row Label { width: auto; padding: 1 1 0 0; }
    MemoEditor Select { width: 1fr; max-width: 30; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("save"), priority=True),
        Binding("escape", "cancel", N_("cancel")),
    ]
    NARROW = 70  # below this many columns the preview is left out; the body gets the width

    def __init__(
        self,
        heading: str,
        title: str = "",
        body: str = "",
        memo_type: str = "free",
        types: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.heading = heading
        self.memo_title = title
        self.body = body
        self.memo_type = memo_type
        self.types = types
        self.stray_keys = 0  # printable keys pressed while neither title nor body had focus
        self.warned = False

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll
        from textual.widgets import Markdown, Select

        if self.types:
            keys = _("ctrl+s save · esc cancel · tab: title, body, type")
        else:
            keys = _("ctrl+s save · esc cancel · tab: title, body")
        with Vertical():
            yield Label(self.heading, id="memo-heading")  # the heading comes translated
            yield Label(keys, id="memo-keys")
            yield Input(value=self.memo_title, placeholder=_("title"), id="memo-title")
            with Horizontal(id="memo-main"):
                yield TextArea(self.body, id="memo-body", soft_wrap=True, tab_behavior="focus")
                with VerticalScroll(id="memo-preview", can_focus=False):
                    yield Markdown(self.body or _preview_hint(), id="memo-markdown")
            if self.types:
                with Horizontal(id="memo-type-row"):
                    yield Label(_("type:"))
                    yield Select(
                        [(memo_type(t), t) for t in self.types],  # shown translated
                        value=self.memo_type,
                        allow_blank=False,
                        id="memo-type",
                    )

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        self.query_one("#memo-title", Input).focus()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")

    def on_key(self, event: events.Key) -> None:
        where = self.focused.id if self.focused is not None else None
        if event.is_printable and where not in ("memo-title", "memo-body"):
            self.stray_keys += 1

    @on(TextArea.Changed, "#memo-body")
    def _preview(self, event: TextArea.Changed) -> None:
        from textual.widgets import Markdown

        self.query_one("#memo-markdown", Markdown).update(event.text_area.text or _preview_hint())

    def action_save(self) -> None:
        title = self.query_one("#memo-title", Input).value
        body = self.query_one("#memo-body", TextArea)
        if not body.text.strip() and self.stray_keys and not self.warned:
            self.warned = False
            body.focus()
            self.notify(
                _("the body is empty: what you typed went elsewhere; ctrl+s again saves anyway"),
                severity="warning",
            )
            return
        if self.types:
            from textual.widgets import Select

            value = self.query_one("#memo-type", Select).value
            self.memo_type = str(value) if isinstance(value, str) else self.memo_type
        self.dismiss((title, body.text))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 70; height: auto; border: thick $error; background: $panel;
                         padding: 0 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", N_("yes")),
        Binding("n,escape", "answer(False)", N_("no")),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            with Horizontal():
                yield Button(_("Yes (y)"), id="yes", variant="error")
                yield Button(_("No (n)"), id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextPanel(ModalScreen[None]):
    """Read-only Markdown (the paradigm worksheet, the core view); esc closes."""

    DEFAULT_CSS = """
    TextPanel { align: center middle; }
    TextPanel > VerticalScroll { width: 90; max-width: 95%; height: 80%; border: thick $primary;
                                 background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q", "app.pop_screen", N_("close"))]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll
        from textual.widgets import Markdown

        with VerticalScroll():
            yield Markdown(self.markdown)


_LEADING = ",.;:!?)]}»”’，。；：、！？）】」』》 "
_TRAILING = ",;:([{«“‘，；：、（【「『《 "


def in_vivo_name(text: str, start: int, end: int, labels: dict[int, int] | None = None) -> str:
    """A code name from the words of ``text[start:end]``: speaker labels (``labels`` maps a
    label's start to its end) left out, whitespace trimmed and collapsed to single spaces, a '/'
    turned into '∕' (U+2215) as on REFI import, without the punctuation of the clause before
    (a leading comma) or after (a trailing one), at most 60 characters."""
    pieces: list[str] = []
    pos = start
    for a, b in sorted((labels or {}).items()):
        if b <= start or a >= end:
            continue
        pieces.append(text[pos : max(pos, a)])
        pos = max(pos, b)
    pieces.append(text[pos:end] if pos < end else "")
    words = " ".join(pieces).split() or text[start:end].split()  # a label alone is kept
    # punctuation that belongs to the words before or after the selection is not the name's
    name = " ".join(words).lstrip(_LEADING).rstrip(_TRAILING).strip() or " ".join(words)
    name = name.replace("/", "\u2215")
    return name if len(name) <= 60 else name[:59].rstrip() + "…"
