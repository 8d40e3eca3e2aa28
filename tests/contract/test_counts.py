"""edge_pages totals count exactly what edges_of lists; its pages are edges_of's prefixes.

A relationship page reads only its first edges (`limit_per_node`) and takes its total and far
ends from the same `edge_pages` call, so page, total and list must agree on every filter, on
self-loops and parallel edges, and the total must not stop at the cap that `edges_of` has.
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


async def _totals(store: GraphStore, ids: list[str], flt: EdgeFilter) -> dict[str, int]:
    """Each node's total from `edge_pages`, with an empty page (the total needs none)."""
    pages = await store.edge_pages(ids, flt, limit_per_node=0)
    assert all(not page.edges and not page.ends for page in pages.values())
    return {node_id: page.total for node_id, page in pages.items()}


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
        counts = await _totals(store, ids, flt)
        lists = await store.edges_of(ids, flt)
        expected = {i: len(_oracle.edges_of(graph.edges, i, flt, UNCAPPED)) for i in ids}
        assert dict(counts) == expected, flt
        assert {i: len(lists[i]) for i in ids} == expected, flt
    # Not every count is zero: the filters do select something.
    assert sum((await _totals(store, ids, EdgeFilter())).values()) > len(graph.edges)


async def test_a_self_loop_counts_once_in_every_direction(store: GraphStore) -> None:
    ann = "person/ann"
    loop = edge("KNOWS", ann, ann)
    other = edge("KNOWS", ann, "person/bob")
    await store.apply(Batch(nodes=(node(ann), node("person/bob")), edges=(loop, other)))

    for direction, wanted in ((Direction.BOTH, 2), (Direction.OUT, 2), (Direction.IN, 1)):
        flt = EdgeFilter(direction=direction)
        assert (await _totals(store, [ann], flt))[ann] == wanted, direction
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

    got = await _totals(store, ids, EdgeFilter())

    assert set(got) == set(ids)
    assert got["person/loner"] == got["person/unknown"] == 0
    assert got[graph.nodes[0].id] == len(_oracle.edges_of(graph.edges, ids[2], EdgeFilter(), 99))
    assert dict(await _totals(store, [], EdgeFilter())) == {}


async def test_the_count_is_not_cut_at_the_edge_list_cap(store: GraphStore) -> None:
    hub = "cluster/hub"
    members = [f"organisation/m{i:05d}" for i in range(MAX_EDGES_PER_NODE + 3)]
    edges = [edge("MEMBER_OF", m, hub) for m in members]
    await store.apply(Batch(nodes=(node(hub), *(node(m) for m in members)), edges=tuple(edges)))

    listed = (await store.edges_of([hub], EdgeFilter()))[hub]
    counted = await _totals(store, [hub, members[0]], EdgeFilter())

    assert len(listed) == MAX_EDGES_PER_NODE
    assert [e.src for e in listed] == members[:MAX_EDGES_PER_NODE]
    assert counted == {hub: len(members), members[0]: 1}
    assert (await _totals(store, [hub], EdgeFilter(direction=Direction.OUT)))[hub] == 0


async def test_a_page_is_the_edges_of_prefix_with_its_total_and_exactly_its_far_ends(
    store: GraphStore,
) -> None:
    graph = _graph()
    await store.apply(Batch(nodes=(*graph.nodes, node("person/loner")), edges=graph.edges))
    nodes = {n.id: n for n in graph.nodes}
    ids = [*nodes, "person/loner", "person/unknown"]

    for flt in FILTERS:
        full = await store.edges_of(ids, flt)
        for limit in (0, 1, 3):
            bare = await store.edge_pages(ids, flt, limit_per_node=limit)
            pages = await store.edge_pages(ids, flt, limit_per_node=limit, with_ends=True)
            assert set(pages) == set(bare) == set(ids)
            for i in ids:
                listed = list(full[i])[:limit]
                assert list(pages[i].edges) == list(bare[i].edges) == listed, (flt, i, limit)
                assert pages[i].total == bare[i].total == len(full[i]), (flt, i)
                assert bare[i].ends == {}
                far = {e.other(i) for e in listed}
                assert dict(pages[i].ends) == {f: nodes[f] for f in far}, (flt, i, limit)
    assert dict(await store.edge_pages([], EdgeFilter(), limit_per_node=5)) == {}
