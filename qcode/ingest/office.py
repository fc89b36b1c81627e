"""OpenDocument text (.odt), Rich Text (.rtf) and web pages (.html): text only, one paragraph
per line, headings kept as paragraphs of their own, table rows as tab-separated lines.

ODT's ``content.xml`` and HTML are parsed with lxml with entity resolution and network access
off; the zip archive is checked before anything is read (member count, sizes, ratio). RTF goes
through striprtf, in the code page the file declares (``\\ansicpg936`` for Chinese Word files).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError
from qcode.i18n import _

MAX_MEMBER = 200 * 2**20
MAX_RATIO = 200
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _parser(html: bool = False) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    if html:
        return lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    return etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, load_dtd=False
    )


def _member(path: Path, data: bytes, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if len(z.infolist()) > 10000:
                raise InputFileError(path, _("holds too many files to be a document"))
            try:
                info = z.getinfo(name)
            except KeyError:
                raise InputFileError(
                    path, _("is not an OpenDocument text (no {name})").format(name=name)
                ) from None
            if info.file_size > MAX_MEMBER or info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise InputFileError(
                    path, _("{name} unpacks too large to be read safely").format(name=name)
                )
            with z.open(info) as f:
                return f.read(MAX_MEMBER + 1)
    except InputFileError:
        raise
    except Exception as exc:  # zipfile raises several types for damaged or oddly packed files
        raise InputFileError(
            path, _("is not a readable OpenDocument file ({exc})").format(exc=exc)
        ) from None


def _odt_inline(el: Any, out: list[str]) -> None:
    """Text of an element, with text:s, text:tab and text:line-break expanded; notes left out."""
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{_TEXT}}}s":
            out.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif tag == f"{{{_TEXT}}}tab":
            out.append("\t")
        elif tag == f"{{{_TEXT}}}line-break":
            out.append("\n")
        elif tag not in (f"{{{_TEXT}}}note", f"{{{_OFFICE}}}annotation"):
            _odt_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odt_blocks(el: Any, lines: list[str]) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
            parts: list[str] = []
            _odt_inline(child, parts)
            lines.append("".join(parts))
        elif tag == f"{{{_TABLE}}}table-row":
            cells = []
            for cell in child:
                parts = []
                for p in cell.iter(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
                    _odt_inline(p, parts)
                    parts.append(" ")
                cells.append(" ".join("".join(parts).split()))
            lines.append("\t".join(cells).rstrip("\t"))
        elif tag not in (
            f"{{{_TEXT}}}note",
            f"{{{_OFFICE}}}annotation",
            f"{{{_TEXT}}}tracked-changes",
        ):
            _odt_blocks(child, lines)


def odt_text(path: Path, data: bytes) -> str:
    from lxml import etree

    content = _member(path, data, "content.xml")
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise InputFileError(path, _("has a damaged content.xml ({exc})").format(exc=exc)) from None
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise InputFileError(path, _("is not an OpenDocument text (no office:text body)"))
    lines: list[str] = []
    _odt_blocks(body, lines)
    return "\n".join(lines)


_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of an RTF file and the code page its 8-bit escapes were read in."""
    import codecs

    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputFileError(path, _("is not an RTF file (no {\\rtf header)"))
    m = _CODEPAGE.search(data[:4096])
    encoding = f"cp{m.group(1).decode()}" if m else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises plain exceptions on broken groups
        raise InputFileError(
            path, _("is a damaged RTF file ({v1})").format(v1=type(exc).__name__)
        ) from None
    return text, encoding


_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "hr",
    "figcaption",
    "caption",
    "address",
    "main",
    "aside",
    "nav",
    "title",
}


def html_text(path: Path, data: bytes, text: str) -> str:
    """Visible text of a web page: one line per block (headings included), cells joined by
    tabs; scripts, styles and the head's metadata dropped."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(text, parser=_parser(html=True))
    except (etree.ParserError, ValueError) as exc:
        raise InputFileError(path, _("is not readable HTML ({exc})").format(exc=exc)) from None
    for bad in root.xpath("//script|//style|//noscript|//template|//head/*[not(self::title)]"):
        bad.drop_tree()
    out: list[str] = []
    brk, tab = "\x00", "\x01"

    def flow(text: str | None, pre: bool) -> str:
        if not text:
            return ""
        return text.replace("\n", brk) if pre else _WS.sub(" ", text)

    def walk(el: Any, pre: bool = False) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        pre = pre or tag == "pre"
        block = tag in _BLOCK
        if block:
            out.append(brk)
        out.append(flow(el.text, pre))
        for child in el:
            walk(child, pre)
            if isinstance(child.tag, str) and child.tag.lower() in ("td", "th"):
                out.append(tab)
            out.append(flow(child.tail, pre))
        if block:
            out.append(brk)

    walk(root)
    found = []
    for line in "".join(out).split(brk):
        cells = [_WS.sub(" ", c).strip(" ") for c in line.split(tab)]
        text = "\t".join(cells).strip("\t").strip(" ")
        if text:
            found.append(text)
    return "\n".join(found)


_WS = re.compile(r"[ \t\r\n\f]+")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def html_declared_encoding(data: bytes) -> str | None:
    m = _META.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None
