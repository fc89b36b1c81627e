"""Figures: the files exist and open, PNG at 300 dpi, reproducible, layouts as documented; the
framework view of elements through codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from conftest import FRAMEWORK, write

from qcode import Project
from qcode.analysis.cooccurrence import Span
from qcode.analysis.framework_view import Element, framework_view
from qcode.analysis.label_place import declutter
from qcode.analysis.network_figure import draw_network, layered_positions


@pytest.fixture
def fw(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", "R: one two.\nR: three four.\nR: five.")])
    p.documents.import_files([write(tmp_path / "b.txt", "R: six seven.")])
    p.codes.add("money", level="axial")
    p.codes.add("income swings", parent="money")
    p.codes.add("rules", level="axial")
    p.codes.add("fixed payments", parent="rules")
    p.codes.add("unclear")
    p.codings.apply("a", 3, 10, "money/income swings")  # one two
    p.codings.apply("a", 7, 14, "rules/fixed payments")  # two. + overlap
    p.codings.apply("a", 15, 20, "unclear")  # R: three (second turn)
    p.codings.apply("a", 21, 26, "rules/fixed payments")  # four.
    p.codings.apply("b", 3, 6, "money/income swings")
    p.framework.load(FRAMEWORK)
    p.framework.link("money", "Financial resilience")
    p.framework.link("rules", "Adaptation dilemma")
    p.framework.link("unclear", "Perceived resilience")
    p.framework.link("unclear", "Integration dilemma")
    return p


def test_framework_view_through_codes(fw: Project, cli) -> None:  # type: ignore[no-untyped-def]
    between = ["resilience_type", "dilemma"]
    pairs = {
        (v.element_a, v.element_b): v
        for v in fw.analysis.framework_view("overlap", between=between)
    }
    # overlap: "income swings" [3,10) and "fixed payments" [7,14) share characters; a coding of
    # "unclear" counts for both of its elements as its own pair
    assert set(pairs) == {
        ("Financial resilience", "Adaptation dilemma"),
        ("Perceived resilience", "Integration dilemma"),
    }
    fin = pairs[("Financial resilience", "Adaptation dilemma")]
    assert (fin.n_a, fin.n_b, fin.count) == (2, 2, 1)
    assert fin.c == pytest.approx(1 / 3)
    assert fin.through == [
        {"code_a": "money/income swings", "code_b": "rules/fixed payments", "count": 1}
    ]
    shared = pairs[("Perceived resilience", "Integration dilemma")]
    assert shared.count == 1 and shared.through == [
        {"code_a": "unclear", "code_b": "unclear", "count": 1}
    ]
    # by turn: turn 1 of a holds money and rules; turn 2 holds unclear and rules; b holds money
    turns = {
        (v.element_a, v.element_b): v.count
        for v in fw.analysis.framework_view("turn", between=between)
    }
    assert turns == {
        ("Financial resilience", "Adaptation dilemma"): 1,
        ("Perceived resilience", "Adaptation dilemma"): 1,
        ("Perceived resilience", "Integration dilemma"): 1,
    }
    rows = cli(
        "-p",
        str(fw.root),
        "framework",
        "view",
        "--unit",
        "turn",
        "--between",
        "resilience_type,dilemma",
        "--format",
        "json",
    ).json()
    assert {(r["element_a"], r["element_b"], r["count"]) for r in rows} == {
        (a, b, k) for (a, b), k in turns.items()
    }
    bad = cli("-p", str(fw.root), "framework", "view", "--between", "resilience_type,nothing")
    assert bad.code == 1 and "no framework dimension 'nothing'" in bad.err


def test_framework_view_pure_orientation() -> None:
    linked = {Element("t", "T1"): ["a"], Element("d", "D1"): ["b"]}
    spans = [Span(1, "a", 0, 5), Span(1, "b", 3, 8)]
    (pair,) = framework_view(spans, linked, [("d", "t")])
    assert (pair.dimension_a, pair.element_a, pair.element_b) == ("d", "D1", "T1")
    assert pair.through == [{"code_a": "b", "code_b": "a", "count": 1}]


def test_framework_view_lists_a_code_pair_once() -> None:
    # a category linked to elements of two dimensions: its codes x and y co-occur once, and
    # each is under both elements; the pair carries the element pair once, as do x and y alone
    linked = {Element("t", "T1"): ["cat"], Element("d", "D1"): ["cat"]}
    spans = [Span(1, "cat/x", 0, 5), Span(1, "cat/y", 3, 8)]
    (pair,) = framework_view(spans, linked, [("t", "d")])
    assert pair.count == 3  # x-under-T1 with x-under-D1, x with y, y with y
    assert pair.through == [
        {"code_a": "cat/x", "code_b": "cat/x", "count": 1},
        {"code_a": "cat/x", "code_b": "cat/y", "count": 1},
        {"code_a": "cat/y", "code_b": "cat/y", "count": 1},
    ]
    # a second coder's overlapping coding of x: x paired with itself now counts its two codings
    # and their overlap; the element pair also gains the second x with y
    (pair,) = framework_view([*spans, Span(1, "cat/x", 1, 4)], linked, [("t", "d")])
    assert pair.through[0] == {"code_a": "cat/x", "code_b": "cat/x", "count": 3}
    assert pair.count == 3 + 2 + 1 and (pair.n_a, pair.n_b) == (3, 3)
    # by document: one document holds both elements; each code is in one document
    (pair,) = framework_view(spans, linked, [("t", "d")], unit="document")
    assert pair.count == 1 and pair.jaccard == 1.0
    assert [t["count"] for t in pair.through] == [1, 1, 1]


def test_figure_files_open_and_are_reproducible(fw: Project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    p = ["-p", str(fw.root)]
    png, svg, pdf = tmp_path / "n.png", tmp_path / "n.svg", tmp_path / "n.pdf"
    for f, layout in ((png, "force"), (svg, "layered"), (pdf, "force")):
        r = cli(
            *p,
            "network",
            "--include",
            "framework,hierarchy",
            "--figure",
            str(f),
            "--layout",
            layout,
        )
        assert r.code == 0 and f"drew {f}" in r.out
    with Image.open(png) as im:
        assert im.format == "PNG" and round(im.info["dpi"][0]) == 300
        assert im.width > 1500
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = svg.read_text(encoding="utf-8")
    # labels and caption are text (wrapped onto lines), not outlines
    assert ">Financial<" in text and ">Adaptation<" in text
    assert "edges with count &gt;= 1" in text
    assert pdf.read_bytes()[:5] == b"%PDF-" and b"%%EOF" in pdf.read_bytes()[-64:]
    again = tmp_path / "again.svg"
    cli(
        *p,
        "network",
        "--include",
        "framework,hierarchy",
        "--figure",
        str(again),
        "--layout",
        "layered",
    )
    assert again.read_bytes() == svg.read_bytes()
    bad = cli(*p, "network", "--figure", str(tmp_path / "n.gif"))
    assert bad.code == 1 and "n.gif: a figure must end in .png, .svg or .pdf" in bad.err
    bad = cli(*p, "network", "--figure", str(png), "--layout", "circle")
    assert bad.code == 1 and "unknown layout 'circle'" in bad.err


def test_layered_layout_follows_the_framework_chain(fw: Project) -> None:
    g = fw.analysis.network(include=["framework"])
    assert g.graph["chain"].split(",")[:4] == [
        "structural_driver",
        "resilience_type",
        "resilience_problem",
        "dilemma",
    ]
    pos = layered_positions(g, g.graph["chain"].split(","))
    x = {g.nodes[n]["path"]: xy[0] for n, xy in pos.items()}
    assert (
        x["structural_driver/Institutional framework"] < x["resilience_type/Financial resilience"]
    )
    assert (
        x["resilience_type/Financial resilience"]
        < x["resilience_problem/Deficit"]
        < x["dilemma/Adaptation dilemma"]
    )
    # a code sits just before the first element it is linked to
    assert x["money"] < x["resilience_type/Financial resilience"]
    assert (
        x["rules"] < x["dilemma/Adaptation dilemma"]
        and x["rules"] > x["resilience_problem/Deficit"]
    )


def test_declutter_separates_label_boxes() -> None:
    pos = {i: (0.5 + 0.001 * i, 0.5) for i in range(12)}
    boxes = dict.fromkeys(pos, (0.05, 0.02))
    out = declutter(pos, boxes)
    for i in out:
        for j in out:
            if i < j:
                dx = abs(out[i][0] - out[j][0])
                dy = abs(out[i][1] - out[j][1])
                assert dx >= 0.1 - 1e-6 or dy >= 0.04 - 1e-6


def test_forty_node_figure(tmp_path: Path) -> None:
    g = nx.MultiGraph(unit="overlap", min_weight=2)
    for i in range(40):
        g.add_node(
            f"code:c{i}", label=f"a fairly long code label {i}", kind="open", size=float(i + 1)
        )
    for i in range(40):
        g.add_edge(
            f"code:c{i}", f"code:c{(i * 7 + 3) % 40}", kind="cooccurrence", weight=float(i % 5 + 2)
        )
    out = draw_network(g, tmp_path / "forty.svg")
    root = ET.parse(out).getroot()
    lines = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    shown = sum(1 for line in lines if line.startswith("a fairly long code"))
    from qcode.analysis.figure_check import read

    hidden = read(out).hidden
    assert shown + hidden == 40 and shown >= 30
    assert "count >= 2" in " ".join(lines)


def test_layered_layout_without_a_framework_goes_by_level(tmp_path: Path) -> None:
    g = nx.MultiGraph()
    g.add_node("code:core", label="core", kind="selective", size=1.0)
    g.add_node("code:cat", label="cat", kind="axial", size=2.0)
    g.add_node("code:cat/x", label="x", kind="open", size=3.0)
    g.add_edge("code:cat", "code:cat/x", kind="hierarchy", weight=1.0)
    pos = layered_positions(g, [])
    assert pos["code:core"][0] < pos["code:cat"][0] < pos["code:cat/x"][0]
    assert draw_network(g, tmp_path / "l.pdf", layout="layered").stat().st_size > 1000


def test_dense_network_edges_are_opaque_tints_weakest_first(tmp_path: Path) -> None:
    from PIL import Image

    g = nx.MultiGraph(unit="document", min_weight=1)
    n = 102  # 5,151 edges: past the point where edges are drawn as opaque tints
    for i in range(n):
        g.add_node(f"code:c{i}", label=f"c{i}", kind="open", size=1.0)
    for i in range(n):
        for j in range(i + 1, n):
            g.add_edge(
                f"code:c{i}", f"code:c{j}", kind="cooccurrence", weight=float((i + j) % 9 + 1)
            )
    out = draw_network(g, tmp_path / "dense.svg", seed=3)
    root = ET.parse(out).getroot()
    strokes = [
        el.get("style", "")
        for el in root.iter("{http://www.w3.org/2000/svg}path")
        if "stroke: #" in el.get("style", "") and "fill: none" in el.get("style", "")
    ]
    grey = [s for s in strokes if "stroke-opacity" not in s]
    assert len(grey) >= g.number_of_edges()  # every edge drawn, none blended

    # lightest (weakest) first: the first edge's grey is lighter than the last's
    def level(style: str) -> int:
        return int(style.split("stroke: #", 1)[1][:2], 16)

    assert level(grey[0]) > level(grey[-1])
    png = draw_network(g, tmp_path / "dense.png", seed=3)
    with Image.open(png) as im:
        assert round(im.info["dpi"][0]) == 300
