"""Work on hundreds of thousands of objects at once (a whole ``.qdpx`` in, a whole project out).

While such work builds its objects, Python's cyclic garbage collector keeps walking all of them
again (each full collection of a large import took about half a second, several times over),
though they hold no reference cycles to free. :func:`collector_paused` stops the automatic
collections for the duration; they come back as they were afterwards, however the work ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
