"""One mapping per entity between the project's tables and the exchange dataclasses
(:class:`~qcode.interchange.qdpx.Exchange`), used by export (``to_exchange``), import
(``create_from_qdpx``) and ``qcode merge``.

Every column of each model is listed once: ``copied`` (carried as it is, column -> attribute),
``structural`` (identity, references and derived values, which each side resolves itself) or
``local`` (kept in this project only, with why). A test checks the lists against the models, so
a new column fails until it is given a place here, and the three users cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qcode.store.models import AttributeDef, Case, Code, Coder, Coding, Document, Memo


@dataclass(frozen=True)
class Mapping:
    model: Any
    copied: dict[str, str]
    structural: dict[str, str] = field(default_factory=dict)
    local: dict[str, str] = field(default_factory=dict)

    def out(self, row: Any) -> dict[str, Any]:
        """The copied values of a row, by exchange attribute."""
        return {attr: getattr(row, col) for col, attr in self.copied.items()}

    def into(self, entry: Any, skip_none: bool = False) -> dict[str, Any]:
        """The copied values of an exchange entry, by column (None left out if ``skip_none``,
        so the column's default applies)."""
        if skip_none:
            return {
                col: v
                for col, attr in self.copied.items()
                if (v := getattr(entry, attr)) is not None
            }
        return {col: getattr(entry, attr) for col, attr in self.copied.items()}

    @property
    def fields(self) -> tuple[str, ...]:
        """The copied columns, in order."""
        return tuple(self.copied)

    def columns(self) -> set[str]:
        return set(self.copied) | set(self.structural) | set(self.local)


_ID = {"id": "the row's number in this database", "uuid": "the GUID, matched across projects"}

CODE = Mapping(
    Code,
    copied={
        "description": "description",
        "inclusion": "inclusion",
        "exclusion": "exclusion",
        "example": "example",
        "in_vivo": "in_vivo",
        "level": "level",
    },
    structural={
        **_ID,
        "name": "the last part of the path",
        "parent_id": "the path",
        "color": "exported only when chosen; a palette colour on import when none is given",
        "color_chosen": "whether the colour was given (by the user or the file)",
    },
    local={"created": "REFI-QDA codes carry no creation time"},
)

CASE = Mapping(
    Case,
    copied={"name": "name", "description": "description"},
    structural=_ID,
    local={"created": "REFI-QDA cases carry no creation time"},
)

CODER = Mapping(
    Coder,
    copied={"name": "name"},
    structural=_ID,
    local={"color": "a display preference", "created": "REFI-QDA users carry no time"},
)

ATTRIBUTE = Mapping(
    AttributeDef,
    copied={"name": "name", "type": "type", "scope": "scope"},
    structural=_ID,
)

DOCUMENT = Mapping(
    Document,
    copied={"name": "name", "text": "text", "imported": "created", "source_format": "format"},
    structural={
        **_ID,
        "case_id": "the case's list of sources",
        "text_hash": "computed from the text",
        "chars": "computed from the text",
        "language": "detected again from the text",
        "source_name": "the source's name",
        "source_bytes": "a PDF source's own file",
    },
    local={"source_encoding": "how this project read the original file"},
)

CODING = Mapping(
    Coding,
    copied={"start": "start", "end": "end", "created": "created"},
    structural={
        **_ID,
        "document_id": "the source it is in",
        "code_id": "the code's GUID",
        "coder_id": "the user's GUID",
        "text": "computed from the source's text",
        "selection_uuid": "the GUID of the REFI-QDA selection it came in (one, many codings)",
        "selection_name": "the name of that selection",
    },
)

MEMO = Mapping(
    Memo,
    copied={
        "title": "name",
        "body": "text",
        "type": "type",
        "created": "created",
        "updated": "modified",
    },
    structural={**_ID, "coder_id": "the user's GUID"},
)

MAPPINGS = (CODE, CASE, CODER, ATTRIBUTE, DOCUMENT, CODING, MEMO)
