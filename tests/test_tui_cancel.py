"""Escape cancels a long task: the footer offers it only while one runs (otherwise escape is the
screen's own: close, leave the field), and a cancelled figure is not put in place."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from conftest import write
from textual.widgets._footer import FooterKey

from qcode import Project
from qcode.services.analysis import AnalysisService
from qcode.tui.app import QcodeApp


def footer(app: QcodeApp) -> list[tuple[str, str]]:
    return [(k.key_display, k.description) for k in app.screen.query(FooterKey)]


async def until(pilot: Any, done: Any) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if done():
            return
    raise AssertionError("never happened")


def test_escape_cancels_a_figure_and_the_footer_says_so_only_meanwhile(
    project: Project, tmp_path: Path, monkeypatch: Any
) -> None:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", "R: I pay the minimum. Income swings.")])
    p.codes.add("minimum")
    p.codes.add("swings")
    p.codings.apply("a", 3, 21, "minimum")
    p.codings.apply("a", 9, 36, "swings")
    started, release = threading.Event(), threading.Event()
    original = AnalysisService.draw_network

    def held(self: AnalysisService, *args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AnalysisService, "draw_network", held)
    figure = p.root / "figures" / "network-open-overlap.png"

    async def main() -> None:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await pilot.press("4")
            await until(pilot, lambda: not app.busy)
            assert ("esc", "cancel task") not in footer(app)
            await pilot.press("f")
            await until(pilot, started.is_set)
            await pilot.pause()
            assert ("esc", "cancel task") in footer(app)
            await pilot.press("escape")
            await until(pilot, lambda: not app._long)
            assert any(str(n.message).startswith("cancelled: ") for n in app._notifications)
            assert ("esc", "cancel task") not in footer(app)
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not any(str(n.message).startswith("wrote ") for n in app._notifications)

    asyncio.run(main())
    assert not figure.exists()
    assert list(figure.parent.iterdir()) == []  # nor the half-drawn file


def test_without_a_task_escape_is_the_screens_own_in_the_footer(project: Project) -> None:
    async def main() -> None:
        app = QcodeApp(project)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await pilot.press("7")
            await until(pilot, lambda: not app.busy)
            assert ("esc", "query / hits") in footer(app)

    asyncio.run(main())


def test_an_opened_document_is_kept_out_of_the_collectors_sight_until_idle(
    project: Project, tmp_path: Path
) -> None:
    """A full garbage collection scans every object it tracks: those of a long transcript would
    stall a key press. Once a document is open they are frozen (gc.freeze); cyclic garbage kept
    meanwhile is collected after the user pauses."""
    import gc
    import weakref

    from test_tui import settle, settles, view

    project.documents.import_files([write(tmp_path / "a.txt", "R: one. Two.\n" * 50)])

    class Cycle:
        pass

    async def main() -> None:
        app = QcodeApp(project)
        async with app.run_test(size=(120, 30)) as pilot:
            settles(pilot)
            await settle(pilot)
            tracked = {id(o) for o in gc.get_objects()}
            assert id(view(app).spans) not in tracked  # frozen with the document
            junk = Cycle()
            junk.me = junk  # type: ignore[attr-defined]
            gone = weakref.ref(junk)
            app.keep_heap()  # the cycle is frozen too, then dropped
            del junk
            gc.collect()
            assert gone() is not None  # out of sight: not collected
            app._collect_when_idle()  # the user is not idle yet
            assert gone() is not None
            app._last_input -= 10
            app._collect_when_idle()
            assert gone() is None
            assert gc.get_freeze_count() > 0  # and what lives on is kept again
            assert gc.get_threshold()[2] > before[2]  # full collections wait for the pauses

    before = gc.get_threshold()
    asyncio.run(main())
    assert gc.get_threshold() == before  # as it was once the app is gone
