"""The theory report: the draft of a findings chapter from the project's structure, every claim
traceable to its segments.

For the core category and the categories related to it (or the categories asked for): its
definition, its sub-codes with counts, its paradigm worksheet with evidence counts, its most
representative quotes (:mod:`qcode.analysis.quotes`) each with a reference to its coding, the
memos on it, the co-occurrence network of its neighbourhood, and a saturation note; the
storyline memos first; the framework, when one is loaded, in a section of its own.
"""

from __future__ import annotations

import builtins
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qcode.analysis.quotes import IDEAL_LENGTH
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import (
    N_,
    _,
    current,
    fill,
    memo_type,
    ngettext,
    pgettext,
    relation_arrow,
    sentences,
)
from qcode.interchange.document import (
    Doc,
    Figure,
    Heading,
    Markdown,
    Para,
    QuoteBlock,
    Table,
    Toc,
    to_html,
    to_markdown,
    write_docx,
)
from qcode.services.quotes import (
    Quote,
    QuoteRow,
    check_attributes,
    marked_codings,
    pick,
    quote_rows,
)

if TYPE_CHECKING:
    from qcode.services.codes import CodeInfo
    from qcode.services.project import Project

FORMATS = ("docx", "md", "html")
NEIGHBOURS = 10  # co-occurring categories drawn beside a category, the strongest first
RULE_TEXT = N_(
    "Quotes are spread over cases first: one from each case in turn, the cases taken by how "
    "many of the category's segments they hold. Within a case, a segment that a summary draws "
    "on or that a relation cites as evidence comes first, then the one whose length is nearest "
    "{length} characters, then the earliest. A range coded twice is quoted once."
)
RULE = RULE_TEXT.format(length=IDEAL_LENGTH)


def rule() -> str:
    """How the quotes are chosen, in the interface's language."""
    return _(RULE_TEXT).format(length=IDEAL_LENGTH)


def slot_name(slot: str) -> str:
    """A paradigm slot (as the services name it) in the interface's language."""
    return {
        "causal conditions": pgettext("paradigm slot", "causal conditions"),
        "context": pgettext("paradigm slot", "context"),
        "intervening conditions": pgettext("paradigm slot", "intervening conditions"),
        "strategies": pgettext("paradigm slot", "strategies"),
        "consequences": pgettext("paradigm slot", "consequences"),
    }.get(slot, slot)


def _draw(g: Any, path: Path, language: str = "en") -> None:
    """Draw one figure, in ``language`` (a process of the pool starts without the
    interface's language)."""
    from qcode.analysis.network_figure import draw_network
    from qcode.i18n import set_language

    set_language(language)
    draw_network(g, path)


def figure_caption(name: str, related: bool, shared: int, left_out: int) -> str:
    """What a category's co-occurrence figure shows, in words that fit its numbers."""
    kin = _("the categories related to it") if related else ""
    most = ""
    if shared == 1:
        most = _("the category it shares most paragraphs with")
    elif shared:
        most = fill(_("the {shared} categories it shares most paragraphs with"), shared=shared)
    if kin and most:
        shown = fill(_("{related} and {shared}"), related=kin, shared=most)
    else:
        shown = kin or most
    more = ""
    if left_out:
        more = fill(
            ngettext(
                "; {n} weaker neighbour left out", "; {n} weaker neighbours left out", left_out
            ),
            n=left_out,
        )
    key = _("node size: codings")
    if shared:
        key += _("; edge width: paragraphs coded with both")
    if related:
        key += _("; dashed: relations")
    return fill(_("{name} with {shown}{more} ({key})."), name=name, shown=shown, more=more, key=key)


def quote_block(q: Quote) -> QuoteBlock:
    return QuoteBlock(
        q.text, q.source(local=True) or q.document, q.reference(local=True), q.coding_guid
    )


