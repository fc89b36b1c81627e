"""Coded segments out, one row per coding: CSV (RFC 4180) for R, SPSS and pandas, Excel with
typed cells, and Markdown to read and quote. Pure writers over plain rows; which codings are
exported is decided by ``qcode.services.segments``.

Columns: the fixed ones below, with one column per case attribute (``case_<name>``) and per
document attribute (``doc_<name>``) between ``memo`` and ``created_utc``. No fixed column starts
with either prefix, and attribute names are unique within a scope, so names never collide.
``start``/``end`` are code points into the stored text, half-open; ``text`` is exactly
``text[start:end]``.

Every file is written beside its target and moved over it only when complete, so a failure
leaves the old file (or none), never half a file.
"""

from __future__ import annotations

import csv
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError, InvalidInputError
from qcode.i18n import _

FORMATS: dict[str, tuple[str, ...]] = {"csv": (".csv",), "xlsx": (".xlsx",), "md": (".md",)}
GROUPS = ("code", "document")
CASE_PREFIX = "case_"
DOC_PREFIX = "doc_"
LEAD_COLUMNS = (
    "document",
    "case",
    "code",
    "category",
    "code_level",
    "coder",
    "start",
    "end",
    "speaker",
    "text",
    "memo",
    "page",
)
TRAIL_COLUMNS = ("created_utc", "coding_id", "coding_guid", "code_guid", "document_guid")
MEMO_SEPARATOR = "\n---\n"
EXCEL_CELL_MAX = 32_767  # characters (UTF-16 units) in one Excel cell
EXCEL_ROWS_MAX = 1_048_576


@dataclass(frozen=True)
class MemoNote:
    title: str
    body: str


@dataclass(frozen=True)
class SegmentRow:
    """One coding with what a researcher needs beside it. ``category`` is the nearest axial
    code at or above ``code``; ``speaker`` that of the turn the coding starts in."""

    document: str
    case: str | None
    code: str
    category: str | None
    code_level: str
    coder: str
    start: int
    end: int
    speaker: str | None
    text: str
    memos: tuple[MemoNote, ...]
    created: datetime  # UTC
    coding_id: int
    coding_guid: str
    code_guid: str
    document_guid: str
    case_attributes: Mapping[str, Any] = field(default_factory=dict)
    doc_attributes: Mapping[str, Any] = field(default_factory=dict)
    page: int | None = None  # the page the coding starts on (paged sources)


@dataclass
class SegmentTable:
    """Rows in export order, and the attribute names that get a column (all defined ones)."""

    case_attributes: list[str]
    doc_attributes: list[str]
    rows: list[SegmentRow]

    @property
    def header(self) -> list[str]:
        return [
            *LEAD_COLUMNS,
            *(CASE_PREFIX + a for a in self.case_attributes),
            *(DOC_PREFIX + a for a in self.doc_attributes),
            *TRAIL_COLUMNS,
        ]

    def records(self) -> Iterator[list[Any]]:
        """Each row's values in header order, typed (int, float, bool, date, datetime, str or
        None)."""
        for r in self.rows:
            yield [
                r.document,
                r.case,
                r.code,
                r.category,
                r.code_level,
                r.coder,
                r.start,
                r.end,
                r.speaker,
                r.text,
                memo_text(r.memos) or None,
                r.page,
                *(r.case_attributes.get(a) for a in self.case_attributes),
                *(r.doc_attributes.get(a) for a in self.doc_attributes),
                r.created,
                r.coding_id,
                r.coding_guid,
                r.code_guid,
                r.document_guid,
            ]


def memo_text(memos: tuple[MemoNote, ...]) -> str:
    """A coding's memos in one cell: "title: body" each, separated by a line "---"."""
    return MEMO_SEPARATOR.join(f"{m.title}: {m.body}" if m.body.strip() else m.title for m in memos)


