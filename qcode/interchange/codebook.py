"""Codebook files: :class:`~qcode.interchange.model.Codebook` to Markdown, CSV, JSON, Word and
Excel, and back from CSV and JSON (REFI-QDA ``.qdc`` lives in :mod:`qcode.interchange.refi`).

Outlines (Markdown, Word) number codes by their place in the tree (1, 1.1, 1.2 ...) and show a
code kept only as the ancestor of a selected one (``CodeEntry.context``) as a bare heading; flat
formats (CSV, Excel, JSON) leave such codes out, since every row carries its full path.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from qcode import schemas
from qcode.errors import InputFileError, InvalidInputError
from qcode.i18n import _
from qcode.interchange.model import Codebook, CodeEntry, RelationEntry, SetEntry

WRITE_FORMATS = ("md", "csv", "json", "docx", "xlsx", "qdc")
READ_FORMATS = ("csv", "json", "qdc")
_EXTENSIONS = {".markdown": "md", **{f".{f}": f for f in WRITE_FORMATS}}
TEXT_FIELDS = ("description", "inclusion", "exclusion", "example")
CODE_COLUMNS = ("path", "guid", "level", *TEXT_FIELDS, "in_vivo", "color", "links")
RELATION_COLUMNS = ("source", "type", "target", "comment")
LEVEL_LABELS = {
    "open": "Open code",
    "axial": "Category (axial)",
    "selective": "Core category (selective)",
}
_NOTE_LABELS = (("inclusion", "Include"), ("exclusion", "Exclude"), ("example", "Example"))
_TRUE, _FALSE = {"true", "yes", "y", "1", "x"}, {"false", "no", "n", "0", ""}
_QUOTE_COLUMN = re.compile(r"^quote_\d+$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|]|^#)")  # '#' only where it would start a heading


def codebook_format(path: Path, fmt: str | None, allowed: Sequence[str]) -> str:
    """The format named by ``fmt``, or else by the file's extension."""
    if fmt:
        name = fmt.lower().lstrip(".")
        if name not in allowed:
            raise InvalidInputError(
                _("unknown codebook format {fmt!r} ({v1})").format(fmt=fmt, v1=", ".join(allowed))
            )
        return name
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None or found not in allowed:
        choices = ", ".join(f".{f}" for f in allowed)
        raise InputFileError(
            path,
            _("unknown codebook format {v1!r}; name the file {choices} or give the format").format(
                v1=path.suffix or "(no extension)", choices=choices
            ),
        )
    return found


# -- writing ----------------------------------------------------------------------------------
def write_codebook(cb: Codebook, path: Path, fmt: str | None = None) -> str:
    """Write ``cb`` to ``path`` in ``fmt`` (default: from the extension); returns the format."""
    fmt = codebook_format(path, fmt, WRITE_FORMATS)
    if fmt == "qdc":
        from qcode.interchange.refi import write_qdc

        write_qdc(cb, path)
        return fmt
    writers: dict[str, Callable[[Codebook, Path], None]] = {
        "md": write_markdown,
        "csv": write_csv,
        "json": write_json,
        "docx": write_docx,
        "xlsx": write_xlsx,
    }
    try:
        writers[fmt](cb, path)
    except OSError as exc:
        raise InputFileError(
            path, _("cannot be written ({v1})").format(v1=exc.strerror or exc)
        ) from None
    return fmt


def _selected(cb: Codebook) -> list[CodeEntry]:
    return [c for c in cb.codes if not c.context]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(cb: Codebook) -> str:
    """``12 codes: 8 open, 3 axial, 1 selective.``"""
    codes = _selected(cb)
    if not codes:
        return "This codebook has no codes."
    levels = [lv for lv in LEVEL_LABELS if any(c.level == lv for c in codes)]
    per = ", ".join(f"{sum(c.level == lv for c in codes)} {lv}" for lv in levels)
    return f"{_plural(len(codes), 'code')}: {per}."


def _facts(c: CodeEntry) -> list[str]:
    """The short facts of one code: level, in vivo, colour, counts."""
    out = [LEVEL_LABELS.get(c.level, c.level)]
    if c.in_vivo:
        out.append("in vivo")
    if c.color:
        out.append(f"colour {c.color}")
    if c.codings is not None:
        out.append(f"{_plural(c.codings, 'coding')} in {_plural(c.documents or 0, 'document')}")
    return out


def _notes(c: CodeEntry) -> list[tuple[str, str]]:
    """Labelled notes of one code (inclusion, exclusion, example, framework links)."""
    out = [(label, getattr(c, key)) for key, label in _NOTE_LABELS if getattr(c, key).strip()]
    if c.links:
        out.append(("Framework", "; ".join(c.links)))
    return out