class _Builder:
    def __init__(
        self,
        p: Project,
        n_quotes: int,
        attributes: Sequence[str],
        figures: Path | None,
    ) -> None:
        self.p = p
        self.n = n_quotes
        self.attributes = list(attributes)
        self.figures = figures
        self.codes = {c.path: c for c in p.codes.list(counts=False)}
        self.rows: list[QuoteRow] = quote_rows(p)
        self.by_code: dict[str, list[QuoteRow]] = {}
        for r in self.rows:
            self.by_code.setdefault(r.code, []).append(r)
        self.jobs: list[tuple[Any, Path, str]] = []  # figures to draw: (graph, file, language)
        self.marked = marked_codings(p)
        from sqlalchemy import select

        from qcode.store.models import Document

        with p.read() as s:  # in import order
            self.docs = list(s.scalars(select(Document.name).order_by(Document.id)))
        self.memos = p.memos.list()
        self.graph: Any = None
        self.reported: set[str] = set()  # the categories the report has a section for
        self._core: dict[str, Any] | None = None
        self.doc = Doc(fill(_("Theory report: {name}"), name=p.settings.name))

    def rows_of(self, path: str) -> list[QuoteRow]:
        under = path + "/"
        return [
            r
            for code, rows in self.by_code.items()
            if code == path or code.startswith(under)
            for r in rows
        ]

    def core_info(self) -> dict[str, Any]:
        if self._core is None:
            self._core = self.p.structure.core()
        return self._core

    def integrated(self, c: CodeInfo) -> tuple[list[str], list[QuoteRow]]:
        """The categories that reach the core category ``c`` (``qcode core``) and their codings,
        each once, outside ``c``'s own."""
        cats = [
            cat
            for cat, steps in self.core_info()["paths"].items()
            if steps and steps[-1] == c.path and cat != c.path
        ]
        own = self.rows_of(c.path)
        seen = {r.coding_id for r in own}
        rows = []
        for cat in cats:
            for r in self.rows_of(cat):
                if r.coding_id not in seen:
                    seen.add(r.coding_id)
                    rows.append(r)
        return cats, rows

    @staticmethod
    def spread(rows: list[QuoteRow]) -> dict[str, int]:
        return {
            "codings": len(rows),
            "documents": len({r.document for r in rows}),
            "cases": len({r.case or f"document {r.document}" for r in rows}),
        }

    # -- sections ------------------------------------------------------------------------------
    def category(self, c: CodeInfo, core: bool) -> None:
        rows = self.rows_of(c.path)
        title = fill(_("{category} (core category)"), category=c.path) if core else c.path
        self.doc.add(Heading(1, title))
        cats, whole = self.integrated(c) if core else ([], [])
        if core and not rows:
            # a core category is usually built from its related categories, not coded itself
            counts = _("No codings of its own.")
        else:
            counts = fill(
                _("{codings} codings in {documents} documents from {cases} cases."),
                **self.spread(rows),
            )
        if cats:
            counts = sentences(
                counts,
                fill(
                    ngettext(
                        "It integrates {n} category, with {codings} codings in {documents} "
                        "documents from {cases} cases.",
                        "It integrates {n} categories, with {codings} codings in {documents} "
                        "documents from {cases} cases.",
                        len(cats),
                    ),
                    n=len(cats),
                    **self.spread(whole),
                ),
            )
        self.doc.add(Para(counts, italic=True))
        self.definition(c)
        if core:
            self.related(c)
        self.subcodes(c)
        self.paradigm(c)
        self.quotes(c, rows, cats)
        self.memos_on(c)
        if self.figures is not None:
            self.figure(c)
        if rows or not whole:
            self.saturation(c, rows)
        else:
            self.saturation(c, whole, integrated=True)

    def definition(self, c: CodeInfo) -> None:
        self.doc.add(Heading(2, _("Definition")))
        facts = [
            (_("Description"), c.description),
            (_("Inclusion"), c.inclusion),
            (_("Exclusion"), c.exclusion),
            (_("Example"), c.example),
        ]
        written = [(k, v.strip()) for k, v in facts if v and v.strip()]
        if not written:
            self.doc.add(Para(_("No definition written yet."), italic=True))
        for label, text in written:
            self.doc.add(Markdown(_("**{label}.** {text}").format(label=label, text=text)))

    def related(self, c: CodeInfo) -> None:
        """How each category reaches the core: its shortest path through relations and the
        code tree (``qcode core``)."""
        info = self.p.structure.core()
        rows = [
            [cat, " ".join(f"—{relation_arrow(x)}→" if i % 2 else x for i, x in enumerate(steps))]
            for cat, steps in sorted(info["paths"].items(), key=lambda kv: (len(kv[1]), kv[0]))
            if steps and steps[-1] == c.path
        ]
        rows += [[cat, _("(not connected yet)")] for cat in info["unrelated"]]
        if rows:
            self.doc.add(Heading(2, _("Related categories")))
            self.doc.add(
                Table(
                    fill(
                        _(
                            "How each category reaches {name}: its shortest path through relations "
                            "and the code tree."
                        ),
                        name=c.name,
                    ),
                    [pgettext("report", "category"), _("path to the core")],
                    rows,
                )
            )

    def subcodes(self, c: CodeInfo) -> None:
        subs = [p for p in self.codes if p.startswith(c.path + "/")]
        self.doc.add(Heading(2, _("Sub-codes")))
        if not subs:
            self.doc.add(Para(_("No sub-codes."), italic=True))
            return
        table = []
        for s in subs:
            rows = self.by_code.get(s, [])
            table.append(
                [
                    s[len(c.path) + 1 :],
                    len(rows),
                    len({r.document for r in rows}),
                    len({r.case or r.document for r in rows}),
                ]
            )
        self.doc.add(
            Table(
                fill(_("Sub-codes of {name}: codings (own), documents and cases."), name=c.name),
                [_("sub-code"), _("codings"), _("documents"), _("cases")],
                table,
            )
        )

    def paradigm(self, c: CodeInfo) -> None:
        if not self.p.settings.paradigm:
            return
        sheet = self.p.structure.paradigm(c.path)
        if all(not items for items in sheet["slots"].values()):
            return
        self.doc.add(Heading(2, _("Paradigm")))
        table = []
        for slot, items in sheet["slots"].items():
            if not items:
                table.append([slot_name(slot), _("(none yet)"), "", 0])
            for it in items:
                n = len(self.rows_of(it["code"]))
                table.append([slot_name(slot), it["code"], n, it["evidence"]])
        self.doc.add(
            Table(
                fill(
                    _(
                        "{name} as phenomenon: the paradigm worksheet, with each code's codings "
                        "(its sub-codes' included) and the codings cited as evidence for each "
                        "relation."
                    ),
                    name=c.name,
                ),
                [_("slot"), pgettext("report", "code"), _("codings"), _("evidence")],
                table,
            )
        )
        if not any(row[3] for row in table):
            self.doc.add(
                Para(
                    _(
                        "No relation cites a coding as evidence yet: qcode relations edit ID "
                        "--add-evidence CODING_ID adds one."
                    ),
                    italic=True,
                )
            )

    def quotes(self, c: CodeInfo, rows: list[QuoteRow], integrates: Sequence[str] = ()) -> None:
        self.doc.add(Heading(2, _("Quotes")))
        chosen = pick(rows, c.path, self.n, self.marked, self.attributes)
        if not chosen and integrates:
            here = any(cat in self.reported for cat in integrates)
            self.doc.add(
                Para(
                    _(
                        "No codings of its own: the quotes are in the sections of the categories "
                        "it integrates."
                    )
                    if here
                    else _(
                        "No codings of its own: qcode report --core quotes the categories it "
                        "integrates."
                    ),
                    italic=True,
                )
            )
            return
        if not chosen:
            self.doc.add(Para(_("No coded segments yet."), italic=True))
            return
        spans = len({(r.document, r.start, r.end) for r in rows})
        self.doc.add(
            Para(
                fill(
                    _("{chosen} of {spans} coded passages, chosen by the rule in the appendix."),
                    chosen=len(chosen),
                    spans=spans,
                )
            )
        )
        self.doc.add(*(quote_block(q) for q in chosen))

    def memos_on(self, c: CodeInfo) -> None:
        ids = {self.codes[p].id for p in self.codes if p == c.path or p.startswith(c.path + "/")}
        found = [
            m
            for m in self.memos
            if m.type != "storyline" and any(lk.kind == "code" and lk.id in ids for lk in m.links)
        ]
        if not found:
            return
        self.doc.add(Heading(2, _("Memos")))
        for m in sorted(found, key=lambda m: (m.created, m.id)):
            self.doc.add(Heading(3, m.title))
            by = fill(
                _("{type} memo by {coder}, {date}"),
                type=memo_type(m.type),
                coder=m.coder,
                date=m.updated[:10],
            )
            self.doc.add(Para(by, italic=True))
            self.doc.add(Markdown(m.body, floor=3))

    def figure(self, c: CodeInfo) -> None:
        from qcode.analysis.network import code_id

        if self.graph is None:
            # paragraphs as the unit: categories are rarely coded on the very same words
            self.graph = self.p.analysis.network(
                unit="paragraph", level="axial", include=("relations",)
            )
        node = code_id(c.path)
        if node not in self.graph:
            return
        weight: dict[str, float] = defaultdict(float)
        related = set()
        for _node, other, data in self.graph.edges(node, data=True):
            if data.get("kind") == "relation":
                related.add(other)
            else:
                weight[other] += data.get("weight", 0.0)
        strongest = sorted(weight, key=lambda n: (-weight[n], n))[:NEIGHBOURS]
        sub = self.graph.subgraph({node, *related, *strongest}).copy()
        if sub.number_of_nodes() < 2:
            return
        assert self.figures is not None
        path = self.figures / f"figure-{len(self.jobs) + 1}.png"
        self.jobs.append((sub, path, current()))
        more = len(weight) - len(strongest)
        self.doc.add(Heading(2, _("Co-occurrence")))
        self.doc.add(Figure(path, figure_caption(c.name, bool(related), len(strongest), more)))

    def draw(self) -> None:
        """Draw the figures, in as many processes as there are cores (two at most)."""
        if not self.jobs:
            return
        workers = min(2, os.cpu_count() or 1, len(self.jobs))
        if workers < 2:
            for g, path, language in self.jobs:
                _draw(g, path, language)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            list(pool.map(_draw, *zip(*self.jobs, strict=True)))

    def saturation(self, c: CodeInfo, rows: list[QuoteRow], integrated: bool = False) -> None:
        """When the first appearance of each code (of ``c``; with ``integrated``, of the
        categories the core category ``c`` integrates) levels off, in import order."""
        first: dict[str, int] = {}
        position = {d: i for i, d in enumerate(self.docs, 1)}
        for r in rows:
            i = position.get(r.document)
            if i is not None and (r.code not in first or i < first[r.code]):
                first[r.code] = i
        self.doc.add(Heading(2, _("Saturation")))
        if not first:
            self.doc.add(Para(_("Not coded yet: nothing to say about saturation."), italic=True))
            return
        last_code, last = max(first.items(), key=lambda kv: (kv[1], kv[0]))
        n = len(self.docs)
        after = n - last
        opening = (
            _(
                "The {codes} codes of the categories it integrates first appear within "
                "documents 1 to {last} of {n}, in import order; the last new one, "
                "“{code}”, in {document}. "
            )
            if integrated
            else _(
                "Its {codes} codes (the category and its sub-codes in use) first appear within "
                "documents 1 to {last} of {n}, in import order; the last new one, "
                "“{code}”, in {document}. "
            )
        )
        text = fill(
            opening,
            codes=len(first),
            last=last,
            n=n,
            code=last_code,
            document=self.docs[last - 1],
        )
        text += (
            fill(
                _("The {after} documents after it added no new code to these categories.")
                if integrated
                else _("The {after} documents after it added no new code to this category."),
                after=after,
            )
            if after
            else _("The last document still added a new code: more data may be needed.")
        )
        self.doc.add(Para(text))

    def storyline(self) -> None:
        story = [m for m in self.memos if m.type == "storyline"]
        if not story:
            return
        self.doc.add(Heading(1, _("Storyline")))
        for m in sorted(story, key=lambda m: (m.created, m.id)):
            self.doc.add(Heading(2, m.title))
            self.doc.add(Markdown(m.body, floor=2))

    def framework(self) -> None:
        fw = self.p.framework.show()
        if not fw["dimensions"]:
            return
        named = fill(_("Framework: {name}"), name=fw["name"]) if fw["name"] else None
        self.doc.add(Heading(1, named or _("Framework")))
        if fw["description"]:
            self.doc.add(Markdown(fw["description"], floor=1))
        for d in fw["dimensions"]:
            self.doc.add(Heading(2, d["name"]))
            if d["description"]:
                self.doc.add(Para(d["description"]))
            for e in d["elements"]:
                self.doc.add(Heading(3, e["name"]))
                if e["description"]:
                    self.doc.add(Para(e["description"]))
                linked = [x["code"] for x in e["codes"]]
                if not linked:
                    self.doc.add(Para(_("No codes linked yet."), italic=True))
                    continue
                self.doc.add(Para(fill(_("Codes: {codes}."), codes="; ".join(linked))))
                rows = [r for code in linked for r in self.rows_of(code)]
                for q in self._pick_many(rows, linked):
                    self.doc.add(quote_block(q))
        pairs = self.p.analysis.framework_view()
        if pairs:
            self.doc.add(Heading(2, _("Elements that co-occur")))
            self.doc.add(
                Table(
                    _(
                        "Framework elements whose codes overlap in the text (overlap unit), "
                        "for the dimensions the framework links."
                    ),
                    [_("element"), _("element"), _("overlaps"), "C"],
                    [
                        [
                            f"{x.dimension_a}: {x.element_a}",
                            f"{x.dimension_b}: {x.element_b}",
                            x.count,
                            "" if x.c is None else f"{x.c:.2f}",
                        ]
                        for x in sorted(pairs, key=lambda x: -x.count)
                    ],
                )
            )

    def _pick_many(self, rows: list[QuoteRow], paths: list[str]) -> list[Quote]:
        from qcode.analysis.quotes import representative
        from qcode.services.quotes import to_quote

        unique = list({r.coding_id: r for r in rows}.values())
        chosen = representative(
            unique,
            self.n,
            case=lambda r: r.case or f"document {r.document}",
            span=lambda r: (r.document, r.start, r.end),
            coding=lambda r: r.coding_id,
            length=lambda r: len(r.text),
            marked=self.marked,
        )
        return [to_quote(r, self.attributes) for r in chosen]

    def appendix(self) -> None:
        self.doc.add(Heading(1, _("About this report")))
        self.doc.add(Para(rule()))
        self.doc.add(
            Para(
                _(
                    "Each quote names its document, its range of characters [start, end) in the "
                    "document's text, and the GUID of its coding, by which any tool reading the "
                    "project's .qdpx export finds it; qcode codings --format csv lists every "
                    "coding with its GUID."
                )
            )
        )


