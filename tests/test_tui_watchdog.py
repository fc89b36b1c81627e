"""The UI thread never waits on the project: the app runs on the benchmark project with every
service method timed, and any call made on the UI thread that takes longer than 50 ms fails."""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui import settle, settles

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.pickers import Picker
from qcode.tui.widgets.transcript import TranscriptView

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_tui import build  # noqa: E402

LIMIT = 0.050
SERVICES = (
    "documents", "codes", "codings", "cases", "attributes", "history", "memos", "structure",
    "framework", "analysis",
)  # fmt: skip


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("bench")
    p = build(root, 300_000, 2_000)
    folder = p.root
    p.close()
    yield folder


def instrument(p: Project, slow: list[tuple[str, float]], ui: threading.Thread) -> None:
    """Time every public method of the project's services and its preferences."""

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                took = time.perf_counter() - t0
                if threading.current_thread() is ui and took > LIMIT:
                    slow.append((name, took))

        return call

    for attr in SERVICES:
        service = getattr(p, attr)
        for name in dir(service):
            fn = getattr(service, name)
            if not name.startswith("_") and callable(fn):
                setattr(service, name, timed(f"{attr}.{name}", fn))
    for name in ("get_pref", "set_pref", "info"):
        setattr(p, name, timed(name, getattr(p, name)))


def test_no_service_call_on_the_ui_thread_takes_over_50_ms(bench: Path) -> None:
    slow: list[tuple[str, float]] = []
    calls: list[str] = []

    async def main() -> None:
        with Project.open(bench) as p:
            instrument(p, slow, threading.current_thread())
            name = p.documents.list()[0].name
            app = QcodeApp(p)
            async with app.run_test(size=(140, 40)) as pilot:
                settles(pilot)
                await settle(pilot)
                view = app.screen.query_one(TranscriptView)
                assert len(view.text) > 250_000 and len(view.spans) == 2_000
                mid = len(view.text) // 2
                view.select(mid, mid)
                view.focus()
                await pilot.press("pagedown", "down", *["shift+right"] * 5, "ctrl+shift+right")
                await pilot.press("c", *"code 01", "enter")
                await pilot.press("right", "shift+right", "shift+right", "r")
                await pilot.press("right", *["ctrl+shift+right"] * 2, "v", "enter")
                await pilot.press("x")
                if isinstance(app.screen, Picker):  # more than one coding here: which one
                    await pilot.press("enter")
                await pilot.press("ctrl+z", "ctrl+y")
                await pilot.press("m", *"why", "ctrl+s")
                await pilot.press("n", "n", "p", "P")
                app.open_document(name)
                await settle(pilot)
                await pilot.press("ctrl+p", *"code 02")
                await asyncio.sleep(0.3)
                await pilot.press("escape")
            watched = list(slow)
            slow[:] = watched  # what follows is the test's own reading
            calls.extend(c.code for c in p.codings.list())
            slow[:] = watched
        # the keys did code the text (two codings, one removed and restored): real work watched
        assert len(calls) == 2_002

    asyncio.run(main())
    assert slow == [], f"service calls on the UI thread over 50 ms: {slow}"
