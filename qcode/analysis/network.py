"""Code networks: codes (and framework elements) as nodes; co-occurrence, hierarchy, typed
relations and framework links as edges. Plain data in, a networkx graph and plain data out.

Every node carries ``label``, ``kind`` (open, axial or selective for codes; the dimension key for
framework elements), ``size`` (a code's frequency) and ``color``; every edge carries ``kind``
(cooccurrence, hierarchy, relation or framework) and ``weight`` (the co-occurrence count, else 1),
and co-occurrence edges also the c-coefficient ``c``. GraphML and GEXF are written so that Gephi
reads them as they are (GEXF with viz size and colour).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from qcode.analysis.cooccurrence import Pair
from qcode.analysis.framework_view import through_text

EDGE_KINDS = ("cooccurrence", "hierarchy", "relation", "framework")
# Okabe and Ito's colour-blind-safe palette, by node kind.
KIND_COLORS = {
    "open": "#0072B2",
    "axial": "#E69F00",
    "selective": "#D55E00",
    "element": "#009E73",
}


@dataclass(frozen=True)
class CodeNode:
    path: str
    level: str
    frequency: int
    color: str


@dataclass(frozen=True)
class ElementNode:
    dimension: str
    name: str


def code_id(path: str) -> str:
    return f"code:{path}"


def element_id(dimension: str, name: str) -> str:
    return f"element:{dimension}/{name}"


def _add_element(g: nx.MultiGraph, e: ElementNode, size: float) -> None:
    g.add_node(
        element_id(e.dimension, e.name),
        label=e.name,
        path=f"{e.dimension}/{e.name}",
        kind=e.dimension,
        size=size,
        color=KIND_COLORS["element"],
    )


def build_network(
    codes: Sequence[CodeNode],
    pairs: Iterable[Pair] = (),
    min_weight: int = 1,
    hierarchy: Iterable[tuple[str, str]] = (),
    relations: Iterable[tuple[str, str, str]] = (),
    elements: Iterable[ElementNode] = (),
    links: Iterable[tuple[str, str, str, str]] = (),
) -> nx.MultiGraph:
    """``hierarchy``: (child path, parent path); ``relations``: (source, type, target);
    ``links``: (code path, dimension, element, relation). Co-occurrence edges below
    ``min_weight`` are left out; a code with no edge stays as an isolated node."""
    g = nx.MultiGraph()
    for c in codes:
        g.add_node(
            code_id(c.path),
            label=c.path.rsplit("/", 1)[-1],
            path=c.path,
            kind=c.level,
            size=float(c.frequency),
            color=c.color or KIND_COLORS.get(c.level, "#999999"),
        )
    for p in pairs:
        if p.count >= min_weight:
            g.add_edge(
                code_id(p.code_a),
                code_id(p.code_b),
                kind="cooccurrence",
                weight=float(p.count),
                c=float(p.c or 0.0),
                label="",
            )
    for child, parent in hierarchy:
        g.add_edge(code_id(parent), code_id(child), kind="hierarchy", weight=1.0, label="contains")
    for source, type_, target in relations:
        g.add_edge(code_id(source), code_id(target), kind="relation", weight=1.0, label=type_)
    for e in elements:
        _add_element(g, e, 1.0)
    for path, dimension, name, relation in links:
        g.add_edge(
            code_id(path), element_id(dimension, name), kind="framework", weight=1.0, label=relation
        )
    return g


def metrics(g: nx.MultiGraph, seed: int = 42) -> dict[str, dict[str, Any]]:
    """Degree, weighted degree and betweenness per node, and Louvain communities (seeded), on
    the simple graph whose edge weights sum the parallel edges."""
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    for a, b, data in g.edges(data=True):
        w = data.get("weight", 1.0)
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += w
        else:
            simple.add_edge(a, b, weight=w)
    betweenness = nx.betweenness_centrality(simple)
    communities = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    community = {
        n: i
        for i, members in enumerate(sorted(communities, key=lambda m: -len(m)))
        for n in members
    }
    return {
        n: {
            "degree": simple.degree(n),
            "weighted_degree": simple.degree(n, weight="weight"),
            "betweenness": betweenness[n],
            "community": community[n],
        }
        for n in simple.nodes
    }


def as_json(g: nx.MultiGraph, with_metrics: bool = False, seed: int = 42) -> dict[str, Any]:
    m = metrics(g, seed) if with_metrics else {}
    return {
        "nodes": [
            {"id": n, **data, **({"metrics": m[n]} if with_metrics else {})}
            for n, data in g.nodes(data=True)
        ],
        "edges": [{"source": a, "target": b, **data} for a, b, data in g.edges(data=True)],
    }


def write_graphml(g: nx.MultiGraph, path: str) -> None:
    nx.write_graphml(g, path)


def write_gexf(g: nx.MultiGraph, path: str) -> None:
    out = g.copy()
    for _n, data in out.nodes(data=True):
        color = data.get("color", "#999999").lstrip("#")
        data["viz"] = {
            "size": max(1.0, float(data.get("size", 1.0))),
            "color": {
                "r": int(color[0:2], 16),
                "g": int(color[2:4], 16),
                "b": int(color[4:6], 16),
                "a": 1.0,
            },
        }
    nx.write_gexf(out, path)


def build_framework_network(
    pairs: Iterable[Any],
    elements: Sequence[ElementNode],
    sizes: dict[tuple[str, str], int],
    min_weight: int = 1,
) -> nx.MultiGraph:
    """The framework view as a network: elements as nodes (size = codings under them), their
    co-occurrence as edges (weight = count, ``c``, and ``through``: the code pairs that carry
    it, most frequent first). ``pairs`` are ``qcode.analysis.framework_view.ElementPair``."""
    g = nx.MultiGraph()
    for e in elements:
        _add_element(g, e, float(sizes.get((e.dimension, e.name), 0)))
    for p in pairs:
        if p.count < min_weight:
            continue
        g.add_edge(
            element_id(p.dimension_a, p.element_a),
            element_id(p.dimension_b, p.element_b),
            kind="cooccurrence",
            weight=float(p.count),
            c=float(p.c or 0.0),
            label="",
            through=through_text(p.through, 8),
        )
    return g
