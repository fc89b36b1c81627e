"""Export, import and merge share one mapping per entity; every model column has its place."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import write

from qcode import Project
from qcode.interchange.model import CodeEntry
from qcode.interchange.qdpx import XCase, XCoding, XNote, XSource, XVariable
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.services.mapping import CASE, CODE, MAPPINGS
from qcode.services.merge import merge_project

ENTRIES = {
    "codes": CodeEntry,
    "cases": XCase,
    "attributes": XVariable,
    "documents": XSource,
    "codings": XCoding,
    "memos": XNote,
}


@pytest.mark.parametrize("m", MAPPINGS, ids=lambda m: m.model.__tablename__)
def test_every_column_is_mapped_exactly_once(m) -> None:  # type: ignore[no-untyped-def]
    columns = set(m.model.__table__.columns.keys())
    listed = [*m.copied, *m.structural, *m.local]
    assert len(listed) == len(set(listed)), "a column is listed twice"
    assert set(listed) == columns, (
        f"{m.model.__tablename__}: not in the mapping: {sorted(columns - set(listed))}; "
        f"not a column: {sorted(set(listed) - columns)}"
    )
    entry = ENTRIES.get(m.model.__tablename__)
    if entry is not None:
        names = {f.name for f in dataclasses.fields(entry)}
        assert set(m.copied.values()) <= names


def _fill(p: Project) -> None:
    p.codes.add("income", description="d", level="axial")
    p.codes.edit(
        "income", inclusion="inc", exclusion="exc", example="ex", color="#123456", in_vivo=True
    )
    p.cases.add("P1", description="the first")


def _code_and_case(root: Path) -> tuple[dict, dict]:  # type: ignore[type-arg]
    from sqlalchemy import select

    from qcode.store.models import Case, Code

    with Project.open(root) as p, p.read() as s:
        code = s.execute(select(Code).where(Code.name == "income")).scalar_one()
        case = s.execute(select(Case).where(Case.name == "P1")).scalar_one()
        # the colour travels only when chosen (a structural column): compared with the rest
        return {**CODE.out(code), "color": code.color, "color_chosen": code.color_chosen}, CASE.out(
            case
        )


def test_export_import_and_merge_carry_every_copied_column(tmp_path: Path) -> None:
    with Project.init(tmp_path / "a") as p:
        p.documents.import_files([write(tmp_path / "t.txt", "R: some words here.")])
        _fill(p)
        export_qdpx(p, tmp_path / "a.qdpx")
    want = _code_and_case(tmp_path / "a")
    assert want[0]["in_vivo"] is True and want[0]["color"] == "#123456"
    assert want[0]["color_chosen"] is True
    q, _ = create_from_qdpx(tmp_path / "b", tmp_path / "a.qdpx")
    q.close()
    assert _code_and_case(tmp_path / "b") == want
    with Project.init(tmp_path / "c") as p:
        merge_project(p, tmp_path / "a")
    assert _code_and_case(tmp_path / "c") == want


def test_merge_carries_a_memos_every_copied_column(tmp_path: Path) -> None:
    import datetime as dt

    from sqlalchemy import select, update

    from qcode.services.mapping import MEMO
    from qcode.store.models import Memo

    with Project.init(tmp_path / "a") as p:
        p.memos.add("first thoughts", "money matters", "theory")
        with p.engine.begin() as c:  # written long ago, edited since
            c.execute(
                update(Memo).values(
                    created=dt.datetime(2024, 1, 2, 3, 4, 5),
                    updated=dt.datetime(2024, 6, 7, 8, 9, 10),
                )
            )

    def memo(root: Path) -> dict:  # type: ignore[type-arg]
        with Project.open(root) as p, p.read() as s:
            return MEMO.out(s.execute(select(Memo)).scalar_one())

    want = memo(tmp_path / "a")
    with Project.init(tmp_path / "c") as p:
        merge_project(p, tmp_path / "a")
    assert memo(tmp_path / "c") == want


def test_export_and_import_carry_what_the_mapping_copies(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column given to an exchange attribute in the mapping is written and read by that alone:
    here a document's source name, mapped (for the test) to the source's description."""
    from qcode.services import exchange, mapping

    project.documents.import_files([write(tmp_path / "int01.txt", "R: I pay when I can.")])
    moved = dict(mapping.DOCUMENT.structural)
    del moved["source_name"]
    doc = dataclasses.replace(
        mapping.DOCUMENT,
        copied={**mapping.DOCUMENT.copied, "source_name": "description"},
        structural=moved,
    )
    monkeypatch.setattr(exchange, "DOCUMENT", doc)
    x, _ = exchange.to_exchange(project)
    assert [s.description for s in x.sources] == ["int01.txt"]
