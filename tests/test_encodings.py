"""Encodings are detected (and reported) for transcripts, captions and CSV files; a file whose
encoding cannot be decided is refused with the candidates; --encoding overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from qcode import Project

ZH = (
    "受访者：我跑外卖五年了，收入每个月都不一样，有时候三千五，有时候四千多。"
    "按最低缴费基数一个月要交八百四十五元，太多了。跨省以后缴费记录也断了。\n"
    "访谈者：您听说过指数化月平均缴费工资吗？\n"
)
TW = (
    "受訪者：我跑外送五年了，收入每個月都不一樣，有時候三千五，有時候四千多。"
    "按最低繳費基數一個月要交八百四十五元，太多了。跨省以後繳費記錄也斷了。\n"
    "訪談者：您聽說過指數化月平均繳費工資嗎？\n"
)
EN = (
    "Interviewer: What do you pay? “I can’t pay €845 every month — it’s too much,” she said.\n"
    "Respondent: The café owner’s naïve façade… my résumé says “self-employed”.\n"
)


def body(text: str, size: int = 3200) -> str:
    return text * (size // len(text.encode("utf-8")) + 1)


CASES = [
    ("gb18030", body(ZH) + "𠀀㐀\n", "gb18030"),
    ("gbk", body(ZH), "gbk"),
    ("big5", body(TW), "big5"),
    ("utf-16-le", body(ZH), "utf-16-le"),
    ("utf-16-be", body(EN), "utf-16-be"),
    ("utf-32-le", body(EN), "utf-32-le"),
    ("cp1252", body(EN), "cp1252"),
    ("utf-8", body(ZH), "utf-8"),
    ("utf-8-sig", body(ZH), "utf-8-sig"),
    ("utf-16", body(EN), "utf-16"),
]


def encoded(text: str, enc: str) -> bytes:
    return text.encode(enc)


@pytest.mark.parametrize(("enc", "text", "reported"), CASES, ids=[c[0] for c in CASES])
def test_detected_encodings(tmp_path: Path, enc: str, text: str, reported: str) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / f"interview-{enc}.txt"
    f.write_bytes(encoded(text, enc))
    assert f.stat().st_size >= 2048
    r = run_cli("-p", str(tmp_path / "p"), "import", str(f), "--json")
    assert r.code == 0, r.err
    doc = r.json()["imported"][0]
    assert doc["encoding"] == reported
    with Project.open(tmp_path / "p") as p:
        expected = encoded(text, enc).decode(enc).replace("\ufeff", "")
        assert (
            p.documents.text(doc["name"]) == expected.rstrip("\n")
            or p.documents.text(doc["name"]) == expected
        )
    shown = run_cli(
        "-p", str(tmp_path / "p"), "import", str(f), "--allow-duplicates", "--name", "again"
    )
    assert f"encoding {reported})" in shown.out


def test_undecidable_encoding_is_refused_and_override_works(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    f = tmp_path / "short.txt"
    f.write_bytes("收入不稳定".encode("gbk"))
    r = run_cli("-p", str(tmp_path / "p"), "import", str(f))
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1
    assert "short.txt: its encoding cannot be decided (likely gb18030" in r.err
    assert "--encoding" in r.err
    with Project.open(tmp_path / "p") as p:
        assert p.documents.list() == []
    ok = run_cli("-p", str(tmp_path / "p"), "import", str(f), "--encoding", "gbk", "--json")
    assert ok.code == 0 and ok.json()["imported"][0]["encoding"] == "gbk"


def test_captions_and_codebooks_in_gbk(tmp_path: Path) -> None:
    Project.init(tmp_path / "p", name="p").close()
    srt = tmp_path / "focus.srt"
    cues = "".join(
        f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\n{'访谈者' if i % 2 else '受访者'}：第{i}个问题，"
        "收入不稳定，缴费负担很重，跨省流动记录中断。\n\n"
        for i in range(1, 40)
    )
    srt.write_bytes(cues.encode("gbk"))
    vtt = tmp_path / "group.vtt"
    vtt.write_bytes(
        ("WEBVTT\n\n" + cues.replace(",", ".").replace("问题", "话题")).encode("gb18030")
    )
    r = run_cli("-p", str(tmp_path / "p"), "import", str(srt), str(vtt), "--json")
    assert r.code == 0, r.err
    assert [d["encoding"] for d in r.json()["imported"]] == ["gbk", "gbk"]
    with Project.open(tmp_path / "p") as p:
        turns = p.documents.units("focus", "turn")
        assert [t["speaker"] for t in turns[:3]] == ["访谈者", "受访者", "访谈者"]
    book = tmp_path / "codebook.csv"
    rows = "".join(f"收入波动{i},每个月收入不一样，缴费很难坚持下去。\n" for i in range(80))
    book.write_bytes(("path,description\n" + rows).encode("gbk"))
    r = run_cli("-p", str(tmp_path / "p"), "codebook", "import", str(book))
    assert r.code == 0, r.err
    with Project.open(tmp_path / "p") as p:
        assert p.codes.get("收入波动7").description == "每个月收入不一样，缴费很难坚持下去。"
