"""Progress on a terminal for the commands that can take more than a second.

``working("exporting")`` shows, on stderr and only when stderr is a terminal, a bar with the
step's name and the time so far while the block runs; it yields a function ``step(done, total)``
that turns the bar into a count (``12/300``) where the work is counted. Piped or redirected, it
shows nothing, so scripts and files get only the command's own output.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from qcode.cli.output import err


class Step(Protocol):
    """``step(done, total)``, or ``step(done, total, what)`` naming the stage now under way."""

    def __call__(self, done: int, total: int, what: str | None = None, /) -> None: ...


def _quiet(done: int, total: int, what: str | None = None) -> None:
    return None


@contextmanager
def working(label: str) -> Iterator[Step]:
    if not err.is_terminal:
        yield _quiet
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def step(done: int, total: int, what: str | None = None) -> None:
            """``what``, when given, is the stage now under way (the bar's label)."""
            if what is None:
                bar.update(task, completed=done, total=total)
            else:
                bar.update(task, completed=done, total=total, description=what)

        yield step
