"""The common ancestor of two projects, for a three-way ``qcode merge``.

Two projects have one when one is a copy of the other (their event logs share a beginning: the
ancestor is the state at the last event both hold) or when they were merged before (a
:class:`~qcode.store.models.MergeBase` row: the other project's state at one of its events is in
this one). The newest of these is used. Its state is rebuilt from the event log of a project
that holds that event: the project's codes, documents and codings as they are, with the
operations of every later event reversed, newest first, in memory. Nothing is written.

Codes, documents, codings, memos, attribute values, cases, attribute definitions, relations
and sets are merged three ways (a deletion on one side stays, an edit on one side wins over no
edit); everything else is merged as before, by union. What other tables hold about a case, a
document, a relation, a memo or an attribute (its values, documents, case, memo links, evidence:
:meth:`Ancestor.facets`) is tracked too, so that deleting it on one side while the other added to
it since is a conflict (:func:`grown`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from qcode.i18n import _
from qcode.services.mapping import CODE
from qcode.services.project import Project
from qcode.store.models import TABLES, Event, MergeBase, new_uuid
from qcode.store.oplog import from_json

CODE_FIELDS = (
    *CODE.fields,
    "color",
)  # the colour is compared too, though exported only when chosen
TRACKED: dict[str, tuple[str, ...]] = {
    "codes": ("uuid", "name", "parent_id", *CODE_FIELDS),
    "documents": ("uuid", "name", "text_hash", "case_id"),
    "codings": ("uuid", "document_id", "code_id", "start", "end"),
    "memos": ("uuid", "title", "body"),
    "cases": ("uuid", "name", "description"),
    "attributes": ("uuid", "name", "scope", "type"),
    "relation_types": ("uuid", "name"),
    "relations": ("uuid", "source_id", "type_id", "target_id", "comment"),
    "sets": ("uuid", "name", "description", "query"),
    "set_members": ("set_id", "kind", "target_id"),
    "memo_links": ("memo_id", "target_kind", "target_id"),
    "relation_evidence": ("relation_id", "coding_id"),
}
MEMBER_OF = {"code": "codes", "document": "documents", "memo": "memos"}  # set member kinds
KV = {"case_attributes": "cases", "document_attributes": "documents"}  # values -> their owners
LINKED = {  # what a memo link points at
    "code": "codes",
    "document": "documents",
    "coding": "codings",
    "case": "cases",
    "memo": "memos",
    "relation": "relations",
}
# what other tables hold about one thing, by the name a conflict gives it
FACETS = ("attribute values", "values", "documents", "case", "memo links", "links", "evidence")
Facets = dict[tuple[str, str], dict[str, set[Any]]]


@dataclass
class Ancestor:
    """The common ancestor by GUID: codes (fields, ``name`` and ``parent`` GUID), documents
    (``name``, ``text_hash``, ``case`` GUID), codings (``document``, ``code`` GUIDs, ``start``,
    ``end``), memos (``title``, ``body``), memo links and relation evidence, and the rest."""

    where: str
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    codings: dict[str, dict[str, Any]] = field(default_factory=dict)
    memos: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[tuple[str, str, str], str] = field(default_factory=dict)  # owner, attribute
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)  # name, description
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # name, scope, type
    # source and target code GUIDs, the type's name, the comment
    relations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # name, description, query, and members: a set of (kind, GUID)
    sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: set[tuple[str, str, str]] = field(default_factory=set)  # memo, target kind, target
    evidence: set[tuple[str, str]] = field(default_factory=set)  # relation, coding
    _facets: Facets | None = field(default=None, repr=False, compare=False)

    def facets(self) -> Facets:
        """What other tables hold about each thing, by ``(kind, GUID)``: a case's or document's
        ``attribute values`` (attribute, value) and ``memo links`` (memo GUIDs), a case's
        ``documents``, a document's ``case``, an attribute's ``values``, a memo's ``links``
        (kind, target) and a relation's ``evidence`` (coding GUIDs)."""
        if self._facets is None:
            out: Facets = defaultdict(lambda: defaultdict(set))
            for (kind, owner, attr), value in self.values.items():
                out[(kind, owner)]["attribute values"].add((attr, value))
                out[("attribute", attr)]["values"].add((kind, owner, value))
            for g, d in self.documents.items():
                if d.get("case") is not None:
                    out[("case", d["case"])]["documents"].add(g)
                    out[("document", g)]["case"].add(d["case"])
            for memo, kind, target in self.links:
                out[(kind, target)]["memo links"].add(memo)
                out[("memo", memo)]["links"].add((kind, target))
            for rel, coding in self.evidence:
                out[("relation", rel)]["evidence"].add(coding)
            self._facets = out
        return self._facets


