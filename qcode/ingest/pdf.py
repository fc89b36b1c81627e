"""PDF text layers (pdfminer.six): pages in reading order, paragraphs from text boxes, words
hyphenated across lines joined, running headers and footers dropped (and reported).

pdfminer.six reads CID fonts through the CMaps it ships (Adobe-GB1, -CNS1, -Japan1, -Korea1,
the ``UniGB-UCS2-H`` family that Chinese government PDFs use without embedded fonts) and
``ToUnicode`` maps, and its layout analysis groups characters into lines and text boxes and
orders the boxes, so a two-column page reads column by column. No OCR: a PDF without a text
layer is refused.

- A text box becomes one paragraph (one line of the stored text). Its lines are joined with a
  space, or with nothing around Han characters; a line ending in a hyphen after a letter and
  followed by a lower-case letter is joined without the hyphen ("infor-" + "mation").
- A line standing alone in the top or bottom eighth of the page that opens or closes at least
  half the pages (three pages at least) with the same text, digits aside ("Page 3", "— 3 —", a
  journal's running title), is a running header or footer: it is dropped from every page it is
  on and named in the import report.
- Pages are separated by a blank line; each page's range is kept as a ``page`` unit.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from qcode.errors import InputFileError
from qcode.i18n import _, ngettext

_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303f\uff00-\uffef]")
_CID = regex.compile(r"\(cid:\d+\)")
_DIGITS = regex.compile(r"\d+")
_SPACE = regex.compile(r"[ \t\u00a0]+")


@dataclass
class PdfText:
    pages: list[str]
    notes: list[str] = field(default_factory=list)


def _box_lines(box: Any) -> list[str]:
    from pdfminer.layout import LTTextLine

    lines = []
    for line in box:
        if isinstance(line, LTTextLine):
            text = _SPACE.sub(" ", line.get_text().replace("\n", " ")).strip()
            if text:
                lines.append(text)
    return lines


def join_lines(lines: list[str]) -> str:
    """One paragraph from the lines of a text box (hyphenation and CJK aware)."""
    out = ""
    for line in lines:
        if not out:
            out = line
            continue
        prev, nxt = out[-1], line[0]
        if prev in "-\u00ad" and len(out) > 1 and out[-2].isalpha() and nxt.islower():
            out = out[:-1] + line
        elif _HAN.match(prev) or _HAN.match(nxt):
            out += line
        else:
            out += " " + line
    return out.replace("\u00ad", "")


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


@dataclass
class _Box:
    lines: list[str]
    top: float  # distance from the page's top edge, as a share of its height
    bottom: float  # distance from the page's bottom edge, as a share of its height


MARGIN = 0.12  # running headers and footers sit within this share of the page's height


def _drop_running(pages: list[list[_Box]]) -> list[str]:
    """Remove running headers and footers: the first (last) line of a box in the top (bottom)
    margin that recurs, digits aside, on at least half the pages (three at least)."""
    notes: list[str] = []
    if len(pages) < 3:
        return notes
    need = max(3, (len(pages) + 1) // 2)
    for where in ("header", "footer"):
        for _i in range(2):  # a running title and a page number may stack
            ends: list[tuple[_Box, str] | None] = []
            for boxes in pages:
                if not boxes:
                    ends.append(None)
                    continue
                box = boxes[0] if where == "header" else boxes[-1]
                if (box.top if where == "header" else box.bottom) > MARGIN or len(box.lines) > 1:
                    ends.append(None)  # a running line sits alone in the margin
                    continue
                ends.append((box, _key(box.lines[0] if where == "header" else box.lines[-1])))
            counts = Counter(e[1] for e in ends if e)
            if not counts:
                break
            key, n = counts.most_common(1)[0]
            if n < need:
                break
            example = ""
            for boxes, end in zip(pages, ends, strict=True):
                if end is None or end[1] != key:
                    continue
                box = end[0]
                line = box.lines.pop(0 if where == "header" else -1)
                example = example or line
                if not box.lines:
                    boxes.remove(box)
            dropped = (
                _("dropped a running header ({example!r}) from {n} of {total} pages")
                if where == "header"
                else _("dropped a running footer ({example!r}) from {n} of {total} pages")
            )
            notes.append(dropped.format(example=example, n=n, total=len(pages)))
    return notes


def _page_text(boxes: list[_Box]) -> str:
    paras: list[str] = []
    for box in boxes:
        para = join_lines(box.lines)
        prev = paras[-1] if paras else ""
        if len(prev) > 1 and prev[-1] == "-" and prev[-2].isalpha() and para[:1].islower():
            paras[-1] = prev[:-1] + para  # a word hyphenated across two boxes (or columns)
            continue
        paras.append(para)
    return "\n".join(unicodedata.normalize("NFC", p) for p in paras)


def pdf_text(path: Path, data: bytes) -> PdfText:
    """The text of each page; :class:`InputFileError` for an encrypted, damaged or image-only
    PDF."""
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages: list[list[_Box]] = []
    try:
        from pdfminer.high_level import extract_pages

        for layout in extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=0.8)):
            height = (layout.y1 - layout.y0) or 1.0
            boxes = []
            for element in layout:
                if isinstance(element, LTTextContainer):
                    lines = _box_lines(element)
                    if lines:
                        top = (layout.y1 - element.y1) / height
                        bottom = (element.y0 - layout.y0) / height
                        boxes.append(_Box(lines, top, bottom))
            pages.append(boxes)
    except PDFPasswordIncorrect:
        raise InputFileError(path, _("is an encrypted PDF that needs a password")) from None
    except PDFEncryptionError as exc:
        raise InputFileError(
            path, _("is an encrypted PDF that cannot be read ({exc})").format(exc=exc)
        ) from None
    except (PDFSyntaxError, PSException) as exc:
        raise InputFileError(path, _("is not a readable PDF ({exc})").format(exc=exc)) from None
    except Exception as exc:  # pdfminer raises many types (KeyError, TypeError ...) on damage
        kind = type(exc).__name__
        raise InputFileError(
            path, _("is a damaged PDF that cannot be read ({kind})").format(kind=kind)
        ) from None
    if not pages:
        raise InputFileError(path, _("is not a readable PDF (no pages)"))
    lines = [line for boxes in pages for box in boxes for line in box.lines]
    chars = sum(len(line) for line in lines)
    cids = sum(len(m) for line in lines for m in _CID.findall(line))
    if chars == 0:
        raise InputFileError(
            path, _("has no text layer (scanned pages?); it needs OCR first (e.g. ocrmypdf)")
        )
    if cids > 0.5 * chars:
        raise InputFileError(
            path,
            _(
                "has fonts that map no characters to Unicode, so its text cannot "
                "be read; it needs OCR first (e.g. ocrmypdf)"
            ),
        )
    notes = _drop_running(pages)
    texts = [_page_text(boxes) for boxes in pages]
    if cids:
        notes.append(
            ngettext(
                "{n} character in a font without a Unicode map was left as (cid:N)",
                "{n} characters in fonts without a Unicode map were left as (cid:N)",
                cids,
            ).format(n=cids)
        )
    return PdfText(texts, notes)
