"""Undo and redo per coder: each coder takes back their own changes, newest first; another coder's
later change that depends on one is named in the refusal; one coder's new change leaves another's
redo alone; ``--project`` keeps the project-wide step; ``qcode log`` says whose step is next."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.errors import ConflictError, QcodeError

TEXT = "Interviewer: How do you pay?\nR: Some months I pay, some months I cannot. Rent first.\n"


def as_user(root: Path, name: str) -> Project:
    p = Project.open(root)
    p._user = name
    return p


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Project, Project]]:
    root = tmp_path / "proj"
    with Project.init(root) as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT)])
        p.codes.add("money")
    alice, bob = as_user(root, "alice"), as_user(root, "bob")
    yield alice, bob
    alice.close()
    bob.close()


def spans(p: Project) -> list[tuple[str, int, int]]:
    return sorted((c.coder, c.start, c.end) for c in p.codings.list())


def test_alices_undo_leaves_bobs_later_coding(team: tuple[Project, Project]) -> None:
    alice, bob = team
    alice.codings.apply("int01", 0, 11, "money")
    bob.codings.apply("int01", 30, 40, "money", coder="bob")
    assert alice.history.undo().startswith("code")
    assert spans(alice) == [("bob", 30, 40)]
    # and her next undo is her own older change (the code 'money'), not bob's coding: bob's
    # coding uses that code, so it is refused, naming him and when
    with pytest.raises(ConflictError) as exc:
        alice.history.undo()
    assert re.fullmatch(r"cannot undo: bob changed 'money' at \d\d:\d\d after you", str(exc.value))
    assert spans(alice) == [("bob", 30, 40)]


def test_undo_is_refused_when_a_later_change_of_another_coder_depends_on_it(
    team: tuple[Project, Project],
) -> None:
    alice, bob = team
    alice.codes.add("income")
    bob.codings.apply("int01", 30, 40, "income", coder="bob")
    with pytest.raises(ConflictError, match=r"^cannot undo: bob changed 'income' at \d\d:\d\d"):
        alice.history.undo()
    assert "income" in {c.name for c in alice.codes.list()}
    assert spans(alice) == [("bob", 30, 40)]


def test_undo_of_a_rename_bob_renamed_again_is_refused(team: tuple[Project, Project]) -> None:
    alice, bob = team
    alice.codes.rename("money", "income")
    bob.codes.rename("income", "pay")
    with pytest.raises(ConflictError, match="^cannot undo: bob changed 'pay' at "):
        alice.history.undo()
    assert {c.name for c in alice.codes.list()} == {"pay"}


def test_a_new_change_by_bob_keeps_alices_redo(team: tuple[Project, Project]) -> None:
    alice, bob = team
    alice.codings.apply("int01", 0, 11, "money")
    alice.history.undo()
    bob.codings.apply("int01", 30, 40, "money", coder="bob")
    alice.history.redo()
    assert spans(alice) == [("alice", 0, 11), ("bob", 30, 40)]
    # alice's own new change still clears her own redo
    alice.history.undo()
    alice.codings.apply("int01", 50, 55, "money")
    with pytest.raises(QcodeError, match="^nothing to redo for alice$"):
        alice.history.redo()


def test_redo_takes_what_was_undone_last(team: tuple[Project, Project]) -> None:
    alice, _ = team
    for start in (0, 20, 40):
        alice.codings.apply("int01", start, start + 5, "money")
    for _ in range(3):
        alice.history.undo()
    alice.history.redo()
    assert spans(alice) == [("alice", 0, 5)]
    alice.history.redo()
    assert spans(alice) == [("alice", 0, 5), ("alice", 20, 25)]


def test_project_wide_undo_takes_the_newest_step_of_anyone(team: tuple[Project, Project]) -> None:
    alice, bob = team
    alice.codings.apply("int01", 0, 11, "money")
    bob.codings.apply("int01", 30, 40, "money", coder="bob")
    alice.history.undo(project_wide=True)
    assert spans(alice) == [("alice", 0, 11)]
    alice.history.redo(project_wide=True)
    assert spans(alice) == [("alice", 0, 11), ("bob", 30, 40)]


def test_cli_undo_per_coder_and_the_log_says_whose_step_is_next(
    team: tuple[Project, Project], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = team
    root = str(alice.root)
    alice.codings.apply("int01", 0, 11, "money")
    bob.codings.apply("int01", 30, 40, "money", coder="bob")
    r = cli("-p", root, "undo")
    assert r.code == 0 and r.out.startswith("undone: code")
    assert spans(alice) == [("bob", 30, 40)]
    nxt = cli("-p", root, "log", "--next", "--json").json()
    by = {(s["coder"], s["action"]): (s["owner"], s["summary"]) for s in nxt}
    assert by[("alice", "undo")][0] == "alice" and "money" in by[("alice", "undo")][1]
    assert by[("alice", "redo")][0] == "alice"
    assert by[("bob", "undo")][0] == "bob"
    assert by[(None, "undo")][0] == "bob"  # --project would take bob's coding
    text = cli("-p", root, "log").out
    assert "next steps" in text and "--project" in text
    # the refusal on the command line: one line, exit code 3
    r = cli("-p", root, "undo")
    assert r.code == 3 and r.err.count("\n") == 1
    assert re.match(r"error: cannot undo: bob changed 'money' at \d\d:\d\d after you", r.err)
    monkeypatch.setenv("QCODE_USER", "bob")
    assert cli("-p", root, "undo", "--project").code == 0
    assert spans(alice) == []


def test_a_race_lost_inside_the_orm_is_one_line(
    team: tuple[Project, Project], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    def lost(self: Project) -> None:
        raise StaleDataError("UPDATE statement on table 'codes' expected to update 1 row(s)")

    from qcode.services import glance

    monkeypatch.setattr(Project, "info", lost)
    monkeypatch.setattr(glance, "info", lambda _root: None)  # the ORM path, where races happen
    r = cli("-p", str(team[0].root), "info")
    assert r.code == 3 and r.err.count("\n") == 1 and "StaleDataError" not in r.err
    assert r.err.startswith("error: someone changed the same thing at the same moment")


def test_ctrl_z_in_the_workbench_undoes_only_your_own(team: tuple[Project, Project]) -> None:
    import asyncio

    from qcode.tui.app import QcodeApp

    alice, bob = team
    alice.codings.apply("int01", 0, 11, "money")
    bob.codings.apply("int01", 30, 40, "money", coder="bob")

    async def main() -> None:
        app = QcodeApp(alice)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert spans(alice) == [("bob", 30, 40)]
            await pilot.press("ctrl+z")  # the code 'money': bob's coding uses it, so refused
            await pilot.pause()
            assert spans(alice) == [("bob", 30, 40)]
            assert {c.name for c in alice.codes.list()} == {"money"}

    asyncio.run(main())


def test_an_older_projects_history_gets_its_owners(team: tuple[Project, Project]) -> None:
    from alembic import command
    from sqlalchemy import select

    from qcode.store import db
    from qcode.store.models import HistoryEntry

    alice, bob = team
    bob.codings.apply("int01", 30, 40, "money", coder="bob")
    command.downgrade(db._alembic_config(alice.engine), "0009")
    db.upgrade(alice.engine)
    with alice.read() as s:
        owners = s.execute(select(HistoryEntry.actor, HistoryEntry.last_event)).all()
    assert [o[0] for o in owners] == ["alice", "alice", "bob"] and all(o[1] for o in owners)
    assert bob.history.undo().startswith("code")
    assert spans(bob) == []
