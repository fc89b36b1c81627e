"""Code networks: nodes and edges with their kinds, GraphML and GEXF read back, metrics."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import FRAMEWORK, write

from qcode import Project
from qcode.errors import InvalidInputError


@pytest.fixture
def net(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", "R: one two three four five six seven.")])
    p.codes.add("cat", level="axial")
    p.codes.add("x", parent="cat")
    p.codes.add("y", parent="cat")
    p.codes.add("z")
    p.codings.apply("a", 3, 10, "cat/x")
    p.codings.apply("a", 7, 20, "z")
    p.codings.apply("a", 8, 12, "cat/y")
    p.codings.apply("a", 25, 30, "z")
    p.structure.relate("cat/x", "is cause of", "z")
    p.framework.load(FRAMEWORK)
    p.framework.link("z", "Financial resilience")
    return p


def test_graphml_and_gexf_read_back(net: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gml, gexf = tmp_path / "n.graphml", tmp_path / "n.gexf"
    r = cli(
        "-p",
        str(net.root),
        "network",
        "--include",
        "framework,relations,hierarchy",
        "--graphml",
        str(gml),
        "--gexf",
        str(gexf),
    )
    assert r.code == 0, r.err
    g = nx.read_graphml(gml)
    assert g.nodes["code:z"]["label"] == "z" and g.nodes["code:z"]["kind"] == "open"
    assert g.nodes["code:z"]["size"] == 2.0  # two codings of z
    assert g.nodes["code:cat"]["kind"] == "axial"
    kinds = {(a, b, d["kind"]): d for a, b, d in g.edges(data=True)}
    co = [d for (a, b, k), d in kinds.items() if k == "cooccurrence"]
    assert sorted((d["weight"]) for d in co) == [1.0, 1.0, 1.0]  # x-z, y-z, x-y
    assert {k for (_a, _b, k) in kinds} == {"cooccurrence", "hierarchy", "relation", "framework"}
    element = "element:resilience_type/Financial resilience"
    assert g.nodes[element]["kind"] == "resilience_type"
    assert any(k == "framework" and element in (a, b) for (a, b, k) in kinds)
    gx = nx.read_gexf(gexf)
    assert gx.nodes["code:z"]["label"] == "z"
    assert gx.nodes["code:z"]["viz"]["size"] == 2.0
    assert set(gx.nodes["code:z"]["viz"]["color"]) >= {"r", "g", "b"}


def test_json_min_weight_and_metrics(net: Project, cli) -> None:  # type: ignore[no-untyped-def]
    data = cli("-p", str(net.root), "network", "--json", "--metrics").json()
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {"code:cat", "code:cat/x", "code:cat/y", "code:z"}
    assert all(e["kind"] == "cooccurrence" for e in data["edges"])
    z = next(n for n in data["nodes"] if n["id"] == "code:z")
    assert z["metrics"]["degree"] == 2 and z["metrics"]["weighted_degree"] == 2.0
    # against networkx directly on the same simple graph
    simple = nx.Graph([(e["source"], e["target"]) for e in data["edges"]])
    simple.add_nodes_from(ids)
    assert z["metrics"]["betweenness"] == pytest.approx(nx.betweenness_centrality(simple)["code:z"])
    assert net.analysis.network(min_weight=2).number_of_edges() == 0
    with pytest.raises(InvalidInputError, match="cannot include pictures"):
        net.analysis.network(include=["pictures"])
