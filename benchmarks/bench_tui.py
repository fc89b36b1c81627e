"""Figures for the coding workbench: open a transcript, move the selection, page, apply a code,
search every document.

Headless (Textual's test driver), on generated transcripts of mixed English, Chinese and emoji (so
no ASCII fast path applies). Each latency runs from the moment the app starts handling the key
(the binding's action) to the end of the screen refresh that shows its effect, the compositor
having drawn the changed rows; Textual refreshes on a frame timer, so up to one frame (about
16 ms) of waiting is included. The service calls run in workers: opening runs from the call that
opens the document to the first refresh after the transcript has its text; applying a code, to
the first refresh after the new coding is drawn. Pilot's own waiting between keys is not counted.
Search: 300 documents of 60 KB, from the call to the hits in hand (the first screen of them).
Run with ``.venv/bin/python benchmarks/bench_tui.py`` (``--quick`` for the 1 MB transcript only).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_foundation import transcript

from qcode import Project
from qcode.services.codings import CodingRequest
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.transcript import TranscriptView

WORDS = [
    "the",
    "contribution",
    "base",
    "is",
    "about",
    "845",
    "yuan",
    "a",
    "month",
    "and",
    "my",
    "income",
    "changes",
    "every",
    "month",
    "so",
    "I",
    "stopped",
    "paying",
    "platform",
    "rider",
    "contract",
    "pension",
    "scheme",
    "养老",
    "保险",
    "👍🏽",
]


def build(root: Path, size: int, n_codings: int) -> Project:
    rng = random.Random(size)
    p = Project.init(root / f"p{size}")
    f = root / f"t{size}.txt"
    f.write_text(transcript(rng, size, WORDS), encoding="utf-8")
    p.documents.import_files([f])
    name = f.stem
    chars = p.documents.get(name).chars
    for i in range(30):
        p.codes.add(f"code {i:02d}")
    reqs, seen = [], set()
    while len(reqs) < n_codings:
        a = rng.randrange(0, chars - 400)
        key = (a, rng.randrange(30))
        if key in seen:
            continue
        seen.add(key)
        reqs.append(CodingRequest(name, a, a + rng.randint(5, 400), f"code {key[1]:02d}"))
    p.codings.apply_many(reqs)
    return p


class Clock:
    """Start stamps from the actions under test; stop stamps from screen refreshes; ``ready``
    stamps when the result of a worker reached the view."""

    def __init__(self) -> None:
        self.start = 0.0
        self.ready = 0.0
        self.refreshes: list[float] = []

    def latency(self, after_ready: bool = False) -> float:
        since = max(self.start, self.ready) if after_ready else self.start
        return next(t for t in self.refreshes if t > since) - self.start


def instrument(clock: Clock) -> None:
    from textual.screen import Screen

    from qcode.tui.screens.coding import CodingScreen

    refresh = Screen._compositor_refresh

    def timed_refresh(self: Screen[object]) -> None:
        refresh(self)
        clock.refreshes.append(time.perf_counter())

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    for cls, name in ((TranscriptView, "action_move"), (CodingScreen, "action_reapply")):
        original = getattr(cls, name)

        def stamped(self: object, *args: object, _orig: object = original) -> None:
            clock.start = time.perf_counter()
            _orig(self, *args)  # type: ignore[operator]

        setattr(cls, name, stamped)
    for name in ("load", "add_span"):
        original = getattr(TranscriptView, name)

        def landed(self: object, *args: object, _orig: object = original) -> None:
            _orig(self, *args)  # type: ignore[operator]
            clock.ready = time.perf_counter()

        setattr(TranscriptView, name, landed)


async def settled(app: QcodeApp) -> None:
    while app.busy:
        await asyncio.sleep(0.002)


async def measure(p: Project, label: str, clock: Clock) -> None:
    name = p.documents.list()[0].name
    app = QcodeApp(p)
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(app)
        await pilot.pause(0.2)
        screen = app.screen
        opens = []
        for _ in range(3):
            clock.start = clock.ready = time.perf_counter()
            screen.open_document(name)  # type: ignore[attr-defined]
            await settled(app)
            await pilot.pause(0.1)
            opens.append(clock.latency(after_ready=True))
        view = screen.query_one(TranscriptView)
        view.select(len(view.text) // 2, len(view.text) // 2)
        view.focus()
        moves = []
        for key in ["shift+right"] * 15 + ["shift+down"] * 15 + ["ctrl+shift+right"] * 10:
            await pilot.press(key)
            await pilot.pause(0.05)
            moves.append(clock.latency())
        pages = []
        for key in ["pagedown"] * 10 + ["pageup"] * 10:
            await pilot.press(key)
            await pilot.pause(0.05)
            pages.append(clock.latency())
        view.select(500, 540)
        await pilot.pause()
        await pilot.press("c", *"code 00", "enter")
        await settled(app)
        await pilot.pause()
        applies = []
        for i in range(10):
            a = 1000 + i * 997
            view.select(a, a + 40)
            await pilot.pause()
            clock.ready = 0.0
            await pilot.press("r")
            await settled(app)
            await pilot.pause(0.05)
            applies.append(clock.latency(after_ready=True))
    ms = lambda xs: f"median {1000 * statistics.median(xs):.1f} ms, max {1000 * max(xs):.1f} ms"  # noqa: E731
    print(f"{label}: open to first paint {ms(opens)}")
    print(
        f"{label}: key press to repaint (moving, selecting) {ms(moves[1:])}; "
        f"the first key after focusing {1000 * moves[0]:.1f} ms"
    )
    print(f"{label}: page down / up to repaint {ms(pages)}")
    print(f"{label}: apply a code to repaint {ms(applies)}")


def bench_search(root: Path) -> None:
    from qcode.services.search import search_documents

    rng = random.Random(7)
    folder = root / "many"
    folder.mkdir()
    paths = []
    for i in range(300):
        f = folder / f"doc{i:03d}.txt"
        f.write_text(transcript(rng, 60_000, WORDS), encoding="utf-8")
        paths.append(f)
    p = Project.init(root / "search-project")
    p.documents.import_files(paths)
    for pattern in ("pension", "养老保险", "contract"):
        times = []
        for _ in range(3):
            p._texts.clear()  # from the database each time, as a fresh app would
            t0 = time.perf_counter()
            hits = search_documents(p, pattern, limit=200)  # the first screens of hits
            times.append(time.perf_counter() - t0)
        every = len(search_documents(p, pattern, limit=10**9))
        print(
            f"search 300 documents of 60 KB for {pattern!r}: first 200 hits in "
            f"{1000 * min(times):.0f} ms (best of 3; {len(hits)} shown of {every})"
        )
    p.close()


def main() -> None:
    import sys

    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        clock = Clock()
        instrument(clock)
        asyncio.run(measure(build(root, 1_000_000, 5_000), "1 MB, 5,000 codings", clock))
        if not quick:
            asyncio.run(measure(build(root, 5_000_000, 20_000), "5 MB, 20,000 codings", clock))
        bench_search(root)


if __name__ == "__main__":
    main()
