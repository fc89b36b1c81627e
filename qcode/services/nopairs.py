"""Why a co-occurrence count found no pairs, and what would find some: one answer for the command
line and the workbench, each of which words it for its own keys and options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qcode.analysis.cooccurrence import UNITS

if TYPE_CHECKING:
    from qcode.services.project import Project
    from qcode.services.scope import Scope


@dataclass(frozen=True)
class NoPairs:
    """``why`` is one of ``no-categories`` (axial level, no axial codes), ``no-codings`` (none
    by the coders asked for, ``coders``, or none at all), ``one-code`` (a pair needs two codes),
    ``other-unit`` (unit ``other`` has ``n`` pairs) and ``no-shared`` (no unit holds two)."""

    why: str
    coders: tuple[str, ...] = ()
    other: str | None = None
    n: int = 0


def why_no_pairs(
    p: Project,
    unit: str,
    coders: Sequence[str] = (),
    level: str = "open",
    scope: Scope | None = None,
    min_count: int = 1,
) -> NoPairs:
    """The reason :meth:`~qcode.services.analysis.AnalysisService.cooccur` at ``unit`` found
    nothing (call it when it did), trying the other units in their order after ``unit``."""
    if scope is not None:
        coders, level = tuple(scope.coders), scope.level
    codes = p.codes.list()
    if level == "axial" and not any(c.level == "axial" for c in codes):
        return NoPairs("no-categories")
    if coders:
        coded = {c.code for coder in coders for c in p.codings.list(coder=coder)}
    else:
        coded = {c.path for c in codes if c.codings}
    if not coded:
        return NoPairs("no-codings", tuple(coders))
    if len(coded) < 2:
        return NoPairs("one-code")
    at = UNITS.index(unit)
    for other in UNITS[at + 1 :] + UNITS[:at]:
        if scope is not None:
            n = len(p.analysis.cooccur(other, min_count=min_count, scope=scope))
        else:
            n = len(p.analysis.cooccur(other, coders, level=level, min_count=min_count))
        if n:
            return NoPairs("other-unit", other=other, n=n)
    return NoPairs("no-shared")