def check_target(path: Path, fmt: str | None) -> str:
    """The format to write ``path`` in (``fmt``, or told by the extension); refuses an unknown
    format, an extension that does not match it, and a place that cannot be written."""
    suffix = path.suffix.lower()
    if fmt is None:
        found = [f for f, suffixes in FORMATS.items() if suffix in suffixes]
        if not found:
            raise InputFileError(path, _("give --format csv, xlsx or md, or end the name in one"))
        fmt = found[0]
    elif fmt.lower() not in FORMATS:
        raise InvalidInputError(_("unknown format {fmt!r} (csv, xlsx or md)").format(fmt=fmt))
    fmt = fmt.lower()
    if suffix not in FORMATS[fmt]:
        raise InputFileError(
            path, _("a {fmt} file must end in {v1}").format(fmt=fmt, v1=FORMATS[fmt][0])
        )
    if path.is_dir():
        raise InputFileError(path, _("is a folder"))
    if not path.parent.is_dir():
        raise InputFileError(path, _("folder {v1!r} does not exist").format(v1=str(path.parent)))
    return fmt


def write_segments(
    path: Path,
    table: SegmentTable,
    fmt: str | None = None,
    group_by: str = "code",
    bom: bool = False,
    title: str = "Coded segments",
) -> None:
    """Write ``table`` to ``path`` atomically as csv (``bom`` for Excel), xlsx or md (grouped
    by ``code`` or ``document``)."""
    fmt = check_target(path, fmt)
    if group_by not in GROUPS:
        raise InvalidInputError(
            _("cannot group by {group_by!r} (code or document)").format(group_by=group_by)
        )
    writers: dict[str, Callable[[Path], None]] = {
        "csv": lambda tmp: write_csv(tmp, table, bom),
        "xlsx": lambda tmp: write_xlsx(tmp, table),
        "md": lambda tmp: write_md(tmp, table, group_by, title),
    }
    with _replacing(path) as tmp:
        writers[fmt](tmp)


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved over it (after fsync) if the block succeeds and
    removed in any case."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputFileError(
            path, _("cannot write it ({v1})").format(v1=exc.strerror or exc)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


# -- CSV ------------------------------------------------------------------------------------------
def _plain(value: Any) -> str:
    """A value as CSV and Markdown show it: ISO dates, UTC times with Z, true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, table: SegmentTable, bom: bool = False) -> None:
    """RFC 4180: comma, CRLF between records, fields quoted when they hold a comma, quote or line
    break (line breaks inside text stay LF, inside the quotes). UTF-8; with ``bom`` a
    byte-order mark first, which Excel needs to read UTF-8 but base R and pandas then keep in
    the first column's name."""
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        w = csv.writer(f, dialect="excel")
        w.writerow(table.header)
        w.writerows([_plain(v) for v in rec] for rec in table.records())


# -- Excel ----------------------------------------------------------------------------------------
# XML cannot hold most C0 controls; OOXML writes them, and an underscore that would read as such an
# escape, as _xHHHH_, which Excel turns back into the character.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _excel_text(value: str, row: SegmentRow | None, column: str) -> str:
    escaped = _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    units = len(escaped.encode("utf-16-le")) // 2
    if units > EXCEL_CELL_MAX:
        where = f"{row.document!r} [{row.start}, {row.end})" if row else "the header row"
        raise InvalidInputError(
            _(
                "{where}: the {column} is {units:,} characters; an Excel cell "
                "holds at most {EXCEL_CELL_MAX:,} (export csv or md instead)"
            ).format(where=where, column=column, units=units, EXCEL_CELL_MAX=EXCEL_CELL_MAX)
        )
    return escaped


def _width(column: str, values: list[Any]) -> float:
    if column in ("text", "memo"):
        return 80
    longest = max((len(line) for v in values for line in _plain(v).split("\n")), default=0)
    return min(max(len(column) + 2, longest) + 2, 50)  # the header's filter button


