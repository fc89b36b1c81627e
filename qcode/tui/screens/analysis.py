"""The analysis screen: the co-occurrence table (unit, measure and level switchable, every
column sortable), the co-coded segments of the selected pair side by side, and the network
figure rendered to a file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qcode.analysis.cooccurrence import UNITS, Pair
from qcode.errors import QcodeError
from qcode.i18n import N_, _, ngettext
from qcode.tui import localise

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

MEASURES = ("count", "c", "jaccard")
COLUMNS = (
    (N_("code A"), "code_a"),
    (N_("code B"), "code_b"),
    (N_("n A"), "n_a"),
    (N_("n B"), "n_b"),
    (N_("count"), "count"),
    ("c", "c"),
    (N_("jaccard"), "jaccard"),
    ("", "warning"),
)


class AnalysisScreen(Screen[None]):
    BINDINGS = [
        Binding("u", "cycle_unit", N_("unit")),
        Binding("m", "cycle_measure", N_("measure")),
        Binding("l", "toggle_level", N_("level")),
        Binding("r", "reverse", N_("reverse"), show=False),
        Binding("f", "figure", N_("figure")),
        Binding("o", "open_segment", N_("open"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unit = "overlap"
        self.measure = "count"
        self.level = "open"
        self.sort_key = "count"
        self.descending = True
        self.pairs: list[Pair] = []
        self.empty = ""  # why there are no pairs, in one line
        self.places: list[dict[str, Any]] = []

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="an-status")
            yield DataTable(id="an-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="an-empty")
            yield Static("", id="an-pair")
            with Horizontal(id="an-sides"):
                yield VerticalScroll(Static("", id="an-a"), id="an-a-scroll")
                yield VerticalScroll(Static("", id="an-b"), id="an-b-scroll")
        yield localise.footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in COLUMNS:
            table.add_column(_(label) if label else "", key=key)
        self.reload()
        table.focus()

    # -- data ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Count the pairs again in a worker (with, when there are none, why), then show them."""
        p, unit, level = self.qapp.project, self.unit, self.level
        coders = tuple(self.qapp.visible_coders or ())
        self._loading = token = getattr(self, "_loading", 0) + 1

        def load() -> tuple[list[Pair], str]:
            try:
                pairs = p.analysis.cooccur(unit, coders, level=level)
            except QcodeError as exc:  # an unknown coder, say: said in the table's place
                return [], str(exc)
            return pairs, "" if pairs else empty_reason(p, unit, coders, level)

        def show(result: tuple[list[Pair], str]) -> None:
            if token == self._loading:
                self.pairs, self.empty = result
                self._fill()

        self.qapp.call(load, then=show)

    def _sorted(self) -> list[Pair]:
        def key(p: Pair) -> Any:
            v = getattr(p, self.sort_key)
            if isinstance(v, str):
                return v
            return -1.0 if v is None else float(v)

        return sorted(self.pairs, key=key, reverse=self.descending)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()

        def fmt(v: float | None) -> str:
            return "" if v is None else f"{v:.3f}"

        empty = self.query_one("#an-empty", Static)
        empty.update(self.empty if not self.pairs else "")
        empty.display = not self.pairs
        if table.display != bool(self.pairs):
            table.display = bool(self.pairs)
            if self.pairs:  # shown again: it has the keys, as before it was hidden
                table.focus()
        for i, p in enumerate(self._sorted()):
            table.add_row(
                p.code_a,
                p.code_b,
                str(p.n_a),
                str(p.n_b),
                str(p.count),
                fmt(p.c),
                fmt(p.jaccard),
                Text(_("n differ >5x"), style="yellow") if p.warning else "",
                key=f"{p.code_a}\x00{p.code_b}\x00{i}",
            )
        order = localise.name("descending" if self.descending else "ascending")
        self.query_one("#an-status", Static).update(
            Text.assemble(
                (_("co-occurrence") + "  ", "bold"),
                _("unit {unit} (u) · measure {measure} (m) · level {level} (l) · ").format(
                    unit=localise.name(self.unit),
                    measure=localise.name(self.measure),
                    level=localise.name(self.level),
                ),
                _("sorted by {key}, {order} (r) · {n} pairs").format(
                    key=localise.name(self.sort_key), order=order, n=len(self.pairs)
                ),
            )
        )

    def current(self) -> Pair | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row = table.get_row_at(table.cursor_row)
        for p in self.pairs:
            if (p.code_a, p.code_b) == (row[0], row[1]):
                return p
        return None

    # -- actions -----------------------------------------------------------------------------------
    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.reload()

    def action_cycle_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.sort_key, self.descending = self.measure, True
        self._fill()

    def action_toggle_level(self) -> None:
        self.level = "axial" if self.level == "open" else "open"
        self.reload()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._fill()

    @on(DataTable.HeaderSelected)
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, key not in ("code_a", "code_b")
        self._fill()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_show_pair()

    def action_show_pair(self) -> None:
        pair = self.current()
        if pair is None:
            return

        def show(places: list[dict[str, Any]]) -> None:
            self.places = places
            self._show_places(pair)

        self.qapp.call(
            self.qapp.project.analysis.cooccurring,
            pair.code_a,
            pair.code_b,
            self.unit,
            self.qapp.visible_coders or (),
            level=self.level,
            then=show,
        )

    def _show_places(self, pair: Pair) -> None:
        self.query_one("#an-pair", Static).update(
            Text.assemble(
                (pair.code_a, "bold"),
                _("  with  "),
                (pair.code_b, "bold"),
                _("  · {n} places ({unit})").format(
                    n=len(self.places), unit=localise.name(self.unit)
                ),
            )
        )
        for side, code in (("a", pair.code_a), ("b", pair.code_b)):
            text = Text()
            text.append(f"{code}\n", style="bold underline")
            for place in self.places:
                text.append(f"\n{place['document']} {place['start']}-{place['end']}\n", style="dim")
                shown = set()
                for seg in place[side]:  # one line per range, however many codings share it
                    if (seg["start"], seg["end"]) not in shown:
                        shown.add((seg["start"], seg["end"]))
                        text.append(f"  {seg['text']}\n")
            self.query_one(f"#an-{side}", Static).update(text)

    def action_open_segment(self) -> None:
        if self.places:
            first = self.places[0]["a"][0]
            self.qapp.open_at(self.places[0]["document"], first["start"], first["end"])

    def action_figure(self) -> None:
        folder = self.qapp.project.root / "figures"
        path = folder / f"network-{self.level}-{self.unit}.png"
        p, unit, level = self.qapp.project, self.unit, self.level
        coders = self.qapp.visible_coders or ()

        def draw() -> list[str]:
            from textual.worker import get_current_worker

            path.parent.mkdir(parents=True, exist_ok=True)
            include = ["framework"] if p.framework.show()["dimensions"] else []
            drawing = path.with_name(f".{path.stem}.drawing{path.suffix}")
            warned = figure_warnings(
                p.analysis.draw_network,
                str(drawing),
                unit=unit,
                coders=coders,
                level=level,
                include=include,
            )
            if get_current_worker().is_cancelled:  # escape: the figure is not put in place
                drawing.unlink(missing_ok=True)
            else:
                drawing.replace(path)
            return warned

        def drawn(warned: list[str]) -> None:
            for message in warned:  # as the command line gives it: one line each
                self.notify(_("warning: {message}").format(message=message), severity="warning")
            self.notify(_("wrote {file}").format(file=path))

        self.qapp.call(draw, then=drawn, long=_("drawing {file}").format(file=path.name))


