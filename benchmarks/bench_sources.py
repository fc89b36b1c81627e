"""Import figures for the source readers: 100 PDF pages of Chinese policy text, a 565 x 3
survey, and a 50 MB folder of mixed files. Prints seconds; compares each with the simplest
alternative in the same run (pypdf's bare text extraction; reading the workbook alone; reading
the folder's bytes). Run: .venv/bin/python benchmarks/bench_sources.py"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sourcefiles import reportlab_pdf  # noqa: E402

from qcode import Project  # noqa: E402

POLICY = (
    "为进一步做好灵活就业人员参加基本养老保险工作，根据国家有关规定，结合本省实际，制定本办法。",
    "灵活就业人员可按本省上年度全口径城镇单位就业人员平均工资的百分之六十至百分之三百之间",
    "选择缴费基数，缴费比例为百分之二十，其中百分之八记入个人账户。",
    "跨省流动就业的，其基本养老保险关系随本人转移，缴费年限累计计算。",
)


def clock(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    s = time.perf_counter() - t
    print(f"{label:<58} {s:8.2f} s")
    return s


def pdf_pages(root: Path) -> None:
    lines = []
    rnd = random.Random(1)
    for i in range(100 * 14):
        lines.append(f"第{i + 1}条 " + POLICY[i % 4][: 30 + rnd.randrange(8)])
        lines.append(POLICY[(i + 1) % 4][:32])
        if i % 3 == 2:
            lines.append("")
    pdf = reportlab_pdf(root / "policy.pdf", 100, lines, "某省人民政府办公厅文件")
    p = Project.init(root / "pdf", name="pdf", language="zh")
    clock(
        "PDF, 100 pages of Chinese policy text: qcode import",
        lambda: p.documents.import_files([pdf]),
    )
    import pypdf

    clock(
        "  simplest alternative: pypdf text of each page",
        lambda: [pg.extract_text() for pg in pypdf.PdfReader(pdf).pages],
    )
    p.close()


def survey(root: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["respondent_id", "age", "platform", "Q5", "Q9", "Q12"])
    for i in range(565):
        ws.append(
            [
                f"R{i:03d}",
                20 + i % 40,
                "美团",
                POLICY[i % 4],
                f"I keep the money ({i}).",
                POLICY[(i + 2) % 4],
            ]
        )
    path = root / "survey.xlsx"
    wb.save(path)
    from qcode.services.sheets import import_sheet

    p = Project.init(root / "survey", name="survey")
    clock(
        "survey, 565 rows x 3 text columns: import --code-by-question",
        lambda: import_sheet(
            p, [path], ["Q5", "Q9", "Q12"], "respondent_id", code_by_question=True
        ),
    )
    clock(
        "  simplest alternative: read the workbook's cells only",
        lambda: list(
            openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
        ),
    )
    p.close()


def folder(root: Path) -> None:
    import docx

    f = root / "mixed"
    f.mkdir()
    rnd = random.Random(2)
    size = 0
    n = 0
    para = (
        "Interviewer: How do you pay?\nW07: "
        + "The contribution is fixed while income swings. " * 40
        + "\n受访者："
        + "收入不稳定，缴费负担重。" * 60
        + "\n"
    )
    while size < 50 * 2**20:
        kind = ("txt", "txt", "md", "html", "docx")[n % 5]
        path = f / f"sub{n % 7}" / f"doc{n:05d}.{kind}"
        path.parent.mkdir(exist_ok=True)
        body = para * rnd.randint(20, 60) + f"\nfile {n}\n"
        if kind == "docx":
            d = docx.Document()
            for line in body.splitlines()[:400]:
                d.add_paragraph(line)
            d.save(path)
        elif kind == "html":
            path.write_text(
                "<html><body>"
                + "".join(f"<p>{ln}</p>" for ln in body.splitlines())
                + "</body></html>",
                encoding="utf-8",
            )
        else:
            path.write_text(body, encoding="utf-8")
        size += path.stat().st_size
        n += 1
    reportlab_pdf(f / "policy.pdf", 10, [POLICY[i % 4] for i in range(200)], "文件")
    print(f"  ({n + 1} files, {size / 2**20:.0f} MB)")
    p = Project.init(root / "folder", name="folder")
    clock("folder of 50 MB mixed files: qcode import DIR", lambda: p.documents.import_files([f]))
    clock(
        "  simplest alternative: read every file's bytes",
        lambda: [q.read_bytes() for q in f.rglob("*") if q.is_file()],
    )
    p.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdf_pages(root)
        survey(root)
        folder(root)


if __name__ == "__main__":
    main()
