"""Levels, typed relations, the paradigm worksheet and the core category."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot, write

from qcode import Project
from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.services.memos import Target


@pytest.fixture
def gt(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files(
        [write(tmp_path / "a.txt", "R: It costs 845 a month. I stopped.")]
    )
    p = project
    p.codes.add("participation dilemma", level="axial")
    p.codes.add("utility gap", parent="participation dilemma", level="axial")
    p.codes.add(
        "fixed contribution",
        description="A fixed monthly amount.",
        inclusion="Mentions of a set monthly payment.",
        exclusion="One-off fees.",
        example="845 a month",
        in_vivo=False,
    )
    p.codes.add("income volatility", level="axial")
    p.codes.add("stop paying")
    p.codes.add("platform rules", level="axial")
    p.codes.add("resilience", level="axial")
    return p


def test_code_notes_and_levels(gt: Project) -> None:
    c = gt.codes.get("fixed contribution")
    assert (c.level, c.inclusion, c.exclusion, c.example, c.in_vivo) == (
        "open",
        "Mentions of a set monthly payment.",
        "One-off fees.",
        "845 a month",
        False,
    )
    gt.codes.edit("fixed contribution", in_vivo=True, example="pay 845")
    assert gt.codes.get("fixed contribution").in_vivo is True
    with pytest.raises(InvalidInputError, match="unknown level"):
        gt.codes.add("x", level="core")


def test_one_core_category_unless_allowed(gt: Project) -> None:
    gt.structure.set_core("resilience")
    assert gt.codes.get("resilience").level == "selective"
    before = snapshot(gt)
    with pytest.raises(ConflictError, match="already the core category"):
        gt.structure.set_core("income volatility")
    with pytest.raises(ConflictError, match="already the core category"):
        gt.codes.add("second core", level="selective")
    assert snapshot(gt) == before
    gt.settings.multiple_core = True
    gt.structure.set_core("income volatility")
    assert sorted(gt.structure.core()["core"]) == ["income volatility", "resilience"]


def test_relations_are_typed_and_checked(gt: Project) -> None:
    coding = gt.codings.apply("a", 3, 24, "fixed contribution")
    r = gt.structure.relate(
        "income volatility",
        "causal condition of",
        "participation dilemma",
        comment="swings make fixed payments hard",
        evidence=[coding.id],
    )
    assert (r.source, r.type, r.target, r.directed, r.family, r.evidence) == (
        "income volatility",
        "causal condition of",
        "participation dilemma",
        True,
        "paradigm",
        [coding.id],
    )
    before = snapshot(gt)
    with pytest.raises(InvalidInputError, match="to itself"):
        gt.structure.relate("resilience", "is associated with", "resilience")
    with pytest.raises(NotFoundError, match="unknown relation type 'causes'"):
        gt.structure.relate("resilience", "causes", "platform rules")
    with pytest.raises(ConflictError, match="already recorded"):
        gt.structure.relate("income volatility", "causal condition of", "participation dilemma")
    with pytest.raises(NotFoundError, match="no coding with id 999"):
        gt.structure.relate("resilience", "is associated with", "platform rules", evidence=[999])
    assert snapshot(gt) == before
    gt.structure.relate("resilience", "contradicts", "platform rules")
    with pytest.raises(ConflictError, match="already recorded"):  # symmetric: either order
        gt.structure.relate("platform rules", "contradicts", "resilience")
    t = gt.structure.add_type("buffers", directed=True)
    assert t.family == "user"
    gt.structure.relate("resilience", "buffers", "income volatility")
    assert [x.type for x in gt.structure.list(code="resilience")] == ["contradicts", "buffers"]
    edited = gt.structure.edit(r.id, comment="c", remove_evidence=[coding.id])
    assert (edited.comment, edited.evidence) == ("c", [])
    gt.structure.remove(r.id)
    assert len(gt.structure.list()) == 2


def test_paradigm_worksheet_flags_empty_slots(gt: Project) -> None:
    c = gt.codings.apply("a", 3, 24, "fixed contribution")
    gt.structure.relate(
        "income volatility", "causal condition of", "participation dilemma", evidence=[c.id]
    )
    gt.structure.relate("platform rules", "context of", "participation dilemma")
    gt.structure.relate("stop paying", "action/interaction strategy for", "participation dilemma")
    sheet = gt.structure.paradigm("participation dilemma")
    assert sheet["slots"]["causal conditions"] == [
        {"code": "income volatility", "relation": 1, "comment": "", "evidence": 1}
    ]
    assert [x["code"] for x in sheet["slots"]["strategies"]] == ["stop paying"]
    assert sheet["empty"] == ["intervening conditions", "consequences"]
    gt.settings.paradigm = False
    with pytest.raises(InvalidInputError, match="switched off"):
        gt.structure.paradigm("participation dilemma")
    with pytest.raises(InvalidInputError, match="switched off"):
        gt.structure.relate("resilience", "consequence of", "platform rules")
    assert all(t.family != "paradigm" for t in gt.structure.types())


def test_core_paths_and_unrelated_categories(gt: Project) -> None:
    gt.structure.set_core("resilience")
    gt.structure.relate("income volatility", "is cause of", "participation dilemma")
    gt.structure.relate("participation dilemma", "is associated with", "resilience")
    gt.memos.add("Storyline", "How resilience ...", "storyline", [Target("code", "resilience")])
    core = gt.structure.core()
    assert core["core"] == ["resilience"]
    assert core["paths"]["income volatility"] == [
        "income volatility",
        "is cause of",
        "participation dilemma",
        "is associated with",
        "resilience",
    ]
    assert core["paths"]["participation dilemma/utility gap"] == [
        "participation dilemma/utility gap",
        "contains",
        "participation dilemma",
        "is associated with",
        "resilience",
    ]
    assert core["unrelated"] == ["platform rules"]
    assert core["storyline"] == ["Storyline"]


def test_merge_and_delete_keep_relations_consistent(gt: Project) -> None:
    gt.structure.relate("income volatility", "is cause of", "stop paying")
    gt.structure.relate("platform rules", "is cause of", "stop paying")
    gt.structure.relate("income volatility", "is associated with", "platform rules")
    gt.codes.merge("platform rules", "income volatility")
    rels = [(r.source, r.type, r.target) for r in gt.structure.list()]
    # the duplicate and the self-relation the merge would create are dropped
    assert rels == [("income volatility", "is cause of", "stop paying")]
    gt.codes.delete("stop paying")
    assert gt.structure.list() == []
    gt.history.undo()
    assert len(gt.structure.list()) == 1


def test_structure_from_the_command_line(gt: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(gt.root)]
    r = cli(
        *p,
        "codes",
        "add",
        "keep money",
        "--in-vivo",
        "--example",
        "keep the money",
        "--inclusion",
        "wish to hold cash",
        "--json",
    )
    assert r.code == 0 and r.json()["in_vivo"] is True and r.json()["level"] == "open"
    assert (
        cli(
            *p,
            "relate",
            "income volatility",
            "causal condition of",
            "participation dilemma",
            "--comment",
            "swings",
        ).code
        == 0
    )
    rel = cli(*p, "relations", "--json").json()
    assert (rel[0]["source"], rel[0]["type"], rel[0]["target"], rel[0]["comment"]) == (
        "income volatility",
        "causal condition of",
        "participation dilemma",
        "swings",
    )
    bad = cli(*p, "relate", "resilience", "causes", "platform rules")
    assert bad.code == 1 and "unknown relation type 'causes'" in bad.err
    sheet = cli(*p, "paradigm", "participation dilemma", "--json").json()
    assert sheet["empty"] == ["context", "intervening conditions", "strategies", "consequences"]
    assert cli(*p, "core", "resilience").code == 0
    second = cli(*p, "core", "platform rules")
    assert second.code == 3 and "already the core category" in second.err  # a conflict
    info = cli(*p, "core", "--json").json()
    assert info["core"] == ["resilience"] and "platform rules" in info["unrelated"]
    assert cli(*p, "relations", "remove", str(rel[0]["id"])).code == 0
    assert cli(*p, "relations", "--json").json() == []
    assert cli(*p, "paradigm", "--disable").code == 0
    off = cli(*p, "paradigm", "participation dilemma")
    assert off.code == 1 and "switched off" in off.err
    types = {t["name"] for t in cli(*p, "relations", "types", "--json").json()}
    assert "is associated with" in types and "context of" not in types


def test_memos_export_as_one_outline(gt: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gt.memos.add(
        "Why people stop", "# Heading\nFixed costs.", "theory", [Target("code", "stop paying")]
    )
    gt.memos.add("Next interviews", "Couriers with contracts.", "sampling")
    out = tmp_path / "memos.md"
    assert cli("-p", str(gt.root), "memos", "export", "--format", "md", "-o", str(out)).code == 0
    text = out.read_text()
    assert (
        text.index("## Theory memos")
        < text.index("### Why people stop")
        < text.index("## Sampling memos")
        < text.index("### Next interviews")
    )
    assert "Linked to: code stop paying" in text and "#### Heading" in text


def test_memos_link_to_relations_and_memos(gt: Project, cli) -> None:  # type: ignore[no-untyped-def]
    r = gt.structure.relate("income volatility", "is cause of", "stop paying")
    first = gt.memos.add("first")
    out = cli(
        "-p",
        str(gt.root),
        "memos",
        "add",
        "Why volatility stops payment",
        "--type",
        "theory",
        "--relation",
        str(r.id),
        "--memo",
        str(first.id),
        "--json",
    )
    assert out.code == 0
    assert [(lk["kind"], lk["id"]) for lk in out.json()["links"]] == [
        ("relation", r.id),
        ("memo", first.id),
    ]
    gt.structure.remove(r.id)  # the link goes with the relation, the memo stays
    assert [lk.kind for lk in gt.memos.get(out.json()["id"]).links] == ["memo"]
