"""Source files made by other programs for the reader tests: Word documents written with
python-docx and converted by LibreOffice (to PDF, ODT, RTF, HTML and plain text), PDFs drawn by
ReportLab with a CID font, and spreadsheets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

EN_PARAS = [
    "Interviewer: How do you pay into the pension scheme?",
    "W07: I pay the lowest band, about 845 yuan a month, when I can. My income swings from "
    "month to month, so a fixed contribution is hard to keep up.",
    "Interviewer: What happens when you move to another province?",
    "W07: The record breaks. Nobody explained the transfer to me, and the wording of the rules "
    "is hard to follow.",
]
ZH_PARAS = [
    "访谈者：您现在交养老保险吗？",
    "受访者：交过一段时间。按最低缴费基数，每个月要交八百四十五元，可我的收入每个月都不一样，"
    "有时候三千五，有时候四千多，固定缴费让我觉得负担很重。",
    "访谈者：跨省流动以后呢？",
    "受访者：缴费记录就断了。政策里说的指数化月平均缴费工资，我看不懂。",
]
CJK_FONT = "Noto Sans CJK SC"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word(
    path: Path,
    paras: list[str],
    repeat: int = 1,
    header: str | None = None,
    font: str | None = None,
) -> Path:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    if font:
        style = d.styles["Normal"]
        style.font.name = font
        style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if header:
        d.sections[0].header.paragraphs[0].text = header
    d.add_heading(paras[0][:20], level=1)
    for _ in range(repeat):
        for p in paras:
            d.add_paragraph(p)
    d.save(path)
    return path


def convert(files: list[Path], fmt: str, out: Path) -> list[Path]:
    """LibreOffice's conversion of ``files`` to ``fmt`` (pdf, odt, rtf, html, txt:Text)."""
    exe = soffice()
    assert exe is not None
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ext = fmt.split(":")[0]
    return [out / f"{f.stem}.{ext}" for f in files]


def reportlab_pdf(path: Path, pages: int, lines: list[str], header: str, cid: bool = True) -> Path:
    """A PDF drawn line by line with a non-embedded CID font (STSong-Light, UniGB-UCS2-H), a
    running header and a page number footer on every page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light" if cid else "Helvetica"
    c = canvas.Canvas(str(path))
    per_page = max(1, len(lines) // pages)
    for n in range(pages):
        c.setFont(font, 9)
        c.drawString(72, 800, header)
        c.setFont(font, 12)
        y = 740
        for line in lines[n * per_page : (n + 1) * per_page]:
            if line:
                c.drawString(72, y, line)
            y -= 16  # an empty line: a gap, so the next line opens a new paragraph
        c.setFont(font, 9)
        c.drawString(290, 40, f"- {n + 1} -")
        c.showPage()
    c.save()
    return path
