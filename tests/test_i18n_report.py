"""The write-up report and the interactive network in Chinese: with the interface in zh, the
report of the bundled study (Markdown, HTML, Word) has its headings, captions, table headers
and notes in Chinese, and no English fixed word is left beyond the study's own data (its code
names, memos, transcripts); the network page's controls and tooltips are Chinese too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from test_i18n import english_left

from qcode import Project, i18n

# English that the report names on purpose: a command, a file type, a statistic; and the
# Markdown's figure files (report-figures/figure-1.png)
ALLOWED = {
    "qcode",
    "codings",
    "format",
    "csv",
    "qdpx",
    "guid",
    "c",
    "report",
    "figures",
    "figure",
    "png",
    "relations",  # qcode relations edit … --add-evidence …
    "edit",
    "add",
    "evidence",
    "core",
}


@pytest.fixture
def zh() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Iterator[Project]:
    root = built_example(tmp_path_factory.mktemp("example") / "flexible-employment")
    with Project.open(root) as p:
        yield p


def study_data() -> str:
    """Every word the study itself brings: its codebook, memos, transcripts, cases, framework,
    dictionaries and settings, as the bundled project holds them."""
    files = [f for f in EXAMPLE.rglob("*") if f.is_file() and f.suffix != ".db"]
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    return "\n".join([*texts, "GUID", *sorted(ALLOWED)])


def english_words(text: str, data: str) -> list[str]:
    """The English words of ``text`` that the study's data does not bring (nor ALLOWED)."""
    known = set(re.findall(r"[a-z]+", data.casefold())) | ALLOWED  # anchors are casefolded
    guidless = re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]+", guidless) if w.casefold() not in known})


def report(p: Project, path: Path, figures: bool = True) -> str:
    from qcode.services.report import write_report

    write_report(p, path, core=True, n_quotes=2, with_figures=figures)
    return path.read_text(encoding="utf-8") if path.suffix != ".docx" else ""


def test_the_markdown_report_in_chinese(zh: None, example: Project, tmp_path: Path) -> None:
    md = report(example, tmp_path / "report.md")
    name = example.settings.name
    assert md.startswith(f"# 理论报告：{name}\n")
    headings = re.findall(r"(?m)^#{2,3} (.*)$", md)
    assert {"目录", "故事线", "关于本报告", "定义", "子编码", "引文", "饱和度"} <= set(headings)
    assert "## Participation resilience（核心范畴）" in md
    assert (
        "| 模型要素 | 编码 | 编码数 | 证据 |" in md
        and "| 子编码 | 编码数 | 文档数 | 个案数 |" in md
    )
    assert "| 类属 | 通向核心范畴的路径 |" in md
    # the built-in relation types on those paths in Chinese (the study's codebook names them in
    # English), as arrows label them: without the 是……的 that a sentence needs
    assert "Ambiguous labour relations —因果条件→ Participation resilience |" in md
    assert "—与……相关→" not in md and "—相关→" in md and "—是……的" not in md
    assert "condition of" not in md and "strategy for" not in md
    # the core category has no codings of its own and counts those of the categories it
    # integrates, the second sentence straight after the first's full stop
    assert "*自身没有编码。它整合了 10 个类属，共 " in md
    # a quote's reference in full-width brackets after its source
    refs = re.findall(r"^> — .*$", md, flags=re.M)
    assert refs and all(
        re.search(r"（\S+ \[\d+, \d+\)[^()]*；编码 [0-9a-f-]{36}）$", r) for r in refs
    )
    assert "（节点大小：编码数" in md  # a figure's caption
    # an English name inserted into a Chinese sentence is set apart by a space, as Chinese text
    # sets Latin words; the study's own text in it is not touched
    assert "**Ambiguous labour relations 的子编码：" in md and "relations的" not in md
    assert "各类属如何通向 Participation resilience：" in md
    mixed = re.findall(r"[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]", md)
    quoted = re.findall(r"[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]", study_data())
    assert set(mixed) <= set(quoted), set(mixed) - set(quoted)
    assert re.search(r"；编码 [0-9a-f-]{36}）", md)  # a quote's reference
    data = study_data()
    assert english_left(md.splitlines(), data) == []
    assert english_words(md, data) == []
    # the figures too, drawn in processes of their own: their legends and captions in Chinese
    from qcode.analysis import figure_check

    for png in sorted((tmp_path / "report-figures").glob("figure-*.png")):
        drawn = [lab.text for lab in figure_check.read(png).labels if lab.owner is None]
        assert "共现" in drawn, drawn
        assert english_words("\n".join(drawn), data) == [], png.name


