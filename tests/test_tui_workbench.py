"""The workbench as a researcher lives in it (issue: nothing mislabelled, nothing lost): each
test drives the app with keys and checks what the project then holds or the screen shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_tui import codings, drive, view

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.pickers import Prompt

EN = (
    "Interviewer: How much do you pay?\n"
    "Respondent:   I keep it / in my own hands!  \n"
    "Interviewer: And the others?\n"
    "Respondent: Some pay, some don't.\n"
)
ZH = "访谈者：你现在交养老保险吗？\n受访者：灵活就业的人都不交养老保险。\n"


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files(
        [write(tmp_path / "a-english.txt", EN), write(tmp_path / "b-chinese.txt", ZH)]
    )
    return project


# -- in vivo -----------------------------------------------------------------------------------
def test_in_vivo_name_is_trimmed_of_labels_and_editable_and_flagged(
    proj: Project, cli: Any
) -> None:
    turn = EN.index("Respondent:")
    end = EN.index("\n", turn)

    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(turn, end)
        await pilot.press("v")
        assert isinstance(app.screen, Prompt)
        field = app.screen.query_one("#prompt-input")
        assert field.value == "I keep it ∕ in my own hands!"  # type: ignore[attr-defined]
        await pilot.press("end", *"!", "enter")
        await pilot.pause()

    drive(proj, go)
    [c] = codings(proj)
    assert c[3] == "I keep it ∕ in my own hands!!"
    listed = {c["path"]: c for c in cli("codes", "list", "--json", cwd=proj.root).json()}
    assert listed["I keep it ∕ in my own hands!!"]["in_vivo"] is True


def test_in_vivo_escape_creates_nothing(proj: Project) -> None:
    async def go(pilot: Any, app: QcodeApp) -> None:
        view(app).select(0, 11)
        await pilot.press("v", "escape")
        await pilot.pause()

    drive(proj, go)
    assert codings(proj) == [] and proj.codes.list() == []
