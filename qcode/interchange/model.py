"""The codebook as plain data, shared by every codebook format (Markdown, CSV, JSON, Word, Excel,
REFI-QDA ``.qdc``) in both directions.

Codes are listed parents first, each with its full path (names joined by ``/``) and, where known,
the GUID that identifies it across tools and exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CodeEntry:
    path: str
    guid: str | None = None
    level: str = "open"
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    in_vivo: bool = False
    color: str | None = None
    # counts and example quotes (exports only; ignored on import)
    codings: int | None = None
    documents: int | None = None
    quotes: list[str] = field(default_factory=list)
    # framework elements this code is linked to, as "dimension: element"
    links: list[str] = field(default_factory=list)
    # listed only as the ancestor of a selected code (an export filtered by level): writers of
    # outlines show it as a heading, flat formats leave it out
    context: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> str | None:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else None


@dataclass
class RelationEntry:
    source: str  # code path
    type: str  # relation type name
    target: str  # code path
    comment: str = ""
    directed: bool = True
    guid: str | None = None


@dataclass
class SetEntry:
    name: str
    guid: str | None = None
    description: str = ""
    codes: list[str] = field(default_factory=list)  # code paths
    query: str | None = None  # a saved query (retrieval set), evaluated when the set is used


@dataclass
class Codebook:
    name: str = ""
    codes: list[CodeEntry] = field(default_factory=list)
    relations: list[RelationEntry] = field(default_factory=list)
    sets: list[SetEntry] = field(default_factory=list)
    # things a reader could not bring over, one line each
    notes: list[str] = field(default_factory=list)


@dataclass
class MergeReport:
    """What ``qcode codebook import`` did: code paths added, updated and skipped (with why).

    Relations appear as ``relation 'SOURCE' TYPE 'TARGET'`` and sets as ``set 'NAME'``; a skipped
    item reads ``ITEM: REASON``.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
