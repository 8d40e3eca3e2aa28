"""neighbourhood: BFS by (depth, id), limit and truncation, direction, edges among kept nodes."""

from __future__ import annotations

import pytest

from graph_store import (
    MAX_DEPTH,
    Batch,
    Certainty,
    Direction,
    EdgeFilter,
    GraphStore,
    LimitExceeded,
    NotFound,
    PartialDate,
    Subgraph,
)
from tests.contract import _oracle
from tests.contract._build import edge, node, random_graph

CENTER = "person/m-center"
OUT_1, OUT_2, IN_1 = "person/o1", "person/o2", "person/i1"
OUT_3, IN_2, FAR = "person/o3", "person/i2", "person/z-far"
STAR = Batch(
    nodes=tuple(node(p) for p in (CENTER, OUT_1, OUT_2, IN_1, OUT_3, IN_2, FAR)),
    edges=(
        edge("KNOWS", CENTER, OUT_1),
        edge("KNOWS", CENTER, OUT_2, certainty=Certainty.PLANNED),
        edge("KNOWS", IN_1, CENTER, until="2010"),
        edge("KNOWS", OUT_2, OUT_1),  # between two depth-1 nodes
        edge("KNOWS", OUT_1, OUT_3),
        edge("KNOWS", IN_2, IN_1),
        edge("KNOWS", OUT_3, FAR),
        edge("KNOWS", OUT_3, CENTER, key="back"),  # makes o3 reachable IN at depth 1
    ),
)


def _shape(sub: Subgraph) -> tuple[list[tuple[str, int]], list[str], bool]:
    return ([(n.id, sub.depths[n.id]) for n in sub.nodes], [e.id for e in sub.edges], sub.truncated)


async def test_nodes_come_in_depth_then_id_order_with_their_depths(store: GraphStore) -> None:
    await store.apply(STAR)

    sub = await store.neighbourhood(CENTER, depth=2, flt=EdgeFilter(), limit=100)

    nodes, _, truncated = _shape(sub)
    assert nodes == [
        (CENTER, 0),
        (IN_1, 1),
        (OUT_1, 1),
        (OUT_2, 1),
        (OUT_3, 1),
        (IN_2, 2),
        (FAR, 2),
    ]
    assert not truncated
    assert set(sub.depths) == {n for n, _ in nodes}
    assert sub.nodes[1] == (await store.get_nodes([IN_1]))[IN_1]


async def test_depth_bounds_how_far_the_walk_goes(store: GraphStore) -> None:
    await store.apply(STAR)

    one = await store.neighbourhood(CENTER, depth=1, flt=EdgeFilter(), limit=100)
    chain = await store.neighbourhood(IN_2, depth=MAX_DEPTH, flt=EdgeFilter(), limit=100)

    assert [n.id for n in one.nodes] == [CENTER, IN_1, OUT_1, OUT_2, OUT_3]
    assert chain.depths == {IN_2: 0, IN_1: 1, CENTER: 2, OUT_1: 3, OUT_2: 3, OUT_3: 3}


async def test_limit_keeps_the_first_nodes_and_reports_truncation(store: GraphStore) -> None:
    await store.apply(STAR)

    cut = await store.neighbourhood(CENTER, depth=2, flt=EdgeFilter(), limit=3)
    exact = await store.neighbourhood(CENTER, depth=1, flt=EdgeFilter(), limit=5)

    assert _shape(cut) == (
        [(CENTER, 0), (IN_1, 1), (OUT_1, 1)],
        sorted(e.id for e in STAR.edges[:3:2]),
        True,
    )
    assert not exact.truncated and len(exact.nodes) == 5


async def test_direction_limits_the_walk_but_not_the_edges_among_kept_nodes(
    store: GraphStore,
) -> None:
    await store.apply(STAR)

    out = await store.neighbourhood(
        CENTER, depth=1, flt=EdgeFilter(direction=Direction.OUT), limit=100
    )
    into = await store.neighbourhood(
        CENTER, depth=2, flt=EdgeFilter(direction=Direction.IN), limit=100
    )

    assert [n.id for n in out.nodes] == [CENTER, OUT_1, OUT_2]
    # o2 -> o1 runs between two kept nodes, so it is listed though the walk only went out.
    assert [e.id for e in out.edges] == sorted(
        e.id for e in (STAR.edges[0], STAR.edges[1], STAR.edges[3])
    )
    assert into.depths == {CENTER: 0, IN_1: 1, OUT_3: 1, IN_2: 2, OUT_1: 2}


async def test_edges_are_the_accepted_edges_among_kept_nodes_sorted_by_id(
    store: GraphStore,
) -> None:
    await store.apply(STAR)

    sub = await store.neighbourhood(CENTER, depth=1, flt=EdgeFilter(), limit=100)

    kept = {n.id for n in sub.nodes}
    expected = sorted(e.id for e in STAR.edges if e.src in kept and e.dst in kept)
    assert [e.id for e in sub.edges] == expected
    assert list(sub.edges) == sorted(sub.edges, key=lambda e: e.id)
    assert STAR.edges[6].id not in expected  # o3 -> far: far is not kept


async def test_filters_restrict_both_the_walk_and_the_edges(store: GraphStore) -> None:
    await store.apply(STAR)
    flt = EdgeFilter(as_of=PartialDate.parse("2015"), min_certainty=Certainty.STATED)

    sub = await store.neighbourhood(CENTER, depth=1, flt=flt, limit=100)

    assert [n.id for n in sub.nodes] == [CENTER, OUT_1, OUT_3]
    assert {e.id for e in sub.edges} == {STAR.edges[0].id, STAR.edges[4].id, STAR.edges[7].id}


async def test_unknown_center_raises_not_found(store: GraphStore) -> None:
    await store.apply(STAR)

    with pytest.raises(NotFound) as info:
        await store.neighbourhood("person/ghost", depth=1, flt=EdgeFilter(), limit=10)
    assert info.value.code == "NOT_FOUND"


async def test_depth_past_the_cap_raises_limit_exceeded(store: GraphStore) -> None:
    await store.apply(STAR)

    with pytest.raises(LimitExceeded) as info:
        await store.neighbourhood(CENTER, depth=MAX_DEPTH + 1, flt=EdgeFilter(), limit=10)
    assert info.value.code == "LIMIT_EXCEEDED"


async def test_neighbourhood_matches_a_reference_bfs_on_a_random_graph(store: GraphStore) -> None:
    graph = random_graph(21, nodes=20, edges=36, loops=2)
    await store.apply(graph)
    cases = [
        (1, EdgeFilter(), 100),
        (2, EdgeFilter(direction=Direction.OUT), 100),
        (2, EdgeFilter(direction=Direction.IN, min_certainty=Certainty.UNCERTAIN), 100),
        (3, EdgeFilter(as_of=PartialDate.parse("2014-02")), 6),
        (3, EdgeFilter(types=frozenset({"KNOWS", "MEMBER_OF", "WORKS_FOR"})), 100),
        (2, EdgeFilter(), 4),
    ]

    for center in sorted(n.id for n in graph.nodes)[::3]:
        for depth, flt, limit in cases:
            sub = await store.neighbourhood(center, depth=depth, flt=flt, limit=limit)
            ref = _oracle.neighbourhood(graph.edges, center, depth, flt, limit)
            assert _shape(sub) == (list(ref.nodes), list(ref.edges), ref.truncated), (
                center,
                depth,
                flt,
                limit,
            )
