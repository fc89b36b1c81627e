"""A grid of text to a file a person reads: Excel (wrapped text, frozen header row and first
column, attributes as typed cells), Word (a landscape table), Markdown and CSV.

A grid is a header and rows; the first ``fixed`` columns label the row (its name and its
attributes), the rest hold text. ``types`` gives the attribute columns' types (text, number,
date, boolean) so that Excel holds numbers as numbers and dates as dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from qcode.interchange.refi import xml_safe

TEXT_WIDTH = 45  # characters: the width of a text column in Excel


def _clean(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


def _typed(value: Any, type_: str | None) -> Any:
    if value is None:
        return None
    if type_ == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_xlsx(
    path: Path,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fixed: int = 1,
    types: Mapping[str, str] | None = None,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    types = types or {}
    wb = Workbook()
    ws: Any = wb.active
    ws.title = xml_safe(title)[:31] or "matrix"
    ws.append([_clean(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = [_typed(v, types.get(header[i])) for i, v in enumerate(row)]
        ws.append([_clean(v) for v in values])
        for i, cell in enumerate(ws[ws.max_row]):
            if cell.data_type == "f":  # text that starts with '=' stays text
                cell.data_type = "s"
            cell.alignment = wrap
            if isinstance(values[i], date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=2, column=fixed + 1).coordinate
    for i, name in enumerate(header, 1):
        if i <= fixed:
            longest = max([len(str(name))] + [len(str(r[i - 1] or "")) for r in rows])
            width = min(max(longest, 8), 30) + 2
        else:
            width = TEXT_WIDTH
        ws.column_dimensions[get_column_letter(i)].width = width
    wb.save(str(path))


def _shown(value: Any) -> str:
    """A value as a reader of a Word table reads it: yes/no, ISO dates, nothing for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return xml_safe(value.isoformat() if isinstance(value, date) else str(value))


def write_docx(
    path: Path,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    note: str = "",
    markdown: Collection[tuple[int, int]] = (),
) -> None:
    """A landscape Word table under ``title``; the cells (row, column) in ``markdown`` hold
    Markdown, whose bold and italic are kept."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    from qcode.interchange.document import add_markdown_runs

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.core_properties.title = xml_safe(title)
    doc.add_heading(xml_safe(title), level=1)
    if note:
        doc.add_paragraph(xml_safe(note))
    table = doc.add_table(rows=1, cols=len(header), style="Table Grid")
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(xml_safe(str(label))).bold = True
    # the header row repeats on every page
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    tr_pr.append(mark)
    for r, row in enumerate(rows):
        for i, (cell, value) in enumerate(zip(table.add_row().cells, row, strict=True)):
            if (r, i) in markdown and isinstance(value, str):
                add_markdown_runs(cell.paragraphs[0], value)
            else:
                cell.text = _shown(value)
    for r in table.rows:
        for cell in r.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    doc.save(str(path))


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def to_markdown(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(_md_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


__all__ = ["to_csv", "to_markdown", "write_docx", "write_xlsx"]
