"""Codebook CSV files written by Taguette and QualCoder."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from qcode import Project


def test_taguette_codebook(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "codebook.csv"
    # Taguette writes: tag, parent, description, number of highlights
    f.write_text(
        "tag,parent,description,number of highlights\r\n"
        "money,,Anything about money,3\r\n"
        "contribution burden,money,Paying feels too heavy,12\r\n"
        "fixed vs variable,contribution burden,Fixed payment against swinging income,4\r\n"
        "trust/distrust,,Trust in the scheme,0\r\n",
        encoding="utf-8",
    )
    r = run_cli("-p", str(tmp_path / "p"), "codebook", "import", str(f))
    assert r.code == 0, r.err
    with Project.open(tmp_path / "p") as p:
        paths = {c.path: c for c in p.codes.list()}
    assert set(paths) == {
        "money",
        "money/contribution burden",
        "money/contribution burden/fixed vs variable",
        "trust\u2215distrust",
    }
    assert paths["money/contribution burden"].description == "Paying feels too heavy"


def test_taguette_codebook_with_unknown_parent_is_refused(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "codebook.csv"
    f.write_text("tag,parent,description\nmoney,,x\nburden,finance,y\n", encoding="utf-8")
    r = run_cli("-p", str(tmp_path / "p"), "codebook", "import", str(f))
    assert r.code == 1 and "line 3: parent 'finance' is not a tag here" in r.err
    with Project.open(tmp_path / "p") as p:
        assert p.codes.list() == []


def test_qualcoder_code_tree(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "codes.csv"
    f.write_text(
        "name,category,memo,color\n"
        "keep the money in my own hands,Financial pressure,In-vivo,#EB7333\n"
        "fixed contributions,Financial pressure > Burden,,#5882FA\n"
        "trust,,,\n",
        encoding="utf-8",
    )
    r = run_cli("-p", str(tmp_path / "p"), "codebook", "import", str(f))
    assert r.code == 0, r.err
    with Project.open(tmp_path / "p") as p:
        paths = {c.path: c for c in p.codes.list()}
    assert "Financial pressure/Burden/fixed contributions" in paths
    code = paths["Financial pressure/keep the money in my own hands"]
    assert code.description == "In-vivo" and code.color.lower() == "#eb7333"
    assert "trust" in paths
