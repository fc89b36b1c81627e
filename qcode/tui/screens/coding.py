"""The coding screen: documents, the transcript, the code tree and the details of the cursor."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from qcode.errors import QcodeError
from qcode.i18n import N_, _, ngettext
from qcode.services.codes import CodeInfo
from qcode.services.codings import Span
from qcode.services.memos import MEMO_TYPES, Target
from qcode.text.wordbounds import WordBounds, han_segmenter
from qcode.tui import localise
from qcode.tui.widgets.codetree import (
    SORTS,
    arrange,
    code_label,
    fill_code_tree,
    recount,
    replace_sets,
)
from qcode.tui.widgets.details import cursor_details
from qcode.tui.widgets.findbar import FindBar, Query
from qcode.tui.widgets.pickers import NEW, Choice, MemoEditor, Picker, Prompt, in_vivo_name
from qcode.tui.widgets.rows import Unit, prepare, span_drawn
from qcode.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp


class CodingScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "c",
            "pick_code",
            N_("code"),
            tooltip=N_("Apply a code to the selection"),
            id="apply_code",
        ),
        Binding("r", "reapply", N_("again"), tooltip=N_("Apply the last code again"), id="reapply"),
        Binding(
            "v",
            "in_vivo",
            N_("in vivo"),
            tooltip=N_("Make an in-vivo code from the selection"),
            id="in_vivo",
        ),
        Binding(
            "x", "uncode", N_("uncode"), tooltip=N_("Remove a code at the cursor"), id="uncode"
        ),
        Binding("m", "memo", N_("memo"), tooltip=N_("Write a memo on the span"), id="memo"),
        Binding(
            "n", "next", N_("next"), tooltip=N_("Next search hit, or next coded span"), id="next"
        ),
        Binding("p", "jump(-1)", N_("prev"), tooltip=N_("Previous coded span"), id="previous"),
        Binding("N", "jump_back", N_("previous hit / next of code"), show=False, id="previous_hit"),
        Binding("P", "jump(-1, True)", N_("prev of code"), show=False, id="previous_of_code"),
        Binding(
            "slash",
            "find",
            N_("find"),
            tooltip=N_("Find in this document (n/N: next/previous hit)"),
            id="find",
        ),
        Binding(
            "ctrl+f",
            "find_all",
            N_("find all"),
            tooltip=N_("Find in every document"),
            id="find_all",
        ),
        Binding(
            "g",
            "stripes",
            N_("stripes"),
            tooltip=N_("Show or hide the coding stripes"),
            id="stripes",
        ),
        Binding(
            "o",
            "sort_codes",
            N_("sort codes"),
            tooltip=N_("Sort codes: name, frequency, recency"),
            id="sort_codes",
        ),
        Binding(
            "C",
            "recolour",
            N_("colour"),
            tooltip=N_("Recolour the code selected in the tree"),
            id="recolour",
        ),
        Binding("f", "focus_filter", N_("filter docs"), show=False, id="filter_documents"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.document: str | None = None
        self.doc_uuid: str | None = None
        self.last_code: str | None = None
        self.tree_code: str | None = None
        self._codes: list[CodeInfo] = []
        self.view = TranscriptView(id="transcript")
        self._memo_titles: dict[int, list[str]] = {}
        self._code_nodes: dict[str, TreeNode[str]] = {}
        self._docs: list[Any] = []
        self._opening = 0
        self.search: Query | None = None
        self.code_sort = "name"
        self._last_used: dict[int, str] = {}
        self._attrs: dict[str, Any] = {}

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="coding"):
            with Vertical(id="left", classes="side"):
                yield Input(placeholder=_("filter: name, case, attribute"), id="doc-filter")
                yield OptionList(id="docs")
            with Vertical(id="center"):
                yield Static("", id="doc-title")
                yield FindBar(id="find")
                yield self.view
            with Vertical(id="right", classes="side"):
                yield Input(placeholder=_("filter codes (o: sort, C: colour)"), id="code-filter")
                yield Tree(_("codes"), id="codes")
                yield Static("", id="details")
        yield localise.footer()

    def on_mount(self) -> None:
        p = self.qapp.project
        self.reload()

        def first(found: tuple[str | None, list[str]]) -> None:
            last, names = found
            if names and self.document is None:
                self.open_document(last if last in names else names[0])

        self.qapp.call(
            lambda: (p.get_pref("last_document"), [d.name for d in p.documents.list()]), then=first
        )
        self.query_one(TranscriptView).focus()
        self.load_word_segmenter()

    @work(thread=True, exclusive=True, group="words")
    def load_word_segmenter(self) -> None:
        """jieba, with the project's word list, for moving by word in Chinese (its dictionary
        takes about a second to load, so never on the UI thread)."""
        from qcode.services.words import WordsService

        try:
            userdict = WordsService(self.qapp.project).userdict()
        except QcodeError:
            userdict = None
        segmenter = han_segmenter(userdict)
        self.app.call_from_thread(setattr, self.view, "words", WordBounds(segmenter))

    # -- loading (service calls in workers; their results drawn on the UI thread) --------------
    def reload(self) -> None:
        """Read documents, codes and the open document's codings again from the project."""
        p = self.qapp.project

        def lists() -> tuple[list[Any], dict[str, Any], list[CodeInfo]]:
            return p.documents.list(), p.attributes.values("case"), p.codes.list(aggregate=True)

        def show(result: tuple[list[Any], dict[str, Any], list[CodeInfo]]) -> None:
            self._docs, self._attrs, codes = result
            self._fill_documents(self.query_one("#doc-filter", Input).value)
            self._show_codes(codes)

        self.qapp.call(lists, then=show)
        self._fill_sets()
        if self.document is not None:
            self._refresh_spans()

    def _fill_documents(self, query: str) -> None:
        attrs = self._attrs
        q = query.casefold().strip()
        options = []
        for d in self._docs:
            hay = " ".join([d.name, d.case or "", *map(str, attrs.get(d.case or "", {}).values())])
            if q and q not in hay.casefold():
                continue
            label = Text.assemble(d.name, (f"  {d.codings}", "dim"))
            options.append(Option(label, id=d.name))
        docs = self.query_one("#docs", OptionList)
        docs.clear_options()
        docs.add_options(options)

    def _fill_codes(self) -> None:
        self.qapp.call(self.qapp.project.codes.list, aggregate=True, then=self._show_codes)
        self._fill_sets()

    def _fill_sets(self, code: str | None = None) -> None:
        """The saved queries (retrieval sets) under "Sets", each with its count, evaluated in a
        worker: all of them, or after a coding of ``code`` only those naming it."""
        sets = self.qapp.project.sets
        if code is None:
            self.qapp.call(sets.list, then=self._show_sets)
            return

        def changed(infos: list[Any]) -> None:
            fresh = {s.name: s for s in infos}
            self._show_sets([fresh.get(s.name, s) for s in getattr(self, "_sets", [])])

        self.qapp.call(lambda: [sets.show(n) for n in sets.touching([code])], then=changed)

    def _show_sets(self, sets: list[Any]) -> None:
        """Redraw only the "Sets" node: the codes and the cursor stay where they are."""
        self._sets = sets
        query = self.query_one("#code-filter", Input).value
        self._set_nodes, self._sets_top = replace_sets(
            self.query_one("#codes", Tree), sets, query, getattr(self, "_sets_top", None)
        )

    def _show_codes(self, codes: list[CodeInfo], last: dict[int, str] | None = None) -> None:
        self._codes = codes
        if last is not None:
            self._last_used = last
        self._arrange()

    def _arrange(self) -> None:
        query = self.query_one("#code-filter", Input).value
        shown = arrange(self._codes, self.code_sort, query, self._last_used)
        tree: Tree[str] = self.query_one("#codes", Tree)
        self._code_nodes = fill_code_tree(tree, shown, self._code_label)
        self._set_nodes, self._sets_top = replace_sets(tree, getattr(self, "_sets", []), query)
        if self._codes:
            tree.cursor_line = 0

    _code_label = staticmethod(code_label)

    def _count(self, path: str, delta: int) -> None:
        recount(self._codes, self._code_nodes, path, delta)

    def open_document(self, name: str, then: Callable[[], object] | None = None) -> None:
        """Load a document in a worker, then show it (and run ``then``)."""
        p = self.qapp.project
        coders = self.qapp.visible_coders
        self._opening = token = self._opening + 1  # the last document asked for is shown
        leaving = (self.doc_uuid, self.view.cursor)
        width = self.view.text_width

        def units(kinds: tuple[str, ...]) -> dict[str, list[Unit]]:
            return {
                kind: list(map(Unit._make, rows))
                for kind, rows in p.documents.unit_ranges(name, kinds).items()
            }

        def load() -> dict[str, Any]:
            doc: dict[str, Any]
            if leaving[0] is not None:  # written before the next document's place is read
                p.set_pref(f"pos:{leaving[0]}", str(leaving[1]))
            info = p.documents.get(name)
            doc = {
                "info": info,
                "text": p.documents.text(name),
                "units": units(("turn",)),
                "spans": p.codings.spans(name, coders),
                "memos": p.memos.titles_by_coding(name),
                "cursor": int(p.get_pref(f"pos:{info.uuid}", "0") or 0),
            }
            doc["prepared"] = prepare(doc["text"], doc["units"]["turn"], width)
            return doc

        def show(doc: dict[str, Any]) -> None:
            if token != self._opening:
                return
            info = doc["info"]
            self.document, self.doc_uuid = info.name, info.uuid
            self._memo_titles = doc["memos"]
            self.view.load(doc["text"], doc["spans"], doc["units"], doc["cursor"], doc["prepared"])
            self.qapp.keep_heap()
            self.query_one("#doc-title", Static).update(
                Text.assemble(
                    (info.name, "bold"),
                    _("  case {case}  ·  {n} characters").format(case=info.case, n=info.chars),
                )
            )
            self.qapp.call(p.set_pref, "last_document", info.name)
            # sentences and paragraphs (tens of thousands in a long transcript) come after the
            # first paint: only ``s`` and the paragraph selection need them
            self.qapp.call(
                units, ("sentence", "paragraph"), then=partial(self._more_units, info.uuid)
            )
            self._show_details()
            if then is not None:
                then()

        self.qapp.call(load, then=show)

    def _more_units(self, uuid: str, units: dict[str, list[Unit]]) -> None:
        if self.doc_uuid == uuid:
            self.view.add_units(units)
            self.qapp.keep_heap()

    def _refresh_spans(self) -> None:
        assert self.document is not None
        p, name, coders = self.qapp.project, self.document, self.qapp.visible_coders

        def show(result: tuple[dict[int, list[str]], list[Span]]) -> None:
            if self.document == name:
                self._memo_titles = result[0]
                self.view.set_spans(result[1])
                self._show_details()

        self.qapp.call(
            lambda: (p.memos.titles_by_coding(name), p.codings.spans(name, coders)), then=show
        )

    def on_unmount(self) -> None:
        if self.doc_uuid is not None:  # the app is closing: no worker would outlive it
            self.qapp.project.set_pref(f"pos:{self.doc_uuid}", str(self.view.cursor))

    # -- events --------------------------------------------------------------------------------
    @on(Input.Changed, "#doc-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_documents(event.value)

    @on(OptionList.OptionSelected, "#docs")
    def _doc_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_document(event.option.id)
            self.query_one(TranscriptView).focus()

    @on(Tree.NodeSelected, "#codes")
    def _code_selected(self, event: Tree.NodeSelected[str]) -> None:
        chosen = getattr(self, "_set_nodes", {}).get(event.node.id)
        if chosen is not None:  # a saved query: say what it holds, code nothing
            self.tree_code = None
            self.notify(chosen)
            return
        self.tree_code = event.node.data
        if self.query_one(TranscriptView).selection is not None and self.tree_code:
            self.apply_code(self.tree_code)
        self._show_details()

    @on(TranscriptView.CursorMoved)
    @on(TranscriptView.Hovered)
    def _moved(self) -> None:
        self._show_details()

    def _show_details(self) -> None:
        view = self.query_one(TranscriptView)
        lines = cursor_details(view, self._memo_titles)
        if self.tree_code:
            tree_code = next((c for c in self._codes if c.path == self.tree_code), None)
            counts = f" ({localise.counts(tree_code)})" if tree_code else ""
            line = _("tree code: {code}").format(code=self.tree_code) + counts
            lines.append(Text(line, style="dim"))
        if self.last_code:
            lines.append(Text(_("last code (r): {code}").format(code=self.last_code), style="dim"))
        # the pane's size is fixed by the layout, so no layout pass is needed
        self.query_one("#details", Static).update(Text("\n").join(lines), layout=False)

    # -- coding actions ------------------------------------------------------------------------
    def _selection(self) -> tuple[int, int] | None:
        sel = self.query_one(TranscriptView).selection
        if sel is None or self.document is None:
            self.notify(
                _("select some text first (shift+arrows, drag, s or t)"), severity="warning"
            )
            return None
        return sel

    def apply_code(self, code: str, create: bool = False) -> None:
        sel = self._selection()
        if sel is None or self.document is None:
            return
        p, document = self.qapp.project, self.document

        def write() -> tuple[Any, list[CodeInfo] | None]:
            info = p.codings.apply(document, sel[0], sel[1], code, create=create)
            known = any(c.path == info.code for c in self._codes)
            return info, None if known else p.codes.list(aggregate=True)

        self.qapp.call(write, then=self._applied)

    def _applied(self, result: tuple[Any, list[CodeInfo] | None]) -> None:
        info, codes = result
        self.last_code = info.code
        if codes is not None:
            self._show_codes(codes)
        self._fill_sets(info.code)
        applied = next(c for c in self._codes if c.path == info.code)
        if info.document == self.document and not span_drawn(self.view.spans, info.id, info.start):
            self.view.add_span(
                Span(
                    info.id,
                    info.start,
                    info.end,
                    applied.id,
                    applied.path,
                    applied.color,
                    info.coder,
                )
            )
        if info.existed:  # nothing written, so no step for ctrl+z: say so
            self.notify(_("already coded with {code}: nothing to add").format(code=info.code))
        elif codes is None:
            self._count(applied.path, +1)
        self._show_details()

    def action_pick_code(self) -> None:
        if self._selection() is None:
            return
        choices = [Choice(c.path, c.path) for c in self._codes]

        def chosen(value: str | None) -> None:
            if value:
                new = value.startswith(NEW)
                self.apply_code(value[len(NEW) :] if new else value, create=new)

        self.app.push_screen(Picker(_("Apply code"), choices, allow_new=True), chosen)

    def action_reapply(self) -> None:
        if self.last_code is None:
            self.notify(_("no code applied yet"), severity="warning")
            return
        self.apply_code(self.last_code)

    def action_in_vivo(self) -> None:
        sel = self._selection()
        if sel is None or self.document is None:
            return
        view = self.query_one(TranscriptView)
        name = in_vivo_name(view.text, sel[0], sel[1], view.turn_labels)
        if not name:
            self.notify(_("the selection holds no words"), severity="warning")
            return
        document = self.document

        def create(value: str | None) -> None:
            clean = " ".join((value or "").replace("/", "\u2215").split())
            if clean and self.document == document:
                self.apply_in_vivo(sel, clean)

        self.app.push_screen(
            Prompt(_("In-vivo code (edit the name, enter to create)"), name), create
        )

    def apply_in_vivo(self, sel: tuple[int, int], name: str) -> None:
        assert self.document is not None
        p, document = self.qapp.project, self.document

        def write() -> tuple[Any, list[CodeInfo] | None]:
            info = p.codings.apply_in_vivo(document, sel[0], sel[1], name)
            return info, p.codes.list(aggregate=True)

        self.qapp.call(write, then=self._applied)

    def action_uncode(self) -> None:
        view = self.query_one(TranscriptView)
        spans = view.spans_at(view.cursor)
        if view.selection:
            a, b = view.selection
            exact = [s for s in spans if (s.start, s.end) == (a, b)]
            spans = exact or spans
        if not spans:
            self.notify(_("no coding at the cursor"), severity="warning")
            return

        def remove(value: str | None) -> None:
            if value is None:
                return

            def removed(_result: object) -> None:
                gone = next((s for s in self.view.spans if s.id == int(value)), None)
                self.view.remove_span(int(value))
                if gone is not None:
                    self._count(gone.code, -1)
                    self._fill_sets(gone.code)
                self._show_details()

            self.qapp.call(self.qapp.project.codings.remove, [int(value)], then=removed)

        if len(spans) == 1:
            remove(str(spans[0].id))
            return
        choices = [Choice(str(s.id), f"{s.code} · {s.coder} · [{s.start}, {s.end})") for s in spans]
        self.app.push_screen(Picker(_("Remove which coding?"), choices), remove)

    def action_memo(self) -> None:
        view = self.query_one(TranscriptView)
        if self.document is None:
            return
        targets: list[Target] = []
        sel = view.selection
        spans = view.spans_at(view.cursor)
        if sel:
            exact = [s for s in spans if (s.start, s.end) == sel]
            targets = [Target("coding", str(s.id)) for s in exact] or [
                Target("document", self.document, sel[0], sel[1])
            ]
        elif spans:
            targets = [Target("coding", str(s.id)) for s in spans]
        else:
            self.notify(_("select text, or put the cursor on a coding"), severity="warning")
            return
        excerpt = in_vivo_name(view.text, sel[0], sel[1]) if sel else spans[0].code

        def save(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            title, body = result

            def saved(_result: object) -> None:
                self.notify(_("memo saved"))
                self._refresh_spans()

            self.qapp.call(
                self.qapp.project.memos.add,
                title or _("Memo on {excerpt}").format(excerpt=excerpt),
                body,
                editor.memo_type,
                targets,
                then=saved,
            )

        editor = MemoEditor(_("Memo on {excerpt}").format(excerpt=excerpt), types=MEMO_TYPES)
        self.app.push_screen(editor, save)

    # -- find in this document -------------------------------------------------------------------
    def action_find(self) -> None:
        self.query_one(FindBar).open()

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        from qcode.services.search import compile_pattern, find

        query, text, submitted = event.current, self.view.text, event.submitted
        bar = self.query_one(FindBar)
        if not query.pattern:
            self.view.set_hits([])
            bar.show_state("")
            return

        def hits() -> list[tuple[int, int]]:
            return find(text, compile_pattern(query.pattern, query.regex, query.whole_word,
                                              query.case))  # fmt: skip

        def show(found: list[tuple[int, int]]) -> None:
            if bar.current != query:
                return  # typed on since
            self.search = query
            self.view.set_hits(found)
            bar.show_state(ngettext("{n} hit", "{n} hits", len(found)).format(n=len(found)))
            if submitted:
                self.view.focus()
                if found:
                    self._jump_hit(1)

        self.qapp.call(hits, then=show)

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.search = None
        self.view.set_hits([])
        self.view.focus()

    def action_find_all(self) -> None:
        from qcode.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_jump(self, step: int, only_tree_code: bool = False) -> None:
        view = self.query_one(TranscriptView)
        spans = view.spans
        if only_tree_code:
            if not self.tree_code:
                self.notify(_("select a code in the tree first"), severity="warning")
                return
            spans = [
                s
                for s in spans
                if s.code == self.tree_code or s.code.startswith(self.tree_code + "/")
            ]
        if not spans:
            self.notify(_("no coded spans here"), severity="information")
            return
        # from the start of the span in hand (a jump selects a span and leaves the cursor at its
        # end), or from the cursor
        sel = view.selection
        cur = sel[0] if sel else view.cursor
        order = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        if step > 0:
            ahead = [s for s in order if s.start > cur]
            target = ahead[0] if ahead else order[0]
            wrapped = not ahead
        else:
            behind = [s for s in order if s.start < cur]
            target = behind[-1] if behind else order[-1]
            wrapped = not behind
        if wrapped:
            if step > 0:
                self.notify(_("reached the end: wrapped to the first coded span"))
            else:
                self.notify(_("reached the start: wrapped to the last coded span"))
        view.select(target.start, target.end)

    def _jump_hit(self, step: int) -> None:
        if self.view.jump_hit(step):
            self.notify(
                _("search wrapped to the first hit")
                if step > 0
                else _("search wrapped to the last hit")
            )

    def action_next(self) -> None:
        """n: the next search hit while searching, else the next coded span."""
        if self.search is not None and self.view.hits:
            self._jump_hit(1)
        else:
            self.action_jump(1)

    def action_jump_back(self) -> None:
        """N: the previous search hit while searching, else the next span of the tree code."""
        if self.search is not None and self.view.hits:
            self._jump_hit(-1)
        else:
            self.action_jump(1, True)

    @on(Input.Changed, "#code-filter")
    def _filter_codes(self) -> None:
        self._arrange()

    def action_sort_codes(self) -> None:
        self.code_sort = SORTS[(SORTS.index(self.code_sort) + 1) % len(SORTS)]
        p = self.qapp.project

        def show(last: dict[int, str]) -> None:
            self._last_used = last
            self._arrange()
            self.notify(_("codes sorted by {sort}").format(sort=_(self.code_sort)))

        self.qapp.call(p.codes.last_used, then=show)

    def action_recolour(self) -> None:
        from qcode.services.codes import PALETTE

        tree: Tree[str] = self.query_one("#codes", Tree)
        node = tree.cursor_node
        path = self.tree_code or (node.data if node is not None else None)
        if not path:
            self.notify(_("select a code in the tree first"), severity="warning")
            return
        choices = [Choice(c, c) for c in PALETTE]

        def chosen(value: str | None) -> None:
            if not value:
                return
            colour = value[len(NEW) :] if value.startswith(NEW) else value
            p = self.qapp.project

            def done(_info: object) -> None:
                self.notify(_("{code} is now {colour}").format(code=path, colour=colour.upper()))
                self._fill_codes()
                if self.document:
                    self._refresh_spans()

            self.qapp.call(p.codes.edit, path, color=colour.strip(), then=done)

        self.app.push_screen(
            Picker(
                _("Colour of {code} (a palette colour, or type #RRGGBB)").format(code=path),
                choices,
                allow_new=True,
                placeholder=_("#RRGGBB"),
            ),
            chosen,
        )

    def action_stripes(self) -> None:
        self.view.toggle_stripes()
        self._show_details()

    def action_focus_filter(self) -> None:
        self.query_one("#doc-filter", Input).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "narrow")
