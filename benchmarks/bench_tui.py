"""Figures for the coding workbench: open a transcript, move the selection, apply a code.

Headless (Textual's test driver). Each latency runs from the moment the app starts handling the
key (the binding's action) to the end of the next screen refresh, the compositor having drawn the
changed rows; Textual refreshes on a frame timer, so up to one frame (about 16 ms) of waiting is
included. Opening runs from the call that opens the document to the end of the first refresh.
Pilot's own waiting between keys is not counted. Run with
``.venv/bin/python benchmarks/bench_tui.py``.
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
    """Start stamps from the actions under test; stop stamps from screen refreshes."""

    def __init__(self) -> None:
        self.start = 0.0
        self.refreshes: list[float] = []

    def latency(self) -> float:
        return next(t for t in self.refreshes if t > self.start) - self.start


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


async def measure(p: Project, label: str, clock: Clock) -> None:
    name = p.documents.list()[0].name
    app = QcodeApp(p)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        opens = []
        for _ in range(3):
            clock.start = time.perf_counter()
            screen.open_document(name)  # type: ignore[attr-defined]
            await pilot.pause(0.1)
            opens.append(clock.latency())
        view = screen.query_one(TranscriptView)
        view.select(len(view.text) // 2, len(view.text) // 2)
        view.focus()
        moves = []
        for key in ["shift+right"] * 15 + ["shift+down"] * 15:
            await pilot.press(key)
            await pilot.pause(0.05)
            moves.append(clock.latency())
        await pilot.press("c", *"code 00", "enter")
        await pilot.pause()
        applies = []
        for i in range(10):
            a = 1000 + i * 997
            view.select(a, a + 40)
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause(0.05)
            applies.append(clock.latency())
    ms = lambda xs: f"median {1000 * statistics.median(xs):.1f} ms, max {1000 * max(xs):.1f} ms"  # noqa: E731
    print(f"{label}: open to first paint {ms(opens)}")
    print(
        f"{label}: key press to repaint (selection moving) {ms(moves[1:])}; "
        f"the first key after focusing {1000 * moves[0]:.1f} ms"
    )
    print(f"{label}: apply a code to repaint {ms(applies)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        clock = Clock()
        instrument(clock)
        asyncio.run(measure(build(root, 200_000, 1_000), "200 KB, 1,000 codings", clock))
        asyncio.run(measure(build(root, 1_000_000, 5_000), "1 MB, 5,000 codings", clock))


if __name__ == "__main__":
    main()
