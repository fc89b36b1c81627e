"""No node drawn on another: the checker finds overlapping discs, and the network figures have
none, on the bundled study (whose categories, linked to nothing at the open level, stand in rows
of their own) and on networks of 10 to 500 codes in English and Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from figure_data import sample_network

from qcode import Project
from qcode.analysis.figure_check import Geometry, Node, findings, read
from qcode.analysis.label_place import separate
from qcode.analysis.network_figure import draw_network, isolated


@pytest.fixture(scope="module")
def study(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("study") / "flexible-employment"
    with Project.open(built_example(root)) as p:
        yield p


def node_overlaps(path: Path) -> list[str]:
    return [f.message for f in findings(read(path)) if f.kind == "node-overlap"]


def test_checker_finds_a_node_on_another() -> None:
    geom = Geometry(200, 100, 200, nodes=[Node("a", 50, 50, 10), Node("b", 65, 50, 10)])
    assert [f.kind for f in findings(geom)] == ["node-overlap"]
    assert "'a' overlaps node 'b'" in findings(geom)[0].message
    touching = Geometry(200, 100, 200, nodes=[Node("a", 50, 50, 10), Node("b", 70.2, 50, 10)])
    assert findings(touching) == []


@pytest.mark.parametrize(
    ("level", "include", "unit", "size"),
    [
        ("open", "", "paragraph", "single"),
        ("open", "", "overlap", "single"),
        ("open", "relations", "document", "double"),
        ("open", "framework", "document", "double"),
        ("axial", "framework", "overlap", "single"),
        ("axial", "relations,hierarchy,framework", "document", "single"),
    ],
)
def test_the_bundled_study_has_no_node_on_another(
    study: Project, level: str, include: str, unit: str, size: str, tmp_path: Path
) -> None:
    parts = [p for p in include.split(",") if p]
    g = study.analysis.network(unit, level=level, include=parts)
    out = draw_network(g, tmp_path / "net.png", size=size)
    geom = read(out)
    assert len(geom.nodes) == g.number_of_nodes()
    assert findings(geom) == [], findings(geom)[:5]


def without_hierarchy(g: nx.MultiGraph) -> nx.MultiGraph:
    """The categories linked to nothing: as a study's are at the open level, where only the
    codes under them co-occur."""
    out = g.copy()
    out.remove_edges_from(
        [(a, b, k) for a, b, k, d in g.edges(keys=True, data=True) if d["kind"] == "hierarchy"]
    )
    return out


@pytest.mark.parametrize("n", [10, 50, 200, 500])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_isolated_categories_stand_apart(n: int, lang: str, tmp_path: Path) -> None:
    g = without_hierarchy(sample_network(n, lang))
    assert len(isolated(g)) >= max(1, n // 10)
    for size in ("single", "double"):
        out = draw_network(g, tmp_path / f"{size}.png", size=size)
        assert node_overlaps(out) == []
        assert findings(read(out)) == []


def test_parting_nodes_is_reproducible_and_keeps_them_inside() -> None:
    # ten nodes on one spot, two already apart: all parted, within the area, the same each time
    centres = [(50.0, 50.0)] * 10 + [(10.0, 10.0), (90.0, 90.0)]
    radii = [4.0] * 12
    first, scale = separate(centres, radii, (0, 0, 100, 100))
    assert scale == 1.0 and separate(centres, radii, (0, 0, 100, 100)) == (first, scale)
    geom = Geometry(
        100, 100, 100, nodes=[Node(str(i), x, y, 4.0) for i, (x, y) in enumerate(first)]
    )
    assert findings(geom) == []
    assert all(4.0 <= v <= 96.0 for xy in first for v in xy)
    # more discs than fit: they shrink until they do
    crowded, small = separate([(5.0, 5.0)] * 30, [4.0] * 30, (0, 0, 30, 30))
    assert small < 1.0
    geom = Geometry(
        30, 30, 30, nodes=[Node(str(i), x, y, 4.0 * small) for i, (x, y) in enumerate(crowded)]
    )
    assert findings(geom) == []
    # upright: nodes keep their x (the columns of a layered layout)
    column, _ = separate([(20.0, 50.0)] * 5, [4.0] * 5, (0, 0, 100, 100), upright=True)
    assert {x for x, _ in column} == {20.0}


def test_same_seed_same_svg_with_isolated_nodes(tmp_path: Path) -> None:
    g = without_hierarchy(sample_network(50, "zh"))
    a = draw_network(g, tmp_path / "a.svg", seed=7).read_bytes()
    b = draw_network(g, tmp_path / "b.svg", seed=7).read_bytes()
    assert a == b


def test_the_core_category_is_sized_by_what_it_integrates(study: Project, tmp_path: Path) -> None:
    from qcode.analysis.network_figure import aggregate_sizes

    core = study.structure.core()
    (path,) = core["core"]
    related = [cat for cat, steps in core["paths"].items() if steps[-1] == path]
    assert related  # the categories are related to it, not under it in the code tree
    counts = {c.path: c.codings_with_subcodes for c in study.codes.list(aggregate=True)}
    for level in ("open", "axial"):
        g = study.analysis.network("overlap", level=level)
        sizes = aggregate_sizes(g)
        node = f"code:{path}"
        assert sizes[node] == counts[path] + sum(counts[c] for c in related)
        assert sizes[node] == max(sizes.values())
    out = draw_network(g, tmp_path / "axial.png")
    geom = read(out)
    radius = {n.id: n.r for n in geom.nodes}
    assert radius[f"code:{path}"] == max(radius.values())


def test_the_caption_counts_unlabelled_nodes_in_words() -> None:
    from qcode.analysis.network_figure import network_caption

    g = sample_network(10)
    assert network_caption(g, "force", 42, hidden=1).endswith("; 1 is unlabelled.")
    assert network_caption(g, "force", 42, hidden=3).endswith("; 3 are unlabelled.")
    assert "Labels:" not in network_caption(g, "force", 42)
