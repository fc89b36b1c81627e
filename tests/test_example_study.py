"""The bundled example study builds, and holds what an example study should."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import jieba
import pytest
from conftest import EXAMPLE

from qcode import Project
from qcode.services.build import build


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("example") / "flexible-employment"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("project.db*", "qcode.toml"))
    with build(root) as p:
        yield p


def words(text: str, language: str) -> int:
    if language == "zh":
        jieba.setLogLevel(60)
        return sum(1 for w in jieba.cut(text) if re.search(r"\w", w))
    return len(text.split())


def test_transcripts(example: Project) -> None:
    docs = example.documents.list()
    langs = [d.language for d in docs]
    assert len(docs) >= 12 and langs.count("en") >= 8 and langs.count("zh") >= 4
    for d in docs:
        text = example.documents.text(d.name)
        assert 1500 <= words(text, d.language) <= 4000, d.name
        assert "Synthetic" in text.splitlines()[0] or "合成" in text.splitlines()[0]
        speakers = {u["speaker"] for u in example.documents.units(d.name, "turn")}
        assert len(speakers) == 2, (d.name, speakers)  # interviewer and respondent turns
    assert "synthetic" in (EXAMPLE / "README.md").read_text().lower()


def test_cases_carry_attributes(example: Project) -> None:
    values = example.attributes.values("case")
    wanted = {
        "occupation",
        "platform",
        "labour_form",
        "contract",
        "income_band",
        "household_registration",
        "union_member",
        "current_scheme",
        "region",
    }
    assert len(values) == len(example.documents.list())
    for case, attrs in values.items():
        assert wanted <= set(attrs), case


def test_codebook_structure(example: Project) -> None:
    codes = example.codes.list()
    levels = [c.level for c in codes]
    assert levels.count("open") >= 40 and levels.count("axial") >= 8
    assert levels.count("selective") == 1
    assert any(c.in_vivo for c in codes)
    core = example.structure.core()
    assert core["core"] == ["Participation resilience"] and core["unrelated"] == []
    assert core["storyline"]
    sheet = example.structure.paradigm("Participation resilience")
    assert not [
        slot
        for slot in ("causal conditions", "strategies", "consequences")
        if slot in sheet["empty"]
    ]
    linked = {
        c["code"]
        for d in example.framework.show()["dimensions"]
        for e in d["elements"]
        for c in e["codes"]
    }
    assert len(linked) >= 8


def test_two_coders_on_at_least_four_transcripts(example: Project) -> None:
    by_doc: dict[str, set[str]] = {}
    for c in example.codings.list():
        by_doc.setdefault(c.document, set()).add(c.coder)
    assert sum(1 for coders in by_doc.values() if len(coders) >= 2) >= 4
    assert set(by_doc) == {d.name for d in example.documents.list()}
    for c in example.codings.list():
        assert c.text == example.documents.text(c.document)[c.start : c.end]


def test_memos_of_several_types(example: Project) -> None:
    assert len({m.type for m in example.memos.list()}) >= 4
