"""PDF import: text layers of PDFs made by LibreOffice (English and Chinese Word documents,
CJK fonts embedded) and by ReportLab (a CID font without embedding), checked against pypdf's
independent extraction; page units and page numbers; refusals; the .qdpx round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli
from sourcefiles import CJK_FONT, EN_PARAS, ZH_PARAS, convert, reportlab_pdf, soffice, word

from qcode import Project
from qcode.errors import InputFileError
from qcode.ingest import read_document

needs_lo = pytest.mark.skipif(soffice() is None, reason="needs LibreOffice (.ci/libreoffice)")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def independent(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfs")
    files: dict[str, Path] = {}
    lines = []
    for i in range(60):
        lines += [
            f"第{i + 1}段：灵活就业人员参加基本养老保险，缴费基数为四千二百二十七元，",
            "按百分之二十缴纳。",
            "",
        ]
    files["cid"] = reportlab_pdf(out / "policy-cid.pdf", 4, lines, "某省人力资源和社会保障厅文件")
    hy = []
    for i in range(30):
        hy += [
            f"Paragraph {i}: the contribution is fixed while the infor-",
            "mation about income swings.",
            "",
        ]
    files["hyphen"] = reportlab_pdf(
        out / "hyphen.pdf", 3, hy, "Journal of Social Policy 12(3)", cid=False
    )
    if soffice() is not None:
        en = word(out / "interview-en.docx", EN_PARAS, repeat=12)
        zh = word(out / "interview-zh.docx", ZH_PARAS, repeat=12, font=CJK_FONT)
        files["lo-en"], files["lo-zh"] = convert([en, zh], "pdf", out)
    return files


def test_cid_font_pdf_reads_in_order_and_drops_running_header_and_footer(
    made: dict[str, Path],
) -> None:
    loaded = read_document(made["cid"])
    assert len(loaded.pages) == 4
    assert "某省人力资源和社会保障厅文件" not in loaded.text
    assert not re.search(r"^- \d -$", loaded.text, re.M)
    assert any("running header" in n and "4 of 4" in n for n in loaded.notes)
    assert any("running footer" in n for n in loaded.notes)
    # paragraphs: the two lines of each are joined without a space (Chinese)
    assert (
        "第1段：灵活就业人员参加基本养老保险，缴费基数为四千二百二十七元，按百分之二十缴纳。"
        in loaded.text.split("\n")
    )
    # the stored text is what pypdf reads, less the header and footer
    theirs = "".join(independent(made["cid"]))
    theirs = theirs.replace("某省人力资源和社会保障厅文件", "")
    theirs = re.sub(r"- \d -", "", theirs)
    assert squeeze(loaded.text) == squeeze(theirs)


def test_hyphenated_words_are_joined(made: dict[str, Path]) -> None:
    loaded = read_document(made["hyphen"])
    assert "the infor- mation" not in loaded.text and "infor-\nmation" not in loaded.text
    assert "while the information about income swings." in loaded.text
    assert "Journal of Social Policy" not in loaded.text


@needs_lo
@pytest.mark.parametrize("which", ["lo-en", "lo-zh"])
def test_libreoffice_pdfs_equal_an_independent_extraction(
    made: dict[str, Path], which: str
) -> None:
    loaded = read_document(made[which])
    pages = independent(made[which])
    assert len(loaded.pages) == len(pages) >= 2
    for (a, b), theirs in zip(loaded.pages, pages, strict=True):
        assert squeeze(loaded.text[a:b]) == squeeze(theirs)
    paras = ZH_PARAS if which == "lo-zh" else EN_PARAS
    assert paras[1] in loaded.text.split("\n")  # a paragraph over several lines, in one piece


@needs_lo
def test_page_units_and_page_numbers_in_codings_exports_and_qdpx(
    made: dict[str, Path], tmp_path: Path
) -> None:
    proj = tmp_path / "p"
    Project.init(proj, name="pdf").close()
    r = run_cli("-p", str(proj), "import", str(made["lo-zh"]), str(made["cid"]))
    assert r.code == 0, r.err
    assert "pages" in r.out and "dropped a running header" in r.out
    pages = run_cli(
        "-p", str(proj), "docs", "units", "interview-zh", "--unit", "page", "--json"
    ).json()
    assert len(pages) >= 2 and all(u["kind"] == "page" for u in pages)
    last = pages[-1]
    words = ZH_PARAS[3][4:12]
    pos = last["text"].rindex(words) + last["start"]
    ok = run_cli("-p", str(proj), "codes", "add", "记录中断")
    assert ok.code == 0
    r = run_cli(
        "-p", str(proj), "code", "interview-zh", str(pos), str(pos + len(words)), "记录中断"
    )
    assert r.code == 0, r.err
    rows = run_cli("-p", str(proj), "codings", "--json").json()
    assert rows[0]["page"] == len(pages) and rows[0]["text"] == words
    assert f"p. {len(pages)}" in run_cli("-p", str(proj), "codings").out
    md = tmp_path / "seg.md"
    assert run_cli("-p", str(proj), "segments", "export", "-o", str(md)).code == 0
    assert f"p. {len(pages)}" in md.read_text(encoding="utf-8")
    # REFI-QDA: a PDFSource with the PDF and its text; back again with the same coding
    qdpx = tmp_path / "x.qdpx"
    assert run_cli("-p", str(proj), "export", "-o", str(qdpx)).code == 0, "export"
    import zipfile

    with zipfile.ZipFile(qdpx) as z:
        qde = z.read("project.qde").decode("utf-8")
        pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 2 and z.read(pdfs[0])[:5] == b"%PDF-"
    assert qde.count("<PDFSource") == 2 and "<Representation" in qde
    from lxml import etree

    schema = etree.XMLSchema(
        etree.parse(
            str(
                Path(__file__).resolve().parents[2]
                / "shared"
                / "refi"
                / "xsd"
                / "Project-mrt2019.xsd"
            )
        )
    )
    assert schema.validate(etree.fromstring(qde.encode("utf-8"))), schema.error_log
    back = tmp_path / "back"
    r = run_cli("init", str(back), "--from", str(qdpx))
    assert r.code == 0, r.err
    with Project.open(back) as b, Project.open(proj) as a:
        assert [(c.document, c.start, c.end, c.text) for c in b.codings.list()] == [
            (c.document, c.start, c.end, c.text) for c in a.codings.list()
        ]
        assert b.documents.text("interview-zh") == a.documents.text("interview-zh")
        assert b.documents.get("interview-zh").format == "pdf"


def test_bad_pdfs_are_refused_in_one_line(tmp_path: Path) -> None:
    import pypdf

    proj = tmp_path / "p"
    Project.init(proj, name="pdf").close()
    blank = tmp_path / "scan.pdf"
    w = pypdf.PdfWriter()
    w.add_blank_page(595, 842)
    with blank.open("wb") as f:
        w.write(f)
    locked = tmp_path / "locked.pdf"
    src = reportlab_pdf(tmp_path / "plain.pdf", 1, ["hello world"], "x", cid=False)
    w = pypdf.PdfWriter(clone_from=src)
    w.encrypt("secret", algorithm="RC4-128")
    with locked.open("wb") as f:
        w.write(f)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(src.read_bytes()[:400])
    for path, problem in ((blank, "needs OCR first"), (locked, "encrypted"), (damaged, "PDF")):
        r = run_cli("-p", str(proj), "import", str(path))
        assert r.code == 1 and len(r.err.strip().splitlines()) == 1, r.err
        assert str(path) in r.err and problem in r.err
        with pytest.raises(InputFileError):
            read_document(path)
    with Project.open(proj) as p:
        assert p.documents.list() == []
