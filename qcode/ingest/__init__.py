"""Readers that turn a source file into normalised text.

``read_document(path)`` reads ``.txt``, ``.md``, ``.docx``, ``.odt``, ``.rtf``, ``.html``,
``.vtt``, ``.srt`` and ``.pdf`` files; spreadsheets (``.csv``, ``.xlsx``) are read as tables by
:mod:`qcode.ingest.sheet`. Every failure is an :class:`~qcode.errors.InputFileError` naming the
file and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.text import normalize
from qcode.text.encoding import decode

TEXT_FORMATS = (".txt", ".md", ".docx", ".odt", ".rtf", ".html", ".htm", ".vtt", ".srt", ".pdf")
SHEETS = (".csv", ".xlsx")
SUPPORTED = TEXT_FORMATS + SHEETS
MAX_BYTES = 200 * 1024 * 1024
PAGE_BREAK = "\n\n"


@dataclass(frozen=True)
class Loaded:
    text: str
    source: bytes
    format: str
    encoding: str | None
    speakers: tuple[str, ...] = ()  # names known to be speakers (WebVTT voices)
    pages: tuple[tuple[int, int], ...] = ()  # [start, end) of each page (PDF)
    notes: tuple[str, ...] = ()  # what the reader did that the researcher should know


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputFileError(path, _("no such file"))
    if path.is_dir():
        raise InputFileError(path, _("is a directory, not a file"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(path, _("is larger than {v1} MB").format(v1=MAX_BYTES // 2**20))
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            path, _("cannot be read ({strerror})").format(strerror=exc.strerror)
        ) from exc


def read_document(path: str | Path, encoding: str | None = None) -> Loaded:
    """Read one source; the text is normalised and not empty."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SHEETS and path.is_file():
        raise InputFileError(
            path, _("is a spreadsheet: name the columns to import with --text-columns")
        )
    if suffix not in TEXT_FORMATS:
        if not path.exists():
            raise InputFileError(path, _("no such file"))
        kinds = ", ".join(SUPPORTED)
        raise InputFileError(
            path,
            _("unsupported file type {v1!r} ({kinds})").format(v1=suffix or "(none)", kinds=kinds),
        )
    data = read_bytes(path)
    fmt = "html" if suffix == ".htm" else suffix[1:]
    used: str | None = None
    voices: list[str] = []
    notes: list[str] = []
    if fmt == "pdf":
        return _pdf(path, data)
    if fmt == "docx":
        from qcode.ingest.docx import docx_text

        raw = docx_text(path, data)
    elif fmt == "odt":
        from qcode.ingest.office import odt_text

        raw = odt_text(path, data)
    elif fmt == "rtf":
        from qcode.ingest.office import rtf_text

        raw, used = rtf_text(path, data)
    elif fmt == "html":
        from qcode.ingest.office import html_declared_encoding, html_text

        declared = encoding or html_declared_encoding(data)
        try:
            decoded, used = decode(path, data, declared)
        except InputFileError:
            decoded, used = decode(path, data, encoding)
        raw = html_text(path, data, decoded)
    else:
        raw, used = decode(path, data, encoding)
        if fmt in ("vtt", "srt"):
            from qcode.ingest.subtitles import subtitle_text

            raw, voices = subtitle_text(normalize(raw), fmt)
    text = normalize(raw)
    if not text.strip():
        raise InputFileError(path, _("is empty"))
    return Loaded(text, data, fmt, used, tuple(normalize(v) for v in voices), (), tuple(notes))


def _pdf(path: Path, data: bytes) -> Loaded:
    from qcode.ingest.pdf import pdf_text

    got = pdf_text(path, data)
    pages = [normalize(p) for p in got.pages]
    spans = []
    pos = 0
    for p in pages:
        spans.append((pos, pos + len(p)))
        pos += len(p) + len(PAGE_BREAK)
    text = PAGE_BREAK.join(pages)
    if normalize(text) != text:  # a page opening with a combining mark: keep the contract
        text = normalize(text)
        spans = []
    if not text.strip():
        raise InputFileError(path, _("has no text layer; it needs OCR first (e.g. ocrmypdf)"))
    return Loaded(text, data, "pdf", None, (), tuple(spans), tuple(got.notes))


__all__ = ["SHEETS", "SUPPORTED", "TEXT_FORMATS", "Loaded", "read_bytes", "read_document"]
