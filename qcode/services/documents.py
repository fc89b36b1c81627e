"""Documents: import of transcripts (normalised once, segmented once), listing, renaming."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex
from sqlalchemy import func, select

from qcode.errors import ConflictError, InputFileError, InvalidInputError
from qcode.i18n import _
from qcode.ingest import SHEETS, TEXT_FORMATS, Loaded, read_document
from qcode.services.attributes import parse_assignments
from qcode.services.codings import find_document
from qcode.store.models import Case, CaseLink, Coding, Document, DocumentAttribute, Segment
from qcode.text import text_hash
from qcode.text.segment import UNIT_KINDS, Unit, compile_speaker_patterns, segment
from qcode.text.speakers import looks_like_transcript, speaker_warnings

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")
Progress = Callable[[int, int, "DocumentInfo"], None]


@dataclass
class DocumentInfo:
    id: int
    uuid: str
    name: str
    case: str | None
    chars: int
    language: str
    source: str
    format: str
    imported: str
    hash: str
    codings: int = 0
    units: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None  # how the file's bytes were decoded (None: not a text file)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Skipped:
    path: str
    reason: str
    duplicate_of: str | None = None


@dataclass
class ImportResult:
    imported: list[DocumentInfo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line each, naming the document
    notes: list[str] = field(default_factory=list)  # what readers did (headers dropped ...)
    failed: list[Skipped] = field(default_factory=list)  # bad files left out (keep_going)


@dataclass
class SpeakerCount:
    speaker: str
    turns: int
    characters: int
    share: float  # of the document's turns

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def expand_paths(paths: Sequence[str | Path], skipped: builtins.list[Skipped]) -> list[Path]:
    """Files to import: each file as given, each folder's supported files (recursively, in name
    order); what a folder holds that cannot be imported is added to ``skipped`` with why."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            out.append(path)
            continue
        for f in sorted(path.rglob("*")):
            rel = f.relative_to(path)
            if any(part.startswith(".") for part in rel.parts):
                continue  # hidden files and folders (.git, .DS_Store)
            if f.is_dir():
                continue
            suffix = f.suffix.lower()
            if f.name.startswith("~$"):
                skipped.append(Skipped(str(f), _("an Office lock file")))
            elif suffix in SHEETS:
                skipped.append(Skipped(str(f), _("a spreadsheet: import it with --text-columns")))
            elif suffix not in TEXT_FORMATS:
                skipped.append(
                    Skipped(str(f), _("unsupported file type {v1!r}").format(v1=suffix or "(none)"))
                )
            else:
                out.append(f)
    return out


def page_units(text: str, pages: Sequence[tuple[int, int]]) -> builtins.list[Unit]:
    """``page`` units for the page ranges a reader found, trimmed; a page without text stays
    as an empty range, so that the n-th page unit is always page n."""
    out = []
    for a, b in pages:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append(Unit("page", a, b))
    return out


def page_numbers(session: Any, doc_ids: Iterable[int]) -> dict[int, builtins.list[int]]:
    """For each document with pages: the start of each page, in page order."""
    out: dict[int, builtins.list[int]] = {}
    ids = builtins.list(doc_ids)
    if not ids:
        return out
    for doc_id, start in session.execute(
        select(Segment.document_id, Segment.start)
        .where(Segment.kind == "page", Segment.document_id.in_(ids))
        .order_by(Segment.document_id, Segment.start, Segment.id)
    ):
        out.setdefault(doc_id, []).append(start)
    return out


def page_at(starts: Sequence[int] | None, pos: int) -> int | None:
    """The 1-based number of the page holding ``pos`` (None for a document without pages)."""
    if not starts:
        return None
    from bisect import bisect_right

    return max(1, bisect_right(starts, pos))


def detect_language(text: str, default: str) -> str:
    """``zh`` when Han characters make up a fifth of the letters, else ``default`` (or ``en`` for
    a Chinese project's document with almost no Han characters)."""
    sample = text[:20000]
    if sample.isascii():  # no Han character: the same answer without counting letters
        return "en" if default == "zh" else default
    letters = len(_LETTER.findall(sample)) or 1
    han = len(_HAN.findall(sample)) / letters
    if han >= 0.2:
        return "zh"
    if default == "zh" and han < 0.02:
        return "en"
    return default


@dataclass
class _Prepared:
    path: Path
    name: str
    loaded: Loaded
    hash: str


