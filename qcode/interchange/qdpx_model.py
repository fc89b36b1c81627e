"""The plain data of a REFI-QDA project (:class:`Exchange`), shared by the reader and the writer
of ``.qdpx`` files (:mod:`qcode.interchange.qdpx`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from qcode.interchange.model import CodeEntry
from qcode.interchange.refi import PROJECT_NS

_Q = f"{{{PROJECT_NS}}}"
_SELECTION_NS = uuid.UUID("6f1d3c1e-6a53-4b5e-9a43-6e0f2f1a7c21")
VARIABLE_TYPES = {"text": "Text", "number": "Float", "date": "Date", "boolean": "Boolean"}
_TYPES_IN = {
    "Text": "text",
    "Integer": "number",
    "Float": "number",
    "Boolean": "boolean",
    "Date": "date",
    "DateTime": "text",
}
_VALUE_TAGS = {
    "TextValue": "text",
    "IntegerValue": "number",
    "FloatValue": "number",
    "BooleanValue": "boolean",
    "DateValue": "date",
    "DateTimeValue": "text",
}
MEMO_TYPE = "qcode-type: "
MEMO_CASE = "qcode-case: "
SUMMARY = "qcode-summary: "  # a summary's cell: "case|document GUID code GUID"
COMMENT = "qcode-comment"
SCOPE = "qcode-scope: "


@dataclass
class XCoding:
    code: str  # code GUID
    start: int
    end: int
    guid: str = ""
    user: str | None = None
    created: datetime | None = None
    notes: list[str] = field(default_factory=list)
    selection: str = ""  # the GUID of the PlainTextSelection it came in ("": its own)
    selection_name: str = ""


@dataclass
class XRange:
    """A selection that carries notes but no coding: a memo on a span of text."""

    start: int
    end: int
    notes: list[str]
    guid: str = ""


@dataclass
class XVariable:
    guid: str
    name: str
    type: str  # text, number, date, boolean
    scope: str  # case or document
    description: str = ""


@dataclass
class XSource:
    guid: str
    name: str
    text: str
    user: str | None = None
    created: datetime | None = None
    description: str = ""
    codings: list[XCoding] = field(default_factory=list)
    ranges: list[XRange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    format: str = "txt"
    original: bytes | None = None  # a PDF source's own bytes: written as a PDFSource


@dataclass
class XCase:
    guid: str
    name: str
    description: str = ""
    values: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class XNote:
    guid: str
    name: str
    text: str
    user: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    type: str = "free"
    cases: list[str] = field(default_factory=list)  # case GUIDs (qcode's own link)
    notes: list[str] = field(default_factory=list)  # notes this note refers to
    comment: bool = False  # a relation's comment, not a memo
    summary: str = ""  # a framework-matrix summary's cell (qcode.services.summaries), not a memo


@dataclass
class XLink:
    guid: str
    name: str
    origin: str
    target: str
    direction: str = "OneWay"
    notes: list[str] = field(default_factory=list)


@dataclass
class XSet:
    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Exchange:
    name: str = ""
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)  # GUID -> name
    codes: list[CodeEntry] = field(default_factory=list)
    code_notes: dict[str, list[str]] = field(default_factory=dict)
    variables: list[XVariable] = field(default_factory=list)
    cases: list[XCase] = field(default_factory=list)
    sources: list[XSource] = field(default_factory=list)
    notes: list[XNote] = field(default_factory=list)
    links: list[XLink] = field(default_factory=list)
    sets: list[XSet] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    units: str = "codepoints"
