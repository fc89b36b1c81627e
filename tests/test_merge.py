"""qcode merge: another coder's copy comes in with nothing lost and nothing doubled."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write

from qcode import Project
from qcode.services.merge import merge_project

TEXT_A = "Interviewer: Do you pay?\nR: Some months I pay, some months I cannot. 😀 Rent first."
TEXT_B = "Interviewer: And your family?\nR: My son says keep the money in my own hands."


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Project ``a`` (coder alice) and a copy ``b`` handed to coder bob, both with one coding."""
    a = tmp_path / "a"
    with Project.init(a, name="Study") as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT_A)], attrs={"age": "34"})
        p.codes.add("income swings", description="Income varies")
        p.codes.add("family", level="axial")
        p.codings.apply("int01", 26, 62, "income swings")
        p.memos.add("first thoughts", "money", "code")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    return a, b


def counts(root: Path) -> dict[str, Any]:
    with Project.open(root) as p:
        return {
            "codings": sorted(
                (c.document, c.code, c.coder, c.start, c.end) for c in p.codings.list()
            ),
            "codes": sorted(c.path for c in p.codes.list()),
            "docs": sorted(d.name for d in p.documents.list()),
            "memos": sorted(m.title for m in p.memos.list()),
        }


def test_merge_brings_in_the_other_coders_work_once(
    pair: tuple[Path, Path], tmp_path: Path, cli: Any
) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codings.apply("int01", 0, 24, "income swings", coder="bob")
        p.codes.add("keep the money", parent="family")
        p.documents.import_files([write(tmp_path / "int02.txt", TEXT_B)], case="P2")
        p.codings.apply("int02", 40, 71, "family/keep the money", coder="bob")
        p.documents.rename("int01", "interview one")
    r = cli("-p", str(a), "merge", str(b), "--json")
    assert r.code == 0, r.err
    rep = r.json()
    assert rep["added"]["codings"] == 2 and rep["duplicates"] == 1
    assert rep["added"]["codes"] == 1 and rep["added"]["documents"] == 1
    got = counts(a)
    # renamed there only (a is b's origin): the new name comes over
    assert ("interview one", "income swings", "bob", 0, 24) in got["codings"]
    assert ("int02", "family/keep the money", "bob", 40, 71) in got["codings"]
    assert len(got["codings"]) == 3 and got["docs"] == ["int02", "interview one"]
    with Project.open(a) as p:
        assert p.codings.list(document="int02")[0].text == TEXT_B[40:71]
        assert p.documents.units("int02", "turn")  # segmented like an import
        before = snapshot(p)
    again = cli("-p", str(a), "merge", str(b), "--json").json()
    assert again["added"].get("codings", 0) == 0 and again["duplicates"] == 3
    with Project.open(a) as p:
        assert snapshot(p) == before  # a second merge adds nothing