def write_xlsx(path: Path, table: SegmentTable) -> None:
    """One sheet "segments": bold frozen header with filters, typed cells (numbers, dates,
    booleans), every string a string (never a formula or an error value), text and memo
    wrapped."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if len(table.rows) >= EXCEL_ROWS_MAX:
        raise InvalidInputError(
            _(
                "{n:,} segments do not fit in an Excel sheet ({v1:,} rows); "
                "export csv instead, or filter"
            ).format(n=len(table.rows), v1=EXCEL_ROWS_MAX - 1)
        )
    header = table.header
    records = [  # checked before the workbook is begun
        [
            _excel_text(v, row, column) if isinstance(v, str) else v
            for v, column in zip(rec, header, strict=True)
        ]
        for row, rec in zip(table.rows, table.records(), strict=True)
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("segments")
    for i, column in enumerate(header):
        ws.column_dimensions[get_column_letter(i + 1)].width = _width(
            column, [rec[i] for rec in records[:200]]
        )
    ws.freeze_panes = "A2"
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)

    def cell(value: Any, column: str) -> Cell:
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # "=..." would be a formula, "#N/A" an error
        c.alignment = wrapped if column in ("text", "memo") else top
        return c

    bold = Font(bold=True)
    heads = [cell(_excel_text(column, None, "column name"), column) for column in header]
    for c in heads:
        c.font = bold
    ws.append(heads)
    for rec in records:
        ws.append([cell(v, column) for v, column in zip(rec, header, strict=True)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(records) + 1}"
    wb.save(path)


# -- Markdown -------------------------------------------------------------------------------------
_INLINE = re.compile(r"([\\`*_\[\]<>#|~])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-*`~]|\d+[.)])")


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _quote(text: str) -> list[str]:
    """A block quote, each line of the text a paragraph of it (so transcript lines stay lines),
    with a leading list, heading or quote marker escaped so it stays text."""
    lines = [_BLOCK_START.sub(r"\1\\\2", ln) for ln in text.split("\n") if ln.strip()]
    return ("\n>\n".join(f"> {ln}" for ln in lines) or ">").split("\n")


def render_md(table: SegmentTable, group_by: str = "code", title: str = "Coded segments") -> str:
    """Sections per code (or per document, with its case and attributes), each segment a quote
    under a line saying where it is from, its memos as a list below."""
    n = len(table.rows)
    out = [f"# {_inline(title)}", "", f"{n} segment{'' if n == 1 else 's'}, by {group_by}.", ""]
    groups: dict[str, list[SegmentRow]] = {}
    for r in table.rows:
        groups.setdefault(r.code if group_by == "code" else r.document, []).append(r)
    for key in sorted(groups) if group_by == "code" else groups:
        rows = groups[key]
        out += [f"## {_inline(key)}", ""]
        if group_by == "document":
            first = rows[0]
            about = [f"case {first.case}"] if first.case else []
            for names, values in (
                (table.case_attributes, first.case_attributes),
                (table.doc_attributes, first.doc_attributes),
            ):
                about += [f"{a}: {_plain(values[a])}" for a in names if values.get(a) is not None]
            if about:
                out += [_inline(" · ".join(about)), ""]
        out += [f"{len(rows)} segment{'' if len(rows) == 1 else 's'}", ""]
        for r in rows:
            source = r.document if group_by == "code" else r.code
            where = [f"**{_inline(source)}** [{r.start}, {r.end})"]
            if r.page is not None:
                where.append(f"p. {r.page}")
            if group_by == "code" and r.case:
                where.append(f"case {_inline(r.case)}")
            where.append(_inline(r.coder))
            if r.speaker:
                where.append(f"speaker {_inline(r.speaker)}")
            out += [" · ".join(where), "", *_quote(r.text), ""]
            for m in r.memos:
                body = m.body.strip().replace("\n", "\n  ")
                out.append(f"- Memo **{_inline(m.title)}**" + (f": {body}" if body else ""))
            if r.memos:
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_md(
    path: Path, table: SegmentTable, group_by: str = "code", title: str = "Coded segments"
) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(render_md(table, group_by, title))
