"""Whole projects to and from REFI-QDA (``.qdpx``).

:func:`to_exchange` reads a project into an :class:`~qcode.interchange.qdpx.Exchange` (stored GUIDs,
so every export of the same thing carries the same GUID); :func:`export_qdpx` writes it.
:func:`create_from_qdpx` builds a new project from another tool's file in a temporary folder next to
the target and moves it into place only when complete, so a failure leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from qcode.bulkload import collector_paused
from qcode.errors import ConflictError, InvalidInputError
from qcode.i18n import _, ngettext
from qcode.interchange.model import CodeEntry
from qcode.interchange.names import clean_exchange
from qcode.interchange.qdpx import (
    Exchange,
    XCase,
    XCoding,
    XLink,
    XNote,
    XRange,
    XSet,
    XSource,
    XVariable,
    read_qdpx,
    write_qdpx,
)
from qcode.interchange.refi import query_from_description, query_in_description
from qcode.services import summaries
from qcode.services.changes import Change
from qcode.services.codes import PALETTE, CodeTree
from qcode.services.exchange_coders import Coders as _Coders
from qcode.services.exchange_sources import Progress, add_sources, no_progress, values_of
from qcode.services.mapping import ATTRIBUTE, CASE, CODE, CODING, DOCUMENT, MEMO
from qcode.services.memos import MEMO_TYPES
from qcode.services.project import Project
from qcode.services.scratch import build_in_scratch
from qcode.store.models import (
    AttributeDef,
    Case,
    CaseAttribute,
    Code,
    CodeElementLink,
    Coder,
    CodeSet,
    Coding,
    Document,
    DocumentAttribute,
    Memo,
    MemoLink,
    Relation,
    RelationEvidence,
    RelationType,
    SetMember,
)
from qcode.text.segment_pool import Segmenter

_COMMENT_NS = uuid.UUID("0b3f3a52-3f0e-4a8e-8d0c-2b6b1f6c9e11")


@dataclass
class ExportReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    origin: str
    units: str
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def comment_guid(relation_guid: str) -> str:
    """The stable GUID of the note that carries a relation's comment."""
    return str(uuid.uuid5(_COMMENT_NS, relation_guid))


