"""qcode build: a project rebuilt from reviewable text files, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FRAMEWORK, write

from qcode import Project
from qcode.errors import InputFileError
from qcode.services.build import build


def study(root: Path) -> Path:
    write(root / "study.yaml", "name: Mini study\nlanguage: en\nuser: builder\n")
    write(root / "cases.csv", "case,language,occupation,age\nP1,en,rider,34\nP2,zh,主播,29\n")
    write(
        root / "transcripts" / "P1.txt",
        "Interviewer: Do you pay?\nP1: No. I keep the money in my own hands.\n",
    )
    write(root / "transcripts" / "P2.txt", "访谈者：你交吗？\n受访者：断缴了。收入不稳定。\n")
    (root / "framework.yaml").write_text(FRAMEWORK.read_text(encoding="utf-8"), encoding="utf-8")
    write(
        root / "codebook.yaml",
        """
codes:
  - name: Financial pressure
    level: axial
    description: Money makes paying hard.
    children:
      - name: keep the money in my own hands
        in_vivo: true
        example: I keep the money in my own hands.
        links: [{element: Financial resilience, relation: weakens}]
      - name: income volatility
  - name: Participation resilience
    level: selective
relations:
  - {source: Financial pressure, type: causal condition of, target: Participation resilience,
     comment: money first}
""",
    )
    write(
        root / "codings.csv",
        "document,code,coder,text,occurrence\n"
        "P1,Financial pressure/keep the money in my own hands,ann,keep the money in my own hands,\n"
        "P2,Financial pressure/income volatility,bo,收入不稳定,1\n",
    )
    write(
        root / "memos" / "storyline.md",
        "---\ntitle: Storyline\ntype: storyline\ncoder: ann\n"
        "links: [{code: Participation resilience}]\n---\n# Story\nResilience ...\n",
    )
    return root


def test_build_makes_the_whole_project(tmp_path: Path) -> None:
    root = study(tmp_path / "mini")
    with build(root) as p:
        docs = {d.name: d for d in p.documents.list()}
        assert set(docs) == {"P1", "P2"} and docs["P2"].language == "zh"
        assert p.attributes.values("case")["P1"] == {"age": 34, "occupation": "rider"}
        codes = {c.path: c for c in p.codes.list()}
        assert codes["Financial pressure"].level == "axial"
        assert codes["Participation resilience"].level == "selective"
        assert codes["Financial pressure/keep the money in my own hands"].in_vivo is True
        rows = [(c.document, c.text, c.coder) for c in p.codings.list()]
        assert rows == [("P1", "keep the money in my own hands", "ann"), ("P2", "收入不稳定", "bo")]
        assert p.structure.core()["storyline"] == ["Storyline"]
        fin = [
            e
            for d in p.framework.show()["dimensions"]
            for e in d["elements"]
            if e["name"] == "Financial resilience"
        ][0]
        assert fin["codes"][0]["relation"] == "weakens"
    # rebuilding starts from scratch: the same project again, not doubled
    with build(root) as again:
        assert len(again.codings.list()) == 2 and len(again.documents.list()) == 2


def test_a_failed_build_keeps_the_previous_project(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = study(tmp_path / "mini")
    assert cli("build", str(root)).code == 0
    write(
        root / "codings.csv", "document,code,coder,text\nP1,Financial pressure,ann,absent words\n"
    )
    r = cli("build", str(root))
    assert r.code == 1 and "codings.csv: line 2" in r.err and "does not occur" in r.err
    with Project.open(root) as p:
        assert len(p.codings.list()) == 2
    with pytest.raises(InputFileError, match="no study.yaml"):
        build(tmp_path)


def test_whoever_opens_a_built_study_codes_as_themself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QCODE_USER", "")
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setattr("getpass.getuser", lambda: "researcher")
    root = study(tmp_path / "mini")
    write(root / "codings.csv", "document,code,coder,text\nP1,income volatility,,keep the money\n")
    with build(root) as p:
        assert [c.coder for c in p.codings.list()] == ["builder"]  # the study's coder wrote it
    with Project.open(root) as p:
        assert p.settings.user is None and p.user == "researcher"
        p.codings.apply("P1", 0, 11, "income volatility")
        assert sorted(c.coder for c in p.codings.list()) == ["builder", "researcher"]
