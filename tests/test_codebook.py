"""Codebook export (md, csv, json, docx, xlsx) and import (csv, json): content, round trips,
merging by GUID and by path, and refusal of bad files."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FRAMEWORK, Result, snapshot, write

from qcode import Project
from qcode.errors import InputFileError, InvalidInputError
from qcode.interchange.model import Codebook, CodeEntry
from qcode.services.codebook import (
    build_codebook,
    export_codebook,
    import_codebook,
    merge_codebook,
)
from qcode.store.models import CodeSet, SetMember

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "schemas" / "codebook.schema.json").read_text()
)
INT01 = "R: It costs 845 a month. I stopped paying.\nR: 钱要握在自己手里。"
INT02 = "R: The platform has no contract with me. It costs 845 yuan a month."
ORDER = [
    "participation dilemma",
    "participation dilemma/stop paying",
    "participation dilemma/utility gap",
    "participation dilemma/utility gap/too dear",
    "platform rules",
    "platform rules/no contract",
    "resilience",
    "钱要握在自己手里",
]
TOO_DEAR = "participation dilemma/utility gap/too dear"


def code(p: Project, doc: str, text: str, words: str, path: str, coder: str = "alice") -> None:
    start = text.index(words)
    p.codings.apply(doc, start, start + len(words), path, coder=coder)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files(
        [write(tmp_path / "int01.txt", INT01), write(tmp_path / "int02.txt", INT02)]
    )
    p.codes.add(
        "participation dilemma",
        level="axial",
        color="#D55E00",
        description="Why workers leave the scheme or never join it.",
    )
    p.codes.add("utility gap", parent="participation dilemma", level="axial")
    p.codes.add(
        "too dear",
        parent="participation dilemma/utility gap",
        description="The contribution is felt as too large.\n\nAgainst income, not in general.",
        inclusion="Size of the monthly contribution against income.",
        exclusion="When it is paid | how often.",
        example="845 a month",
    )
    p.codes.add("stop paying", parent="participation dilemma")
    p.codes.add("platform rules", level="axial")
    p.codes.add("no contract", parent="platform rules")
    p.codes.add("resilience", level="selective", description="The core category.")
    p.codes.add("钱要握在自己手里", in_vivo=True)
    code(p, "int01", INT01, "It costs 845 a month.", TOO_DEAR)
    code(p, "int01", INT01, "It costs 845 a month.", TOO_DEAR, coder="bob")
    code(p, "int02", INT02, "It costs 845 yuan a month.", TOO_DEAR)
    code(p, "int01", INT01, "I stopped paying.", "participation dilemma/stop paying")
    code(p, "int01", INT01, "钱要握在自己手里", "钱要握在自己手里")
    code(p, "int02", INT02, "The platform has no contract with me.", "platform rules/no contract")
    p.structure.relate(
        "platform rules", "causal condition of", "participation dilemma", comment="no employer"
    )
    p.structure.add_type("buffers")
    p.structure.relate("resilience", "buffers", "participation dilemma/stop paying")
    p.structure.relate("participation dilemma/utility gap", "is associated with", "platform rules")
    p.framework.load(FRAMEWORK)
    p.framework.link(TOO_DEAR, "Financial resilience")
    with p.change("test.set") as ch:
        sid = ch.insert_one(CodeSet, name="money", description="Money matters")
        ch.insert(
            SetMember,
            [
                {"set_id": sid, "kind": "code", "target_id": p.codes.get(c).id}
                for c in (TOO_DEAR, "participation dilemma/utility gap")
            ],
        )
    return p


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Project]:
    """A second, empty project."""
    p = Project.init(tmp_path / "other", name="other")
    yield p
    p.close()


def codes_of(p: Project) -> list[tuple[Any, ...]]:
    return [
        (c.path, c.uuid, c.level, c.description, c.inclusion, c.exclusion, c.example)
        + (c.in_vivo, c.color)
        for c in p.codes.list(counts=False)
    ]


def relations_of(p: Project) -> list[tuple[str, str, str, str]]:
    return sorted((r.source, r.type, r.target, r.comment) for r in p.structure.list())


def sets_of(p: Project) -> list[tuple[str, str, str, list[str]]]:
    return [(s.name, s.guid or "", s.description, s.codes) for s in build_codebook(p).sets]


def fail(r: Result, *words: str) -> None:
    assert r.code != 0
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert len(lines) == 1, r.err
    for w in words:
        assert w in lines[0], lines[0]


# -- export -------------------------------------------------------------------------------------
def test_markdown_is_an_outline_with_entries_relations_and_sets(
    study: Project, tmp_path: Path
) -> None:
    out = tmp_path / "codebook.md"
    export_codebook(study, out, counts=True, examples=2)
    md = out.read_text(encoding="utf-8")
    lines = md.splitlines()
    assert lines[0] == "# Codebook: Test project"
    assert "8 codes: 4 open, 3 axial, 1 selective." in lines
    headings = [ln for ln in lines if ln.startswith("###")]
    assert headings == [
        "### 1 participation dilemma",
        "#### 1.1 stop paying",
        "#### 1.2 utility gap",
        "##### 1.2.1 too dear",
        "### 2 platform rules",
        "#### 2.1 no contract",
        "### 3 resilience",
        "### 4 钱要握在自己手里",
    ]
    entry = md.split("##### 1.2.1 too dear\n", 1)[1].split("###", 1)[0]
    assert entry.splitlines() == [
        "",
        "*Open code · colour #009E73 · 3 codings in 2 documents*",
        "",
        "The contribution is felt as too large.",
        "",
        "Against income, not in general.",
        "",
        "- **Include:** Size of the monthly contribution against income.",
        "- **Exclude:** When it is paid \\| how often.",
        "- **Example:** 845 a month",
        "- **Framework:** Participation resilience type: Financial resilience",
        "",
        "Examples from the data:",
        "",
        "> It costs 845 a month.",
        "",
        "> It costs 845 yuan a month.",
        "",
    ]
    assert "*Open code · in vivo · colour" in md.split("### 4 钱要握在自己手里", 1)[1]
    relations = md.split("## Relations\n", 1)[1].split("## Sets", 1)[0].strip().splitlines()
    assert relations == [
        "| Source | Relation | Target | Comment |",
        "|---|---|---|---|",
        "| platform rules | causal condition of | participation dilemma | no employer |",
        "| resilience | buffers | participation dilemma/stop paying |  |",
        "| participation dilemma/utility gap | is associated with | platform rules |  |",
    ]
    assert md.rstrip().endswith(
        "- **money**: Money matters (participation dilemma/utility gap; "
        "participation dilemma/utility gap/too dear)"
    )


def test_counts_and_quotes_agree_with_the_database(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "codebook.json"
    export_codebook(study, out, counts=True, examples=2)
    exported = {c["guid"]: c for c in json.loads(out.read_text(encoding="utf-8"))["codes"]}
    db = sqlite3.connect(study.root / "project.db")
    try:
        uuids = [u for (u,) in db.execute("SELECT uuid FROM codes")]
        rows = db.execute(
            "SELECT k.uuid, c.text, c.document_id FROM codings c JOIN codes k ON k.id = c.code_id"
            " JOIN documents d ON d.id = c.document_id ORDER BY d.name, c.start"
        ).fetchall()
    finally:
        db.close()
    assert set(exported) == set(uuids)
    for uuid in uuids:
        mine = [r for r in rows if r[0] == uuid]
        texts = list(dict.fromkeys(r[1] for r in mine))[:2]
        got = exported[uuid]
        assert (got["codings"], got["documents"]) == (len(mine), len({r[2] for r in mine}))
        assert got.get("quotes", []) == texts
    dear = next(c for c in exported.values() if c["path"] == TOO_DEAR)
    assert (dear["codings"], dear["documents"], dear["quotes"]) == (
        3,
        2,
        ["It costs 845 a month.", "It costs 845 yuan a month."],
    )
    plain = build_codebook(study)
    assert all(c.codings is None and c.quotes == [] for c in plain.codes)


def test_json_export_validates_and_the_schema_rejects_bad_files(
    study: Project, tmp_path: Path
) -> None:
    out = tmp_path / "codebook.json"
    export_codebook(study, out, counts=True, examples=1)
    data = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator.validate(data)
    assert [c["path"] for c in data["codes"]] == ORDER
    assert data["sets"][0]["name"] == "money"
    assert {"source", "type", "target", "comment", "directed", "guid"} == set(data["relations"][0])
    bad = [
        {**data, "format": "something else"},
        {**data, "codes": [{"path": "a//b"}]},
        {**data, "codes": [{"path": "a/ "}]},
        {**data, "codes": [{"path": "a", "color": "red"}]},
        {**data, "codes": [{"path": "a", "level": "core"}]},
        {**data, "codes": [{"path": "a", "guid": "not-a-guid"}]},
        {**data, "codes": [{"path": "a", "descripton": "typo"}]},
        {**data, "relations": [{"source": "a", "target": "b"}]},
        {k: v for k, v in data.items() if k != "codes"},
    ]
    for item in bad:
        assert not validator.is_valid(item), item
    before = snapshot(study)
    for i, item in enumerate(bad):
        path = write(tmp_path / f"bad{i}.json", json.dumps(item))
        with pytest.raises(InputFileError, match=f"bad{i}.json: "):
            import_codebook(study, path)
    assert snapshot(study) == before


def test_docx_reads_back_as_an_appendix(study: Project, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "codebook.docx"
    export_codebook(study, out, counts=True, examples=1)
    doc = docx.Document(str(out))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0] == ("Title", "Codebook: Test project")
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Codes"),
        ("Heading 2", "1 participation dilemma"),
        ("Heading 3", "1.1 stop paying"),
        ("Heading 3", "1.2 utility gap"),
        ("Heading 4", "1.2.1 too dear"),
        ("Heading 2", "2 platform rules"),
        ("Heading 3", "2.1 no contract"),
        ("Heading 2", "3 resilience"),
        ("Heading 2", "4 钱要握在自己手里"),
        ("Heading 1", "Relations"),
        ("Heading 1", "Sets"),
    ]
    start = paras.index(("Heading 4", "1.2.1 too dear"))
    assert paras[start + 1 : start + 9] == [
        ("Normal", "■ Open code · colour #009E73 · 3 codings in 2 documents"),
        ("Normal", "The contribution is felt as too large."),
        ("Normal", "Against income, not in general."),
        ("Normal", "Include: Size of the monthly contribution against income."),
        ("Normal", "Exclude: When it is paid | how often."),
        ("Normal", "Example: 845 a month"),
        ("Normal", "Framework: Participation resilience type: Financial resilience"),
        ("Quote", "It costs 845 a month."),
    ]
    indents = [doc.paragraphs[i].paragraph_format.left_indent for i in (start - 3, start + 1)]
    assert indents[0] < indents[1]  # 'utility gap' entry, then its sub-code's, further in
    include = doc.paragraphs[start + 4].runs
    assert (include[0].text, include[0].bold) == ("Include: ", True)
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["Source", "Relation", "Target", "Comment"]
    assert rows[1] == [
        "platform rules",
        "causal condition of",
        "participation dilemma",
        "no employer",
    ]
    assert len(rows) == 4
    assert paras[-1] == (
        "List Bullet",
        "money: Money matters (participation dilemma/utility gap; "
        "participation dilemma/utility gap/too dear)",
    )


def test_xlsx_reads_back_like_the_csv(study: Project, tmp_path: Path) -> None:
    import openpyxl

    study.codes.edit("stop paying", example="=SUM(A1:A3)")
    export_codebook(study, tmp_path / "codebook.xlsx", counts=True, examples=2)
    export_codebook(study, tmp_path / "codebook.csv", counts=True, examples=2)
    wb = openpyxl.load_workbook(tmp_path / "codebook.xlsx")
    assert wb.sheetnames == ["Codes", "Relations", "Sets"]
    sheet = [list(r) for r in wb["Codes"].iter_rows(values_only=True)]
    with (tmp_path / "codebook.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert sheet[0] == table[0] == [
        "path", "guid", "level", "description", "inclusion", "exclusion", "example",
        "in_vivo", "color", "links", "codings", "documents", "quote_1", "quote_2",
    ]  # fmt: skip
    as_text = [
        ["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in row]
        for row in sheet[1:]
    ]
    assert as_text == table[1:]
    dear = sheet[1 + ORDER.index(TOO_DEAR)]
    assert dear[10:] == [3, 2, "It costs 845 a month.", "It costs 845 yuan a month."]
    assert dear[7] is False and sheet[-1][7] is True
    stop = wb["Codes"].cell(row=2 + ORDER.index("participation dilemma/stop paying"), column=7)
    assert (stop.value, stop.data_type) == ("=SUM(A1:A3)", "s")
    relations = [list(r) for r in wb["Relations"].iter_rows(values_only=True)]
    assert relations[0] == ["source", "type", "target", "comment"]
    assert relations[2] == ["resilience", "buffers", "participation dilemma/stop paying", None]
    sets = [list(r) for r in wb["Sets"].iter_rows(values_only=True)]
    assert sets[1][0] == "money"
    assert sets[1][3].split("\n") == ["participation dilemma/utility gap", TOO_DEAR]


def test_level_filter_keeps_ancestors_only_in_outlines(study: Project, tmp_path: Path) -> None:
    cb = build_codebook(study, levels=["open"])
    assert [(c.path, c.context) for c in cb.codes] == [
        ("participation dilemma", True),
        ("participation dilemma/stop paying", False),
        ("participation dilemma/utility gap", True),
        (TOO_DEAR, False),
        ("platform rules", True),
        ("platform rules/no contract", False),
        ("钱要握在自己手里", False),
    ]
    assert cb.relations == []
    assert cb.sets[0].codes == [TOO_DEAR]
    export_codebook(study, tmp_path / "open.md", levels=["open"])
    md = (tmp_path / "open.md").read_text(encoding="utf-8")
    assert "4 codes: 4 open." in md
    assert md.count("*Not in this selection; listed for its sub-codes.*") == 3
    assert "### 1 participation dilemma\n\n*Not in this selection" in md
    assert "Why workers leave" not in md
    export_codebook(study, tmp_path / "open.csv", levels=["open"])
    with (tmp_path / "open.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [r["path"] for r in csv.DictReader(f)] == [
            "participation dilemma/stop paying",
            TOO_DEAR,
            "platform rules/no contract",
            "钱要握在自己手里",
        ]
    categories = build_codebook(study, levels=["axial", "selective"])
    assert not any(c.context for c in categories.codes)
    assert [(r.source, r.target) for r in categories.relations] == [
        ("platform rules", "participation dilemma"),
        ("participation dilemma/utility gap", "platform rules"),
    ]
    with pytest.raises(InvalidInputError, match="unknown level 'core'"):
        build_codebook(study, levels=["core"])


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "docx", "xlsx"])
def test_an_empty_codebook_is_written_and_read(project: Project, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"empty.{fmt}"
    export_codebook(project, out, counts=True, examples=3)
    if fmt == "md":
        assert out.read_text() == "# Codebook: Test project\n\nThis codebook has no codes.\n"
    elif fmt == "csv":
        assert out.read_text(encoding="utf-8-sig").splitlines() == [
            "path,guid,level,description,inclusion,exclusion,example,in_vivo,color,links"
        ]
    elif fmt == "json":
        data = json.loads(out.read_text())
        jsonschema.validate(data, SCHEMA)
        assert (data["codes"], data["relations"], data["sets"]) == ([], [], [])
    elif fmt == "docx":
        import docx

        texts = [p.text for p in docx.Document(str(out)).paragraphs]
        assert texts == ["Codebook: Test project", "This codebook has no codes."]
    else:
        import openpyxl

        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["Codes", "Relations"]
        assert wb["Codes"].max_row == 1
    if fmt in ("csv", "json"):
        before = snapshot(project)
        report = import_codebook(project, out)
        assert (report.added, report.updated, report.skipped) == ([], [], [])
        assert snapshot(project) == before


# -- import -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_into_a_fresh_project(
    study: Project, tmp_path: Path, other: Project, fmt: str
) -> None:
    out = tmp_path / f"codebook.{fmt}"
    export_codebook(study, out, counts=True, examples=2)
    report = import_codebook(other, out)
    assert report.added[: len(ORDER)] == sorted(ORDER, key=lambda p: p.count("/"))
    assert codes_of(other) == codes_of(study)
    if fmt == "json":
        assert relations_of(other) == relations_of(study)
        assert sets_of(other) == sets_of(study)
        assert "relation type 'buffers' created" in report.notes
        assert [r.guid for r in build_codebook(other).relations] == [
            r.guid for r in build_codebook(study).relations
        ]
    assert "framework links of 1 code(s) are not imported" in report.notes
    again = import_codebook(other, out)
    assert (again.added, again.updated, again.skipped) == ([], [], [])
    assert "8 matched code(s) were already up to date" in again.notes
    other.history.undo()  # the second import changed nothing, so this undoes the first
    assert codes_of(other) == relations_of(other) == []


def test_merge_by_guid_keeps_a_renamed_code(study: Project, tmp_path: Path, other: Project) -> None:
    out = tmp_path / "codebook.json"
    export_codebook(study, out)
    import_codebook(other, out)
    other.codes.rename(TOO_DEAR, "too expensive")
    other.codes.move("participation dilemma/utility gap/too expensive", "platform rules")
    data = json.loads(out.read_text())
    dear = next(c for c in data["codes"] if c["path"] == TOO_DEAR)
    dear |= {"guid": dear["guid"].upper(), "description": "Edited elsewhere.", "color": "#123456"}
    data["codes"].append({"path": f"{TOO_DEAR}/monthly"})
    write(out, json.dumps(data))
    report = import_codebook(other, out)
    assert (report.added, report.updated, report.skipped) == (
        [f"{TOO_DEAR}/monthly"],
        [TOO_DEAR],
        [],
    )
    assert (
        f"{TOO_DEAR!r} is 'platform rules/too expensive' here (same GUID); name and place kept"
        in report.notes
    )
    moved = other.codes.get("platform rules/too expensive")
    assert (moved.uuid, moved.description, moved.color) == (
        dear["guid"].lower(),
        "Edited elsewhere.",
        "#123456",
    )
    assert other.codes.get("platform rules/too expensive/monthly").level == "open"
    assert len(other.codes.list()) == len(ORDER) + 1


def test_merge_by_path_when_guids_differ(study: Project, tmp_path: Path, other: Project) -> None:
    out = tmp_path / "codebook.csv"
    export_codebook(study, out)
    other.codes.add("participation dilemma", level="axial", description="Mine.")
    other.codes.add("utility gap", parent="participation dilemma", color="#000000")
    mine = {c.path: c.uuid for c in other.codes.list()}
    report = import_codebook(other, out)
    assert report.updated == ["participation dilemma", "participation dilemma/utility gap"]
    assert sorted(report.added) == sorted(set(ORDER) - set(mine))
    assert (
        "2 code(s) matched by path have other GUIDs in the file; the project's GUIDs are kept"
        in report.notes
    )
    after = {c.path: c for c in other.codes.list()}
    assert {p: after[p].uuid for p in mine} == mine
    assert (
        after["participation dilemma"].description
        == study.codes.get("participation dilemma").description
    )
    assert (
        after["participation dilemma/utility gap"].color
        == study.codes.get("participation dilemma/utility gap").color
    )
    assert after[TOO_DEAR].uuid == study.codes.get(TOO_DEAR).uuid


def test_import_reports_added_updated_and_skipped(study: Project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "more.csv",
        "path,level,description,color\n"
        "participation dilemma,,Why workers leave.,\n"
        "platform rules,,,#112233\n"
        "stop-gap,selective,,\n"
        "participation dilemma/stop paying,,,\n"
        "resilience/buffers,,Savings that carry contributions.,\n"
        "new category/first,,,\n",
    )
    before = snapshot(study)
    r = cli("-p", str(study.root), "codebook", "import", str(path), "--json")
    assert r.code == 0, r.err
    report = r.json()
    assert set(report) == {"added", "updated", "skipped", "notes"}
    assert report["added"] == ["resilience/buffers", "new category", "new category/first"]
    assert report["updated"] == ["participation dilemma", "platform rules"]
    assert report["skipped"] == [
        "stop-gap: 'resilience' is already the core category; a project has one unless "
        "[grounded_theory] multiple_core = true in qcode.toml"
    ]
    assert report["notes"] == [
        "'new category' was created to hold its sub-codes",
        "1 matched code(s) were already up to date",
    ]
    assert study.codes.get("platform rules").color == "#112233"
    assert study.codes.get("participation dilemma").level == "axial"  # blank level: unchanged
    assert study.codes.get("resilience/buffers").description == "Savings that carry contributions."
    study.history.undo()
    assert snapshot(study) == before
    r = cli("-p", str(study.root), "codebook", "import", str(path))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == f"{path}: added 3, updated 2, skipped 1"
    assert "  added: new category/first" in lines
    assert any(ln.startswith("  skipped: stop-gap: 'resilience' is already") for ln in lines)


def test_minimal_csv_with_path_or_name_and_parent(project: Project, tmp_path: Path) -> None:
    before = snapshot(project)
    by_path = write(tmp_path / "paths.csv", "\ufeffPath\na/b/c\na\n\nd\n")
    report = import_codebook(project, by_path)
    assert report.added == ["a", "d", "a/b", "a/b/c"]
    assert [c.path for c in project.codes.list()] == ["a", "a/b", "a/b/c", "d"]
    project.history.undo()
    assert snapshot(project) == before
    by_name = write(
        tmp_path / "names.csv",
        'name,parent,in_vivo\r\nx,,yes\r\n"y, z",x,\r\nw,"x/y, z",no\r\n',
    )
    import_codebook(project, by_name)
    assert [(c.path, c.in_vivo) for c in project.codes.list()] == [
        ("x", True),
        ("x/y, z", False),
        ("x/y, z/w", False),
    ]


def test_relations_and_sets_merge(study: Project, tmp_path: Path) -> None:
    data = {
        "format": "qcode-codebook",
        "version": 1,
        "codes": [{"path": "savings"}],
        "relations": [
            {"source": "savings", "type": "cushions", "target": "resilience", "comment": "c"},
            {"source": "platform rules", "type": "is associated with",
             "target": "participation dilemma/utility gap"},
            {"source": "platform rules", "type": "causal condition of",
             "target": "participation dilemma", "comment": "no employer share"},
            {"source": "savings", "type": "is a", "target": "nowhere"},
        ],
        "sets": [
            {"name": "money", "codes": ["savings", TOO_DEAR]},
            {"name": "new set", "description": "d", "codes": ["savings", "gone"]},
        ],
    }  # fmt: skip
    report = import_codebook(study, write(tmp_path / "rel.json", json.dumps(data)))
    assert report.added == ["savings", "relation 'savings' cushions 'resilience'", "set 'new set'"]
    assert report.updated == [
        "relation 'platform rules' causal condition of 'participation dilemma'",
        "set 'money'",
    ]
    assert report.skipped == [
        "relation 'savings' is a 'nowhere': no code 'nowhere'",
        "set 'new set', member 'gone': no such code",
    ]
    assert "relation type 'cushions' created" in report.notes
    types = {t.name: t for t in study.structure.types()}
    assert (types["cushions"].family, types["cushions"].relations) == ("user", 1)
    assert (
        "platform rules",
        "causal condition of",
        "participation dilemma",
        "no employer share",
    ) in relations_of(study)
    assert len(relations_of(study)) == 4  # the undirected one, given reversed, was not repeated
    sets = {s[0]: s for s in sets_of(study)}
    assert sets["money"][3] == ["participation dilemma/utility gap", TOO_DEAR, "savings"]
    assert sets["new set"][2:] == ("d", ["savings"])
    merged = merge_codebook(study, Codebook(codes=[CodeEntry("savings")]), "in-memory")
    assert (merged.added, merged.updated) == ([], [])


def test_a_path_matched_code_cannot_be_claimed_twice(study: Project) -> None:
    guid = study.codes.get("platform rules").uuid
    cb = Codebook(
        codes=[CodeEntry("renamed rules", guid=guid), CodeEntry("platform rules", description="x")]
    )
    report = merge_codebook(study, cb, "x.json")
    assert report.skipped == ["platform rules: matches the same code as 'renamed rules'"]
    assert study.codes.get("platform rules").description == ""


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.csv", "path,color\na,#12345\n", "code 'a': colour '#12345' is not of the form"),
        ("bad.csv", "path\na//b\n", "code 'a//b': a code name cannot be empty"),
        ("bad.csv", "name,parent\na/b,\n", "line 2: name 'a/b' contains '/'"),
        ("bad.csv", "path,in_vivo\na,maybe\n", "line 2, in_vivo: 'maybe' is neither yes nor no"),
        ("bad.csv", "code,level\na,open\n", "needs a 'path' column"),
        ("bad.csv", "path\na\n a \n", "code 'a' is listed twice"),
        ("bad.csv", "path,guid\na,123\n", "code 'a': '123' is not a GUID"),
        ("bad.csv", "path,level\na,core\n", "code 'a': unknown level 'core'"),
        ("bad.csv", b"path\n\xff\xfe\n", "its encoding cannot be decided (likely"),
        ("bad.csv", 'path,description\na,"never closed\nb,x\n', "line 2: a quoted cell is never"),
        ("bad.csv", "path,description\na,x\nb,x,y\n", "line 3: 3 cells where the header has 2"),
        ("bad.csv", "path,description\na,x\nb\n", "line 3: 1 cells where the header has 2"),
        ("bad.csv", 'path,description\na,"two\nlines"\nb,x,y\n', "line 4: 3 cells"),
        ("bad.json", "{not json", "cannot be parsed as JSON"),
        (
            "bad.json",
            '{"format": "qcode-codebook", "version": 1}',
            "'codes' is a required property",
        ),
        ("bad.txt", "path\na\n", "unknown codebook format '.txt'"),
        ("missing.csv", None, "no such file"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    study: Project,
    tmp_path: Path,
    cli,
    name: str,
    content: str | bytes | None,
    problem: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        write(path, content)
    before = snapshot(study)
    fail(cli("-p", str(study.root), "codebook", "import", str(path)), str(path), problem)
    assert snapshot(study) == before


def test_export_from_the_command_line(study: Project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(study.root), "codebook", "export"]
    out = tmp_path / "book.json"
    r = cli(*p, "-o", str(out), "--level", "axial,selective", "--with-counts")
    assert r.code == 0, r.err
    assert r.out.strip() == f"wrote {out}: 4 code(s), 2 relation(s), 1 set(s)"
    data = json.loads(out.read_text())
    assert [(c["path"], c["codings"]) for c in data["codes"]] == [
        ("participation dilemma", 0),
        ("participation dilemma/utility gap", 0),
        ("platform rules", 0),
        ("resilience", 0),
    ]
    r = cli(*p, "-o", str(tmp_path / "book.data"), "--format", "md", "--with-examples", "1")
    assert r.code == 0, r.err
    assert "> It costs 845 a month." in (tmp_path / "book.data").read_text(encoding="utf-8")
    fail(cli(*p, "-o", str(tmp_path / "book.txt")), "book.txt", "unknown codebook format '.txt'")
    fail(cli(*p, "-o", str(out), "--format", "pdf"), "unknown codebook format 'pdf'")
    fail(cli(*p, "-o", str(out), "--level", "core"), "unknown level 'core'")
    fail(cli(*p, "-o", str(tmp_path / "no" / "dir.md")), "dir.md", "cannot be written")
