"""The interactive network: one self-contained HTML file (vis-network inlined), opened in
headless Chromium (Debian's, installed by .ci/chromium) and driven over the DevTools protocol:
it loads without console errors and draws every node; hovering a node shows its tooltip,
clicking it lists the code's quotes, and the slider hides the co-occurrences below a weight."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser import Browser
from figure_data import sample_network

from qcode import Project
from qcode.analysis.network_html import page_data, write_html


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    b = Browser(tmp_path_factory.mktemp("chromium"))
    yield b
    b.close()


def open_page(
    browser: Browser, page: Path, fragment: str = "", rest: bool = True
) -> dict[str, str]:
    """Open ``page``, wait for its first drawing and (with ``rest``) for its nodes to come to
    rest; what the page wrote on its ``<body>``."""
    browser.events.clear()
    browser.open("about:blank")
    browser.open(page.as_uri() + fragment)
    browser.wait_for("document.body.dataset.drawn === 'yes'")
    if rest:
        browser.wait_for(
            "(() => { const s = JSON.stringify(network.getPositions()); const same ="
            " s === window.lastPositions; window.lastPositions = s; return same; })()"
        )
    return dict(browser.evaluate("Object.assign({}, document.body.dataset)"))


def node_at(browser: Browser, node: str) -> tuple[float, float]:
    """Where ``node`` is drawn, in the page's coordinates."""
    x, y = browser.evaluate(
        "(() => { const box = document.getElementById('net').getBoundingClientRect();"
        f" const p = network.canvasToDOM(network.getPositions([{node!r}])[{node!r}]);"
        " return [box.left + p.x, box.top + p.y]; })()"
    )
    return float(x), float(y)


def away(browser: Browser) -> None:
    """Move the mouse to an empty corner of the network and wait for the tooltip to go."""
    x, y = browser.evaluate(
        "(() => { const box = document.getElementById('net').getBoundingClientRect();"
        " return [box.left + 3, box.bottom - 3]; })()"
    )
    browser.hover(x, y)
    browser.wait_for("document.querySelector('div.vis-tooltip').style.visibility === 'hidden'")


def tooltip(browser: Browser) -> str:
    """The text of the tooltip vis-network shows, once it shows one."""
    return str(
        browser.wait_for(
            "(() => { const t = document.querySelector('div.vis-tooltip');"
            " return t && t.style.visibility === 'visible' && t.innerText; })()"
        )
    )


def test_page_is_self_contained(tmp_path: Path) -> None:
    g = sample_network(30, "zh")
    page = write_html(g, tmp_path / "n.html")
    text = page.read_text(encoding="utf-8")
    assert "vis-network 10.1.2" in text
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://[^\s\"']+\.js", text)
    from importlib import resources

    vis = (resources.files("qcode.analysis") / "assets" / "vis-network.min.js").read_text()
    assert "</script" not in vis.lower()


def small_study(p: Project, tmp_path: Path) -> None:
    """Two documents; the core category "precarity", the category "rules" related to it (with
    the sub-code "rules/unclear") and the code "money"."""
    from conftest import write

    p.documents.import_files(
        [write(tmp_path / "a.txt", "R: money is short.\nR: rules are unclear.")]
    )
    p.documents.import_files([write(tmp_path / "b.txt", "R: money again, and rules.")])
    p.codes.add("precarity", level="selective")
    p.codes.add("money", description="talk of income & <savings>")
    p.codes.add("rules", level="axial")
    p.codes.add("unclear", parent="rules")
    p.structure.relate("rules", "causal condition of", "precarity")
    p.codings.apply("a", 0, 40, "precarity")
    p.codings.apply("a", 3, 18, "money")
    p.codings.apply("a", 22, 27, "rules")
    p.codings.apply("a", 22, 40, "rules/unclear")
    p.codings.apply("b", 3, 14, "money")
    p.codings.apply("b", 20, 26, "rules")


