"""edges_of applies EdgeFilter exactly: as-of with partial dates, certainty, type, direction."""

from __future__ import annotations

from dataclasses import replace

from graph_store import Batch, Certainty, Direction, EdgeFilter, GraphStore, PartialDate
from tests.contract import _oracle
from tests.contract._build import edge, node, random_graph

ANN = "person/ann"
PEOPLE = ("person/ann", "person/abe", "person/ana", "person/bob", "person/carl")
OREEC = "cluster/oreec"
SINCE_OCT = edge("KNOWS", ANN, "person/bob", since="2011-10")
UNTIL_2011 = edge("WORKS_FOR", ANN, OREEC, until="2011")
UNDATED = edge("MEMBER_OF", ANN, OREEC)
INFERRED = edge("COLLABORATED_WITH", ANN, "person/abe", certainty=Certainty.INFERRED, note="n")
UNCERTAIN = edge("COLLABORATED_WITH", ANN, "person/ana", certainty=Certainty.UNCERTAIN, note="n")
PLANNED = edge("COLLABORATED_WITH", ANN, "person/carl", certainty=Certainty.PLANNED)
FROM_ANA = edge("KNOWS", "person/ana", ANN)
TO_ABE = edge("KNOWS", ANN, "person/abe")
GRAPH = Batch(
    nodes=(*(node(p) for p in PEOPLE), node(OREEC, "OREEC")),
    edges=(SINCE_OCT, UNTIL_2011, UNDATED, INFERRED, UNCERTAIN, PLANNED, FROM_ANA, TO_ABE),
)


async def _ids(store: GraphStore, flt: EdgeFilter, node_id: str = ANN) -> list[str]:
    return [e.id for e in (await store.edges_of([node_id], flt))[node_id]]


def _as_of(text: str) -> EdgeFilter:
    return EdgeFilter(as_of=PartialDate.parse(text))


async def test_since_a_month_counts_from_within_that_month_not_before(store: GraphStore) -> None:
    await store.apply(GRAPH)

    assert SINCE_OCT.id in await _ids(store, _as_of("2011-10-15"))
    assert SINCE_OCT.id in await _ids(store, _as_of("2011-10"))
    assert SINCE_OCT.id in await _ids(store, _as_of("2011"))
    assert SINCE_OCT.id not in await _ids(store, _as_of("2011-09-30"))
    assert SINCE_OCT.id not in await _ids(store, _as_of("2011-09"))


async def test_until_a_year_counts_through_its_last_day_not_after(store: GraphStore) -> None:
    await store.apply(GRAPH)

    assert UNTIL_2011.id in await _ids(store, _as_of("2011-12-31"))
    assert UNTIL_2011.id in await _ids(store, _as_of("2011-01-01"))
    assert UNTIL_2011.id not in await _ids(store, _as_of("2012-01-01"))
    assert UNTIL_2011.id not in await _ids(store, _as_of("2012"))


async def test_undated_relationships_count_at_any_date(store: GraphStore) -> None:
    await store.apply(GRAPH)

    for when in ("1900", "2011-10-15", "2099-12-31"):
        assert UNDATED.id in await _ids(store, _as_of(when))


async def test_min_certainty_keeps_that_level_and_more_certain_ones(store: GraphStore) -> None:
    await store.apply(GRAPH)
    collab = frozenset({"COLLABORATED_WITH"})

    found = {
        level: set(await _ids(store, EdgeFilter(types=collab, min_certainty=level)))
        for level in Certainty
    }

    assert found[Certainty.STATED] == set()
    assert found[Certainty.INFERRED] == {INFERRED.id}
    assert found[Certainty.UNCERTAIN] == {INFERRED.id, UNCERTAIN.id}
    assert found[Certainty.PLANNED] == {INFERRED.id, UNCERTAIN.id, PLANNED.id}


async def test_type_filter_keeps_only_the_listed_types(store: GraphStore) -> None:
    await store.apply(GRAPH)

    knows = await _ids(store, EdgeFilter(types=frozenset({"KNOWS"})))
    two = await _ids(store, EdgeFilter(types=frozenset({"WORKS_FOR", "MEMBER_OF"})))
    none = await _ids(store, EdgeFilter(types=frozenset()))

    assert set(knows) == {SINCE_OCT.id, FROM_ANA.id, TO_ABE.id}
    assert set(two) == {UNTIL_2011.id, UNDATED.id}
    assert none == []


async def test_direction_selects_outgoing_incoming_or_both(store: GraphStore) -> None:
    await store.apply(GRAPH)
    knows = frozenset({"KNOWS"})

    out = await _ids(store, EdgeFilter(types=knows, direction=Direction.OUT))
    into = await _ids(store, EdgeFilter(types=knows, direction=Direction.IN))
    both = await _ids(store, EdgeFilter(types=knows, direction=Direction.BOTH))
    into_bob = await _ids(store, EdgeFilter(direction=Direction.IN), "person/bob")

    assert set(out) == {SINCE_OCT.id, TO_ABE.id}
    assert into == [FROM_ANA.id]
    assert set(both) == set(out) | set(into)
    assert into_bob == [SINCE_OCT.id]


