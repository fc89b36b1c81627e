"""True conflicts in a three-way merge, as git treats them: both sides changed the same thing
differently (or one deleted what the other changed) stops the merge with one line per conflict,
exit 3, nothing written, unless --ours or --theirs chooses; and which side merges which never
changes the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write
from mergekit import copies, copy_again, interviews, two_sides
from mergekit import state as merge_state

from qcode import Project
from qcode.services.merge import MergeConflicts, merge_project


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    def fill(p: Project, folder: Path) -> None:
        interviews(p, folder)
        p.memos.add("first thoughts", "money", "code")

    return two_sides(tmp_path, fill)


def state(root: Path) -> dict[str, Any]:
    return merge_state(root, memos=True)


def both_edit(a: Path, b: Path) -> None:
    with Project.open(a) as p:
        p.codes.edit("family", color="#445566")
        p.codes.edit("income swings", description="alice's wording")
    with Project.open(b) as p:
        p.codes.edit("family", color="#112233")
        p.codes.edit("income swings", description="bob's wording")
        p.codes.add("saving")  # no conflict: comes over once the conflicts are chosen


def test_a_true_conflict_stops_the_merge_in_either_order(pair: tuple[Path, Path], cli: Any) -> None:
    a, b = pair
    both_edit(a, b)
    a2, b2 = copies(a, b)
    before = state(a), state(b2)
    with Project.open(a) as p, pytest.raises(MergeConflicts) as one:
        merge_project(p, b)
    with Project.open(b2) as p, pytest.raises(MergeConflicts) as other:
        merge_project(p, a2)
    expected = [
        "code 'family': color changed on both sides",
        "code 'income swings': description changed on both sides",
    ]
    assert sorted(one.value.result.conflicts) == sorted(other.value.result.conflicts) == expected
    assert (state(a), state(b2)) == before  # nothing written, on either side
    r = cli("-p", str(a), "merge", str(b))
    assert r.code == 3 and "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    assert sorted(lines[:2]) == [f"warning: conflict: {line}" for line in expected]
    assert lines[2].startswith("error: merge stopped at 2 conflicts; nothing was changed")
    assert "--ours" in lines[2] and "--theirs" in lines[2] and len(lines) == 3
    assert state(a) == before[0]
    r = cli("-p", str(a), "merge", str(b), "--dry-run")
    assert r.code == 3 and "would stop at 2 conflicts" in r.err
    assert cli("-p", str(a), "merge", str(b), "--ours", "--theirs").code == 1


def test_ours_and_theirs_choose_and_the_order_does_not_matter(
    pair: tuple[Path, Path], cli: Any
) -> None:
    a, b = pair
    both_edit(a, b)
    a2, b2 = copies(a, b)
    r = cli("-p", str(a), "merge", str(b), "--theirs")
    assert r.code == 0, r.err
    assert (
        "warning: conflict: code 'family': color changed on both sides; took the other's" in r.err
    )
    assert cli("-p", str(b2), "merge", str(a2), "--ours").code == 0
    assert state(a) == state(b2)  # a taking bob's == bob keeping his own
    with Project.open(a) as p:
        assert p.codes.get("family").color == "#112233"
        assert p.codes.get("income swings").description == "bob's wording"
        assert "saving" in {c.path for c in p.codes.list()}


def test_deleted_on_one_side_and_changed_on_the_other_conflicts_both_ways(
    pair: tuple[Path, Path],
) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.documents.delete("int02", force=True)
        p.codes.delete("rent", force=True)
    with Project.open(b) as p:
        p.codings.apply("int02", 0, 11, "family", coder="bob")
        p.codes.edit("rent", description="housing")
    a2, b2 = copies(a, b)
    with Project.open(a) as p, pytest.raises(MergeConflicts) as here:
        merge_project(p, b)
    with Project.open(b2) as p, pytest.raises(MergeConflicts) as there:
        merge_project(p, a2)
    assert sorted(here.value.result.conflicts) == [
        "code 'rent' was deleted here; changed there (description changed)",
        "document 'int02' was deleted here; changed there (1 coding made there since)",
    ]
    assert sorted(there.value.result.conflicts) == [
        "code 'rent' was deleted there; changed here (description changed here)",
        "document 'int02' was deleted there; changed here (1 coding made here since)",
    ]
    with Project.open(a) as p:  # take bob's: the document and the code come back
        merge_project(p, b, take="theirs")
    with Project.open(b2) as p:
        merge_project(p, a2, take="ours")
    assert state(a) == state(b2)
    assert (
        "int02" in state(a)["docs"]
        and ("rent", "housing", state(a)["codes"][-1][2]) in (state(a)["codes"])
    )
    assert ("int02", "family", "bob", 0, 11) in state(a)["codings"]


def test_a_deletion_taken_over_a_change_and_kept_over_one_agree(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.documents.delete("int02", force=True)
    with Project.open(b) as p:
        p.codings.apply("int02", 0, 11, "family", coder="bob")
    a2, b2 = copies(a, b)
    with Project.open(a) as p:
        merge_project(p, b, take="ours")  # the deletion here stays
    with Project.open(b2) as p:
        merge_project(p, a2, take="theirs")  # bob takes alice's deletion
    assert state(a) == state(b2)
    assert state(a)["docs"] == ["int01"]


def test_a_memo_edited_on_both_sides_taken_from_the_other_keeps_this_one_beside(
    pair: tuple[Path, Path],
) -> None:
    a, b = pair
    with Project.open(a) as p:
        p.memos.edit(p.memos.list()[0].id, body="alice's version")
    with Project.open(b) as p:
        p.memos.edit(p.memos.list()[0].id, body="bob's version")
    with Project.open(a) as p:
        with pytest.raises(MergeConflicts):
            merge_project(p, b)
        res = merge_project(p, b, take="theirs")
        memos = {m.title: m.body for m in p.memos.list()}
        assert memos == {
            "first thoughts": "bob's version",
            "first thoughts (before merging b)": "alice's version",
        }
        assert "took the other's" in res.conflicts[0]
        again = merge_project(p, b)  # nothing in conflict any more: nothing doubled
        assert again.conflicts == [] and len(p.memos.list()) == 2


def test_a_code_whose_colour_was_never_chosen_merges(pair: tuple[Path, Path]) -> None:
    from qcode.services.codebook import import_codebook

    a, b = pair
    with Project.open(a) as p:  # a codebook without colours: none chosen, none exported
        import_codebook(p, write(a.parent / "cb.csv", "name,description\nsaving,put aside\n"))
    copy_again(a, b)
    with Project.open(b) as p:
        p.codes.edit("saving", description="money put aside")
    with Project.open(a) as p:
        colour = p.codes.get("saving").color
        res = merge_project(p, b)
        assert res.conflicts == []
        assert p.codes.get("saving").description == "money put aside"
        assert p.codes.get("saving").color == colour


def test_a_summary_written_differently_on_both_sides_conflicts_in_either_language(
    pair: tuple[Path, Path],
) -> None:
    from qcode import i18n

    a, b = pair
    for root, text in ((a, "Pays when it can."), (b, "Pays late.")):
        with Project.open(root) as p:
            p.summaries.set("int02", "family", text, kind="document")
    for language, line in (
        ("en", "'summary: int02 x family' differs between the two projects"),
        ("zh", "'summary: int02 x family' 在两个项目中不同"),
    ):
        i18n.set_language(language)
        try:
            with Project.open(a) as p, pytest.raises(MergeConflicts) as stop:
                merge_project(p, b)
        finally:
            i18n.set_language("en")
        assert stop.value.result.conflicts == [line]
