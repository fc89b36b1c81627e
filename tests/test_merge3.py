"""Three-way merge: against the common ancestor, a deletion on one side stays deleted, an edit
on one side wins over no edit, only changes on both sides conflict, and the order of a merge
does not change the project it makes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from mergekit import TEXT_A, TEXT_B, copies, copy_again, interviews, state, two_sides

from qcode import Project
from qcode.services.merge import merge_project


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    def fill(p: Project, folder: Path) -> None:
        interviews(p, folder)
        p.codings.apply("int01", 64, 74, "rent")

    return two_sides(tmp_path, fill)


def test_a_coding_uncoded_there_is_uncoded_here(pair: tuple[Path, Path], cli: Any) -> None:
    a, b = pair
    with Project.open(b) as p:
        (c,) = p.codings.list(code="rent")
        p.codings.remove([c.id])
    r = cli("-p", str(a), "merge", str(b), "--dry-run")
    assert "common ancestor: the copy's origin" in r.out and "would delete" in r.out, r.out
    with Project.open(a) as p:
        res = merge_project(p, b)
        assert res.ancestor == "the copy's origin" and res.deleted == {"codings": 1}
    assert not [c for c in state(a)["codings"] if c[1] == "rent"]


def test_what_was_deleted_here_does_not_come_back(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.codes.delete("rent", force=True)
        p.documents.delete("int02", force=True)
        (c,) = p.codings.list(code="income swings")
        p.codings.remove([c.id])
    before = state(a)
    with Project.open(a) as p:
        res = merge_project(p, b)
    assert state(a) == before
    assert res.kept_deleted == {"codes": 1, "documents": 1, "codings": 1}
    assert res.conflicts == []


def test_a_document_and_a_code_deleted_there_are_deleted_here(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.documents.delete("int02", force=True)
        p.codes.delete("family", force=True)
    with Project.open(a) as p:
        res = merge_project(p, b)
    got = state(a)
    assert got["docs"] == ["int01"] and "family" not in {c[0] for c in got["codes"]}
    assert res.deleted == {"codings": 1, "documents": 1, "codes": 1}


def test_deleted_there_but_used_here_since_is_kept_and_reported(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.delete("rent", force=True)
    with Project.open(a) as p:
        p.codings.apply("int01", 0, 11, "rent")
        res = merge_project(p, b, take="ours")
        assert res.conflicts == [
            "code 'rent' was deleted there; changed here (1 coding made here since); "
            "kept this project's"
        ]
        assert [c.start for c in p.codings.list(code="rent")] == [0]


def test_edits_on_one_side_win_and_both_sides_conflict(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.edit("income swings", description="Bob's wording")
        p.codes.edit("family", color="#112233")
        p.codes.rename("rent", "housing costs")
        p.documents.rename("int02", "family interview")
    with Project.open(a) as p:
        p.codes.edit("family", color="#445566")
        res = merge_project(p, b, take="ours")
        assert {d.name for d in p.documents.list()} == {"int01", "family interview"}
        assert p.codes.get("income swings").description == "Bob's wording"
        assert p.codes.get("housing costs").codings == 1
        assert p.codes.get("family").color == "#445566"
    assert res.conflicts == ["code 'family': color changed on both sides; kept this project's"]


def test_merging_in_either_order_makes_the_same_project(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.codes.delete("rent", force=True)
        p.codes.edit("family", description="kin")
        p.codings.apply("int02", 0, 11, "family")
    with Project.open(b) as p:
        (c,) = p.codings.list(code="income swings")
        p.codings.remove([c.id])
        p.codes.add("saving")
        p.codings.apply("int02", 40, 49, "saving", coder="bob")
        p.documents.delete("int01", force=True)
    a2, b2 = copies(a, b)
    with Project.open(a) as p:
        merge_project(p, b)
    with Project.open(b2) as p:
        merge_project(p, a2)
    assert state(a) == state(b2)
    got = state(a)
    assert got["docs"] == ["int02"]
    assert {c[0] for c in got["codes"]} == {"family", "income swings", "saving"}


def test_the_last_merge_is_the_next_ancestor_and_undo_withdraws_it(
    pair: tuple[Path, Path],
) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.add("saving")
        p.codings.apply("int02", 40, 49, "saving", coder="bob")
    with Project.open(a) as p:
        merge_project(p, b)  # saving comes over
    with Project.open(b) as p:  # bob then uncodes it and deletes the code
        p.codes.delete("saving", force=True)
    with Project.open(a) as p:
        res = merge_project(p, b)
        assert res.ancestor is not None and res.ancestor.startswith("the merge of")
        assert res.deleted == {"codings": 1, "codes": 1}
        assert "saving" not in {c.path for c in p.codes.list()}
    # b merging a now: a's state holds b's; nothing comes back into b
    with Project.open(b) as p:
        res = merge_project(p, a)
        assert "saving" not in {c.path for c in p.codes.list()}
    # a dry run records nothing
    with Project.open(a) as p:
        from qcode.store.models import MergeBase

        with p.read() as s:
            n = s.query(MergeBase).count()
        merge_project(p, b, dry_run=True)
        with p.read() as s:
            assert s.query(MergeBase).count() == n


def test_memos_edited_or_deleted_on_one_side(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.memos.add("first thoughts", "money", "code")
        p.memos.add("to drop", "x", "code")
        p.memos.add("dropped here", "y", "code")
    copy_again(a, b)
    with Project.open(b) as p:
        by_title = {m.title: m.id for m in p.memos.list()}
        p.memos.edit(by_title["first thoughts"], body="bob's better version")
        p.memos.delete(by_title["to drop"])
    with Project.open(a) as p:
        p.memos.delete({m.title: m.id for m in p.memos.list()}["dropped here"])
        res = merge_project(p, b)
        assert [(m.title, m.body) for m in p.memos.list()] == [
            ("first thoughts", "bob's better version")
        ]
    assert res.conflicts == []
    assert res.deleted == {"memos": 1} and res.kept_deleted == {"memos": 1}


def test_attribute_values_changed_on_one_side(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.cases.add("P1", attrs={"age": "34", "city": "Beijing"})
        p.cases.assign("int01", "P1")
    copy_again(a, b)
    with Project.open(b) as p:
        p.attributes.set("P1", {"age": "35", "city": "Xi'an"})
    with Project.open(a) as p:
        p.attributes.set("P1", {"city": "Shanghai"})
        res = merge_project(p, b, take="ours")
        values = p.attributes.values("case", "P1")["P1"]
    assert values["age"] == 35  # changed there only: taken
    assert values["city"] == "Shanghai"  # changed on both sides: this project's, reported
    assert [c for c in res.conflicts if "attribute" in c] == [
        "case 'P1': attribute value \"Xi'an\" there, 'Shanghai' here; kept this project's"
    ]


def test_a_code_moved_on_one_side_moves_and_on_both_conflicts(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.move("rent", "family")
        p.codes.move("income swings", "family")
    with Project.open(a) as p:
        p.codes.add("money")
        p.codes.move("income swings", "money")
        res = merge_project(p, b, take="ours")
        paths = {c.path for c in p.codes.list()}
    assert {"family/rent", "money/income swings"} <= paths
    assert res.conflicts == [
        "code 'money/income swings': place in the tree changed on both sides; kept this project's"
    ]


def test_undoing_a_merge_withdraws_its_record(pair: tuple[Path, Path], cli: Any) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.add("saving")
    with Project.open(a) as p:
        assert merge_project(p, b).ancestor == "the copy's origin"
    with Project.open(b) as p:
        p.codes.add("spending")
    with Project.open(a) as p:
        assert (merge_project(p, b, dry_run=True).ancestor or "").startswith("the merge of")
    assert cli("-p", str(a), "undo").code == 0  # the merge
    with Project.open(a) as p:
        res = merge_project(p, b, dry_run=True)
        # the twin in b no longer counts: its row here is gone with the merge
        assert res.ancestor == "the copy's origin"
        assert res.added["codes"] == 2


# -- a document deleted on one side, its memo links or attribute values changed on the other ---


def doc_copies(tmp_path: Path) -> tuple[Path, Path]:
    """A project with two documents (int02 with a document attribute ``site``) and its copy."""
    m1 = tmp_path / "m1"
    with Project.init(m1, name="Study") as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT_A)])
        p.documents.import_files([write(tmp_path / "int02.txt", TEXT_B)])
        p.attributes.define("site", "text", scope="document")
        p.attributes.set("int02", {"site": "north"}, scope="document")
    m2 = tmp_path / "m2"
    shutil.copytree(m1, m2)
    return m1, m2


def conflicts_both_ways(m1: Path, m2: Path) -> tuple[list[str], list[str]]:
    from qcode.services.merge import MergeConflicts

    out = []
    for here, there in ((m1, m2), (m2, m1)):
        with Project.open(here) as p, pytest.raises(MergeConflicts) as e:
            merge_project(p, there)
        out.append(sorted(e.value.result.conflicts))
    return out[0], out[1]


def test_a_document_deleted_there_with_a_memo_linked_here_is_a_conflict(tmp_path: Path) -> None:
    from qcode.services.memos import Target

    m1, m2 = doc_copies(tmp_path)
    with Project.open(m2) as p:
        p.documents.delete("int02", force=True)
    with Project.open(m1) as p:
        p.memos.add("on int02", "the son", targets=[Target("document", "int02")])
    one, two = conflicts_both_ways(m1, m2)
    assert one == ["document 'int02' was deleted there; changed here (memo links changed here)"]
    assert two == ["document 'int02' was deleted here; changed there (memo links changed)"]
    with Project.open(m1) as p:
        merge_project(p, m2, take="ours")
        assert {d.name for d in p.documents.list()} == {"int01", "int02"}
        assert [len(m.links) for m in p.memos.list()] == [1]


def test_a_document_deleted_there_with_a_value_set_here_is_a_conflict(tmp_path: Path) -> None:
    m1, m2 = doc_copies(tmp_path)
    with Project.open(m2) as p:
        p.documents.delete("int02", force=True)
    with Project.open(m1) as p:
        p.attributes.set("int02", {"site": "south"}, scope="document")
    one, two = conflicts_both_ways(m1, m2)
    assert one == [
        "document 'int02' was deleted there; changed here (attribute values changed here)"
    ]
    assert two == ["document 'int02' was deleted here; changed there (attribute values changed)"]
    with Project.open(m1) as p:
        merge_project(p, m2, take="theirs")
        assert {d.name for d in p.documents.list()} == {"int01"}


def test_a_document_deleted_there_and_unchanged_here_is_deleted_in_either_order(
    tmp_path: Path,
) -> None:
    m1, m2 = doc_copies(tmp_path)
    with Project.open(m2) as p:
        p.documents.delete("int02", force=True)
    with Project.open(m1) as p:  # here only what deleting it removes anyway: its value
        p.attributes.unset("int02", ["site"], scope="document")
    m1c, m2c = tmp_path / "m1c", tmp_path / "m2c"
    shutil.copytree(m1, m1c)
    shutil.copytree(m2, m2c)
    with Project.open(m1c) as p:
        assert merge_project(p, m2).conflicts == []
    with Project.open(m2c) as p:
        assert merge_project(p, m1).conflicts == []
    assert state(m1c) == state(m2c) and state(m1c)["docs"] == ["int01"]


def test_a_memo_or_code_deleted_there_and_linked_here_is_a_conflict(tmp_path: Path) -> None:
    from qcode.services.memos import Target

    m1, m2 = doc_copies(tmp_path)
    with Project.open(m1) as p:
        p.codes.add("rent")
        p.memos.add("rent first", "she pays rent first")
    shutil.rmtree(m2)
    shutil.copytree(m1, m2)
    with Project.open(m2) as p:
        p.codes.delete("rent", force=True)
        p.memos.delete(p.memos.list()[0].id)
    with Project.open(m1) as p:
        p.memos.link(p.memos.list()[0].id, [Target("code", "rent")])
    one, two = conflicts_both_ways(m1, m2)
    assert one == [
        "code 'rent' was deleted there; changed here (memo links changed here)",
        "memo 'rent first' was deleted there; changed here (links changed here)",
    ]
    assert two == [
        "code 'rent' was deleted here; changed there (memo links changed)",
        "memo 'rent first' was deleted here; changed there (links changed)",
    ]
    m1c, m2c = tmp_path / "m1c", tmp_path / "m2c"
    shutil.copytree(m1, m1c)
    shutil.copytree(m2, m2c)
    for here, there, take in ((m1, m2c, "ours"), (m2, m1c, "theirs")):
        with Project.open(here) as p:
            merge_project(p, there, take=take)
    with Project.open(m1) as p, Project.open(m2) as q:
        for r in (p, q):  # both keep m1's: the code, the memo and its link
            assert [(m.title, [lk.kind for lk in m.links]) for m in r.memos.list()] == [
                ("rent first", ["code"])
            ]
            assert "rent" in {c.path for c in r.codes.list()}


def test_a_document_moved_to_different_cases_on_both_sides_is_a_conflict(tmp_path: Path) -> None:
    m1, m2 = doc_copies(tmp_path)
    with Project.open(m1) as p:
        p.cases.assign("int02", "P1")
    with Project.open(m2) as p:
        p.cases.assign("int02", "P2")
    one, two = conflicts_both_ways(m1, m2)
    assert one == two == ["document 'int02': case changed on both sides"]
    with Project.open(m1) as p:
        merge_project(p, m2, take="theirs")
        assert {c.name for c in p.cases.list() if c.documents} == {"int01", "P2"}


def test_the_report_counts_what_was_changed_from_there(pair: tuple[Path, Path], cli: Any) -> None:
    """Edits taken from the other copy are reported (they had gone unmentioned beside "added
    nothing"), each record once however many of its fields changed; a repeat merge changes
    nothing and says so by saying nothing of it."""
    a, b = pair
    with Project.open(b) as p:
        p.codes.edit("income swings", description="Bob's wording")
        p.codes.rename("income swings", "income ups and downs")
        p.documents.rename("int02", "family interview")
    dry = cli("-p", str(a), "merge", str(b), "--dry-run")
    assert dry.code == 0 and "would change (changed there): 1 codes, 1 documents" in dry.out
    with Project.open(a) as p:
        res = merge_project(p, b)
        assert res.changed == {"codes": 1, "documents": 1}
        assert not any(res.added.values())
        assert merge_project(p, b).changed == {}
