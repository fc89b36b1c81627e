"""Office files, web pages, folders, spreadsheets and speakers as data: stored text against an
independent extraction (LibreOffice's own conversion to plain text), codings that survive a
.qdpx round trip, bad input refused in one line with the project unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from sourcefiles import CJK_FONT, EN_PARAS, ZH_PARAS, convert, soffice, word

from qcode import Project

needs_lo = pytest.mark.skipif(soffice() is None, reason="needs LibreOffice (.ci/libreoffice)")


def lines(text: str) -> list[str]:
    return [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if soffice() is None:
        pytest.skip("needs LibreOffice")
    out = tmp_path_factory.mktemp("office")
    en = word(out / "en.docx", EN_PARAS, repeat=2)
    zh = word(out / "zh.docx", ZH_PARAS, repeat=2, font=CJK_FONT)
    files = {"docx-en": en, "docx-zh": zh}
    for fmt in ("odt", "rtf", "html"):
        a, b = convert([en, zh], fmt, out / fmt)
        files[f"{fmt}-en"], files[f"{fmt}-zh"] = a, b
    a, b = convert([en, zh], "txt:Text", out / "txt")
    files["txt-en"], files["txt-zh"] = a, b
    return files


@needs_lo
@pytest.mark.parametrize("fmt", ["docx", "odt", "rtf", "html"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_office_text_equals_libreoffice_extraction(
    office: dict[str, Path], fmt: str, lang: str, tmp_path: Path
) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="o").close()
    src = office[f"{fmt}-{lang}"]
    r = run_cli("-p", str(proj), "import", str(src), "--json")
    assert r.code == 0, r.err
    theirs = office[f"txt-{lang}"].read_bytes().decode("utf-8-sig")
    with Project.open(proj) as p:
        name = p.documents.list()[0].name
        ours = p.documents.text(name)
        assert lines(ours) == lines(theirs)
        # a coding through the CLI covers the same characters after .qdpx and back
        words = (ZH_PARAS if lang == "zh" else EN_PARAS)[1][4:20]
        start = ours.index(words)
    assert run_cli("-p", str(proj), "codes", "add", "burden").code == 0
    r = run_cli("-p", str(proj), "code", name, str(start), str(start + len(words)), "burden")
    assert r.code == 0, r.err
    qdpx = tmp_path / "x.qdpx"
    assert run_cli("-p", str(proj), "export", "-o", str(qdpx)).code == 0
    assert run_cli("init", str(tmp_path / "back"), "--from", str(qdpx)).code == 0
    with Project.open(tmp_path / "back") as b:
        assert [c.text for c in b.codings.list()] == [words]


def test_html_keeps_headings_and_drops_scripts(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="h").close()
    page = tmp_path / "policy.html"
    page.write_bytes(
        '<html><head><meta charset="gb2312"><title>政策</title><style>p{}</style></head><body>'
        "<h1>灵活就业人员参保办法</h1><script>alert(1)</script><p>第一条　为保障权益，"
        "制定本办法。</p><table><tr><td>缴费基数</td><td>4227元</td></tr></table></body></html>".encode(
            "gb18030"
        )
    )
    r = run_cli("-p", str(proj), "import", str(page))
    assert r.code == 0, r.err
    with Project.open(proj) as p:
        assert p.documents.text("policy").split("\n") == [
            "政策",
            "灵活就业人员参保办法",
            "第一条　为保障权益，制定本办法。",
            "缴费基数\t4227元",
        ]


def test_folder_import_recursive_with_skipped_report_and_keep_going(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="f").close()
    folder = tmp_path / "study"
    (folder / "wave2" / ".git").mkdir(parents=True)
    (folder / "a.txt").write_text("Interviewer: one\nW01: yes", encoding="utf-8")
    (folder / "wave2" / "b.md").write_text("Interviewer: two\nW02: no", encoding="utf-8")
    (folder / "wave2" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "wave2" / ".git" / "config").write_text("x", encoding="utf-8")
    (folder / "survey.xlsx").write_bytes(b"PK")
    (folder / "wave2" / "empty.txt").write_text("", encoding="utf-8")
    r = run_cli("-p", str(proj), "import", str(folder))
    assert r.code == 1 and "empty.txt: is empty" in r.err
    with Project.open(proj) as p:
        assert p.documents.list() == []
    r = run_cli("-p", str(proj), "import", str(folder), "--keep-going", "--json")
    assert r.code == 1
    data = r.json()
    assert sorted(d["name"] for d in data["imported"]) == ["a", "b"]
    assert [Path(f["path"]).name for f in data["failed"]] == ["empty.txt"]
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert skipped == {
        "photo.jpg": "unsupported file type '.jpg'",
        "survey.xlsx": "a spreadsheet: import it with --text-columns",
    }


def survey(path: Path, rows: int = 565) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["respondent_id", "age", "platform", "insured", "interviewed", "Q5", "Q9", "Q12"])
    import datetime as dt

    for i in range(rows):
        ws.append(
            [
                f"R{i:03d}",
                20 + i % 40,
                ["美团", "饿了么", "滴滴"][i % 3],
                i % 2 == 0,
                dt.date(2024, 1 + i % 12, 1 + i % 28),
                f"收入不稳定，第{i}位受访者说每月缴费太贵。",
                "" if i % 5 == 0 else f"I keep the money in my own hands ({i}).",
                f"希望政府补贴{i}。",
            ]
        )
    wb.save(path)
    return path


def test_survey_of_565_rows(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="s").close()
    xlsx = survey(tmp_path / "survey.xlsx")
    r = run_cli(
        "-p",
        str(proj),
        "import",
        str(xlsx),
        "--text-columns",
        "Q5,Q9,Q12",
        "--case-column",
        "respondent_id",
        "--code-by-question",
        "--json",
    )
    assert r.code == 0, r.err
    data = r.json()
    assert data["documents"] == 565 * 3 - 113 and data["cases"] == 565
    assert data["attributes"] == {
        "age": "number",
        "platform": "text",
        "insured": "boolean",
        "interviewed": "date",
    }
    with Project.open(proj) as p:
        assert p.documents.text("R007 Q9") == "I keep the money in my own hands (7)."
        assert p.attributes.values("case")["R007"]["age"] == 27
        q5 = [c for c in p.codings.list() if c.code == "Q5"]
        assert len(q5) == 565 and q5[0].text.startswith("收入不稳定")
    # one document per row: each answer under its question, coded by question
    proj2 = tmp_path / "p2"
    Project.init(proj2, name="s").close()
    r = run_cli(
        "-p",
        str(proj2),
        "import",
        str(xlsx),
        "--text-columns",
        "Q5,Q9",
        "--case-column",
        "respondent_id",
        "--one-document-per",
        "row",
        "--code-by-question",
    )
    assert r.code == 0, r.err
    with Project.open(proj2) as p:
        assert p.documents.text("R001") == (
            "Q5\n收入不稳定，第1位受访者说每月缴费太贵。\n\nQ9\nI keep the money in my own hands (1)."
        )
        assert {c.code: c.text for c in p.codings.list(document="R001")} == {
            "Q5": "收入不稳定，第1位受访者说每月缴费太贵。",
            "Q9": "I keep the money in my own hands (1).",
        }


def test_bad_spreadsheets_change_nothing(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="s").close()
    xlsx = survey(tmp_path / "survey.xlsx", 5)
    for args, problem in (
        (["--text-columns", "Q7"], "has no column 'Q7'"),
        (["--text-columns", "Q5", "--case-column", "rid"], "has no column 'rid'"),
        (["--text-columns", "Q5", "--one-document-per", "cell"], "use answer or row"),
    ):
        r = run_cli("-p", str(proj), "import", str(xlsx), *args)
        assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and problem in r.err
    csv = tmp_path / "bad.csv"
    csv.write_text('id,Q5\n1,"never closed\n', encoding="utf-8")
    r = run_cli("-p", str(proj), "import", str(csv), "--text-columns", "Q5")
    assert r.code == 1 and "line 2: a quoted cell is never closed" in r.err
    r = run_cli("-p", str(proj), "import", str(xlsx))
    assert r.code == 1 and "--text-columns" in r.err
    with Project.open(proj) as p:
        assert p.documents.list() == [] and p.cases.list() == []


def test_speakers_as_cases_and_speaker_codes(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="fg").close()
    f = tmp_path / "focus-group.txt"
    f.write_text(
        "Moderator: Who pays?\nW01: I do.\nW02: I stopped.\nW01: Only the lowest band.\n",
        encoding="utf-8",
    )
    r = run_cli("-p", str(proj), "import", str(f), "--speakers-as-cases", "--code-speakers")
    assert r.code == 0, r.err
    with Project.open(proj) as p:
        coded = sorted((c.code, c.text) for c in p.codings.list())
        assert coded == [
            ("speaker/Moderator", "Moderator: Who pays?"),
            ("speaker/W01", "W01: I do."),
            ("speaker/W01", "W01: Only the lowest band."),
            ("speaker/W02", "W02: I stopped."),
        ]
        names = {c.name for c in p.cases.list()}
        assert {"Moderator", "W01", "W02"} <= names
        from sqlalchemy import select

        from qcode.store.models import Case, CaseLink

        with p.read() as s:
            links = s.execute(
                select(Case.name, CaseLink.start, CaseLink.end).join(
                    Case, Case.id == CaseLink.case_id
                )
            ).all()
        text = p.documents.text("focus-group")
        assert sorted((n, text[a:b]) for n, a, b in links) == [
            ("Moderator", "Moderator: Who pays?"),
            ("W01", "W01: I do."),
            ("W01", "W01: Only the lowest band."),
            ("W02", "W02: I stopped."),
        ]
    # undo takes the whole import back, links and codes included
    assert run_cli("-p", str(proj), "undo").code == 0
    with Project.open(proj) as p:
        assert p.documents.list() == [] and p.codings.list() == []
    assert shutil.which("true") is not None and re.match(r".", "x")