def _categories(p: Project, core: bool, names: Sequence[str]) -> builtins.list[tuple[str, bool]]:
    """(category path, is core) in report order."""
    codes = {c.path: c for c in p.codes.list(counts=False)}
    cores = [c.path for c in codes.values() if c.level == "selective"]
    if names:
        out: builtins.list[tuple[str, bool]] = []
        for n in names:
            path = p.codes.get(n).path
            if path not in [x for x, _ in out]:
                out.append((path, path in cores))
        return out
    if core and not cores:
        raise NotFoundError(_("no core category yet (qcode core CATEGORY)"))
    if cores:
        info = p.structure.core()
        related = sorted(info["paths"], key=lambda c: (len(info["paths"][c]), c))
        return [(c, True) for c in cores] + [(c, False) for c in related if c not in cores]
    return [(c.path, False) for c in codes.values() if c.level == "axial"]


def build_report(
    p: Project,
    core: bool = False,
    categories: Sequence[str] = (),
    n_quotes: int = 3,
    attributes: Sequence[str] = (),
    figures: Path | None = None,
) -> Doc:
    """The report as blocks; figures (when ``figures`` names a folder) drawn into it."""
    if n_quotes < 0:
        raise InvalidInputError(_("--quotes {n_quotes}: give 0 or more").format(n_quotes=n_quotes))
    check_attributes(p, attributes)
    chosen = _categories(p, core, categories)
    if not chosen:
        raise NotFoundError(_("no categories to report on (make axial codes first)"))
    b = _Builder(p, n_quotes, attributes, figures)
    b.reported = {path for path, _core in chosen}
    b.doc.add(Heading(0, b.doc.title))
    summary = fill(
        ngettext(
            "{documents} documents, {codings} codings, {codes} codes; {n} category reported.",
            "{documents} documents, {codings} codings, {codes} codes; {n} categories reported.",
            len(chosen),
        ),
        documents=len(b.docs),
        codings=len(b.rows),
        codes=len(b.codes),
        n=len(chosen),
    )
    b.doc.add(Para(summary, italic=True))
    b.doc.add(Toc())
    b.storyline()
    for path, is_core in chosen:
        b.category(b.codes[path], is_core)
    b.framework()
    b.appendix()
    b.draw()
    return b.doc


