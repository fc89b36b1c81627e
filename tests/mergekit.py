"""What the merge tests share: two interviews, a project and its copy (the two sides of a merge,
with the copy's origin as their common ancestor), copies of both sides for merging in the other
order, and the state the merge tests compare."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import write

from qcode import Project

TEXT_A = "Interviewer: Do you pay?\nR: Some months I pay, some months I cannot. Rent first."
TEXT_B = "Interviewer: And your family?\nR: My son says keep the money in my own hands."


def two_sides(tmp_path: Path, fill: Callable[[Project, Path], None]) -> tuple[Path, Path]:
    """A project "Study" at tmp_path/a, filled by ``fill(project, tmp_path)``, and its copy at
    tmp_path/b."""
    a = tmp_path / "a"
    with Project.init(a, name="Study") as p:
        fill(p, tmp_path)
    b = tmp_path / "b"
    shutil.copytree(a, b)
    return a, b


def interviews(p: Project, folder: Path) -> None:
    """int01 and int02 (written into folder), the codes income swings, family and rent, and one
    coding in each interview."""
    p.documents.import_files([write(folder / "int01.txt", TEXT_A)])
    p.documents.import_files([write(folder / "int02.txt", TEXT_B)])
    p.codes.add("income swings", description="Income varies")
    p.codes.add("family")
    p.codes.add("rent")
    p.codings.apply("int01", 26, 62, "income swings")
    p.codings.apply("int02", 31, 38, "family")


def copies(a: Path, b: Path) -> tuple[Path, Path]:
    """Copies of both sides beside them (a2, b2), to merge the other way round."""
    a2, b2 = a.parent / "a2", b.parent / "b2"
    shutil.copytree(a, a2)
    shutil.copytree(b, b2)
    return a2, b2


def copy_again(a: Path, b: Path) -> None:
    """b replaced by a fresh copy of a: what a holds now is the common ancestor."""
    shutil.rmtree(b)
    shutil.copytree(a, b)


def state(root: Path, memos: bool = False) -> dict[str, Any]:
    """The project's codings, codes and documents (and, with memos, the memos' bodies)."""
    with Project.open(root) as p:
        got = {
            "codings": sorted(
                (c.document, c.code, c.coder, c.start, c.end) for c in p.codings.list()
            ),
            "codes": sorted((c.path, c.description, c.color) for c in p.codes.list()),
            "docs": sorted(d.name for d in p.documents.list()),
        }
        if memos:
            got["memos"] = sorted(m.body for m in p.memos.list())
        return got
