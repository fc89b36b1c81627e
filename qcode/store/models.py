"""SQLAlchemy 2.0 typed models: the whole schema of a qcode project.

Every entity carries a stable UUID (``uuid``) used for exchange with other tools and projects; the
integer ``id`` is local to one database. Offsets are code points into ``Document.text``.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProjectRow(Base):
    """One row: the project's identity."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(16), default="en")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    framework_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    framework_description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the last event of `qcode build`: a later event is an edit that a rebuild would discard
    built_event: Mapped[int | None] = mapped_column(Integer)


class Coder(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    color: Mapped[str | None] = mapped_column(String(7))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text, deferred=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    chars: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(16), default="en")
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_format: Mapped[str] = mapped_column(String(16), default="txt")
    source_encoding: Mapped[str | None] = mapped_column(String(40))
    source_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    imported: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Segment(Base):
    """A unit of a document: a paragraph, a speaker turn or a sentence."""

    __tablename__ = "segments"
    __table_args__ = (Index("ix_segments_doc_kind_start", "document_id", "kind", "start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))


class CaseLink(Base):
    """A range ``[start, end)`` of a document that belongs to a case other than (or besides) the
    document's own: a focus-group speaker's turns, RQDA's case links."""

    __tablename__ = "case_links"
    __table_args__ = (
        UniqueConstraint("case_id", "document_id", "start", "end"),
        CheckConstraint('start >= 0 AND "end" > start', name="range"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class AttributeDef(Base):
    """A typed attribute that cases or documents may carry (occupation, age group, ...)."""

    __tablename__ = "attributes"
    __table_args__ = (
        UniqueConstraint("scope", "name"),
        CheckConstraint("type IN ('text', 'number', 'date', 'boolean')", name="type"),
        CheckConstraint("scope IN ('case', 'document')", name="scope"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(10))
    scope: Mapped[str] = mapped_column(String(10))


class CaseAttribute(Base):
    __tablename__ = "case_attributes"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DocumentAttribute(Base):
    __tablename__ = "document_attributes"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Code(Base):
    __tablename__ = "codes"
    __table_args__ = (CheckConstraint("level IN ('open', 'axial', 'selective')", name="level"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7))
    level: Mapped[str] = mapped_column(String(10), default="open")
    inclusion: Mapped[str] = mapped_column(Text, default="", server_default="")
    exclusion: Mapped[str] = mapped_column(Text, default="", server_default="")
    example: Mapped[str] = mapped_column(Text, default="", server_default="")
    in_vivo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # False for a code that came without a colour (from a file): it is shown in ``color``, a
    # colour of the palette, but written to files without one until the user sets it
    color_chosen: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Coding(Base):
    """Code ``code_id`` applied by ``coder_id`` to ``[start, end)`` of a document."""

    __tablename__ = "codings"
    __table_args__ = (
        UniqueConstraint("document_id", "code_id", "coder_id", "start", "end"),
        Index("ix_codings_doc_start", "document_id", "start"),
        Index("ix_codings_code_doc", "code_id", "document_id"),
        Index("ix_codings_coder", "coder_id"),
        CheckConstraint('start >= 0 AND "end" > start', name="range"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # the REFI-QDA selection the coding came in (codings of one selection share it), and its name
    selection_uuid: Mapped[str | None] = mapped_column(String(36), nullable=True)
    selection_name: Mapped[str | None] = mapped_column(Text, nullable=True)


class Event(Base):
    """Append-only log of every change: who, what, when, and the row operations that made it.

    ``payload`` holds ``{"ops": [...]}``; each op is ``["insert"|"delete", table, [rows]]`` or
    ``["update", table, id, before, after]``, enough to reverse it or apply it again. Undo and redo
    append events of their own (``action`` "undo"/"redo", ``target`` the batch they act on).
    """

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    batch: Mapped[str] = mapped_column(String(36), index=True)
    target: Mapped[str | None] = mapped_column(String(36), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class HistoryEntry(Base):
    """The undo stack, derived from events: one row per undoable batch, done or undone.

    Each entry belongs to the coder who made the change (``actor``): a coder's undo takes their
    newest done entry and redo the one they undid last; a new change clears only its coder's undone
    entries. ``last_event`` is the event that last acted on the batch (the change, an undo or a
    redo): undo and redo revert that event's ops, and a redo takes the entry whose ``last_event``
    is newest.
    """

    __tablename__ = "history"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(36), unique=True)
    state: Mapped[str] = mapped_column(String(8), default="done", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    last_event: Mapped[int | None] = mapped_column(Integer)


class IdMark(Base):
    """The highest id ever deleted from a table, kept on SQLite only, so that a new row never takes
    the id of a deleted one that an undo or redo may put back (SQLite reuses the highest id once
    its row is gone; a server's sequences never do)."""

    __tablename__ = "id_marks"
    tbl: Mapped[str] = mapped_column(String(60), primary_key=True)
    hw: Mapped[int] = mapped_column(Integer)


class Memo(Base):
    """A researcher's memo: titled Markdown text by a coder, linked to anything in the project."""

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint(
            "type IN ('code', 'theory', 'method', 'sampling', 'storyline', 'free')",
            name="type",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(12), default="free")
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MemoLink(Base):
    """A memo's link to a code, document, coding, case, relation or another memo. A link to a
    document may
    carry a range ``[start, end)``: a memo on a span of text that no coding covers."""

    __tablename__ = "memo_links"
    __table_args__ = (
        UniqueConstraint("memo_id", "target_kind", "target_id"),
        CheckConstraint(
            "target_kind IN ('code', 'document', 'coding', 'case', 'memo', 'relation')",
            name="kind",
        ),
        Index("ix_memo_links_target", "target_kind", "target_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memos.id"))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)


class Summary(Base):
    """A summary for one cell of a framework matrix: Markdown on what a case (or a document)
    says about a code or category, linked (:class:`SummaryLink`) to the codings it draws on."""

    __tablename__ = "summaries"
    __table_args__ = (
        CheckConstraint("(case_id IS NULL) <> (document_id IS NULL)", name="row"),
        UniqueConstraint("case_id", "document_id", "code_id"),
        Index("ix_summaries_code", "code_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SummaryLink(Base):
    """A coding a summary draws on."""

    __tablename__ = "summary_links"
    __table_args__ = (UniqueConstraint("summary_id", "coding_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summaries.id"), index=True)
    coding_id: Mapped[int] = mapped_column(ForeignKey("codings.id"), index=True)


class Preference(Base):
    """Per-user interface state (last position in each document, theme ...); not part of the
    research record, so not logged as events and not undone."""

    __tablename__ = "preferences"
    user: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RelationType(Base):
    """A kind of relation between codes: from the paradigm model, ATLAS.ti's set, or the user's."""

    __tablename__ = "relation_types"
    __table_args__ = (CheckConstraint("family IN ('paradigm', 'atlas', 'user')", name="family"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    family: Mapped[str] = mapped_column(String(10), default="user")
    description: Mapped[str] = mapped_column(Text, default="")


class Relation(Base):
    """``source`` TYPE ``target``, between codes or categories, with a comment."""

    __tablename__ = "relations"
    __table_args__ = (
        UniqueConstraint("source_id", "type_id", "target_id"),
        CheckConstraint("source_id <> target_id", name="not_self"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    source_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RelationEvidence(Base):
    """A coding that grounds a relation."""

    __tablename__ = "relation_evidence"
    __table_args__ = (UniqueConstraint("relation_id", "coding_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relation_id: Mapped[int] = mapped_column(ForeignKey("relations.id"), index=True)
    coding_id: Mapped[int] = mapped_column(ForeignKey("codings.id"), index=True)


class FrameworkDimension(Base):
    """A dimension of the study's framework (structural driver, resilience type, dilemma ...)."""

    __tablename__ = "framework_dimensions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class FrameworkElement(Base):
    __tablename__ = "framework_elements"
    __table_args__ = (UniqueConstraint("dimension_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("framework_dimensions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("framework_elements.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class FrameworkLinkRule(Base):
    """Which dimension may link to which (structural driver -> resilience type -> dilemma)."""

    __tablename__ = "framework_link_rules"
    __table_args__ = (UniqueConstraint("from_id", "to_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("framework_dimensions.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("framework_dimensions.id"))


class CodeElementLink(Base):
    """A code or category linked to a framework element, with the kind of link."""

    __tablename__ = "code_element_links"
    __table_args__ = (UniqueConstraint("code_id", "element_id", "relation"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("framework_elements.id"), index=True)
    relation: Mapped[str] = mapped_column(String(100), default="indicates")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CodeSet(Base):
    """A named group of codes, documents or memos (REFI-QDA's ``Set``; ATLAS.ti's code groups,
    NVivo's sets). Membership does not change the codebook's tree. A set with a ``query`` is a
    retrieval set (a smart code): the expression is evaluated whenever the set is used."""

    __tablename__ = "sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SetMember(Base):
    """One member of a set: a code, a document or a memo (``kind``) by id."""

    __tablename__ = "set_members"
    __table_args__ = (UniqueConstraint("set_id", "kind", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("sets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer, index=True)


class AutocodeRun(Base):
    """One run of auto-coding rules: the rules as run, by whom, when. Its proposals wait in
    :class:`Suggestion` for review."""

    __tablename__ = "autocode_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(500), default="")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Suggestion(Base):
    """A coding proposed by a rule: pending until a coder accepts (it becomes ``coding_id``),
    rejects or adjusts it."""

    __tablename__ = "suggestions"
    __table_args__ = (
        Index("ix_suggestions_run_status", "run_id", "status"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected', 'reverted')", name="status"),
        CheckConstraint('start >= 0 AND "end" > start', name="range"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("autocode_runs.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    coding_id: Mapped[int | None] = mapped_column(Integer)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    reviewed: Mapped[datetime | None] = mapped_column(DateTime)


class MergeBase(Base):
    """A common ancestor for ``qcode merge``: after a merge, the state of the other project at
    its event ``base_event`` is contained in this one. Written in both projects (``absorber``
    names the row's twin in the project that merged); a row counts only while its twin in the
    absorbing project is there, so undoing the merge withdraws it."""

    __tablename__ = "merge_bases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    base_event: Mapped[str] = mapped_column(String(36), index=True)
    absorber: Mapped[str] = mapped_column(String(36))  # the twin row's uuid there ('' if here)
    peer: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


TABLES = {t.name: t for t in Base.metadata.sorted_tables}
