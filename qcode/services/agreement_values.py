"""Agreement on values in a project: ``qcode agreement --categories`` (the codes of a set as one
nominal variable per unit) and ``qcode agreement --attribute`` (coders' values of an attribute),
handed to :mod:`qcode.analysis.agreement_values`.

Coders' values of an attribute ``K`` are kept as attributes named ``K@CODER`` (for example
``severity@A`` and ``severity@B`` on each case, or on each document), one per coder, so that
each coder's judgement stays in the project beside the others'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from qcode.analysis.agreement import Coding as ACoding
from qcode.analysis.agreement_values import (
    LEVELS,
    attribute_agreement,
    category_agreement,
)
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.attributes import typed
from qcode.services.codes import CodeTree
from qcode.services.project import Project
from qcode.store.models import (
    AttributeDef,
    Case,
    CaseAttribute,
    Code,
    Coder,
    CodeSet,
    Coding,
    Document,
    DocumentAttribute,
    Segment,
    SetMember,
)

CATEGORY_UNITS = ("sentence", "paragraph", "turn")


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _coders(c: Any, coders: Sequence[str]) -> tuple[list[str], dict[str, int]]:
    names = list(dict.fromkeys(_split(coders)))
    if len(names) < 2:
        raise InvalidInputError(_("agreement needs two or more coders: --coders A,B"))
    ids = {r.name: r.id for r in c.execute(select(Coder.id, Coder.name))}
    for n in names:
        if n not in ids:
            raise NotFoundError(_("no coder named {n!r}").format(n=n))
    return names, ids


def _categories(c: Any, tree: CodeTree, spec: Sequence[str]) -> list[int]:
    """The codes named by ``--categories``: a set's codes (one name), or codes C1,C2,..."""
    names = _split(spec)
    if len(names) == 1:
        sid = c.scalar(select(CodeSet.id).where(CodeSet.name == names[0]))
        if sid is None:
            raise NotFoundError(
                _("no set named {v1!r} (--categories takes a set or two or more codes)").format(
                    v1=names[0]
                )
            )
        ids = [
            r.target_id
            for r in c.execute(
                select(SetMember.target_id)
                .join(Code, Code.id == SetMember.target_id)
                .where(SetMember.set_id == sid, SetMember.kind == "code")
            )
        ]
        if len(ids) < 2:
            raise InvalidInputError(_("set {v1!r} holds fewer than two codes").format(v1=names[0]))
        return sorted(ids, key=tree.path)
    ids = [tree.resolve(n) for n in names]
    if len(set(ids)) < 2:
        raise InvalidInputError(_("agreement on categories needs two or more categories"))
    return list(dict.fromkeys(ids))


def category(
    p: Project,
    coders: Sequence[str],
    categories: Sequence[str],
    unit: str,
    docs: Sequence[str] = (),
    none_missing: bool = False,
) -> dict[str, Any]:
    """Everything ``qcode agreement --categories ... --json`` prints."""
    if unit not in CATEGORY_UNITS:
        raise InvalidInputError(
            _("--categories needs --unit {v1} (not {unit!r})").format(
                v1=" or ".join(CATEGORY_UNITS), unit=unit
            )
        )
    with p.read() as s:
        c = s.connection()
        names, coder_id = _coders(c, coders)
        tree = CodeTree(c)
        cat_ids = _categories(c, tree, categories)
        doc_rows = c.execute(select(Document.id, Document.name, Document.chars)).all()
        by_name = {d.name: d for d in doc_rows}
        for w in _split(docs):
            if w not in by_name:
                raise NotFoundError(_("no document named {w!r}").format(w=w))
        chosen = [by_name[w] for w in _split(docs)] or sorted(doc_rows, key=lambda r: r.name)
        ids = {d.id: d.name for d in chosen}
        name_of = {coder_id[n]: n for n in names}
        q = select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
        q = q.where(Coding.coder_id.in_([coder_id[n] for n in names]), Coding.code_id.in_(cat_ids))
        records = [
            ACoding(ids[r[0]], tree.path(r[1]), name_of[r[2]], r[3], r[4])
            for r in c.execute(q).all()
            if r[0] in ids
        ]
        # a coder examined the documents they coded anything in; elsewhere their values are
        # missing, not "none of the categories"
        examined: dict[Any, list[str]] = {d.name: [] for d in chosen}
        seen = select(Coding.document_id, Coding.coder_id).distinct()
        for doc_id, who in c.execute(seen.where(Coding.coder_id.in_(list(name_of)))):
            if doc_id in ids:
                examined[ids[doc_id]].append(name_of[who])
        units: dict[Any, list[tuple[int, int]]] = {d.name: [] for d in chosen}
        seg = select(Segment.document_id, Segment.start, Segment.end).where(
            Segment.kind == unit, Segment.document_id.in_(list(ids))
        )
        for r in c.execute(seg.order_by(Segment.document_id, Segment.start)):
            units[ids[r.document_id]].append((r.start, r.end))
    res = category_agreement(
        records,
        {d.name: d.chars for d in chosen},
        names,
        [tree.path(i) for i in cat_ids],
        units,
        unit,
        examined,
        none_missing,
    )
    return res.as_json()


def attribute(p: Project, coders: Sequence[str], key: str) -> dict[str, Any]:
    """Everything ``qcode agreement --attribute K --json`` prints: alpha of the coders' values
    ``K@CODER`` on cases (or documents), at every level the attribute's type allows."""
    key = key.strip()
    if not key:
        raise InvalidInputError(_("--attribute needs a name"))
    names = list(dict.fromkeys(_split(coders)))
    if len(names) < 2:
        raise InvalidInputError(_("agreement needs two or more coders: --coders A,B"))
    with p.read() as s:
        c = s.connection()
        wanted = {f"{key}@{n}": n for n in names}
        defs = c.execute(
            select(AttributeDef.id, AttributeDef.name, AttributeDef.type, AttributeDef.scope).where(
                AttributeDef.name.in_(list(wanted))
            )
        ).all()
        scopes = {d.scope for d in defs}
        if not defs:
            raise NotFoundError(
                _(
                    "no attribute {key!r} coded by the coders: expected attributes named {v1}"
                ).format(key=key, v1=", ".join(repr(w) for w in wanted))
            )
        if len(scopes) > 1:
            raise InvalidInputError(
                _("attribute {key!r} is coded on both cases and documents; keep it on one").format(
                    key=key
                )
            )
        types = {d.type for d in defs}
        if len(types) > 1:
            raise InvalidInputError(
                _("the coders' attributes {key!r} have different types ({v1})").format(
                    key=key, v1=", ".join(sorted(types))
                )
            )
        (scope,), (type_,) = scopes, types
        model, owner = (CaseAttribute, Case) if scope == "case" else (DocumentAttribute, Document)
        owner_col = model.case_id if scope == "case" else model.document_id  # type: ignore[union-attr]
        values: dict[str, dict[Any, Any]] = {n: {} for n in names}
        by_id = {d.id: wanted[d.name] for d in defs}
        for oname, aid, value in c.execute(
            select(owner.name, model.attribute_id, model.value)
            .join(owner, owner.id == owner_col)
            .where(model.attribute_id.in_(list(by_id)))
            .order_by(owner.name)
        ):
            values[by_id[aid]][oname] = typed(type_, value)
    levels = LEVELS if type_ == "number" else ("nominal",)
    res = attribute_agreement(key, values, levels)
    return {**res.as_json(), "scope": scope, "type": type_}
