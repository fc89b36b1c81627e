"""A document as a list of blocks (headings, paragraphs, Markdown, tables, quotes, figures),
written as Markdown, one self-contained HTML file, or Word with real styles (Title, Heading 1-3,
Caption, Quote, a table-of-contents field) so that it drops into a thesis.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qcode.i18n import _, current, pgettext
from qcode.interchange.refi import xml_safe


@dataclass
class Heading:
    level: int  # 0: the title
    text: str


@dataclass
class Para:
    text: str
    italic: bool = False


@dataclass
class Markdown:
    """A researcher's own Markdown (a memo, a summary): its headings kept below ``floor``."""

    text: str
    floor: int = 3


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Any]]


@dataclass
class QuoteBlock:
    text: str
    source: str  # speaker, case, attributes
    reference: str  # document, offsets, coding GUID
    guid: str = ""


@dataclass
class Figure:
    path: Path
    caption: str


@dataclass
class Toc:
    pass


Block = Heading | Para | Markdown | Table | QuoteBlock | Figure | Toc


@dataclass
class Doc:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def _shift(md: str, floor: int) -> str:
    """Markdown with its headings pushed down to start at level ``floor + 1``."""
    return re.sub(r"(?m)^(#{1,6})(?=\s)", lambda m: "#" * min(6, len(m.group(1)) + floor), md)


def _md_cell(v: Any) -> str:
    return ("" if v is None else str(v)).replace("|", "\\|").replace("\n", "<br>")


def _anchor(text: str, used: dict[str, int]) -> str:
    base = re.sub(r"[^\w]+", "-", text.casefold()).strip("-") or "section"
    n = used.get(base, 0)
    used[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


# -- Markdown ---------------------------------------------------------------------------------
def _enclosed(reference: str) -> str:
    """A quote's reference in brackets after its source: full-width ones in Chinese."""
    return _(" ({reference})").format(reference=reference)


def to_markdown(doc: Doc, figures: Path | None = None, base: Path | None = None) -> str:
    """The document in Markdown; figures are linked relative to ``base`` (the file's folder)."""
    out: list[str] = []
    headings = [b for b in doc.blocks if isinstance(b, Heading) and 1 <= b.level <= 2]
    used: dict[str, int] = {}
    anchors = [_anchor(h.text, used) for h in headings]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["#" * (b.level + 1) + " " + b.text, ""]
        elif isinstance(b, Toc):
            out += ["## " + _("Contents"), ""]
            out += [
                f"- [{h.text}](#{a})"
                for h, a in zip(headings, anchors, strict=True)
                if h.level == 1  # the chapters; their sections repeat from one to the next
            ]
            out.append("")
        elif isinstance(b, Para):
            out += [f"*{b.text}*" if b.italic else b.text, ""]
        elif isinstance(b, Markdown):
            out += [_shift(b.text.strip(), b.floor + 1), ""]
        elif isinstance(b, Table):
            out += [f"**{b.caption}**", ""]
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "|".join("---" for _ in b.header) + "|")
            out += ["| " + " | ".join(_md_cell(v) for v in r) + " |" for r in b.rows]
            out.append("")
        elif isinstance(b, QuoteBlock):
            out += ["> " + ln for ln in b.text.splitlines() or [""]]
            out += [">", f"> — {b.source}{_enclosed(b.reference)}", ""]
        elif isinstance(b, Figure):
            rel = b.path.relative_to(base).as_posix() if base else b.path.as_posix()
            out += [f"![{b.caption}]({rel})", "", f"*{b.caption}*", ""]
    return "\n".join(out).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------
CSS = """
body{font-family:Georgia,'Noto Serif','Noto Serif CJK SC',serif;max-width:52em;margin:2em auto;
padding:0 1em;line-height:1.5;color:#222}
h1,h2,h3,h4{font-family:'Helvetica Neue',Arial,'Noto Sans CJK SC',sans-serif;line-height:1.2}
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f2f2f2}caption{caption-side:top;text-align:left;font-style:italic;padding:.3em 0}
blockquote{margin:1em 0;padding:.5em 1em;border-left:4px solid #8aa;background:#f7f9f9}
blockquote footer{font-size:.85em;color:#555;margin-top:.4em}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto}
figcaption{font-style:italic;font-size:.9em}nav.toc li{margin:.1em 0}
.memo{margin-left:1em}
"""


