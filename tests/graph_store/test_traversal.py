"""The traversal index after incremental updates answers exactly like a fresh build."""

from __future__ import annotations

import itertools
import random

import pytest

from graph_store import Edge
from graph_store._path_search import k_shortest_paths
from graph_store._traversal import TraversalIndex
from tests.graph_store._graphs import Graph, knows, random_graph


def _paths(g: Graph, ix: TraversalIndex, src: str, dst: str) -> list[tuple]:
    found = k_shortest_paths(ix, g.nid[src], g.nid[dst], max_hops=4, k=6, mask=None)
    return g.as_ids(ix, found)


@pytest.mark.parametrize("seed", range(12))
def test_incremental_updates_answer_like_a_fresh_build(seed: int) -> None:
    g = random_graph(seed)
    rng = random.Random(seed)
    ix = g.index()
    for round_ in range(4):
        # Delete some, re-point some, add some (to a new node too), as later loads would.
        removed = rng.sample(g.edges, 3)
        for e in removed:
            g.edges.remove(e)
        changed: list[Edge] = []
        for e in rng.sample(g.edges, 3):
            g.edges.remove(e)
            moved = Edge(e.id, e.type, rng.choice(sorted(g.nid)), e.dst, e.certainty, "s", "q")
            g.edges.append(moved)
            changed.append(moved)
        new_node = f"person/new{round_}"
        g.nid[new_node] = max(g.nid.values()) + 1
        for i in range(4):
            a = rng.choice(sorted(g.nid))
            b = new_node if i % 2 else rng.choice(sorted(g.nid))
            e = knows(f"knows~{a}~{b}~r{round_}{i}", a, b)
            g.eid[e.id] = max(g.eid.values()) + 1
            g.edges.append(e)
            changed.append(e)

        ix.update(
            [(g.nid[new_node], new_node)],
            [g.eid[e.id] for e in itertools.chain(removed, changed)],
            g.rows(changed),
            g.lookup,
        )

        fresh = g.index()
        for src, dst in itertools.product(sorted(g.nid)[::3], sorted(g.nid)[1::4]):
            assert _paths(g, ix, src, dst) == _paths(g, fresh, src, dst)
        assert ix.overlay_size > 0  # the updates were patched in, not rebuilt


def test_a_deleted_relationship_is_never_walked_again() -> None:
    g = Graph(
        {"person/a": 3, "person/b": 1, "person/c": 2},
        {"knows~a~b": 2, "knows~b~c": 1},
        [knows("knows~a~b", "person/a", "person/b"), knows("knows~b~c", "person/b", "person/c")],
    )
    ix = g.index()
    assert _paths(g, ix, "person/a", "person/c")

    ix.update([], [g.eid["knows~a~b"]], [], g.lookup)

    assert _paths(g, ix, "person/a", "person/c") == []
    assert ix.nbrs(g.nid["person/a"])[2:] == (0, 0)
