"""The dense spring layout used from 500 nodes is networkx's own algorithm: on a graph small
enough for networkx to use its dense solver, the two give the same positions."""

from __future__ import annotations

import networkx as nx
import numpy as np

from qcode.analysis.network_figure import dense_spring_layout


def test_same_as_networkx_below_500_nodes() -> None:
    g = nx.gnm_random_graph(80, 200, seed=3)
    for a, b in g.edges:
        g[a][b]["weight"] = 1.0 + (a * b) % 5
    want = nx.spring_layout(g, k=0.3, seed=7, weight="weight", iterations=50, method="force")
    got = dense_spring_layout(g, 0.3, 7, 50)
    arr = nx.rescale_layout(np.array([got[v] for v in g]))
    assert np.allclose(arr, np.array([want[v] for v in g]), atol=1e-9)


def test_seeded() -> None:
    g = nx.cycle_graph(30)
    one, two = dense_spring_layout(g, 0.2, 1, 20), dense_spring_layout(g, 0.2, 1, 20)
    assert all(np.array_equal(one[v], two[v]) for v in g)
    other = dense_spring_layout(g, 0.2, 2, 20)
    assert any(not np.array_equal(one[v], other[v]) for v in g)
