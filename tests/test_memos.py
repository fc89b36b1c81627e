"""Memos: typed, titled, linked, searchable; links follow merges and vanish with what they name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.errors import InvalidInputError, NotFoundError
from qcode.services.memos import Target


@pytest.fixture
def proj(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files([write(tmp_path / "a.txt", "I: Why?\nR: 太贵了 👍🏽 really.")])
    project.codes.add("cost")
    project.codes.add("price")
    return project


def test_memo_links_and_search(proj: Project) -> None:
    c = proj.codings.apply("a", 11, 14, "cost")
    m = proj.memos.add(
        "Cost as a barrier",
        "The *fixed* contribution",
        "theory",
        [Target("code", "cost"), Target("coding", str(c.id)), Target("document", "a", 15, 16)],
        coder="bob",
    )
    assert (m.type, m.coder) == ("theory", "bob")
    kinds = [(lk.kind, lk.label, lk.start, lk.end) for lk in m.links]
    assert kinds == [
        ("code", "cost", None, None),
        ("coding", f"coding {c.id}", None, None),
        ("document", "a", 15, 17),
    ]  # the span is widened to the whole emoji
    assert [x.id for x in proj.memos.list(search="FIXED")] == [m.id]
    assert proj.memos.list(search="absent") == []
    assert [x.id for x in proj.memos.list(kind="coding", target_id=c.id)] == [m.id]
    proj.codes.merge("cost", "price")
    assert proj.memos.get(m.id).links[0].label == "price"
    proj.codings.remove([c.id])
    assert [lk.kind for lk in proj.memos.get(m.id).links] == ["code", "document"]


def test_memo_refusals(proj: Project) -> None:
    with pytest.raises(InvalidInputError, match="needs a title"):
        proj.memos.add("  ")
    with pytest.raises(InvalidInputError, match="unknown memo type"):
        proj.memos.add("x", type_="diary")
    with pytest.raises(NotFoundError, match="no coding with id '999'"):
        proj.memos.add("x", targets=[Target("coding", "999")])
    with pytest.raises(InvalidInputError, match="past the end"):
        proj.memos.add("x", targets=[Target("document", "a", 0, 999)])
    assert proj.memos.list() == []


def test_a_memo_file_that_is_not_there_is_named_as_missing(
    proj: Project, cli: Any, tmp_path: Path
) -> None:
    r = cli("-p", str(proj.root), "memos", "add", "x", "--file", str(tmp_path / "gone.md"))
    assert r.code == 1 and r.err.strip() == f"error: {tmp_path / 'gone.md'}: no such file"
    r = cli("-p", str(proj.root), "memos", "add", "x", "--file", str(tmp_path))
    assert r.code == 1 and r.err.strip().endswith(": is not a file")


def test_a_range_that_ends_before_it_starts_is_called_so(proj: Project, cli: Any) -> None:
    doc = proj.documents.list()[0].name
    r = cli("-p", str(proj.root), "code", doc, "9", "3", "x", "--create")
    assert r.code == 1 and "ends before it starts" in r.err
    r = cli("-p", str(proj.root), "code", doc, "3", "3", "x", "--create")
    assert r.code == 1 and "is empty" in r.err
