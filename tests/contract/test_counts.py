"""count_edges_of counts exactly what edges_of lists, and edges_of's limit keeps a prefix.

A relationship page reads only its first edges (`limit_per_node`) and takes its total from
`count_edges_of`, so the two must agree on every filter, on self-loops and parallel edges, and
the count must not stop at the cap that `edges_of` has.
"""

from __future__ import annotations

from graph_store import (
    MAX_EDGES_PER_NODE,
    Batch,
    Certainty,
    Direction,
    EdgeFilter,
    GraphStore,
    PartialDate,
)
from tests.contract import _oracle
from tests.contract._build import edge, node, random_graph

UNCAPPED = 1_000_000_000

FILTERS = (
    EdgeFilter(),
    EdgeFilter(direction=Direction.OUT),
    EdgeFilter(direction=Direction.IN),
    EdgeFilter(direction=Direction.IN, min_certainty=Certainty.UNCERTAIN),
    EdgeFilter(min_certainty=Certainty.STATED),
    EdgeFilter(as_of=PartialDate.parse("2012-06")),
    EdgeFilter(as_of=PartialDate.parse("2009"), min_certainty=Certainty.INFERRED),
    EdgeFilter(as_of=PartialDate.parse("2015-02-28"), direction=Direction.OUT),
    EdgeFilter(types=frozenset({"KNOWS", "MEMBER_OF", "SIGNED", "ATTENDED"})),
    EdgeFilter(types=frozenset({"COLLABORATED_WITH", "KNOWS"}), direction=Direction.OUT),
    EdgeFilter(types=frozenset({"KNOWS"}), min_certainty=Certainty.PLANNED),
    EdgeFilter(types=frozenset()),
)


def _graph() -> Batch:
    """A random graph that has self-loops and parallel relationships (asserted, not hoped)."""
    graph = random_graph(23, nodes=20, edges=60, loops=4)
    assert any(e.src == e.dst for e in graph.edges)
    assert len({(e.src, e.dst) for e in graph.edges}) < len(graph.edges)
    return graph


async def test_count_equals_the_uncut_edge_list_for_every_node_and_filter(
    store: GraphStore,
) -> None:
    graph = _graph()
    await store.apply(graph)
    ids = [n.id for n in graph.nodes]

    for flt in FILTERS:
        counts = await store.count_edges_of(ids, flt)
        lists = await store.edges_of(ids, flt)
        expected = {i: len(_oracle.edges_of(graph.edges, i, flt, UNCAPPED)) for i in ids}
        assert dict(counts) == expected, flt
        assert {i: len(lists[i]) for i in ids} == expected, flt
    # Not every count is zero: the filters do select something.
    assert sum((await store.count_edges_of(ids, EdgeFilter())).values()) > len(graph.edges)


async def test_a_self_loop_counts_once_in_every_direction(store: GraphStore) -> None:
    ann = "person/ann"
    loop = edge("KNOWS", ann, ann)
    other = edge("KNOWS", ann, "person/bob")
    await store.apply(Batch(nodes=(node(ann), node("person/bob")), edges=(loop, other)))

    for direction, wanted in ((Direction.BOTH, 2), (Direction.OUT, 2), (Direction.IN, 1)):
        flt = EdgeFilter(direction=direction)
        assert (await store.count_edges_of([ann], flt))[ann] == wanted, direction
        assert len((await store.edges_of([ann], flt))[ann]) == wanted, direction


async def test_edges_of_with_a_limit_is_the_prefix_of_the_full_list(store: GraphStore) -> None:
    graph = _graph()
    await store.apply(graph)
    ids = [n.id for n in graph.nodes]

    for flt in FILTERS[:-1]:
        full = await store.edges_of(ids, flt)
        longest = max(len(v) for v in full.values())
        assert longest >= 2, flt  # so some limit cuts a list
        for limit in range(longest + 2):
            cut = await store.edges_of(ids, flt, limit_per_node=limit)
            assert set(cut) == set(ids)
            for i in ids:
                assert list(cut[i]) == list(full[i])[:limit], (flt, i, limit)


async def test_unknown_and_isolated_nodes_count_zero_and_every_id_is_a_key(
    store: GraphStore,
) -> None:
    graph = _graph()
    await store.apply(Batch(nodes=(*graph.nodes, node("person/loner")), edges=graph.edges))
    ids = ["person/loner", "person/unknown", graph.nodes[0].id, graph.nodes[0].id]

    got = await store.count_edges_of(ids, EdgeFilter())

    assert set(got) == set(ids)
    assert got["person/loner"] == got["person/unknown"] == 0
    assert got[graph.nodes[0].id] == len(_oracle.edges_of(graph.edges, ids[2], EdgeFilter(), 99))
    assert dict(await store.count_edges_of([], EdgeFilter())) == {}


async def test_the_count_is_not_cut_at_the_edge_list_cap(store: GraphStore) -> None:
    hub = "cluster/hub"
    members = [f"organisation/m{i:05d}" for i in range(MAX_EDGES_PER_NODE + 3)]
    edges = [edge("MEMBER_OF", m, hub) for m in members]
    await store.apply(Batch(nodes=(node(hub), *(node(m) for m in members)), edges=tuple(edges)))

    listed = (await store.edges_of([hub], EdgeFilter()))[hub]
    counted = await store.count_edges_of([hub, members[0]], EdgeFilter())

    assert len(listed) == MAX_EDGES_PER_NODE
    assert [e.src for e in listed] == members[:MAX_EDGES_PER_NODE]
    assert counted == {hub: len(members), members[0]: 1}
    assert (await store.count_edges_of([hub], EdgeFilter(direction=Direction.OUT)))[hub] == 0
