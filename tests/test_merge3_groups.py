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


# -- what a case, relation or document holds in other tables -------------------------------------
# (a deletion on one side of a case whose values, documents or memo links changed on the other,
# or of a relation whose evidence changed, is a conflict; a value removed on one side is removed)


def linked_copies(tmp_path: Path) -> tuple[Path, Path]:
    """A project with cases C1 (age 30) and C2 (age 41), a document int01 (in the case the
    import made for it, int01), a relation with no evidence, and its copy."""
    m1 = tmp_path / "m1"
    with Project.init(m1, name="Study") as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT_A)])
        p.codes.add("income")
        p.codes.add("rent")
        p.cases.add("C1", attrs={"age": "30"})
        p.cases.add("C2", attrs={"age": "41"})
        p.codings.apply("int01", 0, 11, "income")
        p.structure.relate("income", "is associated with", "rent", comment="tight")
    m2 = tmp_path / "m2"
    shutil.copytree(m1, m2)
    return m1, m2


def linked_state(root: Path) -> dict[str, Any]:
    """Cases with their values and documents, relations with their evidence, memo links."""
    from qcode.store.models import Document, MemoLink, RelationEvidence

    with Project.open(root) as p, p.read() as s:
        cases = {i: n for i, n in s.execute(select(Case.id, Case.name))}
        attrs = {i: n for i, n in s.execute(select(AttributeDef.id, AttributeDef.name))}
        return {
            "values": sorted(
                (cases[r.case_id], attrs[r.attribute_id], r.value)
                for r in s.execute(select(CaseAttribute.__table__))
            ),
            "documents": sorted(
                (d.name, cases.get(d.case_id)) for d in s.execute(select(Document.__table__))
            ),
            "relations": sorted(
                (r.source, r.target, r.comment, len(r.evidence)) for r in p.structure.list()
            ),
            "evidence": s.query(RelationEvidence).count(),
            "memo links": sorted(
                (m, k) for m, k in s.execute(select(MemoLink.memo_id, MemoLink.target_kind))
            ),
            "cases": sorted(cases.values()),
        }


def merge_both_ways(m1: Path, m2: Path, take: str | None) -> tuple[Any, Any]:
    """m2 into a copy of m1 with ``take``, and m1 into a copy of m2 with the opposite choice:
    the two projects' states (or the MergeConflicts of each, without a choice)."""
    m1c, m2c = m1.parent / f"m1-{take}", m2.parent / f"m2-{take}"
    shutil.copytree(m1, m1c)
    shutil.copytree(m2, m2c)
    flip = {"ours": "theirs", "theirs": "ours", None: None}[take]
    out: list[Any] = []
    for here, there, how in ((m1c, m2, take), (m2c, m1, flip)):
        with Project.open(here) as p:
            try:
                merge_project(p, there, take=how)
            except MergeConflicts as e:
                out.append(sorted(e.result.conflicts))
                continue
        out.append(linked_state(here))
    return out[0], out[1]


def test_a_case_deleted_there_with_values_and_documents_set_here_is_a_conflict(
    tmp_path: Path, cli: Any
) -> None:
    m1, m2 = linked_copies(tmp_path)
    assert cli("-p", str(m2), "cases", "delete", "C1", "--force").code == 0
    assert cli("-p", str(m1), "attrs", "set", "C1", "age=40").code == 0
    assert cli("-p", str(m1), "cases", "assign", "int01", "C1").code == 0
    before = linked_state(m1)
    r = cli("-p", str(m1), "merge", str(m2))
    assert r.code == 3, r.out + r.err
    assert linked_state(m1) == before  # nothing written
    one, two = merge_both_ways(m1, m2, None)
    assert one == [
        "case 'C1' was deleted there; changed here (attribute values, documents changed here)"
    ]
    assert two == [
        "case 'C1' was deleted here; changed there (attribute values, documents changed)"
    ]
    kept, kept_too = merge_both_ways(m1, m2, "ours")  # m1's: C1 stays with its value, document
    assert kept == kept_too
    assert ("C1", "age", "40") in kept["values"] and ("int01", "C1") in kept["documents"]
    gone, gone_too = merge_both_ways(m1, m2, "theirs")  # m2's deletion
    assert gone == gone_too
    assert gone["cases"] == ["C2", "int01"] and gone["documents"] == [("int01", None)]
    assert [v[0] for v in gone["values"]] == ["C2"]


def test_a_case_deleted_there_with_a_memo_linked_here_is_a_conflict(tmp_path: Path) -> None:
    from qcode.services.memos import Target

    m1, m2 = linked_copies(tmp_path)
    with Project.open(m2) as p:
        p.cases.delete("C1", force=True)
    with Project.open(m1) as p:
        p.memos.add("about C1", "she pays rent first", targets=[Target("case", "C1")])
    one, two = merge_both_ways(m1, m2, None)
    assert one == ["case 'C1' was deleted there; changed here (memo links changed here)"]
    assert two == ["case 'C1' was deleted here; changed there (memo links changed)"]
    kept, kept_too = merge_both_ways(m1, m2, "ours")
    assert kept == kept_too and "C1" in kept["cases"] and len(kept["memo links"]) == 1