def test_the_html_report_in_chinese(zh: None, example: Project, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    page = tmp_path / "report.html"
    soup = BeautifulSoup(report(example, page), "html.parser")
    assert soup.html["lang"] == "zh"
    assert soup.h1.get_text() == f"理论报告：{example.settings.name}"
    assert soup.select_one("nav.toc h2").get_text() == "目录"
    assert {"故事线", "关于本报告"} <= {h.get_text() for h in soup.find_all("h2")}
    h3 = {h.get_text() for h in soup.find_all("h3")}  # a category's sections
    assert {"定义", "子编码", "典范模型", "引文", "共现", "饱和度"} <= h3
    headers = {th.get_text() for th in soup.find_all("th")}
    assert {"子编码", "编码数", "文档数", "个案数", "模型要素", "要素", "重叠次数"} <= headers
    assert all("（" in f.get_text() for f in soup.find_all("figcaption"))
    text = soup.get_text("\n")
    data = study_data()
    assert english_left(text.splitlines(), data) == []
    assert english_words(text, data) == []


def test_the_word_report_in_chinese(zh: None, example: Project, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    path = tmp_path / "report.docx"
    report(example, path)
    d = docx.Document(str(path))
    by_style: dict[str, list[str]] = {}
    for para in d.paragraphs:
        by_style.setdefault(para.style.name, []).append(para.text)
    assert by_style["Title"] == [f"理论报告：{example.settings.name}"]
    assert {"目录", "故事线", "关于本报告"} <= set(by_style["Heading 1"])
    captions = [p for p in d.paragraphs if p.style.name == "Caption"]
    labels = {p.text.split(" ", 1)[0] for p in captions}
    assert labels == {"表", "图"}
    for p in captions:
        (field,) = [e.text.strip() for e in p._p.iter(qn("w:instrText"))]
        assert field == f"SEQ {p.text.split(' ', 1)[0]} \\* ARABIC"
    cells = [c.text for t in d.tables for c in t.rows[0].cells]
    assert {"子编码", "编码数", "模型要素"} <= set(cells)
    body = (
        "\n".join(p.text for p in d.paragraphs)
        + "\n"
        + "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    )
    data = study_data()
    assert english_words(body, data) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_command_the_report_names_exists_and_gives_the_guids(
    lang: str, example: Project, tmp_path: Path
) -> None:
    """The appendix tells the reader how to find a quote's coding by its GUID: that command
    runs, and lists the GUIDs the quotes cite."""
    from conftest import run_cli

    i18n.set_language(lang)
    try:
        md = report(example, tmp_path / "report.md", figures=False)
    finally:
        i18n.set_language("en")
    [named] = re.findall(r"qcode (codings --format csv)", md)
    r = run_cli("-p", str(example.root), *named.split(), "--all")
    assert r.code == 0, r.err
    cited = set(re.findall(r"(?:coding|编码) ([0-9a-f-]{36})", md))  # the quotes' references
    listed = {row.split(",")[1] for row in r.out.splitlines()[1:]}
    assert cited and cited <= listed


def test_the_english_report_keeps_its_words(example: Project, tmp_path: Path) -> None:
    md = report(example, tmp_path / "report.md", figures=False)
    assert md.startswith("# Theory report: ") and "## Contents" in md
    assert "| slot | code | codings | evidence |" in md and "causal conditions" in md


def test_the_network_page_in_chinese(zh: None, tmp_path: Path) -> None:
    from figure_data import sample_network

    from qcode.analysis.network_html import page_data, write_html

    g = sample_network(12, "zh")
    text = write_html(g, tmp_path / "n.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in text
    assert "<title>编码网络</title>" in text and "<label>最少共现次数 <input" in text
    assert '<h2 id="code">点击一个节点</h2>' in text
    assert '"status": "显示 {nodes} 个节点、{edges} 条边"' in text and "没有引文。" in text
    data = page_data(g, {}, {})
    assert all("编码数：" in n["title"] for n in data["nodes"])
    kinds = {e["title"].split("：")[0] for e in data["edges"] if e["kind"] == "cooccurrence"}
    assert kinds == {"共现"}
    shown = "\n".join([n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]])
    assert english_words(shown, "") == []


def test_the_network_page_shows_chinese_in_chromium(zh: None, tmp_path: Path) -> None:
    from browser import Browser
    from figure_data import sample_network

    from qcode.analysis.network_html import write_html

    page = write_html(sample_network(12, "zh"), tmp_path / "n.html")
    b = Browser(tmp_path / "chromium")
    try:
        b.open(page.as_uri())
        b.wait_for("document.body.dataset.drawn === 'yes'")
        status: Any = b.evaluate("document.getElementById('status').textContent")
        assert re.fullmatch(r"显示 \d+ 个节点、\d+ 条边", status), status
        assert b.console() == []
    finally:
        b.close()


def test_qcode_quotes_in_chinese(zh: None, example: Project) -> None:
    from conftest import run_cli

    r = run_cli("--lang", "zh", "-p", str(example.root), "quotes", "Economic pressure", "--n", "2")
    assert r.code == 0, r.err
    assert r.out.startswith("## 引文：Economic pressure\n")
    assert re.search(r"(?m)^> — .*个案 P\d+.*；编码 [0-9a-f-]{36}）$", r.out), r.out
    assert english_words(r.out, study_data()) == []
    as_json = run_cli(
        "--lang", "zh", "-p", str(example.root), "quotes", "Economic pressure", "--format", "json"
    )
    assert "; coding " in as_json.json()[0]["reference"]  # JSON is for programs: English


def test_a_crosstab_in_chinese_names_its_group_sizes_in_chinese(example: Project) -> None:
    from conftest import run_cli

    try:
        r = run_cli("--lang", "zh", "-p", str(example.root), "crosstab", "occupation", "--all")
    finally:
        i18n.set_language("en")
    assert r.code == 0 and "（组内文档数）" in r.out and "in group" not in r.out
    csv = run_cli("-p", str(example.root), "crosstab", "occupation", "--format", "csv")
    assert "(documents in group)" in csv.out  # the CSV, for other programs, keeps its words


def test_the_chinese_saturation_sentence_quotes_a_code_the_chinese_way(
    zh: None, example: Project, tmp_path: Path
) -> None:
    md = report(example, tmp_path / "report.md", figures=False)
    lines = [ln for ln in md.splitlines() if "最后出现的新编码" in ln]
    assert lines and all(re.search(r"新编码“[^”]+”见于 ", ln) for ln in lines), lines[:1]
