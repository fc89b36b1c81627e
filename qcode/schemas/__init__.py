"""The JSON Schemas of qcode's file formats, shipped inside the package and read with
:mod:`importlib.resources`, so an installed qcode needs no checkout beside it.

The top-level ``schemas/`` folder holds the same files for editors and readers of the
repository; a test keeps the two byte for byte equal.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


def names() -> list[str]:
    """The file names of every schema shipped."""
    return sorted(p.name for p in files(__name__).iterdir() if p.name.endswith(".schema.json"))


def text(name: str) -> str:
    """The text of schema ``name`` (such as ``framework.schema.json``)."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def load(name: str) -> dict[str, Any]:
    """Schema ``name`` as data (cached: treat it as read-only)."""
    data: dict[str, Any] = json.loads(text(name))
    return data