def grown(base: Ancestor | None, side: Ancestor | None, kind: str, guid: str) -> list[str]:
    """The facets of ``kind`` ``guid`` that ``side`` added to (or changed) since ``base``; what it
    only removed is not counted, as deleting the thing removes that too."""
    if base is None or side is None:
        return []
    b = base.facets().get((kind, guid), {})
    s = side.facets().get((kind, guid), {})
    return [name for name in FACETS if s.get(name, set()) - b.get(name, set())]


def _rows(conn: Connection, name: str) -> dict[int, dict[str, Any]]:
    t = TABLES[name]
    cols = TRACKED[name]
    return {
        r.id: {c: getattr(r, c) for c in cols}
        for r in conn.execute(select(t.c.id, *(t.c[c] for c in cols)))
    }


def _values(conn: Connection, name: str) -> dict[Any, Any]:
    t = TABLES[name]
    owner, key = (c.name for c in t.primary_key.columns)
    return {(r[0], r[1]): r[2] for r in conn.execute(select(t.c[owner], t.c[key], t.c.value))}


def _state(conn: Connection) -> dict[str, dict[Any, Any]]:
    state: dict[str, dict[Any, Any]] = {name: _rows(conn, name) for name in TRACKED}
    state.update({name: _values(conn, name) for name in KV})
    return state


def now(conn: Connection) -> Ancestor:
    """A project's tracked state as it is, in the ancestor's form (to compare with it)."""
    return _by_guid(_state(conn), "now")


def rewind(conn: Connection, upto: int) -> dict[str, dict[Any, Any]]:
    """The tracked tables as they were just after event ``upto`` (an events.id)."""
    state = _state(conn)
    later = conn.execute(
        select(Event.payload).where(Event.id > upto).order_by(Event.id.desc())
    ).scalars()
    for payload in later:
        for op in reversed((payload or {}).get("ops", [])):
            name = op[1]
            rows = state.get(name)
            if rows is None:
                continue
            if name in KV:
                if op[0] == "insert_kv":
                    rows.pop((op[2], op[3]), None)
                elif op[0] in ("delete_kv", "update_kv"):
                    rows[(op[2], op[3])] = op[4]
                continue
            cols = TRACKED[name]
            if op[0] == "insert":
                for i in op[2]:
                    rows.pop(i, None)
            elif op[0] == "delete":
                for raw in op[2]:
                    r = from_json(TABLES[name], raw)
                    rows[r["id"]] = {c: r.get(c) for c in cols}
            elif op[0] == "update":
                before = from_json(TABLES[name], op[3])
                for i in op[2]:
                    if i in rows:
                        rows[i].update({k: v for k, v in before.items() if k in cols})
    return state


def _by_guid(state: dict[str, dict[Any, Any]], where: str) -> Ancestor:
    codes, docs = state["codes"], state["documents"]
    out = Ancestor(where)
    for r in codes.values():
        parent = codes.get(r["parent_id"]) if r["parent_id"] is not None else None
        out.codes[r["uuid"]] = {
            **{c: r[c] for c in ("name", *CODE_FIELDS)},
            "parent": parent["uuid"] if parent else None,
        }
    cases = state["cases"]
    for r in docs.values():
        case = cases.get(r["case_id"]) if r["case_id"] is not None else None
        out.documents[r["uuid"]] = {
            "name": r["name"],
            "text_hash": r["text_hash"],
            "case": case["uuid"] if case else None,
        }
    for r in state["codings"].values():
        doc, code = docs.get(r["document_id"]), codes.get(r["code_id"])
        out.codings[r["uuid"]] = {
            "document": doc["uuid"] if doc else None,
            "code": code["uuid"] if code else None,
            "start": r["start"],
            "end": r["end"],
        }
    for r in state["memos"].values():
        out.memos[r["uuid"]] = {"title": r["title"], "body": r["body"]}
    attrs = state["attributes"]
    for r in state["cases"].values():
        out.cases[r["uuid"]] = {"name": r["name"], "description": r["description"]}
    for r in attrs.values():
        out.attributes[r["uuid"]] = {k: r[k] for k in ("name", "scope", "type")}
    types = {i: r["name"] for i, r in state["relation_types"].items()}
    for r in state["relations"].values():
        a, b = codes.get(r["source_id"]), codes.get(r["target_id"])
        if a is not None and b is not None:
            out.relations[r["uuid"]] = {
                "source": a["uuid"],
                "target": b["uuid"],
                "type": types.get(r["type_id"]),
                "comment": r["comment"],
            }
    members: dict[int, set[tuple[str, str]]] = {}
    for r in state["set_members"].values():
        target = state[MEMBER_OF[r["kind"]]].get(r["target_id"]) if r["kind"] in MEMBER_OF else None
        if target is not None:
            members.setdefault(r["set_id"], set()).add((r["kind"], target["uuid"]))
    for i, r in state["sets"].items():
        out.sets[r["uuid"]] = {
            **{k: r[k] for k in ("name", "description", "query")},
            "members": members.get(i, set()),
        }
    guid = {k: {i: r["uuid"] for i, r in state[t].items()} for k, t in LINKED.items()}
    for r in state["memo_links"].values():
        memo = guid["memo"].get(r["memo_id"])
        target = guid.get(r["target_kind"], {}).get(r["target_id"])
        if memo is not None and target is not None:
            out.links.add((memo, r["target_kind"], target))
    for r in state["relation_evidence"].values():
        rel, coding = guid["relation"].get(r["relation_id"]), guid["coding"].get(r["coding_id"])
        if rel is not None and coding is not None:
            out.evidence.add((rel, coding))
    for name, owners in KV.items():
        kind = owners[:-1]  # case, document
        for (owner, key), value in state[name].items():
            o, a = state[owners].get(owner), attrs.get(key)
            if o is not None and a is not None:
                out.values[(kind, o["uuid"], a["uuid"])] = value
    return out