def _md_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def to_html(doc: Doc) -> str:
    """One self-contained HTML file: styles inline, figures embedded as data URLs."""
    e = html.escape
    headings = [b for b in doc.blocks if isinstance(b, Heading) and 1 <= b.level <= 2]
    used: dict[str, int] = {}
    ids = {id(h): _anchor(h.text, used) for h in headings}
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{current()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}</title><style>{CSS}</style></head><body>",
    ]
    for b in doc.blocks:
        if isinstance(b, Heading):
            tag = f"h{b.level + 1}"
            anchor = f' id="{ids[id(b)]}"' if id(b) in ids else ""
            out.append(f"<{tag}{anchor}>{e(b.text)}</{tag}>")
        elif isinstance(b, Toc):
            out.append(f'<nav class="toc"><h2>{e(_("Contents"))}</h2><ul>')
            for h in headings:
                if h.level == 1:  # the chapters; their sections repeat from one to the next
                    out.append(f'<li><a href="#{ids[id(h)]}">{e(h.text)}</a></li>')
            out.append("</ul></nav>")
        elif isinstance(b, Para):
            text = f"<em>{e(b.text)}</em>" if b.italic else e(b.text)
            out.append(f"<p>{text}</p>")
        elif isinstance(b, Markdown):
            out.append(f'<div class="memo">{_md_html(_shift(b.text, b.floor + 1))}</div>')
        elif isinstance(b, Table):
            out.append(f"<table><caption>{e(b.caption)}</caption><thead><tr>")
            out += [f"<th>{e(str(h))}</th>" for h in b.header]
            out.append("</tr></thead><tbody>")
            for r in b.rows:
                cells = "".join(f"<td>{e('' if v is None else str(v))}</td>" for v in r)
                out.append(f"<tr>{cells}</tr>")
            out.append("</tbody></table>")
        elif isinstance(b, QuoteBlock):
            body = "<br>".join(e(ln) for ln in b.text.splitlines())
            guid = f' data-coding="{e(b.guid)}"' if b.guid else ""
            out.append(
                f"<blockquote{guid}><p>{body}</p><footer>— {e(b.source)}"
                f"<small>{e(_enclosed(b.reference))}</small></footer></blockquote>"
            )
        elif isinstance(b, Figure):
            data = base64.b64encode(b.path.read_bytes()).decode("ascii")
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(b.caption)}">'
                f"<figcaption>{e(b.caption)}</figcaption></figure>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- Word -------------------------------------------------------------------------------------
def _field(paragraph: Any, instruction: str, shown: str, italic: bool = False) -> None:
    """A Word field in ``paragraph``: its ``instruction`` and the result ``shown`` until Word
    updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run._r.append(fld("separate"))
    paragraph.add_run(shown).italic = italic
    paragraph.add_run()._r.append(fld("end"))


def _toc_field(paragraph: Any) -> None:
    """A table-of-contents field (headings 1-3) that Word fills in when the document opens or
    its fields are updated."""
    _field(
        paragraph,
        'TOC \\o "1-3" \\h \\z \\u',
        _("Right-click and choose Update Field to show the contents."),
        italic=True,
    )


def _caption(paragraph: Any, label: str, n: int, text: str) -> None:
    """``Table 3. text``, numbered by a SEQ field as Word's own captions are, so that Word
    renumbers them and lists them in a table of figures (``label`` in the interface's language,
    as Word's Chinese captions are 表 and 图)."""
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(n))
    # what parts the number from the caption's text: ". " in English, a wide space in Chinese
    paragraph.add_run(xml_safe(pgettext("caption", ". ") + text))