def test_hover_click_and_filter_in_chromium(
    project: Project, tmp_path: Path, cli: Any, browser: Browser
) -> None:
    small_study(project, tmp_path)
    page = tmp_path / "net.html"
    r = cli("-p", str(project.root), "network", "--unit", "document", "--html", str(page))
    assert r.code == 0 and f"wrote {page}" in r.out
    seen = open_page(browser, page)
    assert browser.console() == [] and seen["errors"] == "0"
    assert seen["nodes"] == seen["placed"] == "4"
    # in document a all four codes co-occur once; money ~ rules again in b
    assert seen["edges"] == "6"

    # hovering a node shows its name, definition and counts
    browser.hover(*node_at(browser, "code:money"))
    assert tooltip(browser) == "money\ntalk of income & <savings>\ncodings: 2"
    away(browser)  # so that the next tooltip is a new one
    browser.hover(*node_at(browser, "code:rules"))
    assert tooltip(browser) == "rules\ncodings: 2 (with sub-codes: 3)"
    away(browser)
    # the core category counts its own codings and those of the category related to it
    browser.hover(*node_at(browser, "code:precarity"))
    assert tooltip(browser) == (
        "precarity\ncodings: 1 (with its sub-codes and the category related to it, and theirs: 4)"
    )

    # clicking a node lists its quotes, each with its document, and shows its counts
    assert browser.evaluate("document.querySelectorAll('blockquote.quote').length") == 0
    browser.click(*node_at(browser, "code:money"))
    browser.wait_for("document.getElementById('code').textContent === 'money'")
    quotes = browser.evaluate(
        "Array.from(document.querySelectorAll('blockquote.quote'), q => q.textContent)"
    )
    assert quotes == ["money is short. \u2014 a", "money again \u2014 b"]
    assert "codings: 2" in browser.evaluate("document.getElementById('definition').textContent")

    # the slider: one step right hides the co-occurrences seen once, in the network itself
    assert len(browser.evaluate("network.getConnectedEdges('code:precarity')")) == 3
    box = browser.evaluate(
        "(() => { const r = document.getElementById('weight').getBoundingClientRect();"
        " return [r.left, r.top + r.height / 2]; })()"
    )
    browser.click(box[0] + 2, box[1])  # on the thumb, at the slider's left end
    browser.key("ArrowRight", 39)
    browser.wait_for("document.body.dataset.edges === '1'")
    assert browser.evaluate("document.getElementById('weight-value').textContent") == "2"
    assert browser.evaluate("network.getConnectedEdges('code:precarity')") == []
    (left,) = browser.evaluate("network.getConnectedEdges('code:money')")
    assert browser.evaluate(f"edges.get({left}).weight") == 2
    browser.key("ArrowLeft", 37)
    browser.wait_for("document.body.dataset.edges === '6'")
    assert browser.console() == []


def test_the_page_opens_on_a_code_and_a_weight(
    project: Project, tmp_path: Path, cli: Any, browser: Browser
) -> None:
    small_study(project, tmp_path)
    page = tmp_path / "net.html"
    assert (
        cli("-p", str(project.root), "network", "--unit", "document", "--html", str(page)).code == 0
    )
    open_page(browser, page, "#show=" + quote("code:money") + "&least=2")
    assert browser.evaluate("document.querySelectorAll('blockquote.quote').length") == 2
    assert browser.evaluate("document.body.dataset.edges") == "1"
    bad = cli("-p", str(project.root), "network", "--html", str(tmp_path / "net.txt"))
    assert bad.code == 1 and "net.txt: the interactive network must end in .html" in bad.err


def test_the_core_category_tooltip_says_what_it_counts() -> None:
    from qcode.analysis.network import CodeNode, build_network

    g = build_network([CodeNode("core", "selective", 2, ""), CodeNode("cat", "axial", 3, "")], [])
    for n, want in (
        (0, "codings: 2"),
        (2, "codings: 2 (with its sub-codes and the 2 categories related to it, and theirs: 9)"),
    ):
        g.nodes["code:core"].update(aggregate=2.0 + 7.0 * bool(n), aggregate_categories=n)
        (core,) = (x for x in page_data(g, {}, {})["nodes"] if x["id"] == "code:core")
        assert core["title"] == f"core\n{want}"


def test_a_large_chinese_network_loads(tmp_path: Path, browser: Browser) -> None:
    page = write_html(sample_network(200, "zh"), tmp_path / "big.html")
    seen = open_page(browser, page, rest=False)  # drawn; 200 nodes take long to come to rest
    assert browser.console() == [] and seen["errors"] == "0"
    assert seen["nodes"] == seen["placed"] == "200"


def test_a_browser_that_cannot_be_installed_skips_but_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import browser as b

    monkeypatch.setattr(b, "_which", lambda: None)
    monkeypatch.setattr(b, "INSTALL", Path("/bin/false"))  # an installation that fails
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="could not be installed"):
        b.chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="could not be installed"):
        b.chromium()


@pytest.mark.parametrize(("n", "lang"), [(60, "en"), (200, "zh")])
def test_no_two_labels_touch_once_the_layout_settles(
    n: int, lang: str, tmp_path: Path, browser: Browser
) -> None:
    """vis-network keeps the dots apart but not their labels: once the layout settles the page
    moves apart the nodes whose labels touch, measured by vis-network's own boxes."""
    page = write_html(sample_network(n, lang), tmp_path / "n.html")
    open_page(browser, page, rest=False)
    browser.wait_for("document.body.dataset.spread === 'yes'")
    boxes = browser.evaluate(
        "Object.keys(network.getPositions()).map(id => { const b = network.getBoundingBox(id);"
        " return [b.left, b.top, b.right, b.bottom]; })"
    )
    assert len(boxes) == n and browser.console() == []
    touching = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
    ]
    assert touching == [] and browser.evaluate("document.body.dataset.overlaps") == "0"
