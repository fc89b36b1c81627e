"""Codings: a code applied to a half-open code-point range of a document's stored text."""

from __future__ import annotations

import builtins
import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from qcode.errors import InputFileError, InvalidInputError, NotFoundError, QcodeError
from qcode.i18n import _
from qcode.records import Records
from qcode.services.codes import CodeTree
from qcode.store.models import Code, Coder, Coding, Document
from qcode.text import normalize
from qcode.text.offsets import snap_range

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project


_BULK = 32  # from this many codings in one change, duplicates are checked per document
_UNIQUE = ("document_id", "code_id", "coder_id", "start", "end")  # one coding's constraint
_KEY = _UNIQUE
_STORED = select(Coding.__table__).where(
    *(Coding.__table__.c[name] == bindparam(name) for name in _KEY)
)
_CODED_IN_DOCUMENT = select(Coding.code_id, Coding.coder_id, Coding.start, Coding.end).where(
    Coding.document_id == bindparam("document_id")
)


@dataclass
class CodingInfo:
    id: int
    uuid: str
    document: str
    code: str
    coder: str
    start: int
    end: int
    text: str
    created: str
    page: int | None = None  # the page the coding starts on, for paged sources (PDF)
    existed: bool = False  # it was stored already (by an earlier or a simultaneous call)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _coded_already(at: str, start: int, end: int, name: str, path: str) -> InvalidInputError:
    """The refusal of a coding the coder has made already (or asked for twice)."""
    return InvalidInputError(
        _("{at}[{start}, {end}) of {name!r} is already coded with {v1!r} by this coder").format(
            at=at, start=start, end=end, name=name, v1=path
        )
    )


@dataclass(frozen=True, slots=True)
class Span:
    """A coding as a viewer draws it."""

    id: int
    start: int
    end: int
    code_id: int
    code: str
    color: str
    coder: str


@dataclass(frozen=True)
class CodingRequest:
    """One coding to apply: document and code by name (or path, or id), range in code points."""

    document: str
    start: int
    end: int
    code: str
    coder: str | None = None


class DocRef(NamedTuple):
    """What most operations need of a document: not its text."""

    id: int
    uuid: str
    name: str
    chars: int


def find_document(conn: Session | Connection, ref: str) -> DocRef:
    """A document by name, or by id when no document has that name."""
    cols = select(Document.id, Document.uuid, Document.name, Document.chars)
    row = conn.execute(cols.where(Document.name == ref)).first()
    if row is None and ref.strip().isdigit():
        row = conn.execute(cols.where(Document.id == int(ref))).first()
    if row is None:
        raise NotFoundError(_("no document {ref!r}").format(ref=ref))
    return DocRef(*row)