def write_report(
    p: Project,
    output: Path,
    fmt: str | None = None,
    core: bool = False,
    categories: Sequence[str] = (),
    n_quotes: int = 3,
    attributes: Sequence[str] = (),
    with_figures: bool = False,
) -> Doc:
    """Write the report to ``output`` as docx, md or html (``fmt``, or the file's extension).
    Markdown links its figures from a folder beside it; HTML and Word hold them."""
    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInputError(
            _("{output}: unknown report format {fmt!r} (docx, md or html)").format(
                output=output, fmt=fmt
            )
        )
    if not output.parent.is_dir():
        raise InvalidInputError(_("{output}: its folder does not exist").format(output=output))
    with tempfile.TemporaryDirectory() as tmp:
        figures = None
        if with_figures:
            figures = Path(tmp) if fmt != "md" else output.with_name(output.stem + "-figures")
            figures.mkdir(exist_ok=True)
            for old in figures.glob("figure-*.png"):
                old.unlink()
        doc = build_report(p, core, categories, n_quotes, attributes, figures)
        part = output.with_name(f".{output.name}.part")
        if fmt == "md":
            part.write_text(to_markdown(doc, base=output.parent), encoding="utf-8")
        elif fmt == "html":
            part.write_text(to_html(doc), encoding="utf-8")
        else:
            write_docx(doc, part)
        part.replace(output)
    return doc


__all__ = ["FORMATS", "RULE", "build_report", "quote_block", "rule", "slot_name", "write_report"]