# -- out ------------------------------------------------------------------------------------------
def to_exchange(p: Project) -> tuple[Exchange, list[str]]:
    """The whole project as plain data, and what the standard cannot hold."""
    notes: list[str] = []
    x = Exchange(name=p.settings.name)
    with p.read() as s:
        c = s.connection()
        x.users = {r.uuid: r.name for r in c.execute(select(Coder.uuid, Coder.name))}
        coder_guid = {r[0]: r[1] for r in c.execute(select(Coder.id, Coder.uuid))}
        tree = CodeTree(c)
        rows = {r.id: r for r in c.execute(select(Code))}
        code_guid = {i: r.uuid for i, r in rows.items()}
        for cid in tree.ordered():
            r = rows[cid]
            x.codes.append(
                CodeEntry(
                    path=tree.path(cid),
                    guid=r.uuid,
                    **CODE.out(r),
                    color=r.color if r.color_chosen else None,  # none chosen: none exported
                )
            )
        memo_guid = {r[0]: r[1] for r in c.execute(select(Memo.id, Memo.uuid))}
        links: dict[str, dict[int, list[MemoLink]]] = defaultdict(lambda: defaultdict(list))
        held: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for ml in s.scalars(select(MemoLink)):
            links[ml.target_kind][ml.target_id].append(ml)
            held[ml.target_kind][ml.memo_id].append(ml.target_id)

        def refs(kind: str, target: int) -> list[str]:
            return [memo_guid[m.memo_id] for m in links[kind].get(target, ()) if m.start is None]

        for cid in tree.ordered():
            if refs("code", cid):
                x.code_notes[code_guid[cid]] = refs("code", cid)

        attrs = {r.id: r for r in c.execute(select(AttributeDef))}
        x.variables = [XVariable(r.uuid, **ATTRIBUTE.out(r)) for r in attrs.values()]
        case_values: dict[int, dict[str, str]] = defaultdict(dict)
        for cv in c.execute(select(CaseAttribute)):
            case_values[cv.case_id][attrs[cv.attribute_id].uuid] = cv.value
        doc_values: dict[int, dict[str, str]] = defaultdict(dict)
        for dv in c.execute(select(DocumentAttribute)):
            doc_values[dv.document_id][attrs[dv.attribute_id].uuid] = dv.value
        # the text is read apart (p.text_of); every other copied column as the mapping says
        doc_copied = [col for col in DOCUMENT.fields if col != "text"]
        docs = c.execute(
            select(
                Document.id,
                Document.uuid,
                Document.case_id,
                *(getattr(Document, col) for col in doc_copied),
            ).order_by(Document.id)
        ).all()
        case_guid = {r[0]: r[1] for r in c.execute(select(Case.id, Case.uuid))}
        by_case: dict[int, list[str]] = defaultdict(list)
        for d in docs:
            if d.case_id is not None:
                by_case[d.case_id].append(d.uuid)
        for cr in c.execute(select(Case).order_by(Case.id)):
            x.cases.append(
                XCase(cr.uuid, values=case_values[cr.id], sources=by_case[cr.id], **CASE.out(cr))
            )
        coding_notes: dict[int, list[str]] = {
            t: [memo_guid[m.memo_id] for m in ms] for t, ms in links["coding"].items()
        }
        codings: dict[int, list[XCoding]] = defaultdict(list)
        copied = CODING.fields  # the columns carried as they are, by the mapping
        names = tuple(CODING.copied.values())
        q = select(
            Coding.id,
            Coding.uuid,
            Coding.document_id,
            Coding.code_id,
            Coding.coder_id,
            Coding.selection_uuid,
            Coding.selection_name,
            *(getattr(Coding, col) for col in copied),
        )
        # sorted here rather than by the database: a plain scan and a sort of tuples is faster
        # than walking an index and sorting the rest
        at = 7 + copied.index("start"), 7 + copied.index("end")
        ordered = sorted(c.execute(q).all(), key=itemgetter(2, *at, 0))
        # the copied columns by position when they are XCoding's start, end and created (as
        # they are): no mapping of names to values made for each of many codings
        fast = names == ("start", "end", "created")
        for row in ordered:
            cid, guid, did, code, who, sel, sel_name = row[:7]
            if fast:
                start, end, created = row[7:]
                xc = XCoding(
                    code_guid[code],
                    start,
                    end,
                    guid,
                    coder_guid[who],
                    created,
                    coding_notes.get(cid) or [],
                    sel or "",
                    sel_name or "",
                )
            else:
                xc = XCoding(
                    code_guid[code],
                    guid=guid,
                    user=coder_guid[who],
                    notes=coding_notes.get(cid) or [],
                    selection=sel or "",
                    selection_name=sel_name or "",
                    **dict(zip(names, row[7:], strict=True)),
                )
            codings[did].append(xc)
        for d in docs:
            fmt = d.source_format
            src = XSource(
                d.uuid,
                text=p.text_of(c, d),
                codings=codings[d.id],
                notes=refs("document", d.id),
                values=doc_values[d.id],
                original=c.scalar(select(Document.source_bytes).where(Document.id == d.id))
                if fmt == "pdf"
                else None,
                **{DOCUMENT.copied[col]: v for col, v in zip(doc_copied, d[3:], strict=True)},
            )
            for m in links["document"].get(d.id, ()):
                if m.start is not None and m.end is not None:
                    src.ranges.append(
                        XRange(
                            m.start,
                            m.end,
                            [memo_guid[m.memo_id]],
                            str(uuid.uuid5(_COMMENT_NS, f"{memo_guid[m.memo_id]}/{d.uuid}")),
                        )
                    )
            x.sources.append(src)
        rel_types = {r.id: r for r in c.execute(select(RelationType))}
        for mr in c.execute(select(Memo).order_by(Memo.id)):
            x.notes.append(
                XNote(
                    mr.uuid,
                    user=coder_guid[mr.coder_id],
                    **MEMO.out(mr),
                    cases=[case_guid[t] for t in held["case"].get(mr.id, ())],
                    notes=[memo_guid[t] for t in held["memo"].get(mr.id, ())],
                )
            )
        for rr in c.execute(select(Relation).order_by(Relation.id)):
            rt = rel_types[rr.type_id]
            note_refs = [memo_guid[ml.memo_id] for ml in links["relation"].get(rr.id, ())]
            if rr.comment:
                g = comment_guid(rr.uuid)
                x.notes.append(
                    XNote(
                        g,
                        f"comment: {rt.name}",
                        rr.comment,
                        coder_guid.get(rr.coder_id or -1),
                        rr.created,
                        comment=True,
                    )
                )
                note_refs.insert(0, g)
            x.links.append(
                XLink(
                    rr.uuid,
                    rt.name,
                    code_guid[rr.source_id],
                    code_guid[rr.target_id],
                    "OneWay" if rt.directed else "Associative",
                    note_refs,
                )
            )
        doc_guid = {d.id: d.uuid for d in docs}
        members: dict[int, list[SetMember]] = defaultdict(list)
        for sm in s.scalars(select(SetMember)):
            members[sm.set_id].append(sm)
        kinds = {"code": code_guid, "document": doc_guid, "memo": memo_guid}
        for st in s.scalars(select(CodeSet).order_by(CodeSet.id)):
            got = {k: [kinds[k][m.target_id] for m in members[st.id] if m.kind == k] for k in kinds}
            x.sets.append(
                XSet(
                    st.uuid,
                    st.name,
                    query_in_description(st.description, st.query),
                    got["code"],
                    got["document"],
                    got["memo"],
                )
            )
        queries = c.scalar(select(func.count()).where(CodeSet.query.is_not(None))) or 0
        if queries:
            notes.append(
                ngettext(
                    "{n} saved query: REFI-QDA has no place for a query; each is written as a "
                    "'qcode query:' paragraph of its set's description",
                    "{n} saved queries: REFI-QDA has no place for a query; each is written as a "
                    "'qcode query:' paragraph of its set's description",
                    queries,
                ).format(n=queries)
            )
        evidence = c.scalar(select(RelationEvidence.id).limit(1))
        if evidence is not None:
            notes.append(_("codings cited as evidence for relations are not part of REFI-QDA"))
        if c.scalar(select(CodeElementLink.id).limit(1)) is not None:
            notes.append(
                _(
                    "links of codes to the framework are not part of REFI-QDA "
                    "(qcode codebook export --format json keeps them)"
                )
            )
        summaries.add_to_exchange(c, x, coder_guid)  # notes the summarised codings refer to
    return x, notes


