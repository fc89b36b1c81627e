"""The agreement screen: where coders differ, side by side, and settling each difference.

The table lists every disagreement of the chosen coders (a range coded with a code by some of them
and not by the others); the two panes below show the selected one as each side coded it, the
disputed text highlighted in its context. ``a`` accepts the version that codes it (everyone gets a
coding there), ``x`` the version that does not (the range is taken out of their codings), ``m``
writes a discussion memo on the span and the code; each is one undo step. ``c`` chooses the coders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qcode.errors import QcodeError
from qcode.i18n import N_, _, ngettext
from qcode.tui import localise
from qcode.tui.widgets.pickers import MemoEditor, Prompt

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

CONTEXT = 120


def headline(data: dict[str, Any]) -> str:
    """Pooled percent agreement with Cohen's kappa and Krippendorff's alpha beside it."""
    pooled = data["totals"].get("all_codes", [])
    parts = []
    if pooled:
        stats = pooled[0]["pooled"]
        if stats.get("percent_agreement") is not None:
            parts.append(
                _("pooled agreement {value}%").format(value=f"{stats['percent_agreement']:.2f}")
            )
        if stats.get("kappa") is not None:
            parts.append(_("Cohen's kappa {value}").format(value=f"{stats['kappa']:.3f}"))
    alpha = (data.get("unitizing") or {}).get("u_alpha")
    if alpha is not None:
        parts.append(_("Krippendorff's alpha (u) {value}").format(value=f"{alpha:.3f}"))
    return "".join(f" · {p}" for p in parts)


class AgreementScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "choose_coders", N_("coders")),
        Binding("a", "accept('coded')", N_("accept coded")),
        Binding("x", "accept('uncoded')", N_("accept not coded")),
        Binding("m", "memo", N_("discussion memo")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.coders: list[str] = []
        self.items: list[dict[str, Any]] = []
        self.summary = ""

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="ag-status")
            yield DataTable(id="ag-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="ag-which")
            with Horizontal(id="ag-sides"):
                yield VerticalScroll(Static("", id="ag-coded"), id="ag-coded-scroll")
                yield VerticalScroll(Static("", id="ag-uncoded"), id="ag-uncoded-scroll")
        yield localise.footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in (N_("document"), N_("code"), N_("range"), N_("coded by"), N_("not coded by")):
            table.add_column(_(label))
        from qcode.services.coders import list_coders

        coding = [c.name for c in list_coders(self.qapp.project) if c.codings]
        self.coders = self.qapp.visible_coders or coding[:2]
        self.reload()
        table.focus()

    # -- data ------------------------------------------------------------------------------------
    def reload(self) -> None:
        from qcode.services.agreement import agreement

        self.items, self.summary = [], ""
        if len(self.coders) < 2:
            self._show({"disagreements": [], "totals": {}})
            return
        self.qapp.call(
            agreement,
            self.qapp.project,
            [",".join(self.coders)],
            with_disagreements=True,
            then=self._show,
            long=_("computing agreement"),
        )

    def _show(self, data: dict[str, Any]) -> None:
        self.summary = headline(data)
        self.items = data["disagreements"]
        table = self.query_one(DataTable)
        table.clear()
        for i, d in enumerate(self.items):
            table.add_row(
                d["document"],
                d["code"],
                f"{d['start']}-{d['end']}",
                ", ".join(d["coded_by"]),
                ", ".join(d["not_coded_by"]),
                key=str(i),
            )
        who = ", ".join(self.coders) if len(self.coders) >= 2 else _("choose two or more (c)")
        self.query_one("#ag-status", Static).update(
            Text.assemble(
                (_("agreement") + "  ", "bold"),
                _("coders {who}").format(who=who) + self.summary + " · ",
                ngettext("{n} disagreement", "{n} disagreements", len(self.items)).format(
                    n=len(self.items)
                ),
            )
        )
        self.show_current()

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def show_current(self) -> None:
        d = self.current()
        coded, uncoded = self.query_one("#ag-coded", Static), self.query_one("#ag-uncoded", Static)
        which = self.query_one("#ag-which", Static)
        if d is None:
            which.update(_("no disagreements") if len(self.coders) >= 2 else "")
            coded.update("")
            uncoded.update("")
            return
        text = self.qapp.project.documents.text(d["document"])
        which.update(
            Text.assemble(
                (f"{d['code']}", "bold"),
                _(" in {document} [{start}, {end}) · ").format(
                    document=d["document"], start=d["start"], end=d["end"]
                ),
                _("a: accept coded · x: accept not coded · m: discussion memo"),
            )
        )
        coded.update(self._side(text, d, True))
        uncoded.update(self._side(text, d, False))

    def _side(self, text: str, d: dict[str, Any], is_coded: bool) -> Text:
        who = d["coded_by"] if is_coded else d["not_coded_by"]
        head = (_("coded by") if is_coded else _("not coded by")) + " " + ", ".join(who)
        lo, hi = max(0, d["start"] - CONTEXT), min(len(text), d["end"] + CONTEXT)
        style = "bold black on green" if is_coded else "strike dim"
        return Text.assemble(
            (head + "\n\n", "bold"),
            "…" if lo else "",
            text[lo : d["start"]],
            (text[d["start"] : d["end"]], style),
            text[d["end"] : hi],
            "…" if hi < len(text) else "",
        )

    # -- actions -----------------------------------------------------------------------------------
    def action_choose_coders(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.coders = [v.strip() for v in value.split(",") if v.strip()]
            self.reload()

        self.app.push_screen(
            Prompt(_("coders to compare (A,B[,C...])"), ",".join(self.coders)), chosen
        )

    def action_accept(self, version: str) -> None:
        from qcode.services.agreement import resolve

        d = self.current()
        if d is None:
            self.notify(_("nothing to settle"), severity="warning")
            return
        try:
            summary = resolve(
                self.qapp.project,
                d["document"],
                d["code"],
                d["start"],
                d["end"],
                version,
                self.coders,
            )
        except QcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(summary)
        self.reload()

    def action_memo(self) -> None:
        from qcode.services.memos import Target

        d = self.current()
        if d is None:
            self.notify(_("nothing to discuss"), severity="warning")
            return
        title = _("Discussion: {code} in {document} [{start}, {end})").format(**d)

        def save(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            t, body = result
            targets = [
                Target("document", d["document"], d["start"], d["end"]),
                Target("code", d["code"]),
            ]
            try:
                self.qapp.project.memos.add(t or title, body, "method", targets)
            except QcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(_("discussion memo saved"))

        self.app.push_screen(MemoEditor(title), save)