@dataclass
class OutlineItem:
    number: str  # "1.2.3"
    depth: int
    name: str
    entry: CodeEntry | None  # None: an ancestor the codebook does not list


def outline(cb: Codebook) -> list[OutlineItem]:
    """The codes as a numbered tree, depth first, siblings in the codebook's order; ancestors
    missing from the codebook are filled in."""
    children: dict[str, dict[str, None]] = {}
    for c in cb.codes:
        parts = c.path.split("/")
        for i in range(1, len(parts) + 1):
            children.setdefault("/".join(parts[: i - 1]), {})["/".join(parts[:i])] = None
    entries = {c.path: c for c in cb.codes}
    out: list[OutlineItem] = []

    def walk(parent: str, prefix: str, depth: int) -> None:
        for i, path in enumerate(children.get(parent, {}), 1):
            entry = entries.get(path)
            name = path.rsplit("/", 1)[-1]
            out.append(OutlineItem(f"{prefix}{i}", depth, name, entry))
            walk(path, f"{prefix}{i}.", depth + 1)

    walk("", "", 0)
    return out


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_cell(text: str) -> str:
    return _md(" ".join(text.split()))


def to_markdown(cb: Codebook) -> str:
    """The codebook as Markdown for a paper's appendix: numbered headings by hierarchy, one entry
    per code, then relations and sets as tables and lists."""
    lines = [f"# Codebook: {_md(cb.name)}" if cb.name else "# Codebook", "", summary(cb), ""]
    if cb.codes:
        lines += ["## Codes", ""]
    for item in outline(cb):
        lines += [f"{'#' * min(3 + item.depth, 6)} {item.number} {_md(item.name)}", ""]
        c = item.entry
        if c is None or c.context:
            lines += ["*Not in this selection; listed for its sub-codes.*", ""]
            continue
        lines += [f"*{_md(' · '.join(_facts(c)))}*", ""]
        if c.description.strip():
            lines += [_md(line) for line in c.description.strip().split("\n")] + [""]
        notes = _notes(c)
        if notes:
            lines += [f"- **{label}:** {_md_cell(value)}" for label, value in notes] + [""]
        if c.quotes:
            lines += ["Examples from the data:", ""]
            for q in c.quotes:
                lines += [f"> {_md(line)}".rstrip() for line in q.split("\n")] + [""]
    if cb.relations:
        lines += [
            "## Relations",
            "",
            "| Source | Relation | Target | Comment |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {' | '.join(_md_cell(getattr(r, k)) for k in RELATION_COLUMNS)} |"
            for r in cb.relations
        ]
        lines.append("")
    if cb.sets:
        lines += ["## Sets", ""]
        for s in cb.sets:
            about = f": {_md_cell(s.description)}" if s.description.strip() else ""
            what = f"query: `{s.query}`" if s.query else _md("; ".join(s.codes))
            lines.append(f"- **{_md(s.name)}**{about} ({what})")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_markdown(cb: Codebook, path: Path) -> None:
    path.write_text(to_markdown(cb), encoding="utf-8")


def code_table(cb: Codebook) -> tuple[list[str], list[list[Any]]]:
    """The flat table of codes (CSV and the Excel 'Codes' sheet): one row per selected code,
    counts when the codebook has them, then one column per example quote."""
    codes = _selected(cb)
    counted = any(c.codings is not None for c in codes)
    n_quotes = max((len(c.quotes) for c in codes), default=0)
    header = [*CODE_COLUMNS, *(["codings", "documents"] if counted else [])]
    header += [f"quote_{i}" for i in range(1, n_quotes + 1)]
    rows = []
    for c in codes:
        row: list[Any] = [c.path, c.guid, c.level, *(getattr(c, f) for f in TEXT_FIELDS)]
        row += [c.in_vivo, c.color, "; ".join(c.links)]
        row += [c.codings, c.documents] if counted else []
        rows.append(row + c.quotes + [None] * (n_quotes - len(c.quotes)))
    return header, rows


