"""File readers: encodings, Word documents, WebVTT and SubRip captions, and refusals."""

from __future__ import annotations

import codecs
from pathlib import Path

import docx
import pytest

from qcode.errors import InputFileError
from qcode.ingest import read_document

TEXT = "Interviewer: 你好 👍🏽\nR: café"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32"),
    ],
)
def test_encodings_by_bom(tmp_path: Path, data: bytes, encoding: str) -> None:
    f = tmp_path / "t.txt"
    f.write_bytes(data)
    loaded = read_document(f)
    assert loaded.text == TEXT and loaded.encoding == encoding and loaded.source == data


def test_line_breaks_and_nfc(tmp_path: Path) -> None:
    f = tmp_path / "t.MD"  # extensions are case-insensitive
    f.write_bytes("a\r\nb\rc\u2028d\u0085e\x0cf\x0bcafe\u0301".encode())
    loaded = read_document(f)
    assert loaded.text == "a\nb\nc\nd\ne\nf\ncafé" and loaded.format == "md"


def test_named_encoding(tmp_path: Path) -> None:
    f = tmp_path / "gbk.txt"
    f.write_bytes("受访者：养老保险".encode("gb18030"))
    # too short to tell GB18030 from Shift-JIS: refused with the candidates
    with pytest.raises(
        InputFileError, match=r"encoding cannot be decided \(likely gb18030, .*\); .*--encoding"
    ):
        read_document(f)
    assert read_document(f, "gb18030").text == "受访者：养老保险"
    with pytest.raises(InputFileError, match="unknown encoding 'klingon'"):
        read_document(f, "klingon")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfd")
    with pytest.raises(InputFileError, match="cannot be decoded as ascii"):
        read_document(bad, "ascii")


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b" \r\n\t\r\n", "is empty"),
        ("notes.pdf", b"%PDF-1.4", "is not a readable PDF"),
        ("notes.jpg", b"\xff\xd8\xff", "unsupported file type '.jpg'"),
        ("broken.docx", b"PK\x03\x04 not really", "is not a readable Word document"),
    ],
)
def test_refusals_name_the_file(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(InputFileError) as exc:
        read_document(f)
    assert str(exc.value).startswith(str(f) + ": ")
    assert problem in str(exc.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    (tmp_path / "d.txt").mkdir()
    with pytest.raises(InputFileError, match="is a directory"):
        read_document(tmp_path / "d.txt")


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Interviewer: How much do you pay?")
    d.add_paragraph("")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "occupation"
    table.cell(0, 1).text = "rider"
    table.cell(1, 0).text = "income"
    table.cell(1, 1).text = "3,500  yuan"
    d.add_paragraph("受访者：每个月八百多块。")
    f = tmp_path / "int.docx"
    d.save(str(f))
    loaded = read_document(f)
    assert loaded.text == (
        "Interviewer: How much do you pay?\n\noccupation\trider\nincome\t3,500 yuan\n"
        "受访者：每个月八百多块。"
    )
    assert loaded.format == "docx" and loaded.encoding is None


def test_webvtt_keeps_speakers_and_drops_timing(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT - interview 3\n\n"
        "NOTE recorded in Chengdu\nsecond note line\n\n"
        "STYLE\n::cue { color: red }\n\n"
        "1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How much do you pay?</v>\n\n"
        "00:00:04.500 --> 00:00:06.000 align:start\n<v.loud Wang Wei>About <i>845</i> yuan &amp; more\n\n"
        "00:00:06.000 --> 00:00:08.000\n<v Wang Wei>every <00:00:07.000>month.\nIt is a lot.\n\n"
        "00:00:08.000 --> 00:00:09.000\n<v Interviewer>I see.\n"
    )
    f = tmp_path / "a.vtt"
    f.write_text(vtt, encoding="utf-8")
    assert read_document(f).text == (
        "Interviewer: How much do you pay?\n"
        "Wang Wei: About 845 yuan & more every month. It is a lot.\n"
        "Interviewer: I see."
    )


def test_srt_with_bom_crlf_and_labels_in_text(tmp_path: Path) -> None:
    srt = (
        "1\r\n00:00:01,000 --> 00:00:03,000\r\nInterviewer: Do you pay?\r\n\r\n"
        "2\r\n00:00:03,500 --> 00:00:05,000\r\nR: No.\r\n\r\n"
        "3\r\n00:00:05,000 --> 00:00:07,000\r\nIt costs too much\r\nfor me.\r\n\r\n"
        "4\r\n00:00:07,000 --> 00:00:08,000\r\n受访者：太贵了。\r\n"
    )
    f = tmp_path / "b.srt"
    f.write_bytes(codecs.BOM_UTF8 + srt.encode("utf-8"))
    assert read_document(f).text == (
        "Interviewer: Do you pay?\nR: No. It costs too much for me.\n受访者：太贵了。"
    )


def test_unlabelled_captions_stay_one_line_each(tmp_path: Path) -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n2\n00:00:02,000 --> 00:00:03,000\nSecond.\n"
    f = tmp_path / "c.srt"
    f.write_text(srt, encoding="utf-8")
    assert read_document(f).text == "First.\nSecond."