def _repeat_header(table: Any) -> None:
    """The table's first row repeats at the top of every page it runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(mark)


def _docx_markdown(doc: Any, text: str, floor: int, style: dict[str, Any]) -> None:
    """A researcher's Markdown as Word paragraphs: headings, list items, bold and italic."""
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = para.strip().splitlines()
        if not lines:
            continue
        m = re.match(r"^(#{1,6})\s+(.*)", lines[0])
        if m and len(lines) == 1:
            level = min(9, floor + len(m.group(1)))
            doc.add_paragraph(xml_safe(m.group(2)), style=style[f"Heading {level}"])
            continue
        if all(re.match(r"^\s*([-*+]|\d+[.)])\s+", ln) for ln in lines):
            for ln in lines:
                bullet = re.match(r"^\s*[-*+]\s", ln)
                kind = "List Bullet" if bullet else "List Number"
                add_markdown_runs(
                    doc.add_paragraph(style=kind), re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", ln)
                )
            continue
        add_markdown_runs(doc.add_paragraph(), " ".join(ln.strip() for ln in lines))


def add_markdown_runs(p: Any, text: str) -> None:
    """``text`` into the Word paragraph ``p`` as runs, its Markdown bold and italic kept."""
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*|_[^_]+_)", text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            p.add_run(xml_safe(part[2:-2])).bold = True
        elif len(part) > 2 and part[0] == part[-1] and part[0] in "*_":
            p.add_run(xml_safe(part[1:-1])).italic = True
        else:
            p.add_run(xml_safe(part))


def write_docx(doc: Doc, path: Path) -> None:
    import docx
    from docx.shared import Cm

    d: Any = docx.Document()
    d.core_properties.title = xml_safe(doc.title)
    # looked up once: python-docx finds a style by name with a scan of every style
    names = ["Title", "Caption", "Quote", *(f"Heading {i}" for i in range(1, 10))]
    style = {n: d.styles[n] for n in names}

    def heading(text: str, level: int) -> None:
        d.add_paragraph(xml_safe(text), style=style["Title" if level == 0 else f"Heading {level}"])

    n_table = n_figure = 0
    for b in doc.blocks:
        if isinstance(b, Heading):
            heading(b.text, b.level)
        elif isinstance(b, Toc):
            heading(_("Contents"), 1)
            _toc_field(d.add_paragraph())
        elif isinstance(b, Para):
            p = d.add_paragraph()
            p.add_run(xml_safe(b.text)).italic = b.italic
        elif isinstance(b, Markdown):
            _docx_markdown(d, b.text, b.floor, style)
        elif isinstance(b, Table):
            n_table += 1
            _caption(d.add_paragraph(style=style["Caption"]), _("Table"), n_table, b.caption)
            t = d.add_table(rows=1, cols=len(b.header), style="Table Grid")
            for cell, label in zip(t.rows[0].cells, b.header, strict=True):
                cell.paragraphs[0].add_run(xml_safe(str(label))).bold = True
            _repeat_header(t)
            for r in b.rows:
                for cell, v in zip(t.add_row().cells, r, strict=True):
                    cell.text = "" if v is None else xml_safe(str(v))
        elif isinstance(b, QuoteBlock):
            d.add_paragraph(xml_safe(b.text), style=style["Quote"])
            src = d.add_paragraph(style=style["Quote"])
            src.add_run(xml_safe(f"— {b.source}")).bold = False
            src.add_run(xml_safe(_enclosed(b.reference))).italic = True
        elif isinstance(b, Figure):
            n_figure += 1
            d.add_picture(str(b.path), width=Cm(15))
            _caption(d.add_paragraph(style=style["Caption"]), _("Figure"), n_figure, b.caption)
    d.save(str(path))


def figure_files(doc: Doc) -> Sequence[Path]:
    return [b.path for b in doc.blocks if isinstance(b, Figure)]


__all__ = [
    "Doc",
    "add_markdown_runs",
    "Figure",
    "Heading",
    "Markdown",
    "Para",
    "QuoteBlock",
    "Table",
    "Toc",
    "figure_files",
    "to_html",
    "to_markdown",
    "write_docx",
]
