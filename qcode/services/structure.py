"""Grounded-theory structure: typed relations between codes and categories, Strauss and Corbin's
paradigm worksheet, and the core category with every category's path to it."""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.store.models import Code, Coder, Coding, Relation, RelationEvidence, RelationType

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project

# The paradigm model's slots, each the relation type that points from a code at the phenomenon.
PARADIGM_SLOTS = (
    ("causal conditions", "causal condition of"),
    ("context", "context of"),
    ("intervening conditions", "intervening condition of"),
    ("strategies", "action/interaction strategy for"),
    ("consequences", "consequence of"),
)


@dataclass
class RelationTypeInfo:
    id: int
    name: str
    directed: bool
    family: str
    description: str
    relations: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RelationInfo:
    id: int
    uuid: str
    source: str
    type: str
    target: str
    directed: bool
    family: str
    comment: str
    coder: str | None
    evidence: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class StructureService:
    def __init__(self, project: Project) -> None:
        self.p = project

    # -- relation types ------------------------------------------------------------------------
    def types(self) -> builtins.list[RelationTypeInfo]:
        with self.p.read() as s:
            counts = dict(
                s.execute(select(Relation.type_id, func.count()).group_by(Relation.type_id)).all()
            )
            return [
                RelationTypeInfo(
                    t.id, t.name, t.directed, t.family, t.description, counts.get(t.id, 0)
                )
                for t in s.scalars(select(RelationType).order_by(RelationType.id))
                if self.p.settings.paradigm or t.family != "paradigm"
            ]

    def add_type(self, name: str, directed: bool = True, description: str = "") -> RelationTypeInfo:
        name = " ".join(name.split())
        if not name:
            raise InvalidInputError(_("a relation type needs a name"))
        with self.p.change("relations.type") as ch:
            if ch.conn.scalar(select(RelationType.id).where(RelationType.name == name)):
                raise ConflictError(_("relation type {name!r} already exists").format(name=name))
            ch.insert_one(
                RelationType, name=name, directed=directed, family="user", description=description
            )
            ch.summary = f"add relation type {name!r}"
        return next(t for t in self.types() if t.name == name)

    def _type(self, ch: Change, name: str) -> Any:
        table: Any = RelationType.__table__
        t = ch.conn.execute(select(table).where(table.c.name == name)).first()
        if t is None:
            known = ", ".join(t.name for t in self.types())
            raise NotFoundError(
                _("unknown relation type {name!r} (known: {known})").format(name=name, known=known)
            )
        if t.family == "paradigm" and not self.p.settings.paradigm:
            raise InvalidInputError(
                _(
                    "{name!r} belongs to the paradigm model, which this project has switched off"
                ).format(name=name)
            )
        return t

    # -- relations -----------------------------------------------------------------------------
    def relate(
        self,
        source: str,
        type_name: str,
        target: str,
        comment: str = "",
        evidence: builtins.list[int] | None = None,
        coder: str | None = None,
    ) -> RelationInfo:
        with self.p.change("relate", actor=coder) as ch:
            tree = CodeTree(ch.conn)
            a, b = tree.resolve(source), tree.resolve(target)
            if a == b:
                raise InvalidInputError(_("cannot relate {v1!r} to itself").format(v1=tree.path(a)))
            t = self._type(ch, type_name)
            pairs = [(a, b)] if t.directed else [(a, b), (b, a)]
            for x, y in pairs:
                if ch.conn.scalar(
                    select(Relation.id).where(
                        Relation.source_id == x, Relation.type_id == t.id, Relation.target_id == y
                    )
                ):
                    raise ConflictError(
                        _("{v1!r} {name} {v2!r} is already recorded").format(
                            v1=tree.path(a), name=t.name, v2=tree.path(b)
                        )
                    )
            coder_id = self.p.ensure_coder(ch, coder)
            rid = ch.insert_one(
                Relation, source_id=a, type_id=t.id, target_id=b, comment=comment, coder_id=coder_id
            )
            self._add_evidence(ch, rid, evidence or [])
            ch.summary = f"relate {tree.path(a)!r} {t.name} {tree.path(b)!r}"
        return self.get(rid)

    def _add_evidence(self, ch: Change, rid: int, coding_ids: builtins.list[int]) -> None:
        have = set(
            ch.conn.scalars(
                select(RelationEvidence.coding_id).where(RelationEvidence.relation_id == rid)
            )
        )
        rows = []
        for cid in dict.fromkeys(coding_ids):
            if ch.conn.scalar(select(Coding.id).where(Coding.id == cid)) is None:
                raise NotFoundError(_("no coding with id {cid}").format(cid=cid))
            if cid not in have:
                rows.append({"relation_id": rid, "coding_id": cid})
        ch.insert(RelationEvidence, rows)

    def edit(
        self,
        relation_id: int,
        comment: str | None = None,
        add_evidence: builtins.list[int] | None = None,
        remove_evidence: builtins.list[int] | None = None,
    ) -> RelationInfo:
        with self.p.change("relations.edit") as ch:
            self._require(ch, relation_id)
            if comment is not None:
                ch.update(Relation, [relation_id], comment=comment)
            self._add_evidence(ch, relation_id, add_evidence or [])
            if remove_evidence:
                ev = ch.conn.scalars(
                    select(RelationEvidence.id).where(
                        RelationEvidence.relation_id == relation_id,
                        RelationEvidence.coding_id.in_(remove_evidence),
                    )
                )
                ch.delete(RelationEvidence, list(ev))
            ch.summary = f"edit relation {relation_id}"
        return self.get(relation_id)

    def remove(self, relation_id: int) -> None:
        with self.p.change("relations.remove") as ch:
            self._require(ch, relation_id)
            ev = ch.conn.scalars(
                select(RelationEvidence.id).where(RelationEvidence.relation_id == relation_id)
            )
            ch.delete(RelationEvidence, list(ev))
            ch.unlink_memos("relation", [relation_id])
            ch.delete(Relation, [relation_id])
            ch.summary = f"remove relation {relation_id}"

    def _require(self, ch: Change, relation_id: int) -> None:
        if ch.conn.scalar(select(Relation.id).where(Relation.id == relation_id)) is None:
            raise NotFoundError(
                _("no relation with id {relation_id}").format(relation_id=relation_id)
            )

    def get(self, relation_id: int) -> RelationInfo:
        found = [r for r in self.list() if r.id == relation_id]
        if not found:
            raise NotFoundError(
                _("no relation with id {relation_id}").format(relation_id=relation_id)
            )
        return found[0]

    def list(self, code: str | None = None) -> builtins.list[RelationInfo]:
        """Every relation (or those touching ``code``), in the order they were made."""
        with self.p.read() as s:
            tree = CodeTree(s)
            q = (
                select(Relation, RelationType, Coder.name)
                .join(RelationType, RelationType.id == Relation.type_id)
                .outerjoin(Coder, Coder.id == Relation.coder_id)
                .order_by(Relation.id)
            )
            if code is not None:
                cid = tree.resolve(code)
                q = q.where((Relation.source_id == cid) | (Relation.target_id == cid))
            rows = s.execute(q).all()
            evidence: dict[int, builtins.list[int]] = {}
            for rid, cid in s.execute(
                select(RelationEvidence.relation_id, RelationEvidence.coding_id).order_by(
                    RelationEvidence.coding_id
                )
            ):
                evidence.setdefault(rid, []).append(cid)
        return [
            RelationInfo(
                r.id,
                r.uuid,
                tree.path(r.source_id),
                t.name,
                tree.path(r.target_id),
                t.directed,
                t.family,
                r.comment,
                coder,
                evidence.get(r.id, []),
            )
            for r, t, coder in rows
        ]

    # -- the paradigm worksheet ----------------------------------------------------------------
    def paradigm(self, category: str) -> dict[str, Any]:
        """``category`` as phenomenon: for each slot of the paradigm model, the codes that fill
        it with their evidence counts; empty slots listed."""
        if not self.p.settings.paradigm:
            raise InvalidInputError(
                _("the paradigm model is switched off for this project (qcode paradigm --enable)")
            )
        with self.p.read() as s:
            phenomenon = CodeTree(s).path(CodeTree(s).resolve(category))
        rels = [r for r in self.list() if r.target == phenomenon and r.family == "paradigm"]
        slots: dict[str, builtins.list[dict[str, Any]]] = {}
        for slot, type_name in PARADIGM_SLOTS:
            slots[slot] = [
                {
                    "code": r.source,
                    "relation": r.id,
                    "comment": r.comment,
                    "evidence": len(r.evidence),
                }
                for r in rels
                if r.type == type_name
            ]
        return {
            "phenomenon": phenomenon,
            "slots": slots,
            "empty": [slot for slot, items in slots.items() if not items],
        }

    # -- the core category ---------------------------------------------------------------------
    def set_core(self, category: str) -> None:
        with self.p.change("core") as ch:
            tree = CodeTree(ch.conn)
            cid = tree.resolve(category)
            self.p.codes._check_level(ch, "selective", cid)
            ch.update(Code, [cid], level="selective")
            ch.summary = f"make {tree.path(cid)!r} the core category"

    def core(self) -> dict[str, Any]:
        """The core category (or categories), each category's shortest path to it through
        relations and the code hierarchy, the categories not connected to it, and the storyline
        memos linked to it."""
        import networkx as nx  # only here: it costs every command a fifth of a second to import

        with self.p.read() as s:
            tree = CodeTree(s)
            levels = dict(s.execute(select(Code.id, Code.level)).all())
        cores = [c for c, lv in levels.items() if lv == "selective"]
        graph = nx.Graph()
        graph.add_nodes_from(levels)
        for c, parent in tree.parent.items():
            if parent is not None:
                graph.add_edge(c, parent, label="contains")
        for r in self.list():
            a, b = tree.resolve(r.source), tree.resolve(r.target)
            graph.add_edge(a, b, label=r.type)
        categories = sorted((c for c, lv in levels.items() if lv == "axial"), key=tree.path)
        paths: dict[str, builtins.list[str]] = {}
        unrelated: builtins.list[str] = []
        for cat in categories:
            best = None
            for core in cores:
                try:
                    path = nx.shortest_path(graph, cat, core)
                except nx.NetworkXNoPath:
                    continue
                if best is None or len(path) < len(best):
                    best = path
            if best is None:
                unrelated.append(tree.path(cat))
            else:
                steps = [tree.path(best[0])]
                for x, y in zip(best, best[1:], strict=False):
                    steps += [graph.edges[x, y]["label"], tree.path(y)]
                paths[tree.path(cat)] = steps
        storyline = []
        for core in cores:
            storyline += [
                m.title
                for m in self.p.memos.list(kind="code", target_id=core)
                if m.type == "storyline"
            ]
        return {
            "core": [tree.path(c) for c in cores],
            "paths": paths,
            "unrelated": unrelated,
            "storyline": storyline,
        }