def export_qdpx(p: Project, path: Path) -> ExportReport:
    if path.suffix.lower() != ".qdpx":
        raise InvalidInputError(
            _("{path}: a REFI-QDA project file ends in .qdpx").format(path=path)
        )
    with collector_paused():
        x, notes = to_exchange(p)
        write_qdpx(x, path)
    counts = {
        "users": len(x.users),
        "codes": len(x.codes),
        "cases": len(x.cases),
        "variables": len(x.variables),
        "sources": len(x.sources),
        "codings": sum(len(s.codings) for s in x.sources),
        "notes": sum(1 for n in x.notes if not n.comment and not n.summary),
        "summaries": sum(1 for n in x.notes if n.summary),
        "links": len(x.links),
        "sets": len(x.sets),
    }
    return ExportReport(path, counts, notes)


# -- in -------------------------------------------------------------------------------------------
def _extract(where: str, data: bytes, kind: str) -> str:
    from qcode.ingest.docx import docx_text
    from qcode.text.encoding import decode

    if kind == "docx":  # a Word file is a zip archive too: the same limits before opening it
        from qcode.interchange.safety import SafeZip

        SafeZip.open(Path(where), data).close()
        return docx_text(Path(where), data)
    return decode(Path(where), data)[0]


BUILD_CACHE_KB = 131072  # SQLite's page cache while a new project is written (default 2 MB)
SEGMENT_APART_BYTES = 2_000_000  # from this size of .qdpx, sentences are cut in a second process


