"""Typed results for Python and notebooks: :class:`Records`, a list of dataclass records with
``.to_pandas()`` and ``.as_json()``.

pandas is optional (``pip install 'qcode[pandas]'``); without it ``to_pandas`` refuses in one
line. The command line serialises the same records (``as_json``), so what a notebook sees and
what ``--json`` prints are one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields, is_dataclass
from typing import Any, Generic, TypeVar

from qcode.errors import InvalidInputError

T = TypeVar("T")

PANDAS_MISSING = "to_pandas needs pandas: pip install 'qcode[pandas]' (or pip install pandas)"


def pandas() -> Any:
    """The pandas module, or a one-line error saying how to install it."""
    try:
        import pandas as pd
    except ImportError:
        raise InvalidInputError(PANDAS_MISSING) from None
    return pd


def record_json(record: Any) -> Any:
    """A record as JSON: its own ``as_json()`` where it has one, else its dataclass fields."""
    as_json = getattr(record, "as_json", None)
    if callable(as_json):
        return as_json()
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    return record


class Records(list[T], Generic[T]):
    """A list of dataclass records (``of``: their class, so an empty result still has its
    columns). ``columns`` picks and orders the fields a DataFrame gets (default: all)."""

    def __init__(
        self,
        items: Iterable[T] = (),
        of: type | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        super().__init__(items)
        self.of = of if of is not None else (type(self[0]) if self else None)
        self.columns = list(columns) if columns is not None else None

    def field_names(self) -> list[str]:
        if self.columns is not None:
            return list(self.columns)
        kind = self.of
        if kind is not None and is_dataclass(kind):
            return [f.name for f in fields(kind)]
        return []

    def as_json(self) -> list[Any]:
        """What ``--json`` prints: one object per record."""
        return [record_json(r) for r in self]

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per record, a column per field (needs pandas)."""
        pd = pandas()
        names = self.field_names()
        return pd.DataFrame([{n: getattr(r, n) for n in names} for r in self], columns=names)
