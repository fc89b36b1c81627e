"""qcode init DIR --from study.rqda: an RQDA project built with sqlite3 in the schema RQDA 0.3
writes (../shared/rqda/rqda-test.rqda), with Chinese text, emoji and CRLF line breaks."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SHARED, run_cli

from qcode import Project

EMPTY = SHARED / "rqda" / "rqda-test.rqda"
pytestmark = pytest.mark.skipif(not EMPTY.is_file(), reason="needs ../shared/rqda")

F1 = "访谈者：您交养老保险吗？\r\n受访者：交不起😅，每月八百四十五元。\r\n访谈者：为什么？\r\n受访者：收入不稳定。"
F2 = "Interviewer: Do you pay?\r\nW07: No. I keep the money in my own hands.\r\n"
DATE = "Mon Mar  4 10:00:00 2024"


def span(text: str, words: str) -> tuple[int, int]:
    """Where RQDA would store ``words``: code points (R's nchar/substr, GTK offsets) of the
    text as stored, CRLF included."""
    start = text.index(words)
    return start, start + len(words)


def build(path: Path) -> None:
    shutil.copy(EMPTY, path)
    con = sqlite3.connect(path)
    q = con.execute
    q("insert into source values ('张师傅', 1, ?, 'a courier', 'ann', ?, ?, 1)", (F1, DATE, DATE))
    q("insert into source values ('W07', 2, ?, '', 'ann', ?, ?, 1)", (F2, DATE, DATE))
    q("insert into source values ('old draft', 3, 'gone', '', 'ann', ?, ?, 0)", (DATE, DATE))
    q(
        "insert into freecode values ('收入不稳定', 'income swings', 'ann', ?, ?, 1, 1, '#FF0000')",
        (DATE, DATE),
    )
    q(
        "insert into freecode values ('keep money', '', 'bo', ?, ?, 2, 1, 'antiquewhite1')",
        (DATE, DATE),
    )
    q("insert into freecode values ('deleted code', '', 'bo', ?, ?, 3, 0, NULL)", (DATE, DATE))
    q("insert into codecat values ('经济压力', NULL, 1, 'ann', ?, ?, 'money', 1)", (DATE, DATE))
    q("insert into treecode values (1, 1, ?, ?, '', 1, 'ann')", (DATE, DATE))
    for fid, cid, text, words, owner, status in (
        (1, 1, F1, "收入不稳定", "ann", 1),
        (1, 1, F1, "交不起😅，每月八百四十五元", "bo", 1),
        (2, 2, F2, "I keep the money in my own hands", "bo", 1),
        (2, 2, F2, "Do you pay", "bo", 0),
    ):
        a, b = span(text, words)
        q(
            "insert into coding values (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (cid, fid, words, a, b, status, owner, DATE),
        )
    q("insert into cases values ('Zhang', '', 'ann', ?, ?, 1, 1)", (DATE, DATE))
    q("insert into cases values ('W07 case', '', 'ann', ?, ?, 2, 1)", (DATE, DATE))
    q("insert into caselinkage values (1, 1, 0, ?, 1, 'ann', ?, NULL)", (len(F1), DATE))
    a, b = span(F2, "W07: No. I keep the money in my own hands.")
    q("insert into caselinkage values (2, 2, ?, ?, 1, 'ann', ?, NULL)", (a, b, DATE))
    q("insert into attributes values ('age', 1, ?, ?, 'ann', '', 'numeric')", (DATE, DATE))
    q("insert into caseAttr values ('age', '41', 1, ?, ?, 'ann', 1)", (DATE, DATE))
    q("insert into fileAttr values ('wave', '2', 2, ?, ?, 'ann', 1)", (DATE, DATE))
    q("insert into filecat values ('couriers', NULL, 1, 'ann', ?, ?, '', 1)", (DATE, DATE))
    q("insert into treefile values (1, 1, ?, ?, '', 1, 'ann')", (DATE, DATE))
    q(
        "insert into journal values ('first thoughts', 'Money comes first.', ?, ?, 'ann', 1)",
        (DATE, DATE),
    )
    con.commit()
    con.close()


def test_rqda_project_becomes_a_qcode_project(tmp_path: Path) -> None:
    src = tmp_path / "study.rqda"
    build(src)
    r = run_cli("init", str(tmp_path / "p"), "--from", str(src), "--json")
    assert r.code == 0, r.err
    report = r.json()
    assert report["origin"] == "RQDA"
    assert any("deleted row(s) of RQDA's 'coding'" in n for n in report["notes"])
    assert any("'source'" in n for n in report["notes"]) and any(
        "'freecode'" in n for n in report["notes"]
    )
    with Project.open(tmp_path / "p") as p:
        docs = {d.name: d for d in p.documents.list()}
        assert set(docs) == {"张师傅", "W07"}
        codes = {c.path: c for c in p.codes.list()}
        assert codes["经济压力"].level == "axial"
        assert codes["经济压力/收入不稳定"].description == "income swings"
        assert codes["经济压力/收入不稳定"].color == "#FF0000"
        assert "deleted code" not in codes
        got = sorted((c.document, c.text, c.coder) for c in p.codings.list())
        # the same characters RQDA's seltext holds, though the stored text lost its CRs
        assert got == [
            ("W07", "I keep the money in my own hands", "bo"),
            ("张师傅", "交不起😅，每月八百四十五元", "bo"),
            ("张师傅", "收入不稳定", "ann"),
        ]
        assert "\r" not in p.documents.text("张师傅")
        assert docs["张师傅"].case == "Zhang"
        assert p.attributes.values("case")["Zhang"] == {"age": 41}
        assert p.attributes.values("document")["W07"] == {
            "wave": "2"
        }  # no class in attributes: character
        assert "first thoughts" in [m.title for m in p.memos.list()]
        with p.read() as s:
            from sqlalchemy import select

            from qcode.store.models import CaseLink

            links = s.execute(select(CaseLink.start, CaseLink.end)).all()
        text = p.documents.text("W07")
        assert [text[a:b] for a, b in links] == ["W07: No. I keep the money in my own hands."]


def test_files_that_are_not_rqda_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.rqda"
    bad.write_text("hello", encoding="utf-8")
    r = run_cli("init", str(tmp_path / "p"), "--from", str(bad))
    assert r.code == 1 and "is not an RQDA project (not an SQLite database)" in r.err
    other = tmp_path / "other.rqda"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    r = run_cli("init", str(tmp_path / "q"), "--from", str(other))
    assert r.code == 1 and "is not an RQDA project (no table 'source')" in r.err
    assert not (tmp_path / "p").exists() and not (tmp_path / "q").exists()
    assert len(r.err.strip().splitlines()) == 1