def create_from_qdpx(
    directory: str | Path,
    source: str | Path,
    units: str = "auto",
    name: str | None = None,
    language: str = "en",
    user: str | None = None,
    on_progress: Progress | None = None,
) -> tuple[Project, ImportReport]:
    """A new project in ``directory`` holding everything ``source`` (a .qdpx) holds.
    ``on_progress(done, total, stage)`` hears the sources read, then the sources written."""
    target = Path(directory)
    source = Path(source)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConflictError(
            _("{target}: exists and is not empty; choose a new folder").format(target=target)
        )
    # a large file's sentences are cut in a second process while its codings are written; the
    # process starts now, so that its start-up overlaps the reading
    big = source.is_file() and source.stat().st_size >= SEGMENT_APART_BYTES
    with collector_paused(), Segmenter(big) as seg:
        reading = _("reading {name}").format(name=source.name)
        x = read_qdpx(
            source,
            units,
            _extract,
            None if on_progress is None else (lambda i, n: on_progress(i, n, reading)),
        )

        def build(folder: Path) -> ImportReport:
            p = Project.init(
                folder, name=name or x.name or target.name, language=language, user=user
            )
            try:
                return _fill(p, x, source, seg, on_progress)
            finally:
                p.close()

        report = build_in_scratch(target, source, build)
    return Project.open(target), report


def _fill(
    p: Project,
    x: Exchange,
    source: Path,
    seg: Segmenter | None = None,
    on_progress: Progress | None = None,
) -> ImportReport:
    clean_exchange(x)
    rep = ImportReport(x.origin or "unknown", x.units, notes=list(x.report))
    cells = summaries.take_from_exchange(x)  # what is left are memos
    with p.change("init.qdpx", f"create from {source.name}") as ch:
        if ch.conn.dialect.name == "sqlite":  # a new file written in bulk: room for its indexes
            ch.conn.exec_driver_sql(f"PRAGMA cache_size = -{BUILD_CACHE_KB}")
        coder = _Coders(ch, x, p.user)
        code_id = _codes(ch, x, rep)
        attr_id, attr_type = _attributes(ch, x)
        case_id = _cases(ch, x, attr_id, attr_type, rep)
        later = _indexes_put_off(ch)
        doc_id, coding_id = add_sources(
            ch,
            p,
            x,
            code_id,
            coder,
            case_id,
            attr_id,
            attr_type,
            rep,
            seg or Segmenter(False),
            on_progress or no_progress,
        )
        for sql in later:  # built once over all rows rather than row by row
            ch.conn.exec_driver_sql(sql)
        memo_id = _memos(ch, x, coder, rep)
        relation_id, comments = _relations(ch, x, code_id, coder, rep)
        _memo_links(ch, x, memo_id, code_id, doc_id, coding_id, case_id, relation_id, comments, rep)
        _sets(ch, x, code_id, doc_id, memo_id)
        ids = {"case": case_id, "document": doc_id, "code": code_id, "coding": coding_id}
        n_summaries, said = summaries.insert_from_exchange(ch, cells, ids, coder)
        rep.notes += said
        rep.counts = {
            "users": len(coder.ids),
            "codes": len(code_id),
            "cases": len(case_id),
            "sources": len(doc_id),
            "codings": len(coding_id),
            "memos": len(memo_id),
            "relations": len(relation_id),
            "sets": len(x.sets),
            "summaries": n_summaries,
        }
    return rep