def test_a_case_deleted_there_and_only_emptied_here_is_deleted(tmp_path: Path) -> None:
    m1, m2 = linked_copies(tmp_path)
    with Project.open(m1) as p:
        p.cases.assign("int01", "C1")
    shutil.rmtree(m2)
    shutil.copytree(m1, m2)
    with Project.open(m2) as p:
        p.cases.delete("C1", force=True)
    with Project.open(m1) as p:  # here: the document out of C1, its value removed
        p.cases.assign("int01", None)
        p.attributes.unset("C1", ["age"])
    one, two = merge_both_ways(m1, m2, None)
    assert one == two
    assert one["cases"] == ["C2", "int01"] and one["documents"] == [("int01", None)]


def test_a_relation_deleted_there_with_evidence_added_here_is_a_conflict(tmp_path: Path) -> None:
    m1, m2 = linked_copies(tmp_path)
    with Project.open(m2) as p:
        (rel,) = p.structure.list()
        p.structure.remove(rel.id)
    with Project.open(m1) as p:
        (rel,) = p.structure.list()
        (c,) = p.codings.list()
        p.structure.edit(rel.id, add_evidence=[c.id])
    one, two = merge_both_ways(m1, m2, None)
    assert one == ["a relation was deleted there; changed here (evidence changed here)"]
    assert two == [
        "relation 'income' is associated with 'rent' was deleted here; changed there "
        "(evidence changed)"
    ]
    kept, kept_too = merge_both_ways(m1, m2, "ours")
    assert kept == kept_too and kept["relations"] == [("income", "rent", "tight", 1)]
    gone, gone_too = merge_both_ways(m1, m2, "theirs")
    assert gone == gone_too and gone["relations"] == [] and gone["evidence"] == 0


def test_a_value_removed_on_one_side_is_removed_in_either_order(tmp_path: Path, cli: Any) -> None:
    m1, m2 = linked_copies(tmp_path)
    assert cli("-p", str(m2), "attrs", "unset", "C1", "age").code == 0
    one, two = merge_both_ways(m1, m2, None)
    assert one == two
    assert one["values"] == [("C2", "age", "41")]


def test_a_value_removed_there_and_changed_here_is_a_conflict(tmp_path: Path) -> None:
    m1, m2 = linked_copies(tmp_path)
    with Project.open(m2) as p:
        p.attributes.unset("C1", ["age"])
    with Project.open(m1) as p:
        p.attributes.set("C1", {"age": "31"})
    one, two = merge_both_ways(m1, m2, None)
    assert one == ["case 'C1': attribute value removed there, '31' here"]
    assert two == ["case 'C1': attribute value '31' there, removed here"]
    kept, kept_too = merge_both_ways(m1, m2, "ours")
    assert kept == kept_too and ("C1", "age", "31") in kept["values"]
    gone, gone_too = merge_both_ways(m1, m2, "theirs")
    assert gone == gone_too and gone["values"] == [("C2", "age", "41")]


def test_a_document_put_in_a_case_on_one_side_is_in_it_in_either_order(tmp_path: Path) -> None:
    m1, m2 = linked_copies(tmp_path)
    with Project.open(m2) as p:
        p.cases.assign("int01", "C2")
    one, two = merge_both_ways(m1, m2, None)
    assert one == two
    assert one["documents"] == [("int01", "C2")]


def test_an_attribute_deleted_there_with_values_set_here_is_a_conflict(tmp_path: Path) -> None:
    m1, m2 = linked_copies(tmp_path)
    with Project.open(m2) as p, p.change("drop") as ch:
        aid = ch.conn.scalar(select(AttributeDef.id).where(AttributeDef.name == "age"))
        for cid in ch.conn.scalars(select(Case.id)).all():
            ch.drop_values(CaseAttribute, cid, [aid])
        ch.delete(AttributeDef, [aid])
    with Project.open(m1) as p:
        p.attributes.set("C2", {"age": "42"})
    one, two = merge_both_ways(m1, m2, None)
    assert one == ["attribute 'age' was deleted there; changed here (values changed here)"]
    assert two == ["attribute 'age' was deleted here; changed there (values changed)"]
    kept, kept_too = merge_both_ways(m1, m2, "ours")
    assert kept == kept_too and kept["values"] == [("C1", "age", "30"), ("C2", "age", "42")]
    gone, gone_too = merge_both_ways(m1, m2, "theirs")
    assert gone == gone_too and gone["values"] == []
