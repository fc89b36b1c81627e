"""Every kind of change is one event, undoable and redoable, across sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import snapshot, write

from qcode import Project
from qcode.errors import QcodeError
from qcode.services.memos import Target

Action = Callable[[Project, Path], object]


def _setup(p: Project, tmp: Path) -> None:
    a = write(tmp / "a.txt", "Interviewer: Why did you stop paying?\nR: Too much. 太贵了。")
    p.documents.import_files([a], attrs=["occupation=rider"])
    p.codes.add("cost")
    p.codes.add("fixed", parent="cost")
    p.codes.add("other")
    p.codings.apply("a", 0, 11, "cost")
    p.codings.apply("a", 13, 20, "cost/fixed")
    p.cases.add("spare")
    coding = p.codings.list()[0].id
    p.memos.add("first", "text", "code", [Target("code", "other"), Target("coding", str(coding))])


ACTIONS: dict[str, Action] = {
    "import": lambda p, t: p.documents.import_files(
        [write(t / "b.txt", "I: new\nR: text")], attrs=["age=30"], doc_attrs=["wave=1"]
    ),
    "codes.add": lambda p, t: p.codes.add("new", parent="cost", description="d"),
    "codes.rename": lambda p, t: p.codes.rename("cost", "costs"),
    "codes.edit": lambda p, t: p.codes.edit("cost", description="x", color="#000000"),
    "codes.move": lambda p, t: p.codes.move("cost/fixed", "other"),
    "codes.merge": lambda p, t: p.codes.merge("cost", "other"),
    "codes.delete": lambda p, t: p.codes.delete("cost", force=True),
    "code": lambda p, t: p.codings.apply("a", 2, 9, "other", coder="bob"),
    "code.file": lambda p, t: p.codings.apply_file(
        write(t / "c.csv", "document,start,end,code\na,0,5,other\na,6,9,brand new\n"), create=True
    ),
    "uncode": lambda p, t: p.codings.remove([c.id for c in p.codings.list()]),
    "cases.add": lambda p, t: p.cases.add("P2", attrs={"age": "41"}),
    "cases.rename": lambda p, t: p.cases.rename("a", "P1"),
    "cases.delete": lambda p, t: p.cases.delete("a", force=True),
    "cases.assign": lambda p, t: p.cases.assign("a", "spare"),
    "attrs.define": lambda p, t: p.attributes.define("born", "date", "document"),
    "attrs.set": lambda p, t: p.attributes.set("a", {"occupation": "driver", "union": "yes"}),
    "attrs.unset": lambda p, t: p.attributes.unset("a", ["occupation"]),
    "docs.rename": lambda p, t: p.documents.rename("a", "interview A"),
    "docs.delete": lambda p, t: p.documents.delete("a", force=True),
    "memos.add": lambda p, t: p.memos.add(
        "why cost",
        "**body**",
        "theory",
        [Target("code", "cost"), Target("document", "a", 0, 5), Target("case", "a")],
    ),
    "memos.edit": lambda p, t: p.memos.edit(p.memos.list()[0].id, body="changed"),
    "memos.delete": lambda p, t: p.memos.delete(p.memos.list()[0].id),
    "codes.delete+memo": lambda p, t: p.codes.delete("other"),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_undo_and_redo_restore_exactly(name: str, project: Project, tmp_path: Path) -> None:
    _setup(project, tmp_path)
    before = snapshot(project)
    ACTIONS[name](project, tmp_path)
    after = snapshot(project)
    assert after != before
    project.history.undo()
    assert snapshot(project) == before
    project.history.redo()
    assert snapshot(project) == after
    project.history.undo()
    assert snapshot(project) == before


def test_undo_works_across_sessions(project: Project, tmp_path: Path) -> None:
    _setup(project, tmp_path)
    before = snapshot(project)
    project.codes.rename("cost", "money")
    root = project.root
    project.close()
    with Project.open(root) as again:
        assert again.history.undo() == "rename code 'cost' to 'money'"
        assert snapshot(again) == before
    with Project.open(root) as third:
        third.history.redo()
        paths = {c.path for c in third.codes.list()}
        assert "money" in paths and "cost" not in paths and "money/fixed" in paths


def test_a_new_change_clears_redo(project: Project, tmp_path: Path) -> None:
    project.codes.add("a")
    project.history.undo()
    project.codes.add("b")
    with pytest.raises(QcodeError, match="nothing to redo"):
        project.history.redo()
    project.history.undo()
    with pytest.raises(QcodeError, match="nothing to undo"):
        project.history.undo()


def test_several_undos_walk_back_in_order(project: Project) -> None:
    states = [snapshot(project)]
    for name in ("a", "b", "c"):
        project.codes.add(name)
        states.append(snapshot(project))
    for expected in reversed(states[:-1]):
        project.history.undo()
        assert snapshot(project) == expected
    for expected in states[1:]:
        project.history.redo()
        assert snapshot(project) == expected


def test_event_log_records_who_and_what(project: Project, tmp_path: Path) -> None:
    _setup(project, tmp_path)
    project.history.undo()
    log = project.history.log()
    assert log[0].action == "import" and log[0].actor == "alice"
    assert log[-1].action == "undo" and log[-1].summary == "add memo 'first'"
    assert {e.action for e in project.history.log(actor="nobody")} == set()


def test_a_step_summary_counts_only_the_codings_it_wrote(project: Project, tmp_path: Path) -> None:
    from qcode.services.codings import CodingRequest

    project.documents.import_files([write(tmp_path / "d.txt", "I pay. I pay. I pay. Some don't.")])
    project.codes.add("pay")
    project.codings.apply("d", 2, 5, "pay")
    again = [CodingRequest("d", a, a + 3, "pay") for a in (2, 9, 16)]
    infos = project.codings.apply_many(again, existing_ok=True)
    assert [i.existed for i in infos] == [True, False, False]
    assert project.history.log()[-1].summary == "code 2 segment(s)"
    one = [CodingRequest("d", 2, 5, "pay"), CodingRequest("d", 21, 25, "pay")]
    project.codings.apply_many(one, existing_ok=True)
    assert project.history.log()[-1].summary == "code 'd' [21, 25) with 'pay'"