def test_dry_run_reports_the_same_and_changes_nothing(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codings.apply("int01", 0, 24, "income swings", coder="bob")
    with Project.open(a) as p:
        before = snapshot(p)
        dry = merge_project(p, b, dry_run=True)
        assert snapshot(p) == before
        real = merge_project(p, b)
        assert (dry.added, dry.matched, dry.duplicates) == (
            real.added,
            real.matched,
            real.duplicates,
        )
        p.history.undo()
        assert snapshot(p) == before  # one undo takes the whole merge back


def test_conflicts_keep_this_projects_values_and_lose_nothing(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as p:
        p.codes.rename("income swings", "irregular income")
        p.codes.edit("irregular income", description="Bob's wording")
        memo = p.memos.list()[0]
        p.memos.edit(memo.id, body="bob's version")
        p.codings.apply("int01", 0, 24, "irregular income", coder="bob")
        p.attributes.set("int01", {"age": "35"})
    with Project.open(a) as p:
        p.memos.edit(p.memos.list()[0].id, body="alice's version")
        p.codes.edit("income swings", description="Alice's wording")
        res = merge_project(p, b, take="ours")
        assert res.ancestor == "the copy's origin"
        text = "\n".join(res.conflicts)
        # renamed there only: the rename comes over; the description changed on both sides
        assert "code 'income swings': description changed on both sides" in text
        # the attribute value changed there only: taken, no conflict
        assert "name changed" not in text and "attribute value" not in text
        assert "memo 'first thoughts' differs between the two projects" in text
        # bob's coding of the renamed code lands on the same code here
        assert ("int01", "irregular income", "bob", 0, 24) in {
            (c.document, c.code, c.coder, c.start, c.end) for c in p.codings.list()
        }
        bodies = sorted(m.body for m in p.memos.list())
        assert bodies == ["alice's version", "bob's version"]
        assert p.codes.get("irregular income").description == "Alice's wording"
        again = merge_project(
            p, b, take="ours"
        )  # the other's version is here already: not copied again
        assert sorted(m.body for m in p.memos.list()) == ["alice's version", "bob's version"]
        assert not [c for c in again.conflicts if "memo" in c]


def test_merging_a_project_into_itself_is_refused(pair: tuple[Path, Path], cli: Any) -> None:
    a, _ = pair
    r = cli("-p", str(a), "merge", str(a))
    assert r.code != 0 and "is this project" in r.err


def test_many_new_codings_come_in_with_their_guids_looked_up_in_few_queries(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    from sqlalchemy import event

    from qcode.services.codings import CodingRequest

    a, b = pair
    with Project.open(b) as q:
        docs = [write(tmp_path / f"new{i}.txt", f"R: story {i}. " * 80) for i in range(3)]
        q.documents.import_files(docs)
        q.codes.add("story")
        q.codings.apply_many(
            [CodingRequest(f"new{i}", k, k + 5, "story") for i in range(3) for k in range(200)]
        )
        theirs = {c.uuid for c in q.codings.list()}
    seen: list[str] = []
    with Project.open(a) as p:
        event.listen(
            p.engine, "before_cursor_execute", lambda *args: seen.append(" ".join(args[2].split()))
        )
        res = merge_project(p, b)
        ours = {c.uuid for c in p.codings.list()}
    assert res.added["codings"] == 600
    assert theirs <= ours  # every GUID kept
    by_guid = [s for s in seen if "WHERE codings.uuid" in s]
    assert 1 <= len(by_guid) <= 3, by_guid  # 600 GUIDs: two queries, not one per coding


def test_a_coding_given_twice_for_one_document_is_stored_once(pair: tuple[Path, Path]) -> None:
    from qcode.interchange.qdpx_model import XCoding
    from qcode.services.merge_codings import NewCodings

    a, _ = pair
    with Project.open(a) as p:
        with p.change("merge") as ch:
            did = ch.conn.scalar(text_sql("SELECT id FROM documents"))
            coder = ch.conn.scalar(text_sql("SELECT id FROM coders"))
            code = ch.conn.scalar(text_sql("SELECT id FROM codes"))
            new, ids = NewCodings(ch.conn), dict[str, int]()
            key = (code, coder, 0, 11)
            one = XCoding("code-guid", 0, 11, guid="g-one")
            two = XCoding("code-guid", 0, 11, guid="g-two")
            assert new.add(did, TEXT_A, [(one, key)]) == 0
            assert new.add(did, TEXT_A, [(two, key)]) == 1  # the second source of one document
            assert new.store(ch, ids) == 1
        assert ids["g-one"] == ids["g-two"]
        assert sum(1 for c in p.codings.list() if c.uuid == "g-one") == 1


def text_sql(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)


def test_a_guid_stored_here_or_given_twice_is_replaced(pair: tuple[Path, Path]) -> None:
    from qcode.services.merge_codings import free_guids
    from qcode.store.models import Coding

    a, _ = pair
    with Project.open(a) as p, p.change("merge") as ch:
        stored = ch.conn.scalar(text_sql("SELECT uuid FROM codings"))
        got = free_guids(ch.conn, Coding, ["g1", stored, "g1", "", "g2"])
    assert got[0] == "g1" and got[4] == "g2"
    assert len({stored, *got}) == 6  # the stored one, the repeat and the empty one made new
