"""Neighbourhoods on the traversal index equal the contract oracle's brute-force BFS."""

from __future__ import annotations

import random

import pytest

from graph_store import Direction, EdgeFilter
from graph_store._neighbourhood import neighbourhood
from tests.contract import _oracle as oracle
from tests.graph_store._graphs import FILTERS, hub_graph, random_graph


@pytest.mark.parametrize("seed", range(40))
def test_neighbourhood_equals_the_brute_force_bfs(seed: int) -> None:
    g = random_graph(seed) if seed % 4 else hub_graph(seed)
    ix = g.index()
    names = g.lookup(list(g.eid.values()))
    rng = random.Random(seed)
    for _ in range(10):
        center = rng.choice(sorted(g.nid))
        base = rng.choice(FILTERS)
        flt = EdgeFilter(base.types, rng.choice(tuple(Direction)), base.as_of, base.min_certainty)
        depth, limit = rng.randint(0, 3), rng.choice((0, 1, 5, 12, 40, 200))

        hood = neighbourhood(
            ix, g.nid[center], depth=depth, mask=ix.mask(flt), direction=flt.direction, limit=limit
        )

        expected = oracle.neighbourhood(g.edges, center, depth, flt, limit)
        assert tuple((ix.node_ids[n], d) for n, d in hood.nodes) == expected.nodes
        assert tuple(sorted(names[e] for e in hood.edges)) == expected.edges
        assert hood.truncated == expected.truncated
