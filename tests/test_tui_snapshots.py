"""SVG snapshots of each screen on the sample project, at a fixed terminal size.

Update after an intended change of the UI with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE
from sqlalchemy import update

from qcode import Project
from qcode.services.memos import Target
from qcode.store.models import Memo
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.transcript import TranscriptView

SIZE = (140, 40)


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Project]:
    with Project.init(tmp_path / "sample", name="Sample study") as p:
        p.documents.import_files(sorted(SAMPLE.glob("*.txt")))
        p.codings.apply_file(SAMPLE / "codings.csv", create=True)
        p.codes.edit("no labour contract", description="No labour contract with the platform.")
        coding = p.codings.list(code="no labour contract")[0]
        p.memos.add(
            "Contracts",
            "Most workers have **no** labour contract.",
            "theory",
            [Target("code", "no labour contract"), Target("coding", str(coding.id))],
        )
        p.memos.add("Sampling next", "Interview a courier with a contract.", "sampling")
        fixed = datetime(2026, 1, 15, 9, 30)
        with p.Session() as s, s.begin():
            s.execute(update(Memo).values(created=fixed, updated=fixed))
        yield p


def _select(start: int, end: int) -> Any:
    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.screen.query_one(TranscriptView).select(start, end)
        await pilot.pause()

    return run_before


def test_coding_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=_select(143, 174))


def test_coding_screen_chinese(snap_compare: Any, sample: Project) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.open_document("streamer-zhang")
        await pilot.pause()
        pilot.app.screen.query_one(TranscriptView).select(137, 160)
        await pilot.pause()

    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=run_before)


def test_code_picker(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(
        QcodeApp(sample), terminal_size=SIZE, run_before=_select(0, 11), press=["c", *"pres"]
    )


def test_codebook_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, press=["2", "down", "down"])


def test_memos_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, press=["3"])


def test_help_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, press=["f1"])


def test_narrow_terminal(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=(72, 24))
