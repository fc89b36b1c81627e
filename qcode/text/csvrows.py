"""CSV files from outside, read strictly: decoded as detected, every problem reported with its
line number (an unclosed quote, a row wider or narrower than the header, a repeated column)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.text.encoding import read_text_file

Rows = list[tuple[int, dict[str, str]]]


def read_rows(path: Path, encoding: str | None = None) -> tuple[list[str], Rows]:
    """The header (as written) and each row with the line it starts on, cells by header name.
    Refused with the line number: an unterminated quote, a row wider or narrower than the
    header, a repeated or empty column name."""
    text = read_text_file(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputFileError(path, _("is empty: a CSV file needs a header line"))
        names = [h.strip() for h in header]
        seen: set[str] = set()
        for i, h in enumerate(names, 1):
            if not h and any(names[i:]):
                raise InputFileError(path, _("line 1: column {i} has no name").format(i=i))
            if h.lower() in seen:
                raise InputFileError(path, _("line 1: column {h!r} appears twice").format(h=h))
            seen.add(h.lower())
        while names and not names[-1]:
            names.pop()
        rows: Rows = []
        start = reader.line_num + 1
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            extra = [c for c in cells[len(names) :] if c.strip()]
            if extra:
                raise InputFileError(
                    path,
                    _("line {line}: {n} cells where the header has {n2}").format(
                        line=line, n=len(cells), n2=len(names)
                    ),
                )
            if len(cells) < len(names):
                raise InputFileError(
                    path,
                    _("line {line}: {n} cells where the header has {n2}").format(
                        line=line, n=len(cells), n2=len(names)
                    ),
                )
            rows.append((line, dict(zip(names, cells, strict=False))))
    except csv.Error as exc:
        where = reader.line_num
        if "eof" in str(exc).lower() or "end of data" in str(exc).lower():
            raise InputFileError(
                path,
                _("line {start}: a quoted cell is never closed (CSV ends inside it)").format(
                    start=start
                ),
            ) from None
        raise InputFileError(
            path, _("line {where}: cannot be parsed as CSV ({exc})").format(where=where, exc=exc)
        ) from None
    return names, rows
