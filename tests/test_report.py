"""The theory report of the bundled example study in Word, Markdown and HTML, read back: its
headings, tables and figures are there, and every quote is its coding's text; the HTML opens in
headless Chromium without a word in the console. qcode quotes, and the rule that picks quotes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qcode import Project
from qcode.analysis.quotes import IDEAL_LENGTH, representative
from qcode.store.models import Coding

GUID = re.compile(r"coding ([0-9a-f-]{36})")


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("example") / "flexible-employment"
    with Project.open(built_example(root)) as p:
        yield p


@pytest.fixture(scope="module")
def reports(example: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from conftest import run_cli

    out = tmp_path_factory.mktemp("reports")
    made = {}
    for fmt in ("docx", "md", "html"):
        path = out / f"report.{fmt}"
        r = run_cli(
            "-p", str(example.root), "report", "--core", "-o", str(path), "--quotes", "3",
            "--with-figures", "--with-attributes", "occupation,union_member",
        )  # fmt: skip
        assert r.code == 0, r.err
        made[fmt] = path
    return made


def coding_texts(p: Project) -> dict[str, str]:
    with p.read() as s:
        return dict(s.execute(select(Coding.uuid, Coding.text)).all())


def categories(p: Project) -> list[str]:
    return [c.path for c in p.codes.list(counts=False) if c.level in ("axial", "selective")]


def test_docx(example: Project, reports: dict[str, Path]) -> None:
    import docx

    d = docx.Document(str(reports["docx"]))
    by_style: dict[str, list[str]] = {}
    for para in d.paragraphs:
        by_style.setdefault(para.style.name, []).append(para.text)
    assert by_style["Title"] == [f"Theory report: {example.settings.name}"]
    h1 = by_style["Heading 1"]
    assert "Participation resilience (core category)" in h1
    assert set(categories(example)) - {"Participation resilience"} <= set(h1)
    assert {"Storyline", "About this report", "Contents"} <= set(h1)
    assert any(h.startswith("Framework") for h in h1)
    # the framework's chapter: its dimensions, each element with its codes
    assert {"Structural driver", "Elements that co-occur"} <= set(by_style["Heading 2"])
    assert "Economic and social endowment" in by_style["Heading 3"]
    assert "Codes: Economic pressure; Support networks." in by_style["Normal"]
    assert {"Definition", "Sub-codes", "Quotes", "Paradigm", "Saturation"} <= set(
        by_style["Heading 2"]
    )
    captions = by_style["Caption"]
    assert any(c.startswith("Table 1.") for c in captions)
    assert any(c.startswith("Figure 1.") for c in captions)
    assert len(d.inline_shapes) == sum(c.startswith("Figure") for c in captions) > 3
    assert 'TOC \\o "1-3"' in d.element.xml
    assert len(d.tables) > 5
    headers = [[c.text for c in t.rows[0].cells] for t in d.tables]
    assert headers[0] == ["category", "path to the core"]  # the core's chapter first
    assert headers[1] == ["slot", "code", "codings", "evidence"]  # then its paradigm worksheet
    # quotes: a Quote paragraph of text, then one naming its source and its coding
    texts = coding_texts(example)
    quotes = by_style["Quote"]
    checked = 0
    for text, source in zip(quotes[::2], quotes[1::2], strict=True):
        guid = GUID.search(source)
        assert guid is not None, source
        assert text == texts[guid.group(1)]
        assert source.startswith("— ") and "case P" in source and "occupation: " in source
        checked += 1
    assert checked >= 20


def test_docx_captions_are_word_captions(reports: dict[str, Path]) -> None:
    """Captions numbered by SEQ fields (Word renumbers them and lists them in a table of
    figures); each table's header row repeats on every page."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(reports["docx"]))
    captions = [p for p in d.paragraphs if p.style.name == "Caption"]
    seq = {"Table": 0, "Figure": 0}
    for p in captions:
        label = p.text.split(" ", 1)[0]
        fields = [e.text.strip() for e in p._p.iter(qn("w:instrText"))]
        assert fields == [f"SEQ {label} \\* ARABIC"], (p.text, fields)
        seq[label] += 1
        assert p.text.startswith(f"{label} {seq[label]}. ")
    assert seq["Table"] > 5 and seq["Figure"] > 3
    for t in d.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_figure_captions_say_what_is_drawn() -> None:
    from qcode.services.report import figure_caption

    core = figure_caption("Resilience", related=True, shared=0, left_out=0)
    assert (
        core
        == "Resilience with the categories related to it (node size: codings; dashed: relations)."
    )
    one = figure_caption("Pressure", related=False, shared=1, left_out=1)
    assert "the category it shares most paragraphs with; 1 weaker neighbour left out" in one
    assert "dashed" not in one and " 0 " not in core


