"""Progress on a terminal for the commands that can take more than a second.

``working("exporting")`` shows, on stderr and only when stderr is a terminal, a bar with the
step's name and the time so far while the block runs; it yields a function ``step(done, total)``
that turns the bar into a count (``12/300``) where the work is counted. Piped or redirected, it
shows nothing, so scripts and files get only the command's own output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from qcode.cli.output import err

Step = Callable[[int, int], None]


def _quiet(done: int, total: int) -> None:
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

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield step
