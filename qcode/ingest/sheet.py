"""Spreadsheets of survey answers (.csv, .xlsx) as tables of text cells.

CSV files are decoded as detected (Excel in China saves GBK) and read strictly; a workbook's first
sheet is read with openpyxl in read-only mode, dates as ISO dates, whole numbers without ``.0``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.text.csvrows import read_rows


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line or sheet row, cells by header)
    format: str


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(path: Path, encoding: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    if suffix == ".csv":
        names, lines = read_rows(path, encoding)
        return Table(names, lines, "csv")
    if suffix != ".xlsx":
        raise InputFileError(
            path, _("is not a spreadsheet (.csv or .xlsx), but {suffix!r}").format(suffix=suffix)
        )
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            path, _("is not a readable Excel workbook ({exc})").format(exc=exc)
        ) from None
    try:
        ws = wb.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        for n, values in enumerate(ws.iter_rows(values_only=True), 1):
            cells = [_cell(v).strip() if header is None else _cell(v) for v in values]
            if header is None:
                if any(cells):
                    while cells and not cells[-1]:
                        cells.pop()
                    header = cells
                    if len({h.lower() for h in header}) < len(header):
                        raise InputFileError(
                            path, _("row {n}: a column name appears twice").format(n=n)
                        )
                continue
            if any(c.strip() for c in cells):
                rows.append((n, dict(zip(header, cells, strict=False))))
    finally:
        wb.close()
    if header is None:
        raise InputFileError(path, _("is empty: its first sheet has no header row"))
    return Table(header, rows, "xlsx")
