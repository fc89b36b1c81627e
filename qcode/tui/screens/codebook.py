"""The codebook screen: the code tree with counts; rename, move, merge, delete, describe; every
segment of the selected code in its context, with a jump to the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from qcode.i18n import N_, _, marked, ngettext, relation_arrow, relation_family, relation_type
from qcode.services.codes import CodeInfo
from qcode.tui import localise
from qcode.tui.widgets.codetree import fill_code_tree
from qcode.tui.widgets.pickers import Choice, Confirm, MemoEditor, Picker, Prompt, TextPanel

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

TOP = "\x00top"
CONTEXT = 60
# the paradigm model's slots (as the services name them), as the worksheet heads them
SLOTS = {
    "causal conditions": N_("Causal conditions"),
    "context": N_("Context"),
    "intervening conditions": N_("Intervening conditions"),
    "strategies": N_("Strategies"),
    "consequences": N_("Consequences"),
}


def _counts(c: CodeInfo) -> str:
    label = localise.counts(c)
    if c.codings_with_subcodes is None or c.codings_with_subcodes == c.codings:
        return ngettext("{n} coding", "{n} codings", c.codings).format(n=label)
    return label


class CodebookScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "rename", N_("rename")),
        Binding("m", "move", N_("move")),
        Binding("g", "merge", N_("merge")),
        Binding("e", "describe", N_("describe")),
        Binding("d", "delete", N_("delete")),
        Binding("k", "core", N_("core")),
        Binding("a", "relate", N_("relate")),
        Binding("f", "link", N_("framework")),
        Binding("w", "paradigm", N_("paradigm")),
        Binding("o", "core_view", N_("core view")),
        Binding("s", "similar", N_("similar")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.code: str | None = None
        self._codes: list[CodeInfo] = []
        self._code_nodes: dict[str, TreeNode[str]] = {}
        self._segments: dict[str, tuple[str, int, int]] = {}
        self.similar_mode = False

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Tree(_("codebook"), id="cb-tree", classes="side-wide")
            with Vertical(id="cb-right"):
                yield Static("", id="cb-info")
                yield OptionList(id="cb-segments")
        yield localise.footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#cb-tree", Tree).focus()

    def reload(self) -> None:
        """Read the codes again (in a worker), then redraw the tree and the selected code."""
        self.qapp.call(self.qapp.project.codes.list, aggregate=True, then=self._fill)

    def _fill(self, codes: list[CodeInfo]) -> None:
        self._codes = codes
        tree: Tree[str] = self.query_one("#cb-tree", Tree)
        self._code_nodes = fill_code_tree(
            tree,
            self._codes,
            lambda c: Text.assemble(
                ("■ ", c.color),
                c.name,
                ("  " + localise.name(c.level), "italic dim"),
                (
                    "  "
                    + _counts(c)
                    + " · "
                    + ngettext("{n} doc", "{n} docs", c.documents_with_subcodes or 0).format(
                        n=c.documents_with_subcodes
                    ),
                    "dim",
                ),
            ),
        )
        if self.code and not any(c.path == self.code for c in self._codes):
            self.code = None
        if self.code is None and self._codes:
            self.code = self._codes[0].path
        self.select_code(self.code)

    def select_code(self, path: str | None) -> None:
        self.code = path
        node = self._code_nodes.get(path) if path is not None else None
        if node is not None:
            self.query_one("#cb-tree", Tree).move_cursor(node)
        self._show()

    @on(Tree.NodeHighlighted, "#cb-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data and event.node.data != self.code:
            self.code = event.node.data
            self._show()

    def _show(self) -> None:
        """Show the selected code at once from what is in hand; its relations and segments
        (or the similar sentences) follow from a worker."""
        info = self.query_one("#cb-info", Static)
        segments = self.query_one("#cb-segments", OptionList)
        segments.clear_options()
        self._segments.clear()
        self._showing = token = getattr(self, "_showing", 0) + 1  # the last code asked for
        code = next((c for c in self._codes if c.path == self.code), None)
        if code is None:
            info.update(
                _("no codes yet: add them on the coding screen (c) or with qcode codes add")
            )
            return
        head = Text.assemble(
            ("■ ", code.color),
            (code.path, "bold"),
            f"   {localise.name(code.level)} · {code.color}\n",
            _("codings: {counts}, in {n} documents").format(
                counts=_counts(code), n=code.documents_with_subcodes
            )
            + "\n",
            (code.description or _("(no description: e to write one)"), "italic"),
        )
        info.update(head)
        p, path, similar_mode = self.qapp.project, code.path, self.similar_mode

        def load() -> tuple[list[str], list[tuple[str, tuple[str, int, int], Text]]]:
            from qcode.services.similar import similar

            lines = self._structure_lines(path)
            rows: list[tuple[str, tuple[str, int, int], Text]] = []
            if similar_mode:  # uncoded sentences most like the code's segments
                for i, r in enumerate(similar(p, path, "sentence", 30)):
                    label = Text.assemble(
                        (
                            f"{r.score:.2f} {r.document} [{r.start}, {r.end}) · "
                            f"{', '.join(r.terms)}\n",
                            "dim",
                        ),
                        (r.text.replace("\n", " "), "bold"),
                    )
                    rows.append((f"similar-{i}", (r.document, r.start, r.end), label))
                return lines, rows
            texts: dict[str, str] = {}
            for c in p.codings.list(code=path, include_subcodes=True):
                text = texts.get(c.document)
                if text is None:
                    text = texts[c.document] = p.documents.text(c.document)
                left = text[max(0, c.start - CONTEXT) : c.start].replace("\n", " ")
                right = text[c.end : c.end + CONTEXT].replace("\n", " ")
                label = Text.assemble(
                    (f"{c.document} [{c.start}, {c.end}) {c.coder}", "dim"),
                    (f"  {c.code}" if c.code != path else "", "italic"),
                    "\n",
                    ("…" + left, "dim"),
                    (c.text.replace("\n", " "), "bold"),
                    (right + "…", "dim"),
                )
                # one option per coding: two coders may have coded the very same span
                rows.append((str(c.id), (c.document, c.start, c.end), label))
            return lines, rows

        def show(result: tuple[list[str], list[tuple[str, tuple[str, int, int], Text]]]) -> None:
            if token != self._showing:
                return  # another code was chosen since
            lines, rows = result
            info.update(Text.assemble(head, *lines))
            segments.clear_options()
            self._segments.clear()
            if similar_mode and not rows:
                segments.add_option(
                    Option(Text(_("no similar uncoded sentences (s: back)"), "dim"))
                )
            for key, target, label in rows:
                self._segments[key] = target
                segments.add_option(Option(label, id=key))

        self.qapp.call(load, then=show)

    def action_similar(self) -> None:
        """Toggle the list between the code's segments and uncoded sentences like them."""
        self.similar_mode = not self.similar_mode
        self.notify(
            _("uncoded sentences most like this code (TF-IDF): enter opens one to code it")
            if self.similar_mode
            else _("the code's segments")
        )
        self._show()

    def _structure_lines(self, path: str) -> list[str]:
        """The code's relations and framework links (service calls: run in a worker)."""
        p = self.qapp.project
        lines = []
        for r in p.structure.list(code=path):
            lines.append(f"\n{r.source} —{relation_arrow(r.type)}→ {r.target}")
        for d in p.framework.show()["dimensions"]:
            for e in d["elements"]:
                for c in e["codes"]:
                    if c["code"] == path:
                        lines.append(f"\n{c['relation']} {d['name']}: {e['name']}")
        return lines

    @on(OptionList.OptionSelected, "#cb-segments")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        target = self._segments.get(event.option.id or "")
        if target is not None:
            self.qapp.open_at(*target)

    # -- editing -------------------------------------------------------------------------------
    def _goto(self, path: str | None = None) -> None:
        self.code = path
        self.reload()

    def _run(self, fn: Callable[..., Any], *args: object, then: Callable[[], object]) -> None:
        """A change, in a worker; ``then()`` follows when it succeeded (a failure is notified
        by the app)."""
        self.qapp.call(fn, *args, then=lambda _result: then())

    def action_rename(self) -> None:
        code = self.code
        if code is None:
            return

        def done(name: str | None) -> None:
            if not name:
                return

            def renamed() -> None:
                parent = code.rsplit("/", 1)[0] if "/" in code else None
                self.code = f"{parent}/{name.strip()}" if parent else name.strip()
                self.reload()

            self._run(self.qapp.project.codes.rename, code, name, then=renamed)

        self.app.push_screen(
            Prompt(_("Rename {code}").format(code=code), code.rsplit("/", 1)[-1]), done
        )

    def _pick_other(self, title: str, with_top: bool) -> Picker:
        choices = [Choice(TOP, "(top level)")] if with_top else []
        choices += [Choice(c.path, c.path) for c in self._codes if c.path != self.code]
        return Picker(title, choices)

    def action_move(self) -> None:
        code = self.code
        if code is None:
            return

        def done(target: str | None) -> None:
            if target is None:
                return
            parent = None if target == TOP else target

            def moved() -> None:
                name = code.rsplit("/", 1)[-1]
                self.code = f"{parent}/{name}" if parent else name
                self.reload()

            self._run(self.qapp.project.codes.move, code, parent, then=moved)

        self.app.push_screen(self._pick_other(_("Move {code} under").format(code=code), True), done)

    def action_merge(self) -> None:
        code = self.code
        if code is None:
            return

        def done(target: str | None) -> None:
            if target:
                self._run(
                    self.qapp.project.codes.merge, code, target, then=lambda: self._goto(target)
                )

        self.app.push_screen(
            self._pick_other(_("Merge {code} into").format(code=code), False), done
        )

    def action_describe(self) -> None:
        code = next((c for c in self._codes if c.path == self.code), None)
        if code is None:
            return

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._run(self.qapp.project.codes.edit, code.path, result[1], then=self.reload)

        self.app.push_screen(
            MemoEditor(
                _("Description of {code}").format(code=code.path), code.name, code.description
            ),
            done,
        )

    def action_delete(self) -> None:
        code = next((c for c in self._codes if c.path == self.code), None)
        if code is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._run(self.qapp.project.codes.delete, code.path, True, then=self._goto)

        self.app.push_screen(
            Confirm(
                ngettext(
                    "Delete {code} with its sub-codes and {n} coding? (ctrl+z undoes it)",
                    "Delete {code} with its sub-codes and {n} codings? (ctrl+z undoes it)",
                    code.codings,
                ).format(code=code.path, n=code.codings)
            ),
            done,
        )

    # -- grounded-theory structure -------------------------------------------------------------
    def action_core(self) -> None:
        code = self.code
        if code is None:
            return

        def done() -> None:
            self.notify(_("{code} is the core category").format(code=code))
            self.reload()

        self._run(self.qapp.project.structure.set_core, code, then=done)

    def action_relate(self) -> None:
        source = self.code
        if source is None:
            return
        p = self.qapp.project

        def chose_type(type_name: str | None) -> None:
            if type_name is None:
                return

            def chose_target(target: str | None) -> None:
                if not target:
                    return

                def done() -> None:
                    shown = relation_type(type_name)
                    self.notify(" ".join((source, shown, target)))  # the relation, as named
                    self._show()

                self._run(p.structure.relate, source, type_name, target, then=done)

            shown = relation_type(type_name)
            self.app.push_screen(self._pick_other(f"{source} {shown} …", False), chose_target)

        def pick(types: list[Any]) -> None:
            choices = [
                Choice(
                    t.name,
                    _("{type} ({family})").format(
                        type=relation_type(t.name), family=relation_family(t.family)
                    ),
                )
                for t in types
            ]
            self.app.push_screen(
                Picker(_("Relate {code}: type").format(code=source), choices), chose_type
            )

        self.qapp.call(p.structure.types, then=pick)

    def action_link(self) -> None:
        code = self.code
        if code is None:
            return
        p = self.qapp.project

        def pick(fw: dict[str, Any]) -> None:
            choices = [
                Choice(f"{d['key']}/{e['name']}", f"{d['name']}: {e['name']}")
                for d in fw["dimensions"]
                for e in d["elements"]
            ]
            if not choices:
                self.notify(
                    _("no framework loaded (qcode framework load FILE)"), severity="warning"
                )
                return

            def done(element: str | None) -> None:
                if not element:
                    return

                def linked() -> None:
                    self.notify(_("{code} linked to {element}").format(code=code, element=element))
                    self._show()

                self._run(p.framework.link, code, element, then=linked)

            self.app.push_screen(
                Picker(_("Link {code} to a framework element").format(code=code), choices), done
            )

        self.qapp.call(p.framework.show, then=pick)

    def action_paradigm(self) -> None:
        if self.code is not None:
            self.qapp.call(self.qapp.project.structure.paradigm, self.code, then=self._paradigm)

    def _paradigm(self, sheet: dict[str, Any]) -> None:
        lines = [_("# Paradigm: {phenomenon}").format(phenomenon=sheet["phenomenon"]), ""]
        for slot, items in sheet["slots"].items():
            heading = marked(SLOTS, slot, slot.capitalize())
            lines.append(f"## {heading}" + (" " + _("*(empty)*") if not items else ""))
            lines += [
                f"- **{it['code']}** · "
                + ngettext("{n} evidence", "{n} evidence", it["evidence"]).format(n=it["evidence"])
                + (f" · {it['comment']}" if it["comment"] else "")
                for it in items
            ]
            lines.append("")
        self.app.push_screen(TextPanel("\n".join(lines)))

    def action_core_view(self) -> None:
        self.qapp.call(self.qapp.project.structure.core, then=self._core_view)

    def _core_view(self, info: dict[str, Any]) -> None:
        core = ", ".join(info["core"]) or _("*none yet* (k sets it)")
        lines = [_("# Core category: {core}").format(core=core), ""]
        lines.append(_("## Paths to the core"))
        for cat, steps in info["paths"].items():
            lines.append(
                f"- **{cat}**: "
                + " ".join((f"—*{s}*→" if i % 2 else s) for i, s in enumerate(steps))
            )
        lines += ["", _("## Not related to the core yet")]
        lines += [f"- {c}" for c in info["unrelated"]] or ["- " + _("(none)")]
        if info["storyline"]:
            lines += ["", _("## Storyline memos")] + [f"- {t}" for t in info["storyline"]]
        self.app.push_screen(TextPanel("\n".join(lines)))