def _events(conn: Connection) -> list[Any]:
    return list(conn.execute(select(Event.id, Event.uuid, Event.at).order_by(Event.id)))


def _records(conn: Connection) -> list[Any]:
    return list(conn.execute(select(MergeBase.uuid, MergeBase.base_event, MergeBase.absorber)))


def find_ancestor(p: Project, q: Project) -> tuple[Ancestor | None, str | None]:
    """The newest common ancestor of ``p`` and ``q`` (or None), and ``q``'s last event GUID
    (what a merge of ``q`` into ``p`` records)."""
    with p.read() as ps, q.read() as qs:
        pc, qc = ps.connection(), qs.connection()
        logs = {"here": _events(pc), "there": _events(qc)}
        conns = {"here": pc, "there": qc}
        index = {side: {e.uuid: e for e in ev} for side, ev in logs.items()}
        last = logs["there"][-1].uuid if logs["there"] else None
        candidates: list[tuple[Any, str, int, str]] = []  # (at, side, event id, where)
        shared = None
        for e in logs["there"]:  # the beginning both logs share: one is a copy of the other
            if e.uuid not in index["here"]:
                break
            shared = e
        if shared is not None:
            candidates.append((shared.at, "there", shared.id, _("the copy's origin")))
        records = {"here": _records(pc), "there": _records(qc)}
        for side, other in (("here", "there"), ("there", "here")):
            twins = {r.uuid for r in records[other]}
            for r in records[side]:
                if r.absorber and r.absorber not in twins:
                    continue  # the merge that wrote it was undone there
                for log in ("there", "here"):
                    e = index[log].get(r.base_event)
                    if e is not None:
                        when = _("the merge of {at} UTC").format(at=f"{e.at:%Y-%m-%d %H:%M}")
                        candidates.append((e.at, log, e.id, when))
                        break
        if not candidates:
            return None, last
        _at, side, event_id, where = max(candidates, key=lambda c: (c[0], c[1] == "there", c[2]))
        return _by_guid(rewind(conns[side], event_id), where), last


def record(ch: Any, base_event: str | None, peer: str) -> str | None:
    """Record (inside the merge's change, so undo withdraws it) that this project holds the
    other's state at its event ``base_event``; returns the row's GUID for its twin there."""
    if base_event is None:
        return None
    guid = new_uuid()
    ch.insert_one(MergeBase, uuid=guid, base_event=base_event, absorber="", peer=peer)
    return guid


def record_twin(q: Project, guid: str | None, base_event: str | None, peer: str) -> None:
    """The same record in ``q`` (not an undoable change there: it describes ``p``)."""
    if guid is None or base_event is None:
        return
    from sqlalchemy import insert

    with q.engine.begin() as c:
        c.execute(insert(MergeBase).values(base_event=base_event, absorber=guid, peer=peer))


def changed(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], keys: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """Per key: what a three-way merge does, as ``{key: theirs}`` to take and ``[key]`` in
    conflict (both sides changed it, differently)."""
    take: dict[str, Any] = {}
    conflicts: list[str] = []
    for k in keys:
        b, o, t = base.get(k), ours.get(k), theirs.get(k)
        if t in (b, o):
            continue
        if o == b:
            take[k] = t
        else:
            conflicts.append(k)
    return take, conflicts
