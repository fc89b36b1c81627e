"""Three-way merge of cases, attribute definitions, relations and sets against the merge base:
deleted on one side stays deleted, an edit on one side wins, both edited (or deleted on one side
and edited on the other) is a conflict, and either order makes the same project."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from mergekit import TEXT_A, copies, two_sides
from sqlalchemy import select

from qcode import Project
from qcode.services.merge import MergeConflicts, merge_project
from qcode.store.models import AttributeDef, Case, CaseAttribute, CodeSet, Relation, SetMember


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    def fill(p: Project, folder: Path) -> None:
        p.documents.import_files([write(folder / "int01.txt", TEXT_A)])
        for name in ("income", "rent", "family"):
            p.codes.add(name)
        p.cases.add("P1", attrs={"age": "34"})
        p.cases.add("P2", attrs={"age": "50"})
        p.attributes.define("region", "text")
        p.attributes.set("P1", {"region": "north"})
        p.structure.relate("income", "is associated with", "rent", comment="tight months")
        p.structure.relate("family", "is associated with", "rent")
        p.sets.save("money", "income OR rent", description="money codes")
        p.sets.save("people", "family")
        with p.change("members") as ch:
            ids = {c.path: c.id for c in p.codes.list()}
            sid = ch.conn.scalar(select(CodeSet.id).where(CodeSet.name == "people"))
            ch.insert(SetMember, [{"set_id": sid, "kind": "code", "target_id": ids["family"]}])

    return two_sides(tmp_path, fill)


def edit(root: Path, model: Any, key: str, **values: Any) -> None:
    with Project.open(root) as p, p.change("edit") as ch:
        col = model.name if model is not Relation else Relation.comment
        rid = ch.conn.scalar(select(model.id).where(col == key))
        ch.update(model, [rid], **values)


def members(p: Project, name: str) -> set[str]:
    with p.read() as s:
        sid = s.scalar(select(CodeSet.id).where(CodeSet.name == name))
        ids = s.scalars(select(SetMember.target_id).where(SetMember.set_id == sid)).all()
    paths = {c.id: c.path for c in p.codes.list()}
    return {paths[i] for i in ids}


def state(root: Path) -> dict[str, Any]:
    with Project.open(root) as p, p.read() as s:
        return {
            "cases": sorted(tuple(r) for r in s.execute(select(Case.name, Case.description))),
            "attributes": sorted(s.scalars(select(AttributeDef.name))),
            "relations": sorted(
                (r.source, r.type, r.target, r.comment) for r in p.structure.list()
            ),
            "sets": sorted(
                (st.name, st.description, st.query, tuple(sorted(members(p, st.name))))
                for st in p.sets.list(counts=False)
            ),
        }


def both_orders(a: Path, b: Path, take: str | None = None) -> tuple[dict, dict]:
    a2, b2 = copies(a, b)
    flip = {"ours": "theirs", "theirs": "ours", None: None}[take]
    with Project.open(a) as p:
        merge_project(p, b, take=take)
    with Project.open(b2) as p:
        merge_project(p, a2, take=flip)
    return state(a), state(b2)


def test_deleted_on_one_side_is_deleted_after_the_merge(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.cases.delete("P2", force=True)
        (rel,) = [r for r in p.structure.list() if r.source == "family"]
        p.structure.remove(rel.id)
        p.sets.delete("people")
    with Project.open(a) as p, p.change("drop") as ch:  # alice drops the attribute here
        aid = ch.conn.scalar(select(AttributeDef.id).where(AttributeDef.name == "region"))
        ch.drop_values(
            CaseAttribute, ch.conn.scalar(select(Case.id).where(Case.name == "P1")), [aid]
        )
        ch.delete(AttributeDef, [aid])
    here, there = both_orders(a, b)
    assert here == there
    assert "P2" not in {c[0] for c in here["cases"]} and "P1" in {c[0] for c in here["cases"]}
    assert here["attributes"] == ["age"]  # gone here: stays gone, not back by union
    assert [r[0] for r in here["relations"]] == ["income"]
    assert [st[0] for st in here["sets"]] == ["money"]


def test_edited_on_one_side_is_taken(pair: tuple[Path, Path]) -> None:
    a, b = pair
    edit(b, Case, "P1", description="the first participant")
    edit(b, AttributeDef, "region", name="province")
    edit(b, Relation, "tight months", comment="rent comes first in tight months")
    with Project.open(b) as p:
        p.sets.save("money", "income OR rent OR family", description="all money", replace=True)
    with Project.open(a) as p, p.change("members") as ch:  # alice adds a member to people
        sid = ch.conn.scalar(select(CodeSet.id).where(CodeSet.name == "people"))
        rent = p.codes.get("rent").id
        ch.insert(SetMember, [{"set_id": sid, "kind": "code", "target_id": rent}])
    here, there = both_orders(a, b)
    assert here == there
    assert ("P1", "the first participant") in here["cases"]
    assert "province" in here["attributes"] and "region" not in here["attributes"]
    assert ("income", "is associated with", "rent", "rent comes first in tight months") in here[
        "relations"
    ]
    assert ("money", "all money", "income OR rent OR family", ()) in here["sets"]
    assert ("people", "", "family", ("family", "rent")) in here["sets"]


def test_set_members_added_and_removed_on_either_side(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p, p.change("members") as ch:
        sid = ch.conn.scalar(select(CodeSet.id).where(CodeSet.name == "people"))
        ch.delete(SetMember, list(ch.conn.scalars(select(SetMember.id))))  # family out
    with Project.open(b) as p, p.change("members") as ch:
        sid = ch.conn.scalar(select(CodeSet.id).where(CodeSet.name == "people"))
        income = p.codes.get("income").id
        ch.insert(SetMember, [{"set_id": sid, "kind": "code", "target_id": income}])
    here, there = both_orders(a, b)
    assert here == there
    assert ("people", "", "family", ("income",)) in here["sets"]


def test_both_edited_or_deleted_and_edited_is_a_conflict_in_either_order(
    pair: tuple[Path, Path],
) -> None:
    a, b = pair
    edit(a, Case, "P1", description="alice's note")
    edit(b, Case, "P1", description="bob's note")
    edit(a, Relation, "tight months", comment="alice: tight")
    with Project.open(b) as p:
        (rel,) = [r for r in p.structure.list() if r.comment == "tight months"]
        p.structure.remove(rel.id)
        p.sets.delete("money")
    with Project.open(a) as p:
        p.sets.save("money", "rent", description="money codes", replace=True)
    a2, b2 = copies(a, b)
    with Project.open(a) as p, pytest.raises(MergeConflicts) as one:
        merge_project(p, b)
    with Project.open(b2) as p, pytest.raises(MergeConflicts) as two:
        merge_project(p, a2)
    assert sorted(one.value.result.conflicts) == [
        "a relation was deleted there; changed here (comment changed here)",
        "case 'P1': description changed on both sides",
        "set 'money' was deleted there; changed here (query changed here)",
    ]
    assert sorted(two.value.result.conflicts) == [
        "case 'P1': description changed on both sides",
        "relation 'income' is associated with 'rent' was deleted here; changed there "
        "(comment changed)",
        "set 'money' was deleted here; changed there (query changed)",
    ]
    shutil.rmtree(a2)
    shutil.rmtree(b2)
    here, there = both_orders(a, b, take="theirs")  # bob's: P1 his, the relation and set gone
    assert here == there
    assert ("P1", "bob's note") in here["cases"]
    assert [r[0] for r in here["relations"]] == ["family"]
    assert [st[0] for st in here["sets"]] == ["people"]