def check_range(doc_name: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Validate ``[start, end)`` against ``text`` and snap it to whole graphemes."""
    n = len(text)
    if start < 0 or end < 0:
        raise InvalidInputError(
            _("range [{start}, {end}) of {doc_name!r} has a negative offset").format(
                start=start, end=end, doc_name=doc_name
            )
        )
    if end < start:
        raise InvalidInputError(
            _("range [{start}, {end}) of {doc_name!r} ends before it starts").format(
                start=start, end=end, doc_name=doc_name
            )
        )
    if end == start:
        raise InvalidInputError(
            _("range [{start}, {end}) of {doc_name!r} is empty").format(
                start=start, end=end, doc_name=doc_name
            )
        )
    if end > n:
        raise InvalidInputError(
            _("range [{start}, {end}) is past the end of {doc_name!r} ({n} characters)").format(
                start=start, end=end, doc_name=doc_name, n=n
            )
        )
    return snap_range(text, start, end)


class CodingService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- applying ------------------------------------------------------------------------------
    def apply(
        self,
        document: str,
        start: int,
        end: int,
        code: str,
        coder: str | None = None,
        create: bool = False,
    ) -> CodingInfo:
        """Apply ``code`` to ``[start, end)`` of ``document``; returns the stored coding.

        Idempotent: when this coder's identical coding is stored already (made earlier, or by a
        simultaneous call that committed first), it is returned with ``existed`` set and nothing
        is written."""
        req = CodingRequest(document, start, end, code, coder)
        return self.apply_many([req], create, existing_ok=True)[0]

    def apply_many(
        self,
        requests: Sequence[CodingRequest],
        create: bool = False,
        action: str = "code",
        existing_ok: bool = False,
    ) -> list[CodingInfo]:
        """Apply many codings in one transaction (one undo step): all or nothing. With
        ``existing_ok`` an identical stored coding is returned (``existed``) instead of refused."""
        if not requests:
            return []
        return self._retrying(
            lambda: self._apply_many(requests, create, action, existing_ok), existing_ok
        )

    def _retrying(self, attempt: Any, existing_ok: bool) -> list[CodingInfo]:
        """Run ``attempt``; when another writer stored the same coding between this change's
        check and its insert (a server lets both through), run it once more, which finds it."""
        from qcode.services.project import AlreadyMade

        for _tries in range(2):
            try:
                return attempt()
            except AlreadyMade:
                if not existing_ok:
                    raise
        return attempt()

    def _apply_many(
        self, requests: Sequence[CodingRequest], create: bool, action: str, existing_ok: bool
    ) -> list[CodingInfo]:
        with self.p.change(action) as ch:
            infos = self.apply_in(ch, requests, create, existing_ok=existing_ok)
            made = [i for i in infos if not i.existed]  # those already there are not this step
            ch.summary = (
                f"code {len(made)} segment(s)"
                if len(made) != 1
                else f"code {made[0].document!r} [{made[0].start}, {made[0].end}) "
                f"with {made[0].code!r}"
            )
        return infos

    def apply_in_vivo(
        self, document: str, start: int, end: int, name: str, coder: str | None = None
    ) -> CodingInfo:
        """Code ``[start, end)`` with a top-level code named in the participant's words, made
        with the in-vivo flag when no top-level code has that name yet (one undo step)."""
        from qcode.services.codes import check_name

        name = check_name(name)
        with self.p.change("code.in_vivo") as ch:
            if CodeTree(ch.session).child_named(None, name) is None:
                self.p.codes.add_in(ch, name, in_vivo=True)
            info = self.apply_in(ch, [CodingRequest(document, start, end, name, coder)])[0]
            ch.summary = f"code {document!r} [{start}, {end}) in vivo with {name!r}"
        return info

    def apply_in(
        self,
        ch: Change,
        requests: Sequence[CodingRequest],
        create: bool = False,
        where: Sequence[str] | None = None,
        existing_ok: bool = False,
    ) -> list[CodingInfo]:
        """Apply codings inside an open change. ``where[i]`` names request i in errors. With
        ``existing_ok`` a coding stored already (or asked for twice) is returned, not refused."""
        s = ch.conn
        kept = self.p.kept.values(ch)
        tree = kept.get("tree")
        if tree is None:
            tree = kept["tree"] = CodeTree(s)
        tree = tree.bound(s)
        kept_docs: dict[str, DocRef] = kept.setdefault("documents", {})
        docs: dict[str, DocRef] = {}
        coder_names: dict[int, str] = {}
        codes: dict[str, int] = {}
        coders: dict[str | None, int] = {}
        rows: list[dict[str, Any]] = []  # many: inserted together at the end
        done: list[dict[str, Any]] = []  # a few: inserted one by one
        seen: set[tuple[int, int, int, int, int]] = set()
        # many codings: each document's existing codings are read once; a few: each insert
        # is its own duplicate check
        bulk = len(requests) > _BULK
        existing: dict[int, set[tuple[int, int, int, int, int]]] = {}
        order: list[tuple[int, int, int, int, int]] = []  # each request's key, in order
        for i, r in enumerate(requests):
            at = f"{where[i]}: " if where else ""
            try:
                doc = docs.get(r.document)
                if doc is None:
                    doc = kept_docs.get(r.document)
                    if doc is None:
                        doc = kept_docs[r.document] = find_document(s, r.document)
                    docs[r.document] = doc
                text = self.p.text_of(s, doc)
                start, end = check_range(doc.name, text, r.start, r.end)
                cid = codes.get(r.code)
                if cid is None:
                    cid = self._code_id(ch, tree, r.code, create)
                    codes[r.code] = cid
                coder_id = coders.get(r.coder)
                if coder_id is None:
                    coder_id = coders[r.coder] = self.p.ensure_coder(ch, r.coder)
                    coder_names[coder_id] = (r.coder or self.p.user).strip()
            except QcodeError as exc:
                raise type(exc)(f"{at}{exc}") from exc
            key = (doc.id, cid, coder_id, start, end)
            order.append(key)
            if key in seen:
                if existing_ok:
                    continue
                raise _coded_already(at, start, end, doc.name, tree.path(cid))
            row = dict(
                document_id=doc.id,
                code_id=cid,
                coder_id=coder_id,
                start=start,
                end=end,
                text=text[start:end],
            )
            if not bulk:  # a few: the duplicate check is the insert
                seen.add(key)
                stored = ch.insert_new(Coding, row, _UNIQUE)
                if stored is not None:
                    done.append(stored)
                    continue
                if existing_ok:
                    continue
            elif self._coded(s, existing, key):
                if existing_ok:
                    seen.add(key)
                    continue
            else:
                seen.add(key)
                rows.append(row)
                continue
            raise _coded_already(at, start, end, doc.name, tree.path(cid))
        names = {d.id: d.name for d in docs.values()}
        made = done + ch.insert_full(Coding, rows)
        by_key: dict[tuple[int, int, int, int, int], tuple[Any, bool]] = {
            _key(r): (r, False) for r in made
        }
        if len(by_key) < len(set(order)):  # the rest were stored already
            by_key.update(
                (_key(r), (r, True))
                for k in set(order) - by_key.keys()
                for r in s.execute(_STORED, dict(zip(_KEY, k, strict=True))).mappings()
            )
        return [
            CodingInfo(
                r["id"],
                r["uuid"],
                names[r["document_id"]],
                tree.path(r["code_id"]),
                coder_names[r["coder_id"]],
                r["start"],
                r["end"],
                r["text"],
                _stamp(r["created"]),
                existed=stored,
            )
            for r, stored in (by_key[k] for k in order)
        ]

    @staticmethod
    def _coded(
        s: Any,
        existing: dict[int, set[tuple[int, int, int, int, int]]],
        key: tuple[int, int, int, int, int],
    ) -> bool:
        """Whether the coding ``key`` (document, code, coder, start, end) is stored already,
        from the document's codings read once."""
        keys = existing.get(key[0])
        if keys is None:
            keys = existing[key[0]] = {
                (key[0], *row) for row in s.execute(_CODED_IN_DOCUMENT, {"document_id": key[0]})
            }
        return key in keys

    def _code_id(self, ch: Change, tree: CodeTree, ref: str, create: bool) -> int:
        try:
            return tree.resolve(ref)
        except NotFoundError as exc:
            if not create:
                if str(exc) != _("no code {ref!r}{v1}").format(
                    ref=ref.strip(), v1=""
                ):  # it says what became of the code
                    raise
                raise NotFoundError(
                    _("no code {ref!r} (use --create to make it)").format(ref=ref)
                ) from None
            # create if missing, once: another coder may be creating the same code right now
            ch.serialize("codes")
            tree.__init__(ch.conn)  # type: ignore[misc]
            try:
                return tree.resolve(ref)
            except NotFoundError:
                pass
        *parents, name = [part for part in ref.split("/")]
        parent = "/".join(parents) or None
        if parent:
            self._code_id(ch, tree, parent, create)
        cid = self.p.codes.add_in(ch, name, parent)
        tree.__init__(ch.conn)  # type: ignore[misc]  # refresh after the insert
        return cid

    def find_text(self, document: str, needle: str, all_: bool = False) -> list[tuple[int, int]]:
        """Ranges where ``needle`` (normalised like stored text) occurs in ``document``."""
        needle = normalize(needle)
        if not needle:
            raise InvalidInputError(_("the text to find is empty"))
        with self.p.read() as s:
            doc = find_document(s, document)
            text = self.p.text_of(s, doc)
        out = []
        pos = text.find(needle)
        while pos >= 0:
            out.append((pos, pos + len(needle)))
            if not all_:
                break
            pos = text.find(needle, pos + len(needle))
        if not out:
            raise NotFoundError(
                _("text {v1!r} does not occur in {name!r}").format(v1=needle[:60], name=doc.name)
            )
        return out

    def apply_file(
        self, path: str | Path, create: bool = False, coder: str | None = None
    ) -> list[CodingInfo]:
        """Apply codings listed in a CSV (document,start,end,code[,coder]) or JSON Lines file."""
        from qcode.bulkload import collector_paused

        with collector_paused():  # a file of 200,000 codings: as many objects, no cycles
            reqs, where = read_coding_file(Path(path), coder)
            if not reqs:
                raise InputFileError(path, _("has no codings"))
            with self.p.change("code.file") as ch:
                infos = self.apply_in(ch, reqs, create, where)
                ch.summary = f"code {len(infos)} segment(s) from {Path(path).name}"
        return infos

    # -- removing ------------------------------------------------------------------------------
    def remove(self, ids: Iterable[int]) -> int:
        ids = list(dict.fromkeys(ids))
        with self.p.change("uncode") as ch:
            found = set(ch.session.scalars(select(Coding.id).where(Coding.id.in_(ids))))
            missing = [i for i in ids if i not in found]
            if missing:
                raise NotFoundError(_("no coding with id {v1}").format(v1=missing[0]))
            ch.detach_codings(ids)
            ch.delete(Coding, ids)
            ch.summary = f"remove {len(ids)} coding(s)"
        return len(ids)

    def matching(
        self,
        document: str,
        start: int,
        end: int,
        code: str,
        coder: str | None = None,
        overlapping: bool = False,
    ) -> list[int]:
        """Ids of ``code``'s codings on exactly ``[start, end)`` (snapped), or overlapping it."""
        with self.p.read() as s:
            doc = find_document(s, document)
            start, end = check_range(doc.name, self.p.text_of(s, doc), start, end)
            cid = CodeTree(s).resolve(code)
            q = select(Coding.id).where(Coding.document_id == doc.id, Coding.code_id == cid)
            if overlapping:
                q = q.where(Coding.start < end, Coding.end > start)
            else:
                q = q.where(Coding.start == start, Coding.end == end)
            if coder:
                q = q.join(Coder).where(Coder.name == coder)
            ids = list(s.scalars(q))
        if not ids:
            raise NotFoundError(
                (
                    _("no coding of {code!r} on [{start}, {end}) of {name!r} by {coder!r}")
                    if coder
                    else _("no coding of {code!r} on [{start}, {end}) of {name!r}")
                ).format(code=code, start=start, end=end, name=doc.name, coder=coder)
            )
        return ids

    # -- listing -------------------------------------------------------------------------------
    def spans(self, document: str, coders: Sequence[str] | None = None) -> builtins.list[Span]:
        """Every coding of one document, by start, with its code's path and colour."""
        with self.p.read() as s:
            doc = find_document(s, document)
            tree = CodeTree(s)
            color = dict(s.execute(select(Code.id, Code.color)).all())
            coder = dict(s.execute(select(Coder.id, Coder.name)).all())
            # neither joined nor ordered in SQL: the unique index (document, code, coder,
            # start, end) then covers the query, so no coding's row (with its text) is read
            q = select(Coding.id, Coding.start, Coding.end, Coding.code_id, Coding.coder_id).where(
                Coding.document_id == doc.id
            )
            if coders:
                wanted = set(coders)
                q = q.where(Coding.coder_id.in_([k for k, n in coder.items() if n in wanted]))
            found = s.connection().execute(q).all()  # tuples, not ORM rows
        rows = sorted(found, key=lambda r: (r[1], -r[2], r[0]))
        return [Span(i, a, b, c, tree.path(c), color[c], coder[k]) for i, a, b, c, k in rows]

    def list(
        self,
        document: str | None = None,
        code: str | None = None,
        coder: str | None = None,
        ids: Sequence[int] | None = None,
        include_subcodes: bool = False,
    ) -> Records[CodingInfo]:
        """Codings in document order, as :class:`~qcode.records.Records` (``.to_pandas()``)."""
        with self.p.read() as s:
            tree = CodeTree(s)
            q = (
                select(
                    Coding.id,
                    Coding.uuid,
                    Document.name,
                    Coding.code_id,
                    Coder.name,
                    Coding.start,
                    Coding.end,
                    Coding.text,
                    Coding.created,
                    Coding.document_id,
                )
                .join(Document, Coding.document_id == Document.id)
                .join(Coder, Coding.coder_id == Coder.id)
                .order_by(Document.name, Coding.start, Coding.end, Coding.id)
            )
            if document is not None:
                q = q.where(Coding.document_id == find_document(s, document).id)
            if code is not None:
                cid = tree.resolve(code)
                wanted = tree.subtree(cid) if include_subcodes else [cid]
                q = q.where(Coding.code_id.in_(wanted))
            if coder is not None:
                if s.scalar(select(Coder.id).where(Coder.name == coder)) is None:
                    raise NotFoundError(_("no coder {coder!r}").format(coder=coder))
                q = q.where(Coder.name == coder)
            if ids is not None:
                q = q.where(Coding.id.in_(list(ids)))
            rows = s.execute(q).all()
            from qcode.services.documents import page_at, page_numbers

            pages = page_numbers(s, {r[9] for r in rows})
        return Records(
            (
                CodingInfo(
                    r[0],
                    r[1],
                    r[2],
                    tree.path(r[3]),
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    _stamp(r[8]),
                    page_at(pages.get(r[9]), r[5]),
                )
                for r in rows
            ),
            of=CodingInfo,
        )