def write_csv(cb: Codebook, path: Path) -> None:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read Chinese text correctly."""
    header, rows = code_table(cb)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(
                ["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in row]
            )


def to_json(cb: Codebook) -> dict[str, Any]:
    """The codebook as JSON data valid against ``schemas/codebook.schema.json``."""
    codes = []
    for c in _selected(cb):
        item: dict[str, Any] = {"path": c.path}
        if c.guid:
            item["guid"] = c.guid
        item |= {"level": c.level, **{f: getattr(c, f) for f in TEXT_FIELDS}}
        item["in_vivo"] = c.in_vivo
        if c.color:
            item["color"] = c.color
        item["links"] = c.links
        if c.codings is not None:
            item |= {"codings": c.codings, "documents": c.documents or 0}
        if c.quotes:
            item["quotes"] = c.quotes
        codes.append(item)
    relations = [
        {
            "source": r.source,
            "type": r.type,
            "target": r.target,
            "comment": r.comment,
            "directed": r.directed,
            **({"guid": r.guid} if r.guid else {}),
        }
        for r in cb.relations
    ]
    sets = [
        {
            "name": s.name,
            **({"guid": s.guid} if s.guid else {}),
            "description": s.description,
            "codes": s.codes,
            **({"query": s.query} if s.query else {}),
        }
        for s in cb.sets
    ]
    return {
        "format": "qcode-codebook",
        "version": 1,
        "name": cb.name,
        "codes": codes,
        "relations": relations,
        "sets": sets,
    }


def write_json(cb: Codebook, path: Path) -> None:
    path.write_text(json.dumps(to_json(cb), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _clean(value: Any) -> Any:
    """Text that XML (Word, Excel) can hold: control characters other than tab and newline
    dropped."""
    return _XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def write_docx(cb: Codebook, path: Path) -> None:
    """A Word document for an appendix: numbered headings by hierarchy, each code's facts,
    description, labelled notes and example quotes indented under it; relations as a table."""
    from docx import Document
    from docx.shared import Cm, RGBColor

    doc = Document()
    title = f"Codebook: {cb.name}" if cb.name else "Codebook"
    doc.core_properties.title = _clean(title)
    doc.add_heading(_clean(title), level=0)
    doc.add_paragraph(summary(cb))
    if cb.codes:
        doc.add_heading("Codes", level=1)
    for item in outline(cb):
        doc.add_heading(_clean(f"{item.number} {item.name}"), level=min(2 + item.depth, 9))
        indent = Cm(0.75 * item.depth)
        c = item.entry
        if c is None or c.context:
            p = doc.add_paragraph()
            p.add_run("Not in this selection; listed for its sub-codes.").italic = True
            p.paragraph_format.left_indent = indent
            continue
        facts = doc.add_paragraph()
        if c.color:
            facts.add_run("■ ").font.color.rgb = RGBColor.from_string(c.color[1:].upper())
        facts.add_run(" · ".join(_facts(c))).italic = True
        paragraphs = [facts]
        for text in c.description.strip().split("\n\n"):
            if text.strip():
                paragraphs.append(doc.add_paragraph(_clean(text)))
        for label, value in _notes(c):
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(_clean(value))
            paragraphs.append(p)
        paragraphs += [doc.add_paragraph(_clean(q), style="Quote") for q in c.quotes]
        for p in paragraphs:
            p.paragraph_format.left_indent = indent
    if cb.relations:
        doc.add_heading("Relations", level=1)
        table = doc.add_table(rows=1, cols=len(RELATION_COLUMNS), style="Table Grid")
        for cell, label in zip(
            table.rows[0].cells, ("Source", "Relation", "Target", "Comment"), strict=True
        ):
            cell.paragraphs[0].add_run(label).bold = True
        for r in cb.relations:
            for cell, key in zip(table.add_row().cells, RELATION_COLUMNS, strict=True):
                cell.text = _clean(getattr(r, key))
    if cb.sets:
        doc.add_heading("Sets", level=1)
        for s in cb.sets:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(_clean(s.name)).bold = True
            about = f": {s.description.strip()}" if s.description.strip() else ""
            what = f"query: {s.query}" if s.query else "; ".join(s.codes)
            p.add_run(_clean(f"{about} ({what})"))
    doc.save(str(path))


def write_xlsx(cb: Codebook, path: Path) -> None:
    """An Excel workbook: a 'Codes' sheet like the CSV, a 'Relations' sheet, and a 'Sets' sheet
    when there are sets."""
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb.active, "Codes", *code_table(cb))
    relations = [[getattr(r, k) for k in RELATION_COLUMNS] for r in cb.relations]
    _sheet(wb.create_sheet(), "Relations", list(RELATION_COLUMNS), relations)
    if cb.sets:
        sets = [[s.name, s.guid, s.description, "\n".join(s.codes), s.query] for s in cb.sets]
        header = ["name", "guid", "description", "codes", "query"]
        _sheet(wb.create_sheet(), "Sets", header, sets)
    wb.save(str(path))


def _sheet(ws: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_clean(v) for v in row])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text that starts with '=' stays text
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, 1):
        longest = max((len(str(r[i - 1] or "")) for r in rows), default=0)
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(name), longest) + 2, 60)


# -- reading ----------------------------------------------------------------------------------
def read_codebook(path: Path, fmt: str | None = None) -> Codebook:
    """Read a codebook file (CSV, JSON or REFI-QDA .qdc); errors name the file."""
    fmt = codebook_format(path, fmt, READ_FORMATS)
    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    if fmt == "qdc":
        from qcode.interchange.refi import read_qdc

        return read_qdc(path)
    return read_csv(path) if fmt == "csv" else read_json(path)


def _text(path: Path) -> str:
    from qcode.text.encoding import read_text_file

    return read_text_file(path)


def _flag(value: str, path: Path, where: str) -> bool:
    v = value.strip().lower()
    if v not in _TRUE | _FALSE:
        raise InputFileError(
            path, _("{where}: {value!r} is neither yes nor no").format(where=where, value=value)
        )
    return v in _TRUE


_CSV_KNOWN = {*CODE_COLUMNS, "name", "parent", "codings", "documents"}


def read_csv(path: Path) -> Codebook:
    """Codes from a CSV with a ``path`` column (or ``name`` and optional ``parent``) and any of
    the exporter's columns; a byte-order mark is fine, and column names ignore case. Counts and
    quote columns are read past; other unknown columns are named in the codebook's notes."""
    from qcode.interchange.csvfile import codebook_dialect, read_rows

    header, lines = read_rows(path)
    header, lines, dialect = codebook_dialect(header, lines, path)
    columns = {f.lower(): f for f in header}
    if "path" not in columns and "name" not in columns:
        raise InputFileError(
            path, _("needs a 'path' column, or 'name' and 'parent' columns (or Taguette's 'tag')")
        )
    cb = Codebook()
    if dialect:
        cb.notes.append(_("read as {dialect}'s codebook").format(dialect=dialect))
    unknown = sorted(c for c in columns if c not in _CSV_KNOWN and not _QUOTE_COLUMN.match(c))
    if unknown:
        cb.notes.append(_("column(s) not read: {v1}").format(v1=", ".join(unknown)))
    for n, row in lines:
        get = _cells(row, columns)
        name, parent = get("name").strip(), get("parent").strip()
        if "/" in name:
            raise InputFileError(
                path,
                _("line {n}: name {name!r} contains '/' (use 'parent')").format(n=n, name=name),
            )
        code_path = get("path").strip() or (f"{parent}/{name}" if parent else name)
        if not code_path:
            raise InputFileError(path, _("line {n}: no code path").format(n=n))
        cb.codes.append(
            CodeEntry(
                path=code_path,
                guid=get("guid").strip() or None,
                level=get("level").strip().lower() or "open",
                description=get("description"),
                inclusion=get("inclusion"),
                exclusion=get("exclusion"),
                example=get("example"),
                in_vivo=_flag(get("in_vivo"), path, f"line {n}, in_vivo"),
                color=get("color").strip() or None,
                links=[x.strip() for x in get("links").split(";") if x.strip()],
            )
        )
    return cb


