"""SVG snapshots of each screen on the bundled example study, at a fixed terminal size.

Update after an intended change of the UI with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from test_tui import settle

from qcode import Project
from qcode.store.models import Memo
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.transcript import TranscriptView

SIZE = (140, 40)


@pytest.fixture
def sample(tmp_path: Path, built_example: Callable[[Path], Path]) -> Iterator[Project]:
    """The bundled example study, built, with its memos' times pinned."""
    with Project.open(built_example(tmp_path / "flexible-employment")) as p:
        fixed = datetime(2026, 1, 15, 9, 30)
        with p.Session() as s, s.begin():
            s.execute(update(Memo).values(created=fixed, updated=fixed))
        yield p


def _at(p: Project, doc: str, words: str) -> tuple[int, int]:
    start = p.documents.text(doc).index(words)
    return start, start + len(words)


def _select(start: int, end: int) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TranscriptView).select(start, end)
        await pilot.pause()

    return run_before


def test_coding_screen(snap_compare: Any, sample: Project) -> None:
    start, end = _at(sample, "P01", "I want to keep the money in my own hands.")
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=_select(start, end))


def test_coding_screen_chinese(snap_compare: Any, sample: Project) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.open_document("P09")
        await settle(pilot)
        pilot.app.screen.query_one(TranscriptView).select(
            *_at(sample, "P09", "钱还是攥在自己手里踏实。")
        )
        await pilot.pause()

    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=run_before)


def test_code_picker(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(
        QcodeApp(sample), terminal_size=SIZE, run_before=_select(0, 11), press=["c", *"pres"]
    )


def test_codebook_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(
        QcodeApp(sample), terminal_size=SIZE, run_before=settle, press=["2", "down", "down"]
    )


def test_memos_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=settle, press=["3"])


def test_help_screen(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=settle, press=["f1"])


def test_narrow_terminal(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=(72, 24), run_before=settle)


def test_analysis_screen(snap_compare: Any, sample: Project) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("4", "l", "u", "u", "u")  # categories, by turn
        await settle(pilot)  # the pairs are counted in a worker
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=run_before)


def test_coding_stripes(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=settle, press=["g"])


def test_search_hits(snap_compare: Any, sample: Project) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("slash", *"money", "enter")
        await settle(pilot)

    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=run_before)


def test_chinese_wrapping_narrow(snap_compare: Any, sample: Project) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.open_document("P09")
        await settle(pilot)

    assert snap_compare(QcodeApp(sample), terminal_size=(80, 24), run_before=run_before)


def test_narrow_60x20(snap_compare: Any, sample: Project) -> None:
    assert snap_compare(QcodeApp(sample), terminal_size=(60, 20), run_before=settle)


def _summarised(p: Project) -> None:
    from qcode.services.framework_matrix import framework_matrix

    m = framework_matrix(p)
    cell = m.cells[m.rows.index("P02")][m.columns.index("Coping strategies")]
    p.summaries.set(
        "P02",
        "Coping strategies",
        "Pays at the lowest base; the family pools one contribution.",
        cell.segments[:1],
    )


def _on_matrix(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run_before


def test_matrix_screen(snap_compare: Any, sample: Project) -> None:
    _summarised(sample)
    assert snap_compare(
        QcodeApp(sample), terminal_size=(120, 40), run_before=_on_matrix("right", "right", "down")
    )


def test_matrix_screen_chinese_80x24(snap_compare: Any, sample: Project) -> None:
    from qcode import i18n

    _summarised(sample)
    i18n.set_language("zh")
    try:
        keys = ("right", *["down"] * 8)  # P09, the Chinese interview
        assert snap_compare(QcodeApp(sample), terminal_size=(80, 24), run_before=_on_matrix(*keys))
    finally:
        i18n.set_language("en")


def test_memo_dialog_80x24(snap_compare: Any, sample: Project) -> None:
    start, end = _at(sample, "P01", "it just takes money")
    assert snap_compare(
        QcodeApp(sample),
        terminal_size=(80, 24),
        run_before=_select(start, end),
        press=["m", *"why", "tab", *"money is control"],
    )
