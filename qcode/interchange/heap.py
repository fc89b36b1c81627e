"""Freeing a large XML tree once, not twice.

A project file of 200,000 codings parses into a tree of about 600,000 elements, several
million small blocks of memory. glibc's allocator keeps small freed blocks apart in "fast bins"
without merging them; after such a tree is freed, the next request for a larger block merges
them all, and that took as long as freeing the tree (about half a second, at an unforeseeable
later moment). With fast bins off while the tree lives, each block is merged as it is freed, for
a little more time at the free and nothing later. Only glibc has the setting (``mallopt`` with
``M_MXFAST``); elsewhere, or when the user has set it through ``GLIBC_TUNABLES``, this does
nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

M_MXFAST = 1  # mallopt's parameter number (malloc.h)
DEFAULT_MXFAST = 64 * 8 // 4  # glibc's default on 64-bit machines: 128 bytes


def _glibc() -> Any | None:
    if not sys.platform.startswith("linux") or "mxfast" in os.environ.get("GLIBC_TUNABLES", ""):
        return None
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):
        return None
    if not version.startswith("glibc") or sys.maxsize <= 2**32:
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt


@contextmanager
def no_fast_bins() -> Iterator[None]:
    """Inside: small blocks freed are merged at once (see the module's text)."""
    mallopt = _glibc()
    if mallopt is None:
        yield
        return
    mallopt(M_MXFAST, 0)
    try:
        yield
    finally:
        mallopt(M_MXFAST, DEFAULT_MXFAST)
