"""The review queue and similar segments in the workbench, driven by keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import write
from test_tui import settles
from textual.widgets import DataTable, OptionList, Static

from qcode import Project
from qcode.services.autocode import run_rules, suggestions
from qcode.tui.app import QcodeApp
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.queue import QueueScreen

TEXT = (
    "R: The contribution is far too high. I like my bike.\n"
    "R: Every month the contribution rises. Rent comes first.\n"
)


@pytest.fixture
def queued(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "d.txt", TEXT)])
    p.codes.add("cost")
    rules = write(
        tmp_path / "r.yaml", "rules:\n  - name: c\n    code: cost\n    terms: [contribution]\n"
    )
    run_rules(p, rules)
    return p


def test_queue_keys(queued: Project) -> None:
    p = queued

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("6")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QueueScreen)
            assert screen.query_one(DataTable).row_count == 2
            assert "proposed by rule 'c'" in str(screen.query_one("#q-context", Static).render())
            await pilot.press("plus")  # "contribution is"
            await pilot.pause()
            assert screen.items[0].text == "contribution is"
            await pilot.press("minus")
            await pilot.pause()
            assert screen.items[0].text == "contribution"
            await pilot.press("e")  # the whole sentence
            await pilot.pause()
            assert screen.items[0].text == "The contribution is far too high."
            await pilot.press("a")
            await pilot.pause()
            assert screen.query_one(DataTable).row_count == 1
            await pilot.press("x")
            await pilot.pause()
            assert screen.query_one(DataTable).row_count == 0

    asyncio.run(main())
    assert [(c.code, c.text) for c in p.codings.list()] == [
        ("cost", "The contribution is far too high.")
    ]
    assert [s.status for s in suggestions(p, status=None)] == ["accepted", "rejected"]


def test_revert_run_from_the_queue(queued: Project) -> None:
    p = queued

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("6", "a")
            await pilot.pause()
            await pilot.press("R")
            await pilot.pause()
            assert app.screen.query_one(DataTable).row_count == 0

    asyncio.run(main())
    assert p.codings.list() == [] and suggestions(p, status=None) == []


def test_similar_sentences_beside_the_codes_segments(queued: Project) -> None:
    p = queued
    p.codings.apply("d", 3, 36, "cost")  # The contribution is far too high.

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await pilot.press("2")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodebookScreen)
            await pilot.press("s")
            await pilot.pause()
            options = screen.query_one("#cb-segments", OptionList)
            first = str(options.get_option_at_index(0).prompt)
            assert "Every month the contribution rises." in first
            await pilot.press("s")
            await pilot.pause()
            assert "The contribution is far too high." in str(options.get_option_at_index(0).prompt)

    asyncio.run(main())
