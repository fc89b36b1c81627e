"""Surveys with open answers: a spreadsheet becomes documents, cases and codes, as NVivo's and
MAXQDA's survey import make them.

``--one-document-per answer`` (the default) makes one document per row and text column, named
``CASE QUESTION``; ``row`` makes one document per row holding each question as a line and its
answer beneath it. The case column names each row's case (else the row number does); every
other column becomes a case attribute, typed by what the whole column holds (number, date,
boolean, else text). ``code_by_question`` codes each answer with a code named after its column.
Everything is checked first and written in one change, so a bad file changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qcode.errors import InputFileError, InvalidInputError
from qcode.i18n import _
from qcode.ingest.sheet import Table, read_table
from qcode.services.attributes import infer_type, parse_value
from qcode.services.codings import CodingRequest
from qcode.services.documents import detect_language
from qcode.store.models import AttributeDef, Document
from qcode.text import normalize, text_hash
from qcode.text.safety import Cleaner, control_in
from qcode.text.segment import segment

if TYPE_CHECKING:
    from qcode.services.project import Project

PER = ("answer", "row")


@dataclass
class SheetResult:
    documents: int = 0
    cases: int = 0
    codings: int = 0
    empty_answers: int = 0
    attributes: dict[str, str] = field(default_factory=dict)  # name -> type
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # names cleaned of control characters

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _column(table: Table, name: str, path: Path) -> str:
    for h in table.header:
        if h == name or h.strip().lower() == name.strip().lower():
            return h
    listed = ", ".join(repr(h) for h in table.header[:12])
    raise InputFileError(
        path, _("has no column {name!r} (its columns: {listed})").format(name=name, listed=listed)
    )


def _clean_columns(table: Table, notes: list[str]) -> Cleaner:
    """Clean the column names of ``table`` (attribute and question names) in place."""
    clean = Cleaner(notes)
    moved = {h: clean("column", h) for h in table.header if control_in(h)}
    if moved:
        table.header = [moved.get(h, h) for h in table.header]
        for _, row in table.rows:
            for old, new in moved.items():
                if old in row:
                    row[new] = row.pop(old)
    return clean


def column_type(values: Sequence[str]) -> str:
    kinds = {infer_type(v) for v in values if v.strip()}
    return kinds.pop() if len(kinds) == 1 else "text"


def import_sheet(
    p: Project,
    paths: Sequence[str | Path],
    text_columns: Sequence[str],
    case_column: str | None = None,
    per: str = "answer",
    code_by_question: bool = False,
    encoding: str | None = None,
    language: str | None = None,
    extra_attrs: dict[str, str] | None = None,
) -> SheetResult:
    if per not in PER:
        raise InvalidInputError(_("--one-document-per {per!r}: use answer or row").format(per=per))
    if not text_columns:
        raise InvalidInputError(_("--text-columns names no column"))
    result = SheetResult()
    docs: list[dict[str, Any]] = []
    case_attrs: dict[str, dict[str, str]] = {}
    attr_types: dict[str, str] = {}
    with p.read() as s:
        taken = set(s.scalars(select(Document.name)))
        defined = {
            a.name: a.type
            for a in s.scalars(select(AttributeDef).where(AttributeDef.scope == "case"))
        }
    for raw in paths:
        path = Path(raw)
        table = read_table(path, encoding)
        clean = _clean_columns(table, result.notes)
        questions = [_column(table, c, path) for c in text_columns]
        case_col = _column(table, case_column, path) if case_column else None
        others = [h for h in table.header if h not in questions and h != case_col and h]
        for col in others:
            type_ = defined.get(col) or column_type([r.get(col, "") for _, r in table.rows])
            for line, r in table.rows:
                v = r.get(col, "").strip()
                if v:
                    try:
                        parse_value(col, type_, v)
                    except InvalidInputError as exc:
                        raise InputFileError(
                            path, _("line {line}: {exc}").format(line=line, exc=exc)
                        ) from None
            attr_types[col] = type_
        seen_cases: set[str] = set()
        for line, r in table.rows:
            case = (r.get(case_col, "") if case_col else "").strip() or f"{path.stem} {line}"
            case = clean("case", case) or f"{path.stem} {line}"
            if case in seen_cases and per == "row":
                raise InputFileError(
                    path,
                    _("line {line}: case {case!r} has a second row").format(line=line, case=case),
                )
            seen_cases.add(case)
            values = {**(extra_attrs or {}), **{c: r.get(c, "").strip() for c in others}}
            case_attrs[case] = {k: v for k, v in values.items() if v}
            answers = [(q, normalize(r.get(q, "")).strip()) for q in questions]
            result.empty_answers += sum(1 for _, a in answers if not a)
            answers = [(q, a) for q, a in answers if a]
            if per == "answer":
                for q, a in answers:
                    docs.append(_doc(f"{case} {q}", case, a, [(q, 0, len(a))], path, table))
            elif answers:
                text, spans = "", []
                for q, a in answers:
                    head = normalize(q).replace("\n", " ") + "\n"
                    start = len(text) + len(head)
                    text += head + a
                    spans.append((q, start, len(text)))
                    text += "\n\n"
                docs.append(_doc(case, case, text.rstrip("\n"), spans, path, table))
        result.files.append(str(path))
    names: dict[str, str] = {}
    for d in docs:
        if d["name"] in taken:
            raise InputFileError(
                d["path"], _("a document named {name!r} already exists").format(name=d["name"])
            )
        if d["name"] in names:
            raise InputFileError(
                d["path"], _("two documents would be named {name!r}").format(name=d["name"])
            )
        names[d["name"]] = d["path"]
    result.attributes = attr_types
    _write(p, docs, case_attrs, attr_types, defined, code_by_question, language, result)
    return result


def _doc(
    name: str, case: str, text: str, spans: list[tuple[str, int, int]], path: Path, table: Table
) -> dict[str, Any]:
    return {
        "name": name,
        "case": case,
        "text": text,
        "spans": spans,
        "path": str(path),
        "source": path.name,
        "format": table.format,
    }


def _write(
    p: Project,
    docs: list[dict[str, Any]],
    case_attrs: dict[str, dict[str, str]],
    attr_types: dict[str, str],
    defined: dict[str, str],
    code_by_question: bool,
    language: str | None,
    result: SheetResult,
) -> None:
    prepared = []
    for d in docs:
        lang = language or detect_language(d["text"], p.settings.language)
        prepared.append((d, lang, segment(d["text"], lang, [])))
    with p.change("import.sheet") as ch:
        for name, type_ in attr_types.items():
            if name not in defined:
                p.attributes.define_in(ch, name, type_, "case")
        case_ids: dict[str, int] = {}
        for case, values in case_attrs.items():
            case_ids[case] = p.cases.ensure_in(ch, case)
            p.attributes.set_in(ch, "case", case_ids[case], values)
        reqs = []
        for d, lang, units in prepared:
            cid = case_ids.get(d["case"]) or p.cases.ensure_in(ch, d["case"])
            p.documents.insert_in(
                ch,
                d["name"],
                d["text"],
                lang,
                units,
                case_id=cid,
                text_hash=text_hash(d["text"]),
                source_name=d["source"],
                source_format=d["format"],
            )
            if code_by_question:
                reqs += [
                    CodingRequest(d["name"], a, b, q.replace("/", "\u2215").strip())
                    for q, a, b in d["spans"]
                ]
        if reqs:
            p.codings.apply_in(ch, reqs, create=True)
        result.documents, result.cases, result.codings = len(docs), len(case_ids), len(reqs)
        ch.summary = (
            f"import {', '.join(Path(f).name for f in result.files)}: {len(docs)} documents, "
            f"{len(case_ids)} cases"
        )
