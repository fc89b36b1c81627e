"""Figures measured, not eyeballed: the geometry of every drawn network (no label on another
label, on another node or off the canvas; contrast; print size; glyphs), read back from the
files qcode writes, on networks of 10 to 500 codes in English and Chinese."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from figure_data import sample_network

from qcode.analysis import figure_check, figures
from qcode.analysis.figure_check import contrast, findings, geometry, read, summary
from qcode.analysis.figures import (
    CODE_COLORS,
    DIMENSION_COLORS,
    FigureWarning,
    ink,
    new_figure,
    with_fonts,
)
from qcode.analysis.network_figure import aggregate_sizes, draw_network


def kinds(found: list[figure_check.Finding]) -> set[str]:
    return {f.kind for f in found}


@pytest.mark.parametrize("n", [10, 50, 200, 500])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_network_figures_are_clean(n: int, lang: str, tmp_path: Path) -> None:
    g = sample_network(n, lang)
    out = draw_network(g, tmp_path / f"n{n}.png")
    geom = read(out)  # the geometry stored in the PNG
    found = findings(geom)
    assert found == [], found[:5]
    assert len(geom.nodes) == n
    labelled = {lab.owner for lab in geom.labels if lab.owner}
    assert len(labelled) + geom.hidden == n
    # the most central node always gets its label; a hidden label is said in the caption
    caption = " ".join(lab.text for lab in geom.labels if lab.owner is None)
    if geom.hidden:
        assert f"{geom.hidden} are unlabelled" in " ".join(caption.split())
    else:
        assert len(labelled) == n
    if lang == "zh":
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in lab.text) for lab in geom.labels)


def test_the_earlier_drawing_fails_the_check(tmp_path: Path) -> None:
    # labels on their nodes, pushed apart: what qcode drew before; the checker sees overlaps
    g = sample_network(500, "zh")
    out = draw_network(g, tmp_path / "push.png", placement="push")
    found = findings(read(out))
    assert {"overlap", "covers-node"} <= kinds(found)


@with_fonts
def _bad_figure(path: Path) -> figure_check.Geometry:
    fig = new_figure(3.0, 2.0, constrained=False)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.5, 0.5, "first label", fontsize=8)
    ax.text(0.52, 0.5, "second label", fontsize=8)
    ax.text(0.1, 0.9, "pale", color="#ffffff", bbox={"facecolor": "#F0E442"})
    ax.text(0.1, 0.1, "tiny", fontsize=3)
    ax.text(0.97, 0.5, "off the edge of the page", fontsize=8)
    ax.text(0.3, 0.2, "legacy \U0001fb00", fontsize=8)
    coll = ax.scatter([0.55], [0.52], s=400)
    figure_check.mark_nodes(coll, ["node:x"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figures.save(fig, path)
        return geometry(fig)


def test_checker_finds_each_kind_of_fault(tmp_path: Path) -> None:
    geom = _bad_figure(tmp_path / "bad.svg")
    found = findings(geom)
    assert kinds(found) == {"overlap", "covers-node", "outside", "contrast", "small", "glyphs"}
    assert any("'first label' overlaps 'second label'" in f.message for f in found)
    assert summary(geom, found)["clean"] is False
    # the same findings read back from the SVG's metadata
    assert findings(read(tmp_path / "bad.svg")) == found


def test_cell_values_read_on_middle_teals() -> None:
    # viridis's middle teal: neither the near-black ink nor white reaches 4.5; black does
    teal = "#25838e"
    assert contrast(figures.INK, teal) < 4.5 and contrast("#ffffff", teal) < 4.5
    assert contrast(ink(teal), teal) >= 4.5
    for v in range(256):
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        cell = to_hex(colormaps["viridis"](v))
        assert contrast(ink(cell), cell) >= 4.5, cell


def test_contrast_is_wcag() -> None:
    # WCAG 2: black on white is 21, white on #767676 is about 4.54
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)


def test_every_node_colour_has_a_readable_ink() -> None:
    for color in [*CODE_COLORS.values(), *DIMENSION_COLORS]:
        assert contrast(ink(color), color) >= 4.5, color


def test_missing_cjk_font_is_found_and_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figures, "_fonts", lambda: ["DejaVu Sans"])
    g = sample_network(10, "zh")
    with pytest.warns(FigureWarning, match="no font here"):
        out = draw_network(g, tmp_path / "boxes.png")
    assert "glyphs" in kinds(findings(read(out)))


def test_cjk_labels_have_their_glyphs_and_latin_stays(tmp_path: Path) -> None:
    g = sample_network(10, "zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error", FigureWarning)
        out = draw_network(g, tmp_path / "zh.svg")
    text = out.read_text(encoding="utf-8")
    # the Latin font first, the CJK font after it for the characters it lacks
    assert "'DejaVu Sans', 'Noto Sans CJK SC'" in text
    assert not any(lab.missing for lab in read(out).labels)


@pytest.mark.parametrize(("size", "width_px"), [("single", 1004), ("double", 2067)])
def test_journal_sizes_at_300_dpi(size: str, width_px: int, tmp_path: Path) -> None:
    from PIL import Image

    out = draw_network(sample_network(50), tmp_path / "s.png", size=size)
    with Image.open(out) as im:
        assert abs(im.width - width_px) <= 1 and round(im.info["dpi"][0]) == 300
    geom = read(out)
    assert findings(geom) == []
    assert min(lab.points * geom.scale for lab in geom.labels) >= 6.0


def test_grey_and_dpi(tmp_path: Path) -> None:
    from PIL import Image

    out = draw_network(sample_network(50), tmp_path / "g.png", grey=True, dpi=600, size="single")
    with Image.open(out) as im:
        rgb = im.convert("RGB")
        assert round(im.info["dpi"][0]) == 600
        colors = rgb.getcolors(maxcolors=1 << 20) or []
        assert all(max(c) - min(c) <= 2 for _, c in colors)  # greys only
    assert findings(read(out)) == []


def test_categories_are_sized_by_their_codes() -> None:
    g = sample_network(30)
    sizes = aggregate_sizes(g)
    for n, d in g.nodes(data=True):
        if d["kind"] in ("axial", "selective"):
            kids = [m for m, e in g.nodes(data=True) if e["path"].startswith(d["path"] + "/")]
            assert sizes[n] == d["size"] + sum(g.nodes[m]["size"] for m in kids)
            assert sizes[n] > 0


def test_figure_check_command(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    out = draw_network(sample_network(50), tmp_path / "ok.svg")
    r = cli("figure", "check", str(out))
    assert r.code == 0 and "clean" in r.out
    bad = tmp_path / "bad.svg"
    _bad_figure(bad)
    r = cli("figure", "check", str(bad), "--json")
    assert r.code == 1 and r.json()["overlap"] >= 1 and r.json()["clean"] is False
    plain = tmp_path / "plain.png"
    Image.new("RGB", (10, 10)).save(plain)
    r = cli("figure", "check", str(plain))
    assert (
        r.code == 1
        and r.err.strip() == f"error: {plain}: no figure geometry in it (not drawn by qcode)"
    )
    r = cli("figure", "check", str(tmp_path / "none.png"))
    assert r.code == 1 and "no such file" in r.err


def test_heat_map_values_are_readable_and_charts_clean(tmp_path: Path) -> None:
    from qcode.analysis.figures import bar_chart, heatmap, saturation_curve

    rows = [f"code {i}" for i in range(12)]
    cols = [f"doc {j}" for j in range(8)]
    values = [[float((i * 7 + j * 3) % 11) for j in range(8)] for i in range(12)]
    geom = read(heatmap(rows, cols, values, tmp_path / "h.png", title="codes by document"))
    assert findings(geom) == []
    cells = [lab for lab in geom.labels if lab.background != "#ffffff"]
    assert len(cells) == 96  # every value written, on its cell's colour
    assert {lab.text for lab in cells} >= {"0", "10"}
    geom = read(bar_chart(rows, {"codings": list(range(12))}, tmp_path / "b.svg"))
    assert findings(geom) == []
    docs = [f"interview {i}" for i in range(10)]
    new = [5, 3, 2, 2, 1, 1, 0, 1, 0, 0]
    cum = [sum(new[: i + 1]) for i in range(10)]
    geom = read(saturation_curve(docs, new, cum, tmp_path / "s.png", caption="saturation"))
    assert findings(geom) == []


@pytest.mark.parametrize("layout", ["force", "layered"])
def test_same_data_and_seed_give_the_same_bytes(layout: str, tmp_path: Path) -> None:
    g = sample_network(60, "zh")
    a = draw_network(g, tmp_path / "a.svg", layout=layout, seed=7)
    b = draw_network(sample_network(60, "zh"), tmp_path / "b.svg", layout=layout, seed=7)
    assert a.read_bytes() == b.read_bytes()
    assert b"<dc:date>" not in a.read_bytes()
    pa = draw_network(g, tmp_path / "a.png", layout=layout, seed=7)
    pb = draw_network(g, tmp_path / "b.png", layout=layout, seed=7)
    assert pa.read_bytes() == pb.read_bytes()
    if layout == "force":
        c = draw_network(g, tmp_path / "c.svg", layout=layout, seed=8)
        assert c.read_bytes() != a.read_bytes()


@pytest.mark.parametrize("n", [10, 50, 200])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_layered_figures_are_clean_and_within_two_to_one(n: int, lang: str, tmp_path: Path) -> None:
    out = draw_network(sample_network(n, lang), tmp_path / "l.png", layout="layered")
    geom = read(out)
    assert findings(geom) == [], findings(geom)[:5]
    assert 0.5 <= geom.height / geom.width <= 2.0


def test_cjk_font_is_embedded_in_pdf_and_named_in_svg(tmp_path: Path) -> None:
    g = sample_network(10, "zh")
    pdf = draw_network(g, tmp_path / "zh.pdf").read_bytes()
    assert b"NotoSansCJK" in pdf and b"DejaVuSans" in pdf  # both fonts embedded (TrueType)
    svg = draw_network(g, tmp_path / "zh.svg").read_text(encoding="utf-8")
    assert "Noto Sans CJK" in svg and "DejaVu Sans" in svg


def test_check_on_the_table_figure_commands(project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    from conftest import write

    p = project
    for name in ("a", "b", "c"):
        p.documents.import_files(
            [write(tmp_path / f"{name}.txt", f"R: money and rules and more {name}.")]
        )
    p.codes.add("money")
    p.codes.add("rules")
    for name in ("a", "b", "c"):
        p.codings.apply(name, 3, 8, "money")
    p.codings.apply("a", 13, 18, "rules")
    root = ["-p", str(p.root)]
    r = cli(*root, "matrix", "--figure", str(tmp_path / "m.png"), "--check")
    assert r.code == 0 and "m.png: " in r.out and ": clean" in r.out
    # after JSON the findings go to stderr, so stdout stays JSON
    r = cli(*root, "freq", "--figure", str(tmp_path / "f.svg"), "--check", "--format", "json")
    assert r.code == 0 and json.loads(r.out) and "clean" in r.err
    r = cli(
        *root,
        "saturation",
        "--base",
        "1",
        "--run",
        "1",
        "--figure",
        str(tmp_path / "s.png"),
        "--check",
    )
    assert r.code == 0 and "s.png: " in r.out and "clean" in r.out
    r = cli(*root, "matrix", "--figure", str(tmp_path / "m.pdf"), "--check")
    assert r.code == 1 and "--check reads .png and .svg figures" in r.err


def test_layered_edges_pass_columns_between_nodes() -> None:
    import numpy as np

    from qcode.analysis.network_figure import route, smooth

    columns = {0.0: [0.0], 100.0: [0.0, 50.0, 100.0], 150.0: [20.0, 60.0], 200.0: [100.0]}
    clear, radius = 8.0, 6.0
    for a, b in (((0.0, 0.0), (200.0, 100.0)), ((200.0, 100.0), (0.0, 0.0))):
        # the straight line would cross the node at (100, 50)
        line = smooth(route(a, b, columns, clear, 20.0))
        assert line[0] == a and line[-1] == b
        pts = np.array(line)
        dense = np.concatenate([np.linspace(p, q, 20) for p, q in zip(pts, pts[1:], strict=False)])
        for x, ys in columns.items():
            for y in ys:
                if (x, y) in (a, b):
                    continue
                assert np.hypot(dense[:, 0] - x, dense[:, 1] - y).min() > radius, (x, y)
    # within one column: a bow beside it, clear of the node between
    bow = smooth(route((100.0, 0.0), (100.0, 100.0), columns, clear, 20.0))
    assert min(x for x, _ in bow) < 100.0 - radius


@pytest.mark.parametrize("rows", [12, 52, 120])
def test_a_heat_map_of_long_code_paths_has_no_overlapping_labels(rows: int, tmp_path: Path) -> None:
    from qcode.analysis.figures import heatmap

    """Code paths as the example study's matrix has them (category/code, most wrapped onto two
    lines), 12 documents: each row is as tall as its label needs."""
    words = [
        "ambiguous",
        "labour",
        "relations",
        "outsourcing",
        "agency",
        "contract",
        "partner",
        "not",
        "employee",
    ]
    names = [
        f"{words[i % 9].capitalize()} {words[(i + 3) % 9]}/"
        + " ".join(words[(i + k) % 9] for k in range(2 + i % 4))
        + f" {i}"
        for i in range(rows)
    ]
    cols = [f"P{j:02d}" for j in range(1, 13)]
    values = [[float((i * 7 + j * 3) % 4) for j in range(12)] for i in range(rows)]
    geom = read(heatmap(names, cols, values, tmp_path / "h.png", title="codes x documents"))
    assert [f for f in findings(geom) if f.kind == "overlap"] == [], findings(geom)[:3]


def test_a_heat_map_of_counts_has_whole_numbers_on_its_colour_bar(tmp_path: Path) -> None:
    from qcode.analysis.figures import heatmap

    values = [[float((i + j) % 4) for j in range(5)] for i in range(6)]
    geom = read(heatmap([f"r{i}" for i in range(6)], list("abcde"), values, tmp_path / "h.svg"))
    names = {f"r{i}" for i in range(6)} | set("abcde")
    # the colour bar's tick labels: on the white page, not on a cell, and not a row or column
    ticks = {lab.text for lab in geom.labels if lab.background == "#ffffff"} - names
    assert ticks and all(t.isdigit() for t in ticks), ticks


def test_a_heat_map_with_long_column_heads_keeps_them_apart(tmp_path: Path) -> None:
    """Attribute values as heads (the example study's crosstab by occupation): slanted heads
    of two lines ran into their neighbours."""
    from qcode.analysis.figures import heatmap

    heads = [
        *("courier", "food-delivery rider", "live-streamer", "online micro-merchant"),
        *("remote designer", "ride-hailing driver", "外卖骑手", "带货主播"),
        *("网店店主兼设计接单", "网约车司机"),
    ]
    rows = [f"Information barriers/rumours in chat groups and short videos {i}" for i in range(20)]
    values = [[float((i + j) % 3) for j in range(10)] for i in range(20)]
    geom = read(heatmap(rows, heads, values, tmp_path / "h.png"))
    assert findings(geom) == [], findings(geom)[:3]
