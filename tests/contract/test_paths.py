"""k shortest simple paths, checked against a brute-force enumeration of every simple path."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import pytest

from graph_store import (
    MAX_HOPS,
    MAX_PATHS,
    Batch,
    Certainty,
    Edge,
    EdgeFilter,
    GraphStore,
    LimitExceeded,
    NotFound,
    PartialDate,
    Path,
    PathQuery,
)
from tests.contract import _oracle
from tests.contract._build import edge, node, random_graph

A, B, C, D, E = (f"person/{x}" for x in "abcde")
DIAMOND = Batch(
    nodes=tuple(node(p) for p in (A, B, C, D, E)),
    edges=(
        edge("KNOWS", A, B),
        edge("KNOWS", A, B, key="twice", since="2014"),  # parallel to a-b
        edge("KNOWS", B, D, certainty=Certainty.PLANNED),
        edge("COLLABORATED_WITH", A, C, until="2010"),
        edge("KNOWS", D, C),  # walked backwards on a -> d
        edge("KNOWS", D, E),
        edge("KNOWS", C, E, since="2012-05"),
        edge("KNOWS", A, A, key="self"),  # a self-loop never lies on a path
    ),
)


def _keys(found: Sequence[Path]) -> list[_oracle.PathKey]:
    return [
        (
            tuple(n.id for n in p.nodes),
            tuple(s.edge.id for s in p.steps),
            tuple(s.forward for s in p.steps),
        )
        for p in found
    ]


async def _assert_matches_brute_force(
    store: GraphStore, edges: Sequence[Edge], src: str, dst: str, query: PathQuery
) -> list[_oracle.PathKey]:
    expected = _oracle.paths(edges, src, dst, query)
    got = _keys(await store.paths(src, dst, query))
    assert got == expected, (src, dst, query)
    return got


async def test_paths_match_brute_force_for_every_pair_of_a_small_cyclic_graph(
    store: GraphStore,
) -> None:
    await store.apply(DIAMOND)
    queries = [PathQuery(max_hops=h, k=k) for h, k in ((1, 3), (2, 20), (4, 20))]

    for src, dst in itertools.permutations([A, B, C, D, E], 2):
        for query in queries:
            await _assert_matches_brute_force(store, DIAMOND.edges, src, dst, query)


async def test_parallel_relationships_give_distinct_paths(store: GraphStore) -> None:
    await store.apply(DIAMOND)

    got = _keys(await store.paths(A, D, PathQuery(max_hops=2, k=MAX_PATHS)))

    assert [p[0] for p in got] == [(A, B, D), (A, B, D), (A, C, D)]
    assert got[0][1] == ("knows~person/a~person/b", "knows~person/b~person/d")
    assert got[1][1] == ("knows~person/a~person/b~twice", "knows~person/b~person/d")


async def test_steps_carry_the_full_records_and_the_walking_direction(store: GraphStore) -> None:
    await store.apply(DIAMOND)

    (path,) = await store.paths(A, D, PathQuery(max_hops=2, k=3, avoid=frozenset({B})))

    stored_nodes = await store.get_nodes([A, C, D])
    assert path.nodes == (stored_nodes[A], stored_nodes[C], stored_nodes[D])
    assert path.length == 2
    assert [s.edge for s in path.steps] == [DIAMOND.edges[3], DIAMOND.edges[4]]
    assert [s.forward for s in path.steps] == [True, False]


async def test_paths_match_brute_force_on_seeded_random_graphs(store: GraphStore) -> None:
    as_of = PartialDate.parse("2013-04")
    for seed in (1, 5, 8):
        graph = random_graph(seed)
        await store.clear()
        await store.apply(graph)
        ids = sorted(n.id for n in graph.nodes)
        rng = random.Random(seed)
        for src, dst in rng.sample(list(itertools.permutations(ids, 2)), 6):
            middle = [i for i in ids if i not in (src, dst)]
            queries = [
                PathQuery(max_hops=5, k=MAX_PATHS),
                PathQuery(max_hops=4, k=5, avoid=frozenset(rng.sample(middle, 2))),
                PathQuery(
                    max_hops=MAX_HOPS,
                    k=4,
                    filter=EdgeFilter(as_of=as_of, min_certainty=Certainty.UNCERTAIN),
                ),
            ]
            for query in queries:
                await _assert_matches_brute_force(store, graph.edges, src, dst, query)


async def test_avoided_nodes_never_appear_inside_a_path(store: GraphStore) -> None:
    await store.apply(DIAMOND)
    query = PathQuery(max_hops=4, k=MAX_PATHS, avoid=frozenset({B, E}))

    got = await _assert_matches_brute_force(store, DIAMOND.edges, A, D, query)

    assert got and all(B not in nodes and E not in nodes for nodes, _, _ in got)


async def test_avoiding_the_endpoints_themselves_is_ignored(store: GraphStore) -> None:
    await store.apply(DIAMOND)
    plain = await store.paths(A, D, PathQuery(max_hops=3, k=10))

    avoiding = await store.paths(A, D, PathQuery(max_hops=3, k=10, avoid=frozenset({A, D})))

    assert _keys(avoiding) == _keys(plain) != []


async def test_hop_cap_excludes_longer_paths(store: GraphStore) -> None:
    chain = Batch(
        nodes=tuple(node(f"person/p{i}") for i in range(7)),
        edges=tuple(edge("KNOWS", f"person/p{i}", f"person/p{i + 1}") for i in range(6)),
    )
    await store.apply(chain)

    assert await store.paths("person/p0", "person/p3", PathQuery(max_hops=2)) == []
    assert len(await store.paths("person/p0", "person/p3", PathQuery(max_hops=3))) == 1
    longest = await store.paths("person/p0", "person/p6", PathQuery(max_hops=MAX_HOPS))
    assert [p.length for p in longest] == [MAX_HOPS]


async def test_fewer_paths_requested_is_a_prefix_of_more(store: GraphStore) -> None:
    await store.apply(DIAMOND)

    many = _keys(await store.paths(A, E, PathQuery(max_hops=4, k=MAX_PATHS)))
    for k in (1, 2, 3):
        assert _keys(await store.paths(A, E, PathQuery(max_hops=4, k=k))) == many[:k]
    assert len(many) > 3


async def test_filters_apply_to_every_hop_of_a_path(store: GraphStore) -> None:
    await store.apply(DIAMOND)
    queries = {
        "stated only": EdgeFilter(min_certainty=Certainty.STATED),
        "as of 2011": EdgeFilter(as_of=PartialDate.parse("2011")),
        "as of 2015": EdgeFilter(as_of=PartialDate.parse("2015-01-01")),
        "knows only": EdgeFilter(types=frozenset({"KNOWS"})),
    }

    for name, flt in queries.items():
        query = PathQuery(max_hops=4, k=MAX_PATHS, filter=flt)
        got = await _assert_matches_brute_force(store, DIAMOND.edges, A, E, query)
        edges = {e.id: e for e in DIAMOND.edges}
        assert all(flt.accepts(edges[i]) for _, ids, _ in got for i in ids), name
    planned = "knows~person/b~person/d"
    stated = await store.paths(A, E, PathQuery(k=MAX_PATHS, filter=queries["stated only"]))
    assert stated and all(planned not in [s.edge.id for s in p.steps] for p in stated)


async def test_self_loops_and_unconnected_pairs_give_no_paths(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(*DIAMOND.nodes, node("person/island")), edges=DIAMOND.edges))

    assert await store.paths(A, A, PathQuery()) == []
    assert await store.paths(A, "person/island", PathQuery(max_hops=MAX_HOPS)) == []


async def test_unknown_endpoints_raise_not_found(store: GraphStore) -> None:
    await store.apply(DIAMOND)

    for src, dst in ((A, "person/ghost"), ("person/ghost", A), ("person/ghost", "person/ghost")):
        with pytest.raises(NotFound) as info:
            await store.paths(src, dst, PathQuery())
        assert info.value.code == "NOT_FOUND"
        assert "ghost" in str(info.value)


async def test_hop_and_path_caps_raise_limit_exceeded(store: GraphStore) -> None:
    await store.apply(DIAMOND)

    for query in (
        PathQuery(max_hops=MAX_HOPS + 1),
        PathQuery(k=MAX_PATHS + 1),
        PathQuery(k=0),
    ):
        with pytest.raises(LimitExceeded) as info:
            await store.paths(A, D, query)
        assert info.value.code == "LIMIT_EXCEEDED"


async def test_warming_builds_ahead_and_changes_no_answer(store: GraphStore) -> None:
    await store.warm()  # an empty store: nothing to build, nothing to fail
    await store.apply(DIAMOND)
    await store.warm()
    work = _index_work(store)

    await _assert_matches_brute_force(store, DIAMOND.edges, A, E, PathQuery(max_hops=4, k=20))
    await store.warm()  # up to date: nothing more to do
    assert _index_work(store) == work  # the walk found the index ready
    if store.backend == "sqlite":
        assert work == 2  # built for the empty store, brought up to date after the load


def _index_work(store: GraphStore) -> int:
    """Builds and updates of the embedded store's traversal index (Neo4j keeps none: 0)."""
    graph = getattr(store, "_graph", None)
    return graph.keeper.builds + graph.keeper.refreshes if graph is not None else 0