class DocumentService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- import --------------------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[str | Path],
        case: str | None = None,
        attrs: dict[str, str] | Sequence[str] | None = None,
        doc_attrs: dict[str, str] | Sequence[str] | None = None,
        name: str | None = None,
        encoding: str | None = None,
        language: str | None = None,
        allow_duplicates: bool = False,
        on_progress: Progress | None = None,
        keep_going: bool = False,
        speakers_as_cases: bool = False,
        code_speakers: bool = False,
        on_read: Callable[[int, int, Path], None] | None = None,
    ) -> ImportResult:
        """Import transcripts. Every file is read and checked before anything is written; then
        each document is written in its own transaction (with its case, attributes and units), so
        an interrupted import keeps exactly the documents already reported.

        ``case`` puts every document in that case; without it each document gets a case of its
        own name. ``attrs`` are set on the case, ``doc_attrs`` on the document.

        A folder among ``paths`` stands for the supported files in it and its sub-folders (the
        others are reported as skipped). A file that cannot be read stops the import before
        anything is written, or with ``keep_going`` is left out and listed in ``failed``.
        ``speakers_as_cases`` makes each speaker a case holding their turns (a focus group);
        ``code_speakers`` codes each speaker's turns with a code ``speaker/NAME``.
        """
        if not paths:
            raise InvalidInputError(_("no files to import"))
        case_values = attrs if isinstance(attrs, dict) else parse_assignments(list(attrs or []))
        doc_values = (
            doc_attrs if isinstance(doc_attrs, dict) else parse_assignments(list(doc_attrs or []))
        )
        patterns = self.p.settings.speaker_patterns
        try:
            compile_speaker_patterns(patterns)
        except ValueError as exc:
            raise InputFileError(self.p.root / "qcode.toml", str(exc)) from exc

        # Phase 1: read, decode, normalise and check everything; no writes.
        result = ImportResult()
        prepared: list[_Prepared] = []
        with self.p.read() as s:
            self.p.attributes.prepare(s, "case", case_values)
            self.p.attributes.prepare(s, "document", doc_values)
            known = dict(s.execute(select(Document.text_hash, Document.name)).all())
            taken = set(s.scalars(select(Document.name)))
        batch_names: dict[str, Path] = {}
        files = expand_paths(paths, result.skipped)
        if not files:
            raise InvalidInputError(
                _("no files to import: {skipped}").format(
                    skipped="; ".join(f"{s.path}: {s.reason}" for s in result.skipped[:3])
                )
                if result.skipped
                else _("no files to import")
            )
        if name is not None and len(files) > 1:
            raise InvalidInputError(_("--name works with a single file only"))
        for n, path in enumerate(files, 1):
            if on_read is not None:
                on_read(n, len(files), path)
            try:
                loaded = read_document(path, encoding)
            except InputFileError as exc:
                if not keep_going:
                    raise
                result.failed.append(Skipped(str(path), exc.problem))
                continue
            doc_name = (name or path.stem).strip()
            if not doc_name:
                raise InputFileError(path, _("gives an empty document name; use --name"))
            h = text_hash(loaded.text)
            dup = known.get(h)
            if dup is not None and not allow_duplicates:
                result.skipped.append(
                    Skipped(
                        str(path), _("identical content to document {dup!r}").format(dup=dup), dup
                    )
                )
                continue
            problem = None
            if doc_name in taken:
                problem = f"a document named {doc_name!r} already exists; use --name or rename it"
            elif doc_name in batch_names:
                problem = (
                    f"same document name {doc_name!r} as "
                    f"{batch_names[doc_name]}; import it with --name"
                )
            if problem is not None:
                if not keep_going:
                    raise InputFileError(path, problem)
                result.failed.append(Skipped(str(path), problem))
                continue
            batch_names[doc_name] = path
            known[h] = doc_name
            prepared.append(_Prepared(path, doc_name, loaded, h))

        # Phase 2: segment and write, one document per transaction.
        keep = self.p.settings.keep_source
        for i, item in enumerate(prepared, 1):
            lang = language or detect_language(item.loaded.text, self.p.settings.language)
            units = segment(item.loaded.text, lang, patterns, item.loaded.speakers)
            units += page_units(item.loaded.text, item.loaded.pages)
            result.warnings.extend(
                f"{item.path}: {w}" for w in self._speaker_warnings(item, units, patterns)
            )
            result.notes.extend(f"{item.path}: {note}" for note in item.loaded.notes)
            with self.p.change("import") as ch:
                case_name = case or item.name
                case_id = self.p.cases.ensure_in(ch, case_name)
                self.p.attributes.set_in(ch, "case", case_id, case_values)
                doc_id = self.insert_in(
                    ch,
                    item.name,
                    item.loaded.text,
                    lang,
                    units,
                    case_id=case_id,
                    text_hash=item.hash,
                    source_name=item.path.name,
                    source_format=item.loaded.format,
                    source_encoding=item.loaded.encoding,
                    source_bytes=item.loaded.source if keep else None,
                )
                self.p.attributes.set_in(ch, "document", doc_id, doc_values)
                if speakers_as_cases or code_speakers:
                    from qcode.services.speakers import speakers_as_data

                    speakers_as_data(
                        self.p,
                        ch,
                        doc_id,
                        item.loaded.text,
                        units,
                        speakers_as_cases,
                        code_speakers,
                    )
                ch.summary = f"import {item.path.name} as {item.name!r}"
            info = self.get(str(doc_id))
            result.imported.append(info)
            if on_progress is not None:  # only once committed: a report is a promise
                on_progress(i, len(prepared), info)
        return result

    @staticmethod
    def _speaker_warnings(
        item: _Prepared, units: Sequence[Unit], patterns: Sequence[str] | None
    ) -> builtins.list[str]:
        turns = [u.speaker for u in units if u.kind == "turn"]
        paras = [(u.start, u.end) for u in units if u.kind == "paragraph"]
        like = looks_like_transcript(item.path.name, item.loaded.format, item.loaded.text, paras)
        return speaker_warnings(turns, like)

    # -- reading -------------------------------------------------------------------------------
    def insert_in(
        self,
        ch: Change,
        name: str,
        text: str,
        language: str,
        units: Sequence[Unit] | None = None,
        **columns: Any,
    ) -> int:
        """Write one document (its text already normalised) with its paragraphs, turns and
        sentences inside an open change; returns its id. ``units`` when segmented beforehand
        (outside the transaction), else segmented here; ``columns`` are further Document columns
        (case_id, uuid, source_*, imported ...)."""
        if units is None:
            units = segment(text, language, self.p.settings.speaker_patterns)
        columns.setdefault("text_hash", text_hash(text))
        doc_id = ch.insert_one(
            Document, name=name, text=text, chars=len(text), language=language, **columns
        )
        ch.insert_children(
            Segment,
            [
                {
                    "document_id": doc_id,
                    "kind": u.kind,
                    "start": u.start,
                    "end": u.end,
                    "speaker": u.speaker,
                }
                for u in units
            ],
            "document_id",
            doc_id,
        )
        return doc_id

    def list(self) -> builtins.list[DocumentInfo]:
        return self._infos(None)

    def get(self, ref: str) -> DocumentInfo:
        with self.p.read() as s:
            doc_id = find_document(s, ref).id
        return self._infos(doc_id)[0]

    def _infos(self, doc_id: int | None) -> builtins.list[DocumentInfo]:
        with self.p.read() as s:
            q = (
                select(
                    Document.id,
                    Document.uuid,
                    Document.name,
                    Case.name,
                    Document.chars,
                    Document.language,
                    Document.source_name,
                    Document.source_format,
                    Document.imported,
                    Document.text_hash,
                    Document.source_encoding,
                )
                .outerjoin(Case, Case.id == Document.case_id)
                .order_by(Document.name)
            )
            cq = select(Coding.document_id, func.count()).group_by(Coding.document_id)
            uq = select(Segment.document_id, Segment.kind, func.count()).group_by(
                Segment.document_id, Segment.kind
            )
            if doc_id is not None:
                q = q.where(Document.id == doc_id)
                cq = cq.where(Coding.document_id == doc_id)
                uq = uq.where(Segment.document_id == doc_id)
            codings = dict(s.execute(cq).all())
            units: dict[int, dict[str, int]] = {}
            for d, kind, n in s.execute(uq):
                units.setdefault(d, {})[kind] = n
            return [
                DocumentInfo(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8].isoformat(timespec="seconds") + "Z",
                    r[9],
                    codings.get(r[0], 0),
                    {k: units.get(r[0], {}).get(k, 0) for k in UNIT_KINDS},
                    r[10],
                )
                for r in s.execute(q)
            ]

    def text(self, ref: str) -> str:
        with self.p.read() as s:
            return self.p.text_of(s, find_document(s, ref))

    def units(self, ref: str, kind: str) -> builtins.list[dict[str, Any]]:
        if kind not in UNIT_KINDS:
            raise InvalidInputError(
                _("unknown unit {kind!r} ({v1})").format(kind=kind, v1=", ".join(UNIT_KINDS))
            )
        with self.p.read() as s:
            doc = find_document(s, ref)
            text = self.p.text_of(s, doc)
            rows = s.execute(
                select(Segment.start, Segment.end, Segment.speaker)
                .where(Segment.document_id == doc.id, Segment.kind == kind)
                .order_by(Segment.start)
            ).all()
        return [
            {"kind": kind, "start": a, "end": b, "speaker": sp, "text": text[a:b]}
            for a, b, sp in rows
        ]

    def unit_ranges(
        self, ref: str, kinds: Sequence[str] = UNIT_KINDS
    ) -> dict[str, builtins.list[tuple[int, int, str | None]]]:
        """The ``(start, end, speaker)`` of a document's units of each of ``kinds``, in order,
        read at once and without their text (for a viewer opening a large document)."""
        for kind in kinds:
            if kind not in UNIT_KINDS:
                raise InvalidInputError(
                    _("unknown unit {kind!r} ({v1})").format(kind=kind, v1=", ".join(UNIT_KINDS))
                )
        out: dict[str, builtins.list[tuple[int, int, str | None]]] = {k: [] for k in kinds}
        with self.p.read() as s:
            doc = find_document(s, ref)
            rows = s.execute(
                select(Segment.kind, Segment.start, Segment.end, Segment.speaker)
                .where(Segment.document_id == doc.id, Segment.kind.in_(list(kinds)))
                .order_by(Segment.kind, Segment.start)
            )
            for kind, a, b, speaker in rows:
                out[kind].append((a, b, speaker))
        return out

    def speakers(self, ref: str) -> builtins.list[SpeakerCount]:
        """A document's speakers with their number of turns and characters, most turns first."""
        turns: dict[str, list[int]] = {}
        with self.p.read() as s:
            doc = find_document(s, ref)
            rows = s.execute(
                select(Segment.speaker, Segment.start, Segment.end).where(
                    Segment.document_id == doc.id, Segment.kind == "turn"
                )
            ).all()
        for speaker, a, b in rows:
            t = turns.setdefault(speaker or "", [0, 0])
            t[0] += 1
            t[1] += b - a
        total = sum(t[0] for t in turns.values()) or 1
        return [
            SpeakerCount(sp, n, chars, round(n / total, 4))
            for sp, (n, chars) in sorted(turns.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ]

    # -- changing ------------------------------------------------------------------------------
    def rename(self, ref: str, new_name: str) -> DocumentInfo:
        new_name = new_name.strip()
        if not new_name:
            raise InvalidInputError(_("a document needs a name"))
        with self.p.change("docs.rename") as ch:
            doc = find_document(ch.session, ref)
            if ch.session.scalar(select(Document.id).where(Document.name == new_name)):
                raise ConflictError(
                    _("a document named {new_name!r} already exists").format(new_name=new_name)
                )
            ch.update(Document, [doc.id], name=new_name)
            ch.summary = f"rename document {doc.name!r} to {new_name!r}"
        return self.get(new_name)

    def delete(self, ref: str, force: bool = False) -> None:
        """Delete a document with its units; refused while it has codings unless ``force``."""
        with self.p.change("docs.delete") as ch:
            s = ch.session
            doc = find_document(s, ref)
            codings = list(s.scalars(select(Coding.id).where(Coding.document_id == doc.id)))
            if codings and not force:
                raise ConflictError(
                    _("document {name!r} has {n} coding(s); use --force").format(
                        name=doc.name, n=len(codings)
                    )
                )
            ch.detach_codings(codings)
            ch.unlink_memos("document", [doc.id])
            ch.drop_suggestions("document_id", [doc.id])
            ch.delete(Coding, codings)
            ch.delete(
                Segment, list(s.scalars(select(Segment.id).where(Segment.document_id == doc.id)))
            )
            ch.drop_values(DocumentAttribute, doc.id)
            ch.delete(
                CaseLink,
                list(s.scalars(select(CaseLink.id).where(CaseLink.document_id == doc.id))),
            )
            ch.delete(Document, [doc.id])
            ch.summary = f"delete document {doc.name!r}"
