"""One coding reads neither the code tree nor the document nor the coder again while nothing has
changed them, checks for a duplicate in its insert, and still sees every change made since,
by this process or by another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from qcode import Project
from qcode.errors import InvalidInputError, NotFoundError
from qcode.services.codings import CodingRequest


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(
            f"interview {i}: income 收入 varies a lot\n", encoding="utf-8"
        )
    p = Project.init(tmp_path / "p", name="p")
    p.documents.import_files(sorted(src.iterdir()))
    p.codes.add("income")
    p.codes.add("family")
    yield p
    p.close()


def _statements(p: Project) -> list[str]:
    seen: list[str] = []

    @event.listens_for(p.engine, "before_cursor_execute")
    def _record(_conn: object, _cur: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    return seen


def test_a_coding_after_the_first_reads_no_codes_documents_or_coders(project: Project) -> None:
    p = project
    p.codings.apply("d0", 0, 9, "income", coder="ann")  # makes the coder: nothing kept
    p.codings.apply("d1", 0, 9, "income", coder="ann")  # reads the tree, d1 and the coder
    seen = _statements(p)
    info = p.codings.apply("d1", 2, 12, "income", coder="ann")
    assert info.code == "income" and info.document == "d1" and info.coder == "ann"
    reads = [s for s in seen if s.startswith("SELECT")]
    assert not [s for s in reads if "FROM codes" in s or "FROM documents" in s]
    assert not [s for s in reads if "FROM coders" in s or "FROM codings WHERE" in s]
    inserts = [s for s in seen if s.startswith("INSERT INTO codings")]
    assert len(inserts) == 1 and "ON CONFLICT" in inserts[0]


def test_a_duplicate_is_found_and_nothing_is_written(project: Project) -> None:
    p = project
    first = p.codings.apply("d0", 0, 9, "income", coder="ann")
    again = p.codings.apply("d0", 0, 9, "income", coder="ann")  # the stored one, as it is
    assert again.existed and not first.existed and again.id == first.id
    twice = CodingRequest("d1", 0, 5, "family", "ann")
    with pytest.raises(InvalidInputError, match="already coded"):  # twice in one request
        p.codings.apply_many([twice, twice])
    assert len(p.codings.list()) == 1


def test_changes_by_this_process_are_seen(project: Project) -> None:
    p = project
    p.codings.apply("d0", 0, 9, "income", coder="ann")
    p.codes.rename("income", "earnings")
    with pytest.raises(NotFoundError, match="no code 'income'"):
        p.codings.apply("d0", 0, 5, "income", coder="ann")
    assert p.codings.apply("d0", 0, 5, "earnings", coder="ann").code == "earnings"
    p.documents.rename("d1", "interview one")
    with pytest.raises(NotFoundError, match="no document 'd1'"):
        p.codings.apply("d1", 0, 5, "earnings", coder="ann")
    assert p.codings.apply("interview one", 0, 5, "earnings").document == "interview one"
    p.history.undo()  # the coding
    p.history.undo()  # the rename of the document
    assert p.codings.apply("d1", 0, 5, "earnings", coder="ann").document == "d1"


def test_a_code_made_in_a_change_that_failed_is_not_kept(project: Project) -> None:
    p = project
    p.codings.apply("d0", 0, 9, "income", coder="ann")
    with pytest.raises(RuntimeError), p.change("test") as ch:
        p.codings.apply_in(ch, [CodingRequest("d0", 0, 5, "fresh", "ann")], create=True)
        raise RuntimeError("the user's action failed after the code was made")
    with pytest.raises(NotFoundError, match="no code 'fresh'"):
        p.codings.apply("d0", 0, 5, "fresh", coder="ann")


def test_changes_by_another_process_are_seen(project: Project) -> None:
    p = project
    p.codings.apply("d0", 0, 9, "income", coder="ann")
    other = Project.open(p.root)
    try:
        other.codes.rename("income", "earnings")
        other.codes.add("pension")
        other.documents.rename("d2", "last")
    finally:
        other.close()
    with pytest.raises(NotFoundError, match="no code 'income'"):
        p.codings.apply("d0", 0, 5, "income", coder="ann")
    assert p.codings.apply("d0", 0, 5, "pension", coder="ann").code == "pension"
    assert p.codings.apply("last", 0, 5, "earnings", coder="ann").document == "last"