def _cells(row: dict[Any, Any], columns: dict[str, str]) -> Callable[[str], str]:
    """A getter for the cells of one CSV row by lower-case column name ('' if absent)."""

    def get(key: str) -> str:
        value = row.get(columns[key]) if key in columns else None
        return value if isinstance(value, str) else ""

    return get


@cache
def codebook_schema() -> dict[str, Any]:
    return schemas.load("codebook.schema.json")


def read_json(path: Path) -> Codebook:
    """A codebook written by :func:`to_json` (or by hand), validated against the schema; the
    message names the failing place, e.g. ``codes/2/color: '#12' does not match ...``."""
    import jsonschema

    try:
        data = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise InputFileError(path, _("cannot be parsed as JSON ({exc})").format(exc=exc)) from None
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(codebook_schema()).iter_errors(data)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputFileError(path, f"{where}: {' '.join(error.message.split())}")
    return Codebook(
        name=data.get("name", ""),
        codes=[
            CodeEntry(
                path=c["path"],
                guid=c.get("guid"),
                level=c.get("level", "open"),
                description=c.get("description", ""),
                inclusion=c.get("inclusion", ""),
                exclusion=c.get("exclusion", ""),
                example=c.get("example", ""),
                in_vivo=c.get("in_vivo", False),
                color=c.get("color"),
                links=c.get("links", []),
            )
            for c in data["codes"]
        ],
        relations=[
            RelationEntry(
                r["source"],
                r["type"],
                r["target"],
                r.get("comment", ""),
                r.get("directed", True),
                r.get("guid"),
            )
            for r in data.get("relations", [])
        ],
        sets=[
            SetEntry(
                s["name"],
                s.get("guid"),
                s.get("description", ""),
                s.get("codes", []),
                s.get("query") or None,
            )
            for s in data.get("sets", [])
        ],
    )
