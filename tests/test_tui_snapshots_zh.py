"""SVG snapshots of every workbench screen in Chinese at 80 columns (wide characters in the
labels, the footer and the panes), on the bundled example study.

Update after an intended change with ``pytest tests/test_tui_snapshots_zh.py --snapshot-update``
and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_tui import settle
from test_tui_snapshots import sample  # noqa: F401  (the fixture)

from qcode import Project, i18n
from qcode.tui.app import QcodeApp

SIZE = (80, 24)
SCREENS = {
    "coding": "1",
    "codebook": "2",
    "memos": "3",
    "analysis": "4",
    "agreement": "5",
    "queue": "6",
    "query": "7",
    "matrix": "8",
    "help": "f1",
}


@pytest.fixture
def zh() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_in_chinese_at_80_columns(
    snap_compare: Any,
    zh: None,
    sample: Project,  # noqa: F811
    screen: str,
) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(SCREENS[screen])
        await settle(pilot)

    assert snap_compare(QcodeApp(sample), terminal_size=SIZE, run_before=run_before)
