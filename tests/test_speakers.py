"""Speaker turns on a labelled corpus of transcript fragments (tests/data/speakers), the
import warnings about speakers, and qcode docs speakers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from qcode import Project
from qcode.text.segment import segment

CORPUS = Path(__file__).resolve().parent / "data" / "speakers"
EXPECTED: dict[str, list[str]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))


def test_the_corpus_is_large_and_varied() -> None:
    assert len(EXPECTED) >= 30
    kinds = {Path(n).suffix for n in EXPECTED}
    assert kinds == {".txt", ".docx", ".vtt", ".srt"}
    assert any(n.startswith("zh-") for n in EXPECTED) and any(n.startswith("en-") for n in EXPECTED)
    assert all((CORPUS / n).is_file() for n in EXPECTED)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = Project.init(tmp_path_factory.mktemp("speakers") / "proj", name="speakers")
    result = p.documents.import_files(sorted(CORPUS / n for n in EXPECTED))
    assert len(result.imported) == len(EXPECTED)
    return p


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_speakers_per_turn(imported: Project, name: str) -> None:
    doc = Path(name).stem
    turns = imported.documents.units(doc, "turn")
    assert [t["speaker"] for t in turns] == EXPECTED[name]
    labels = {sp for sp in EXPECTED[name]}
    for t in turns:
        # a turn opens with its own speaker and never swallows another speaker's line
        first, *rest = t["text"].split("\n")
        assert first.split("]")[-1].lstrip().startswith(t["speaker"])
        for line in rest:
            for other in labels:
                assert not line.startswith((other + ":", other + "：")), (name, line)


def test_negative_labels_are_not_speakers() -> None:
    for line in (
        "Abstract: x",
        "摘要：x",
        "摘要: x",
        "Received: 2020",
        "ISSN: 1234-5678",
        "Note: x",
        "10:30 we met",
        "10:30: lunch",
        "Keywords: a; b",
        "第一条：总则",
    ):
        text = f"{line}\nInterviewer: hello\nW01: hi"
        turns = [u for u in segment(text, "en") if u.kind == "turn"]
        assert [u.speaker for u in turns] == ["Interviewer", "W01"], line


def test_import_warns_when_one_speaker_holds_the_turns(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "interview-07.txt"
    # the respondent's labels are in a form no rule knows, so the interviewer seems to talk alone
    f.write_text(
        "".join(f"Interviewer: question {i}?\n~~resp~~ answer {i}.\n" for i in range(12)),
        encoding="utf-8",
    )
    r = run_cli("-p", str(tmp_path / "p"), "import", str(f))
    assert r.code == 0, r.err
    warned = [ln for ln in r.err.splitlines() if "holds" in ln]
    assert len(warned) == 1 and "'Interviewer'" in warned[0] and "12 of 12" in warned[0]
    rows = run_cli("-p", str(tmp_path / "p"), "docs", "speakers", "interview-07", "--json").json()
    assert rows == [
        {"speaker": "Interviewer", "turns": 12, "characters": rows[0]["characters"], "share": 1.0}
    ]
    assert rows[0]["characters"] == sum(
        len(f"Interviewer: question {i}?\n~~resp~~ answer {i}.") for i in range(12)
    )


def test_import_warns_when_a_transcript_has_no_speakers(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "focus-group.txt"
    f.write_text("» hello there\n» hi\n» how are you\n", encoding="utf-8")
    plain = tmp_path / "policy.txt"
    plain.write_text("The scheme pays 100 to 300 yuan a month.\n", encoding="utf-8")
    r = run_cli("-p", str(tmp_path / "p"), "import", str(f), str(plain), "--json")
    assert r.code == 0, r.err
    warnings = r.json()["warnings"]
    assert len(warnings) == 1 and "focus-group.txt" in warnings[0]
    assert "no speaker labels" in warnings[0]


def test_docs_speakers_table(imported: Project, tmp_path: Path) -> None:
    r = run_cli("-p", str(imported.root), "docs", "speakers", "en-codes-w")
    assert r.code == 0
    lines = r.out.splitlines()
    assert "speaker" in lines[0] and "turns" in lines[0]
    assert any("W07" in ln and " 3 " in ln for ln in lines)
    assert any("Interviewer" in ln and " 2 " in ln for ln in lines)