BULK_TABLES = ("codings", "segments")  # the tables a new project's sources fill in bulk


def _indexes_put_off(ch: Change) -> list[str]:
    """On SQLite, the plain (not unique) indexes of the tables the sources fill, dropped for the
    bulk inserts of a new project; returns the statements that make them again. Unique indexes
    stay, so a repeated GUID is refused as it is row by row."""
    if ch.conn.dialect.name != "sqlite":
        return []
    rows = ch.conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(BULK_TABLES))})",
        BULK_TABLES,
    ).all()
    later = []
    for name, sql in rows:
        if not sql.lstrip().upper().startswith("CREATE INDEX"):
            continue
        ch.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        later.append(sql)
    return later


def _codes(ch: Change, x: Exchange, rep: ImportReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    by_path: dict[str, int] = {}
    core_seen = False
    for i, c in enumerate(x.codes):
        level = c.level
        if level == "selective":
            if core_seen:
                rep.notes.append(
                    _("code {path!r} was a second core category; now axial").format(path=c.path)
                )
                level = "axial"
            core_seen = True
        cid = ch.insert_one(
            Code,
            uuid=c.guid,
            name=c.name,
            parent_id=by_path[c.parent] if c.parent is not None else None,
            **{
                **CODE.into(c),
                "color": c.color or PALETTE[i % len(PALETTE)],
                "color_chosen": c.color is not None,
                "level": level,
            },
        )
        by_path[c.path] = cid
        ids[str(c.guid)] = cid
    return ids


def _attributes(ch: Change, x: Exchange) -> tuple[dict[str, int], dict[str, str]]:
    ids: dict[str, int] = {}
    taken: set[tuple[str, str]] = set()
    for v in x.variables:
        name, n = v.name, 1
        while (v.scope, name.casefold()) in taken:
            n += 1
            name = f"{v.name} ({n})"
        taken.add((v.scope, name.casefold()))
        ids[v.guid] = ch.insert_one(
            AttributeDef, uuid=v.guid, **{**ATTRIBUTE.into(v), "name": name}
        )
    return ids, {v.guid: v.type for v in x.variables}


def _cases(
    ch: Change,
    x: Exchange,
    attr_id: dict[str, int],
    attr_type: dict[str, str],
    rep: ImportReport,
) -> dict[str, int]:
    ids: dict[str, int] = {}
    stored = ch.insert_full(Case, [{"uuid": c.guid, **CASE.into(c)} for c in x.cases])
    for c, row in zip(x.cases, stored, strict=True):  # all cases in one statement, then values
        ids[c.guid] = row["id"]
        for a, v in values_of(c.values, attr_id, attr_type, f"case {c.name!r}", rep):
            ch.put_value(CaseAttribute, ids[c.guid], a, v)
    return ids


def _memos(ch: Change, x: Exchange, coder: _Coders, rep: ImportReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n in x.notes:
        if n.comment:
            continue
        kind = n.type if n.type in MEMO_TYPES else "free"
        row: dict[str, Any] = {
            "uuid": n.guid,
            **MEMO.into(n, skip_none=True),
            "coder_id": coder(n.user),
        }
        row.update(title=n.name[:300], type=kind)
        if n.modified is None and n.created is not None:
            row["updated"] = n.created
        ids[n.guid] = ch.insert_one(Memo, **row)
    return ids


def _relations(
    ch: Change, x: Exchange, code_id: dict[str, int], coder: _Coders, rep: ImportReport
) -> tuple[dict[str, int], dict[str, str]]:
    types = {r[0]: r[1] for r in ch.conn.execute(select(RelationType.name, RelationType.id))}
    comments = {n.guid: n for n in x.notes if n.comment}
    ids: dict[str, int] = {}
    used_comments: dict[str, str] = {}
    seen: set[tuple[int, int, int]] = set()
    other = 0
    for link in x.links:
        if link.origin not in code_id or link.target not in code_id or link.origin == link.target:
            other += 1
            continue
        name = link.name or "is associated with"
        if name not in types:
            types[name] = ch.insert_one(
                RelationType, name=name, directed=link.direction != "Associative", family="user"
            )
        key = (code_id[link.origin], types[name], code_id[link.target])
        if key in seen:
            continue
        seen.add(key)
        note = next((comments[g] for g in link.notes if g in comments), None)
        extra: dict[str, Any] = {}
        if note is not None:  # the comment's note also carries who related them, and when
            extra = {"comment": note.text, "coder_id": coder(note.user) if note.user else None}
            if note.created is not None:
                extra["created"] = note.created
        ids[link.guid] = ch.insert_one(
            Relation,
            uuid=link.guid,
            source_id=key[0],
            type_id=key[1],
            target_id=key[2],
            **extra,
        )
        for g in link.notes:
            if g in comments:
                used_comments[g] = link.guid
    if other:
        rep.notes.append(
            _("{other} link(s) not between two codes; not brought over").format(other=other)
        )
    return ids, used_comments


def _memo_links(
    ch: Change,
    x: Exchange,
    memo_id: dict[str, int],
    code_id: dict[str, int],
    doc_id: dict[str, int],
    coding_id: dict[str, int],
    case_id: dict[str, int],
    relation_id: dict[str, int],
    comments: dict[str, str],
    rep: ImportReport,
) -> None:
    rows: dict[tuple[int, str, int], dict[str, Any]] = {}
    lost = 0

    def link(
        note: str, kind: str, target: int | None, start: int | None = None, end: int | None = None
    ) -> None:
        nonlocal lost
        if note in comments:
            return
        if note not in memo_id or target is None:
            lost += 1
            return
        key = (memo_id[note], kind, target)
        if key in rows:
            if start is not None:
                lost += 1
            return
        rows[key] = {
            "memo_id": key[0],
            "target_kind": kind,
            "target_id": target,
            "start": start,
            "end": end,
        }

    for g, notes in x.code_notes.items():
        for n in notes:
            link(n, "code", code_id.get(g))
    for s in x.sources:
        for n in s.notes:
            link(n, "document", doc_id.get(s.guid))
        for r in s.ranges:
            for n in r.notes:
                link(n, "document", doc_id.get(s.guid), r.start, r.end)
        for c in s.codings:
            for n in c.notes:
                link(n, "coding", coding_id.get(c.guid))
    for note in x.notes:
        for cg in note.cases:
            link(note.guid, "case", case_id.get(cg))
        for other in note.notes:
            link(note.guid, "memo", memo_id.get(other))
    for lk in x.links:
        for n in lk.notes:
            link(n, "relation", relation_id.get(lk.guid))
    ch.insert(MemoLink, list(rows.values()))
    if lost:
        rep.notes.append(
            _("{lost} note reference(s) could not be kept as memo links").format(lost=lost)
        )


def _sets(
    ch: Change,
    x: Exchange,
    code_id: dict[str, int],
    doc_id: dict[str, int],
    memo_id: dict[str, int],
) -> None:
    for st in x.sets:
        description, query = query_from_description(st.description)
        sid = ch.insert_one(
            CodeSet, uuid=st.guid, name=st.name, description=description, query=query
        )
        members = (
            {("code", code_id[g]) for g in st.codes if g in code_id}
            | {("document", doc_id[g]) for g in st.sources if g in doc_id}
            | {("memo", memo_id[g]) for g in st.notes if g in memo_id}
        )
        ch.insert(
            SetMember,
            [{"set_id": sid, "kind": k, "target_id": t} for k, t in sorted(members)],
        )