def _key(row: Any) -> tuple[int, int, int, int, int]:
    return (row["document_id"], row["code_id"], row["coder_id"], row["start"], row["end"])


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds") + "Z"


def _int(value: str, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidInputError(
            _("{what} {value!r} is not a whole number").format(what=what, value=value)
        ) from None


def read_coding_file(path: Path, coder: str | None = None) -> tuple[list[CodingRequest], list[str]]:
    """Parse a codings file; errors name the file and line."""
    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    suffix = path.suffix.lower()
    from qcode.text.encoding import read_text_file

    raw = read_text_file(path)
    records: list[tuple[int, dict[str, Any]]] = []
    if suffix == ".csv":
        reader = csv.DictReader(raw.splitlines())
        need = {"document", "start", "end", "code"}
        fields = {f.strip().lower() for f in (reader.fieldnames or [])}
        if not need <= fields:
            missing = ", ".join(sorted(need - fields))
            raise InputFileError(
                path, _("line 1: missing column(s) {missing}").format(missing=missing)
            )
        for row in reader:
            clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            records.append((reader.line_num, clean))
    elif suffix in (".jsonl", ".ndjson"):
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(
                    path, _("line {n}: not valid JSON ({msg})").format(n=n, msg=exc.msg)
                ) from exc
            if not isinstance(obj, dict):
                raise InputFileError(path, _("line {n}: expected an object").format(n=n))
            records.append((n, obj))
    else:
        raise InputFileError(
            path,
            _("unsupported codings file type {suffix!r} (.csv or .jsonl)").format(suffix=suffix),
        )
    reqs, where = [], []
    for n, rec in records:
        try:
            for key in ("document", "start", "end", "code"):
                if rec.get(key) in (None, ""):
                    raise InvalidInputError(_("missing {key}").format(key=key))
            reqs.append(
                CodingRequest(
                    str(rec["document"]),
                    _int(rec["start"], "start"),
                    _int(rec["end"], "end"),
                    str(rec["code"]),
                    (str(rec.get("coder") or "").strip() or coder),
                )
            )
        except QcodeError as exc:
            raise InputFileError(path, _("line {n}: {exc}").format(n=n, exc=exc)) from exc
        where.append(f"{path}: line {n}")
    return reqs, where


__all__ = ["CodingInfo", "CodingRequest", "CodingService", "find_document", "Code"]
