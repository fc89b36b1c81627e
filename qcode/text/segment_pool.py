"""Segmenting many texts in a second process while the caller goes on with other work.

A new project made from a large ``.qdpx`` spends a few seconds cutting sentences and a few
writing codings; the two do not depend on each other, so with two cores they can run at once.
:class:`Segmenter` starts one helper process (``python -m qcode.text.segment_pool``: a fresh
interpreter that imports nothing of the caller's program) as soon as it is made, so that its
start-up overlaps the caller's reading; :meth:`Segmenter.submit` hands it the texts and gives
back a function that waits for the units. Whatever goes wrong with the helper (it cannot start,
it dies, it hangs past :data:`PATIENCE`), the texts are segmented in the calling process
instead, with the same result.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

Row = tuple[str, int, int, str | None]  # a unit as (kind, start, end, speaker)
HELPER = ("-m", "qcode.text.segment_pool")  # the helper's command line after the interpreter
# a helper that has not answered this long (seconds, plus one per 20,000 characters: tens of
# times what segmenting takes) is stuck: it is stopped and the texts are segmented here
PATIENCE = 60.0
PATIENCE_CHARS = 20_000


def segment_rows(
    items: Sequence[tuple[str, str]], speaker_patterns: Sequence[str] | None
) -> list[list[Row]]:
    """The units of each (text, language) as :func:`qcode.text.segment.segment` gives them."""
    from qcode.text.segment import segment

    return [
        [(u.kind, u.start, u.end, u.speaker) for u in segment(text, lang, speaker_patterns)]
        for text, lang in items
    ]


class Segmenter:
    """Segments texts in a helper process when ``use_worker`` and the machine has a second
    core, else where it is called."""

    def __init__(self, use_worker: bool) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        if not use_worker or (os.cpu_count() or 1) < 2:
            return
        try:
            self._proc = subprocess.Popen(
                [sys.executable, *HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # its failures are handled here, never shown
            )
        except OSError:  # no process to be had: segment here
            self._proc = None

    @property
    def in_worker(self) -> bool:
        return self._proc is not None

    def submit(
        self, items: Sequence[tuple[str, str]], speaker_patterns: Sequence[str] | None
    ) -> Callable[[], list[list[Row]]]:
        """Start segmenting ``items``; the function returned waits for their units."""
        items = list(items)
        patterns = None if speaker_patterns is None else list(speaker_patterns)
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            rows = segment_rows(items, patterns)
            return lambda: rows
        stdin, stdout = proc.stdin, proc.stdout
        data = pickle.dumps((items, patterns), protocol=pickle.HIGHEST_PROTOCOL)
        # written from a thread: the helper may still be starting, and the pipe holds little
        writer = threading.Thread(target=_send, args=(stdin, data), daemon=True)
        writer.start()
        # stopping a stuck helper ends its output, so the wait below ends too
        limit = PATIENCE + sum(len(text) for text, _ in items) / PATIENCE_CHARS
        watchdog = threading.Timer(limit, proc.kill)
        watchdog.daemon = True
        watchdog.start()

        def wait() -> list[list[Row]]:
            try:
                rows = pickle.load(stdout)
                if isinstance(rows, list) and len(rows) == len(items):
                    return rows
            except Exception:  # the helper died, failed or was stopped: the same work here
                pass
            finally:
                watchdog.cancel()
                writer.join(timeout=1)
                self.close()
            return segment_rows(items, patterns)

        return wait

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for pipe in (proc.stdin, proc.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if proc.poll() is None:  # done with it (its answer read) or not needed after all
            proc.kill()
        proc.wait()

    def __enter__(self) -> Segmenter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _send(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()  # all there is: the helper sees the end
    except OSError:  # the helper is gone; wait() finds out and segments here
        pass


def _serve() -> None:
    """The helper: load the sentence rules while the caller reads, then segment what comes."""
    from qcode.text.segment import sentence_pipeline

    sentence_pipeline("en")
    try:
        items, patterns = pickle.load(sys.stdin.buffer)
    except EOFError:  # the caller needed nothing after all
        return
    rows: Any = segment_rows(items, patterns)
    pickle.dump(rows, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()