def test_markdown(example: Project, reports: dict[str, Path]) -> None:
    md = reports["md"].read_text(encoding="utf-8")
    assert md.startswith(f"# Theory report: {example.settings.name}\n")
    assert "## Participation resilience (core category)" in md
    assert "| slot | code | codings | evidence |" in md
    # the core's chapter says how every related category reaches it, as qcode core does
    paths = example.structure.core()["paths"]
    for cat, steps in paths.items():
        assert (
            f"| {cat} | {' '.join(f'—{x}→' if i % 2 else x for i, x in enumerate(steps))} |" in md
        )
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert figures and all((reports["md"].parent / f).is_file() for f in figures)
    texts = coding_texts(example)
    blocks = re.findall(r"((?:^> .*\n)+)>\n> — (.*)\n", md, flags=re.M)
    assert len(blocks) >= 20
    for quote, source in blocks:
        text = "\n".join(line[2:] for line in quote.splitlines())
        assert text == texts[GUID.search(source).group(1)]  # type: ignore[union-attr]


def test_html(example: Project, reports: dict[str, Path]) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(reports["html"].read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == f"Theory report: {example.settings.name}"
    h2 = [h.get_text() for h in soup.find_all("h2")]
    assert "Participation resilience (core category)" in h2
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc and all(soup.find(id=t[1:]) is not None for t in toc)
    assert len(soup.find_all("table")) > 5
    imgs = soup.find_all("img")
    assert imgs and all(i["src"].startswith("data:image/png;base64,") for i in imgs)
    assert not soup.find_all(src=re.compile(r"^(?!data:)"))  # nothing outside the file
    texts = coding_texts(example)
    quotes = soup.find_all("blockquote")
    assert len(quotes) >= 20
    for q in quotes:
        text = "\n".join(q.p.stripped_strings) if "\n" in texts[q["data-coding"]] else q.p.text
        assert text == texts[q["data-coding"]]
        assert q["data-coding"] in q.footer.get_text()


def _chromium() -> str:
    from browser import chromium  # installed by .ci/chromium when missing

    return chromium()


def _open_headless(page: Path, shot: Path) -> list[str]:
    """Open ``page`` in headless Chromium, screenshot it; the console's messages."""
    r = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return [ln for ln in r.stderr.splitlines() if ":CONSOLE" in ln]


def test_html_in_headless_chromium(reports: dict[str, Path], tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.html"
    noisy.write_text('<p>x</p><img src="missing.png"><script>console.error("bad")</script>')
    assert _open_headless(noisy, tmp_path / "noisy.png")  # the check hears an error
    shot = tmp_path / "report.png"
    assert _open_headless(reports["html"], shot) == []
    assert shot.stat().st_size > 20_000  # a page with text and figures, not a blank one
    shutil.copy(shot, reports["html"].with_suffix(".png"))


def test_categories_chosen_and_refusals(example: Project, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "one.md"
    r = cli("-p", str(example.root), "report", "--category", "Economic pressure", "-o", str(out))
    assert r.code == 0, r.err
    md = out.read_text(encoding="utf-8")
    assert "## Economic pressure\n" in md and "## Coping strategies\n" not in md
    assert "Figure" not in md and not (tmp_path / "one-figures").exists()
    for args, message in (
        (["-o", str(tmp_path / "r.pdf")], "unknown report format"),
        (["-o", str(tmp_path / "no" / "r.md")], "does not exist"),
        (["--category", "no such", "-o", str(out)], "no such"),
        (["--with-attributes", "shoe_size", "-o", str(out)], "shoe_size"),
    ):
        r = cli("-p", str(example.root), "report", *args)
        assert r.code == 1 and message in r.err and r.err.count("\n") == 1, (args, r.err)


def test_quotes_command(example: Project, cli: Any, tmp_path: Path) -> None:
    import csv
    import io

    import docx

    root = str(example.root)
    texts = coding_texts(example)
    r = cli("-p", root, "quotes", "Economic pressure", "--n", "4", "--format", "json")
    found = r.json()
    assert len(found) == 4 and len({q["case"] for q in found}) == 4  # four cases, one each
    assert all(texts[q["coding_guid"]] == q["text"] for q in found)
    r = cli(
        "-p", root, "quotes", "Economic pressure", "--where", "union_member=true",
        "--format", "csv", "--with-attributes", "union_member",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows and all(row["union_member"] == "yes" for row in rows)
    assert all(texts[row["coding_guid"]] == row["text"] for row in rows)
    out = tmp_path / "q.docx"
    assert (
        cli("-p", root, "quotes", "Coping strategies", "--format", "docx", "-o", str(out)).code == 0
    )
    quotes = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Quote"]
    assert len(quotes) == 10 and all(t in texts.values() for t in quotes[::2])
    md = cli("-p", root, "quotes", "Coping strategies", "--n", "2").out
    assert md.count("\n> — ") == 2
    assert cli("-p", root, "quotes", "Coping strategies", "--n", "0").code == 1
    assert cli("-p", root, "quotes", "nope").code == 1


def test_the_rule_spreads_over_cases_then_prefers_marked_and_quotable() -> None:
    # (case, document, start, end, coding id, length)
    items = [
        ("A", "d1", 0, 10, 1, 10),
        ("A", "d1", 0, 10, 2, 10),  # the same range by a second coder: quoted once
        ("A", "d1", 20, 30, 3, IDEAL_LENGTH),
        ("A", "d1", 40, 50, 4, 5000),
        ("B", "d2", 0, 10, 5, 30),
        ("C", "d3", 0, 10, 6, 30),
        ("C", "d3", 20, 30, 7, 29),
    ]

    def pick(n: int, marked: tuple[int, ...] = ()) -> list[int]:
        got = representative(
            items,
            n,
            case=lambda t: t[0],
            span=lambda t: (t[1], t[2], t[3]),
            coding=lambda t: t[4],
            length=lambda t: t[5],
            marked=marked,
        )
        return [t[4] for t in got]

    assert pick(3) == [3, 6, 5]  # A (most segments), C, B; A's most quotable first
    assert pick(3, marked=(4,)) == [4, 6, 5]  # a marked segment comes first in its case
    assert pick(10) == [3, 6, 5, 1, 7, 4]  # then round again; the double coding once
    assert pick(0) == []


def test_the_core_category_counts_and_dates_the_categories_it_integrates(
    example: Project, reports: dict[str, Path]
) -> None:
    """A core category built from related categories, with no codings of its own: its section
    counts theirs, the paradigm table gives each code's codings, the saturation note dates the
    first appearance of their codes in import order (all counted here from the tables)."""
    from qcode.store.models import Code, Document

    md = reports["md"].read_text(encoding="utf-8")
    section = md.split("## Participation resilience (core category)")[1].split("\n## ")[0]
    with example.read() as s:
        codes = {
            i: (n, parent) for i, n, parent in s.execute(select(Code.id, Code.name, Code.parent_id))
        }
        docs = list(s.scalars(select(Document.id).order_by(Document.id)))
        names = dict(s.execute(select(Document.id, Document.name)).all())
        rows = s.execute(select(Coding.code_id, Coding.document_id)).all()

    def path(i: int) -> str:
        name, parent = codes[i]
        return name if parent is None else f"{path(parent)}/{name}"

    def under(cat: str) -> list[tuple[str, int]]:
        return [(path(c), d) for c, d in rows if path(c) == cat or path(c).startswith(cat + "/")]

    core = "Participation resilience"
    assert not under(core)
    cats = [c for c, steps in example.structure.core()["paths"].items() if steps[-1] == core]
    whole = [r for cat in cats for r in under(cat)]
    assert (
        f"*No codings of its own. It integrates {len(cats)} categories, with {len(whole)} "
        f"codings in {len({d for _, d in whole})} documents from "
    ) in section
    for cat in ("Economic pressure", "Ambiguous labour relations", "Coping strategies"):
        assert f"| {cat} | {len(under(cat))} | 0 |" in section
    first: dict[str, int] = {}
    for code, d in whole:
        first[code] = min(first.get(code, 99), docs.index(d) + 1)
    last_code, last = max(first.items(), key=lambda kv: (kv[1], kv[0]))
    assert (
        f"The {len(first)} codes of the categories it integrates first appear within documents "
        f"1 to {last} of {len(docs)}, in import order; the last new one, “{last_code}”, in "
        f"{names[docs[last - 1]]}."
    ) in section
    assert "the quotes are in the sections of the categories it integrates" in section
