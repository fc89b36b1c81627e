"""The memos screen: list, full-text search, edit in Markdown, link to codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qcode.i18n import N_, _, link_kind, memo_type
from qcode.services.memos import Target
from qcode.tui import localise
from qcode.tui.widgets.pickers import Choice, Confirm, Picker

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp


class MemosScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("save"), priority=True),
        Binding("ctrl+n", "new", N_("new memo"), priority=True),
        Binding("ctrl+l", "link", N_("link"), priority=True),
        Binding("ctrl+d", "delete", N_("delete"), priority=True),
        Binding("slash", "search", N_("search"), show=False),
        Binding("escape", "to_list", N_("list"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.memo_id: int | None = None

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="memo-left", classes="side-wide"):
                yield Input(placeholder=_("search memos"), id="memo-search")
                yield OptionList(id="memo-list")
            with Vertical(id="memo-right"):
                yield Input(placeholder=_("title"), id="memo-title")
                yield TextArea("", id="memo-body", soft_wrap=True)
                yield Static("", id="memo-links")
        yield localise.footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#memo-list", OptionList).focus()

    def action_to_list(self) -> None:
        self.query_one("#memo-list", OptionList).focus()

    def reload(self) -> None:
        """Read the memos again (in a worker; the last search typed wins), then list them."""
        query = self.query_one("#memo-search", Input).value
        self._listing = token = getattr(self, "_listing", 0) + 1

        def show(memos: list[Any]) -> None:
            if token == self._listing:
                self._list(memos)

        self.qapp.call(self.qapp.project.memos.list, search=query or None, then=show)

    def _list(self, memos: list[Any]) -> None:
        options = self.query_one("#memo-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Text.assemble(m.title, (f"  {memo_type(m.type)} · {m.coder}", "dim")),
                    id=str(m.id),
                )
                for m in memos
            ]
        )
        if self.memo_id is not None and any(m.id == self.memo_id for m in memos):
            self.open_memo(self.memo_id)
        elif memos:
            self.open_memo(memos[0].id)
        else:
            self._clear()

    def _clear(self) -> None:
        self.memo_id = None
        self.query_one("#memo-title", Input).value = ""
        self.query_one("#memo-body", TextArea).text = ""
        self.query_one("#memo-links", Static).update(_("new memo: write, then ctrl+s"))

    def open_memo(self, memo_id: int) -> None:
        """Read the memo in a worker, then show it."""
        self._opening = token = getattr(self, "_opening", 0) + 1
        self.memo_id = memo_id  # the memo asked for, kept when the list comes back first

        def show(m: Any) -> None:
            if token == self._opening:
                self._show(m)

        self.qapp.call(self.qapp.project.memos.get, memo_id, then=show)

    def _show(self, m: Any) -> None:
        self.memo_id = m.id
        self.query_one("#memo-title", Input).value = m.title
        self.query_one("#memo-body", TextArea).text = m.body
        links = ", ".join(
            f"{link_kind(lk.kind)} {lk.label}"
            + (f" [{lk.start}, {lk.end})" if lk.start is not None else "")
            for lk in m.links
        )
        self.query_one("#memo-links", Static).update(
            Text.assemble(
                (f"{memo_type(m.type)} · {m.coder} · {m.updated}\n", "dim"),
                _("links: {links}").format(links=links or _("none")),
            )
        )

    @on(Input.Changed, "#memo-search")
    def _search(self) -> None:
        self.reload()

    @on(OptionList.OptionSelected, "#memo-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_memo(int(event.option.id))

    def action_search(self) -> None:
        self.query_one("#memo-search", Input).focus()

    def action_new(self) -> None:
        self._clear()
        self.query_one("#memo-title", Input).focus()

    def action_save(self) -> None:
        title = self.query_one("#memo-title", Input).value
        body = self.query_one("#memo-body", TextArea).text
        memos, memo_id = self.qapp.project.memos, self.memo_id

        def write() -> int:
            if memo_id is None:
                return memos.add(title, body).id
            memos.edit(memo_id, title=title, body=body)
            return memo_id

        def saved(new_id: int) -> None:
            self.memo_id = new_id
            self.notify(_("memo saved"))
            self.reload()

        self.qapp.call(write, then=saved)

    def action_link(self) -> None:
        if self.memo_id is None:
            self.notify(_("save the memo first (ctrl+s)"), severity="warning")
            return
        memo_id = self.memo_id
        p = self.qapp.project

        def done(value: str | None) -> None:
            if value is None:
                return
            kind, ref = value.split("\x00", 1)
            self.qapp.call(
                p.memos.link, memo_id, [Target(kind, ref)], then=lambda _r: self.open_memo(memo_id)
            )

        def pick(found: tuple[list[Any], list[Any]]) -> None:
            codes, documents = found
            choices = [
                Choice(f"code\x00{c.path}", _("code: {code}").format(code=c.path)) for c in codes
            ]
            choices += [
                Choice(f"document\x00{d.name}", _("document: {document}").format(document=d.name))
                for d in documents
            ]
            self.app.push_screen(Picker(_("Link memo to a code or document"), choices), done)

        self.qapp.call(lambda: (p.codes.list(counts=False), p.documents.list()), then=pick)

    def action_delete(self) -> None:
        memo_id = self.memo_id
        if memo_id is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.qapp.call(self.qapp.project.memos.delete, memo_id, then=deleted)

        def deleted(_result: object) -> None:
            if self.memo_id == memo_id:
                self.memo_id = None
            self.reload()

        self.app.push_screen(Confirm(_("Delete this memo? (ctrl+z undoes it)")), done)
