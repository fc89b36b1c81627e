"""Word documents: body paragraphs and tables in document order, one paragraph per line.

A table row becomes one line with its cells separated by tabs. Empty paragraphs stay as empty lines,
so the paragraph structure of the document is kept.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError
from qcode.i18n import _

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path, data: bytes) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document: Any = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputFileError(
            path, _("is not a readable Word document ({exc})").format(exc=exc)
        ) from None
    except Exception as exc:  # python-docx raises several of its own types for bad packages
        raise InputFileError(
            path, _("is not a readable Word document ({exc})").format(exc=exc)
        ) from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == _W + "p":
            lines.append(Paragraph(child, document).text)
        elif child.tag == _W + "tbl":
            for row in Table(child, document).rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines)
