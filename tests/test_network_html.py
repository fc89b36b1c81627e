"""The interactive network: one self-contained HTML file (vis-network inlined), opened in
headless Chromium (Debian's, installed by .ci/chromium): it loads without console errors,
draws every node, filters edges by weight and lists a code's quotes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from figure_data import sample_network

from qcode import Project
from qcode.analysis.network_html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (.ci/chromium)")


def open_page(page: Path, tmp_path: Path, fragment: str = "") -> tuple[str, list[str]]:
    """The page's DOM after it has run, and its console messages. Headless Chromium can dump a
    page before its first animation frame on a busy machine: a page that has not drawn yet is
    opened again, at most three times (and then returned as it is, for the test to fail on)."""
    for attempt in range(3):
        dom, console = _open_once(page, tmp_path / f"run{attempt}", fragment)
        if 'data-drawn="yes"' in (re.search(r"<body[^>]*>", dom) or [""])[0]:
            break
    return dom, console


def _open_once(page: Path, tmp_path: Path, fragment: str) -> tuple[str, list[str]]:
    assert CHROMIUM is not None
    r = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=60000",
            "--dump-dom",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
    return r.stdout, console


def body(dom: str) -> dict[str, str]:
    tag = re.search(r"<body[^>]*>", dom)
    assert tag is not None, dom[:500]
    return dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag.group(0)))


def test_page_is_self_contained(tmp_path: Path) -> None:
    g = sample_network(30, "zh")
    page = write_html(g, tmp_path / "n.html")
    text = page.read_text(encoding="utf-8")
    assert "vis-network 10.1.2" in text
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://[^\s\"']+\.js", text)
    from importlib import resources

    vis = (resources.files("qcode.analysis") / "assets" / "vis-network.min.js").read_text()
    assert "</script" not in vis.lower()


@needs_chromium
def test_page_loads_in_chromium_and_shows_the_nodes(project: Project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from conftest import write

    p = project
    p.documents.import_files(
        [write(tmp_path / "a.txt", "R: money is short.\nR: rules are unclear.")]
    )
    p.documents.import_files([write(tmp_path / "b.txt", "R: money again, and rules.")])
    p.codes.add("money", description="talk of income & <savings>")
    p.codes.add("rules")
    p.codes.add("unclear")
    p.codings.apply("a", 0, 2, "unclear")
    p.codings.apply("a", 3, 18, "money")
    p.codings.apply("a", 22, 40, "rules")
    p.codings.apply("b", 3, 14, "money")
    p.codings.apply("b", 20, 26, "rules")
    page = tmp_path / "net.html"
    r = cli("-p", str(p.root), "network", "--unit", "document", "--html", str(page))
    assert r.code == 0 and f"wrote {page}" in r.out
    dom, console = open_page(page, tmp_path, "#show=" + quote("code:money"))
    seen = body(dom)
    assert console == [] and seen["errors"] == "0"
    assert seen["drawn"] == "yes" and seen["nodes"] == seen["placed"] == "3"
    assert seen["edges"] == "3"
    # the clicked code's quotes, with their documents; its definition and counts
    assert dom.count('class="quote"') == 2 and "money is short." in dom and "— b" in dom
    assert "talk of income &amp; &lt;savings&gt;" in dom and "codings: 2" in dom
    # filtered by weight: at 2, only money ~ rules (in both documents) stays
    dom, console = open_page(page, tmp_path, "#least=2")
    assert console == [] and body(dom)["edges"] == "1"
    bad = cli("-p", str(p.root), "network", "--html", str(tmp_path / "net.txt"))
    assert bad.code == 1 and "net.txt: the interactive network must end in .html" in bad.err


@needs_chromium
def test_a_large_chinese_network_loads(tmp_path: Path) -> None:
    page = write_html(sample_network(200, "zh"), tmp_path / "big.html")
    dom, console = open_page(page, tmp_path)
    seen = body(dom)
    # 200 nodes: the page loads clean and holds every node; whether headless Chromium reaches
    # its first animation frame within the time budget depends on the machine's load, so the
    # drawing itself is checked on the small network above
    assert console == [] and seen["errors"] == "0" and seen["nodes"] == "200"
