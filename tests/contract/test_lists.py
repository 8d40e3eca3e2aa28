"""list_nodes: id order, kind and property filters, date ranges, keyset pagination."""

from __future__ import annotations

from graph_store import Batch, GraphStore, Node, NodeKind, NodeQuery, Page, PartialDate
from tests.contract import _oracle
from tests.contract._build import node, random_graph

LISTED = Batch(
    nodes=(
        node("agreement/a1", "MoU 2011", date="2011", status="signed"),
        node("agreement/a2", "Oslo MoU", date="2011-10-26", status="Signed"),
        node("agreement/a3", "Lyon MoU", date="2012-03", status="planned"),
        node("agreement/a4", "Undated MoU", status="signed"),
        node("agreement/a5", "Aarhus MoU", date="2010-12"),
        node("cluster/oreec", "OREEC", country="Norway", city="Oslo"),
        node("cluster/norway-east", "Norway East", country="Norway East"),
        node("cluster/cleantech-scandinavia", "Cleantech Scandinavia", country="norway"),
        node("organisation/rise", "RISE", country="Sweden", sector="research"),
        node("person/ann", "Ann", country="Norway"),
    )
)


def _ids(page: Page[Node]) -> list[str]:
    return [n.id for n in page.items]


async def test_nodes_are_listed_in_id_order_filtered_by_kind(store: GraphStore) -> None:
    await store.apply(LISTED)

    agreements = await store.list_nodes(NodeQuery(kind=NodeKind.AGREEMENT), first=10, after=None)
    everything = await store.list_nodes(NodeQuery(), first=100, after=None)

    assert _ids(agreements) == [f"agreement/a{i}" for i in range(1, 6)]
    assert (agreements.total, agreements.has_next) == (5, False)
    assert _ids(everything) == sorted(n.id for n in LISTED.nodes)
    assert everything.items[5] == next(n for n in LISTED.nodes if n.id == everything.items[5].id)


async def test_where_is_case_insensitive_equality_on_properties(store: GraphStore) -> None:
    await store.apply(LISTED)

    norway = await store.list_nodes(
        NodeQuery(kind=NodeKind.CLUSTER, where={"country": "NORWAY"}), first=10, after=None
    )
    anywhere = await store.list_nodes(NodeQuery(where={"country": "norway"}), first=10, after=None)
    both = await store.list_nodes(
        NodeQuery(where={"country": "norway", "city": "oslo"}), first=10, after=None
    )
    signed = await store.list_nodes(
        NodeQuery(kind=NodeKind.AGREEMENT, where={"status": "signed"}), first=10, after=None
    )

    assert _ids(norway) == ["cluster/cleantech-scandinavia", "cluster/oreec"]
    assert _ids(anywhere) == ["cluster/cleantech-scandinavia", "cluster/oreec", "person/ann"]
    assert _ids(both) == ["cluster/oreec"]
    assert _ids(signed) == ["agreement/a1", "agreement/a2", "agreement/a4"]


async def test_date_range_keeps_overlapping_dates_and_drops_undated_nodes(
    store: GraphStore,
) -> None:
    await store.apply(LISTED)

    async def between(start: str | None, end: str | None) -> list[str]:
        query = NodeQuery(
            kind=NodeKind.AGREEMENT,
            date_from=PartialDate.parse(start) if start else None,
            date_to=PartialDate.parse(end) if end else None,
        )
        return _ids(await store.list_nodes(query, first=10, after=None))

    assert await between("2011-10", "2011-12") == ["agreement/a1", "agreement/a2"]
    assert await between("2011-10-27", None) == ["agreement/a1", "agreement/a3"]
    assert await between(None, "2010") == ["agreement/a5"]
    assert await between("2010-12-31", "2011-01-01") == ["agreement/a1", "agreement/a5"]
    assert await between("2013", None) == []


async def test_keyset_pages_walk_the_whole_list_without_duplicates(store: GraphStore) -> None:
    graph = random_graph(9, nodes=40, edges=5)
    await store.apply(graph)
    walked: list[str] = []
    after: str | None = None

    for _ in range(100):
        page = await store.list_nodes(NodeQuery(), first=7, after=after)
        assert page.total == len(graph.nodes)
        assert len(page.items) <= 7
        walked += _ids(page)
        if not page.has_next:
            break
        after = page.items[-1].id

    assert walked == sorted(n.id for n in graph.nodes)


async def test_after_is_exclusive_and_total_ignores_it(store: GraphStore) -> None:
    await store.apply(LISTED)

    page = await store.list_nodes(NodeQuery(kind=NodeKind.AGREEMENT), first=2, after="agreement/a2")
    between_ids = await store.list_nodes(
        NodeQuery(kind=NodeKind.AGREEMENT), first=10, after="agreement/a25"
    )
    last = await store.list_nodes(NodeQuery(kind=NodeKind.AGREEMENT), first=2, after="agreement/a4")

    assert (_ids(page), page.has_next, page.total) == (["agreement/a3", "agreement/a4"], True, 5)
    assert _ids(between_ids) == ["agreement/a3", "agreement/a4", "agreement/a5"]
    assert (_ids(last), last.has_next, last.total) == (["agreement/a5"], False, 5)


async def test_list_nodes_matches_a_reference_filter_on_a_random_graph(store: GraphStore) -> None:
    graph = random_graph(13, nodes=45, edges=5)
    await store.apply(graph)
    queries = [
        NodeQuery(kind=NodeKind.PERSON),
        NodeQuery(where={"country": "DENMARK"}),
        NodeQuery(kind=NodeKind.ORGANISATION, where={"country": "norway", "city": "oslo"}),
        NodeQuery(kind=NodeKind.AGREEMENT, where={"status": "signed"}),
        NodeQuery(date_from=PartialDate.parse("2010-06"), date_to=PartialDate.parse("2015")),
        NodeQuery(kind=NodeKind.EVENT, date_to=PartialDate.parse("2012-02-29")),
        NodeQuery(where={"status": "SIGNED"}, date_from=PartialDate.parse("2011")),
    ]

    for query in queries:
        expected = _oracle.list_nodes(graph.nodes, query)
        everything = await store.list_nodes(query, first=100, after=None)
        assert _ids(everything) == expected, query
        assert everything.total == len(expected)
        if len(expected) > 2:
            second = await store.list_nodes(query, first=2, after=expected[0])
            assert (_ids(second), second.has_next) == (expected[1:3], len(expected) > 3)