async def test_edges_of_orders_by_type_then_other_endpoint_then_edge_id(store: GraphStore) -> None:
    second_to_abe = edge("KNOWS", ANN, "person/abe", key="again")
    await store.apply(Batch(nodes=GRAPH.nodes, edges=(*GRAPH.edges, second_to_abe)))

    got = await _ids(store, EdgeFilter())

    # person/abe sorts before person/ana although the edge from ana has the smaller edge id.
    assert got == [
        INFERRED.id,
        UNCERTAIN.id,
        PLANNED.id,
        TO_ABE.id,
        second_to_abe.id,
        FROM_ANA.id,
        SINCE_OCT.id,
        UNDATED.id,
        UNTIL_2011.id,
    ]


async def test_limit_per_node_keeps_the_first_edges_in_canonical_order(store: GraphStore) -> None:
    await store.apply(GRAPH)

    full = await store.edges_of([ANN, OREEC], EdgeFilter())
    cut = await store.edges_of([ANN, OREEC], EdgeFilter(), limit_per_node=2)

    assert [e.id for e in cut[ANN]] == [e.id for e in full[ANN]][:2]
    assert [e.id for e in cut[OREEC]] == [e.id for e in full[OREEC]][:2]
    assert len(full[ANN]) == 8


async def test_every_requested_id_is_a_key_even_without_edges(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(*GRAPH.nodes, node("person/loner")), edges=GRAPH.edges))

    got = await store.edges_of([ANN, "person/loner", "person/unknown"], EdgeFilter())

    assert set(got) == {ANN, "person/loner", "person/unknown"}
    assert list(got["person/loner"]) == list(got["person/unknown"]) == []
    assert all(e == next(x for x in GRAPH.edges if x.id == e.id) for e in got[ANN])


async def test_edges_of_matches_a_reference_for_many_filters_on_a_random_graph(
    store: GraphStore,
) -> None:
    graph = random_graph(11, nodes=18, edges=40, loops=2)
    await store.apply(graph)
    ids = [n.id for n in graph.nodes]
    filters = [
        EdgeFilter(),
        EdgeFilter(direction=Direction.OUT),
        EdgeFilter(direction=Direction.IN, min_certainty=Certainty.UNCERTAIN),
        EdgeFilter(as_of=PartialDate.parse("2012-06")),
        EdgeFilter(as_of=PartialDate.parse("2009"), min_certainty=Certainty.INFERRED),
        EdgeFilter(types=frozenset({"KNOWS", "MEMBER_OF", "SIGNED", "ATTENDED"})),
        EdgeFilter(types=frozenset({"COLLABORATED_WITH"}), direction=Direction.OUT),
    ]

    for flt in filters:
        got = await store.edges_of(ids, flt, limit_per_node=4)
        expected = {i: _oracle.edges_of(graph.edges, i, flt, 4) for i in ids}
        assert {i: [e.id for e in got[i]] for i in ids} == expected, flt


async def test_edges_of_follows_later_writes_that_add_change_and_delete_relationships(
    store: GraphStore,
) -> None:
    """Pages after small writes: the embedded store answers them from patched index lists."""
    graph = random_graph(31, nodes=18, edges=50, loops=3)
    first, rest = graph.edges[:35], graph.edges[35:]
    await store.apply(Batch(nodes=graph.nodes, edges=first))
    changed = tuple(replace(e, until=None, since=None) for e in first[:6])
    deleted = tuple(e.id for e in first[6:12])
    await store.apply(Batch(edges=(*rest, *changed), delete_edges=deleted))
    final = {e.id: e for e in graph.edges if e.id not in deleted} | {e.id: e for e in changed}
    ids = [n.id for n in graph.nodes]

    for flt in (
        EdgeFilter(),
        EdgeFilter(direction=Direction.IN),
        EdgeFilter(as_of=PartialDate.parse("2010")),
        EdgeFilter(min_certainty=Certainty.INFERRED, direction=Direction.OUT),
    ):
        got = await store.edges_of(ids, flt, limit_per_node=5)
        pages = await store.edge_pages(ids, flt, limit_per_node=5)
        counts = {i: page.total for i, page in pages.items()}
        expected = {i: _oracle.edges_of(final.values(), i, flt, 5) for i in ids}
        assert {i: [e.id for e in got[i]] for i in ids} == expected, flt
        assert {i: [e.id for e in pages[i].edges] for i in ids} == expected, flt
        assert dict(counts) == {
            i: len(_oracle.edges_of(final.values(), i, flt, 10**9)) for i in ids
        }, flt