def figure_warnings(fn: Callable[..., object], *args: Any, **kwargs: Any) -> list[str]:
    """Run the drawing ``fn``; the messages of the figure warnings it gave (a label with no
    font here, say), which the command line prints as one-line warnings."""
    import warnings

    from qcode.analysis.figures import FigureWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FigureWarning)
        fn(*args, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, FigureWarning)]


def empty_reason(p: Any, unit: str, coders: Sequence[str], level: str) -> str:
    """Why the co-occurrence table at ``unit`` and ``level`` is empty, in one line, with what
    to try on this screen (service calls: run in a worker)."""
    from qcode.services.nopairs import why_no_pairs

    r = why_no_pairs(p, unit, coders, level)
    if r.why == "no-categories":
        return _("no categories (axial codes) yet: l shows the open codes")
    if r.why == "no-codings" and r.coders:
        return _("no codings by {coders}: no coder shown has coded yet").format(
            coders=", ".join(r.coders)
        )
    if r.why == "no-codings":
        return _("no codings yet: code some text on the coding screen (1)")
    if r.why == "one-code":
        return _("only one code has codings: a pair needs two codes")
    if r.why == "other-unit":
        return ngettext(
            "no two codes co-occur by unit {unit}: unit {other} has {n} pair (u)",
            "no two codes co-occur by unit {unit}: unit {other} has {n} pairs (u)",
            r.n,
        ).format(unit=localise.name(unit), other=localise.name(r.other or ""), n=r.n)
    return _("no two codes share any unit: code more text")
