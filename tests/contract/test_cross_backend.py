"""Both backends, fed the same seeded random graph, give identical answers to the same queries."""

from __future__ import annotations

import itertools
import random

import pytest
import pytest_asyncio

from graph_store import (
    MAX_PATHS,
    Batch,
    Certainty,
    Direction,
    EdgeFilter,
    GraphStore,
    InvalidRecord,
    NodeKind,
    NodeQuery,
    PartialDate,
    PathQuery,
)
from tests.contract._build import bad_date, edge, node, prov, random_graph

GRAPH = random_graph(77, nodes=30, edges=60, loops=2)
IDS = sorted(n.id for n in GRAPH.nodes)
FILTERS = (
    EdgeFilter(),
    EdgeFilter(min_certainty=Certainty.INFERRED),
    EdgeFilter(as_of=PartialDate.parse("2012-07")),
    EdgeFilter(as_of=PartialDate.parse("2016"), min_certainty=Certainty.UNCERTAIN),
    EdgeFilter(types=frozenset({"KNOWS", "MEMBER_OF", "WORKS_FOR", "COLLABORATED_WITH"})),
    EdgeFilter(direction=Direction.OUT),
    EdgeFilter(direction=Direction.IN, as_of=PartialDate.parse("2010-03-15")),
)

Pair = tuple[GraphStore, GraphStore]


@pytest_asyncio.fixture(loop_scope="session")
async def pair(sqlite_store: GraphStore, neo4j_store: GraphStore) -> Pair:
    """An embedded and a Neo4j store holding the same graph."""
    for store in (sqlite_store, neo4j_store):
        await store.apply(GRAPH)
    return sqlite_store, neo4j_store


async def test_both_backends_report_the_same_diffs_and_stats(
    sqlite_store: GraphStore, neo4j_store: GraphStore
) -> None:
    changed = Batch(
        nodes=(*GRAPH.nodes[1:], node(GRAPH.nodes[0].id, "Renamed", provenance=prov("b2"))),
        edges=GRAPH.edges[5:],
        delete_edges=tuple(e.id for e in GRAPH.edges[:3]),
    )
    answers = []
    for store in (sqlite_store, neo4j_store):
        first = await store.apply(GRAPH)
        planned = await store.plan(changed)
        second = await store.apply(changed)
        stats = await store.stats()
        answers.append(
            (
                sorted(first.changes, key=lambda c: (c.record, c.id)),
                sorted(planned.changes, key=lambda c: (c.record, c.id)),
                sorted(second.changes, key=lambda c: (c.record, c.id)),
                (second.unchanged_nodes, second.unchanged_edges),
                dict(stats.nodes_by_kind),
                dict(stats.edges_by_type),
                stats.last_loaded_at,
            )
        )

    assert answers[0] == answers[1]
    assert answers[0][2]  # the second batch really changed something


async def test_both_backends_return_the_same_records(pair: Pair) -> None:
    edge_ids = [e.id for e in GRAPH.edges] + ["knows~person/none~person/nobody"]

    nodes = [await s.get_nodes([*IDS, "person/nobody"]) for s in pair]
    edges = [await s.get_edges(edge_ids) for s in pair]

    assert nodes[0] == nodes[1]
    assert {k: v.provenance for k, v in nodes[0].items()} == {
        k: v.provenance for k, v in nodes[1].items()
    }
    assert edges[0] == edges[1]
    assert len(edges[0]) == len(GRAPH.edges)


async def test_both_backends_find_the_same_paths(pair: Pair) -> None:
    rng = random.Random(77)
    pairs = rng.sample(list(itertools.permutations(IDS, 2)), 10)
    asked = 0

    for (src, dst), flt in itertools.product(pairs, FILTERS[:4]):
        middle = [i for i in IDS if i not in (src, dst)]
        query = PathQuery(
            max_hops=rng.choice((2, 3, 4)),
            k=rng.choice((1, 3, MAX_PATHS)),
            filter=flt,
            avoid=frozenset(rng.sample(middle, rng.choice((0, 1, 3)))),
        )
        answers = [await s.paths(src, dst, query) for s in pair]
        assert answers[0] == answers[1], (src, dst, query)
        asked += bool(answers[0])

    assert asked >= 8  # the battery is not just empty answers


async def test_both_backends_give_the_same_neighbourhoods_and_edge_lists(pair: Pair) -> None:
    for center, flt in itertools.product(IDS[::6], FILTERS):
        for depth, limit in ((2, 8), (3, 100)):
            hoods = [await s.neighbourhood(center, depth=depth, flt=flt, limit=limit) for s in pair]
            assert hoods[0] == hoods[1], (center, depth, limit, flt)
    for flt in FILTERS:
        lists = [await s.edges_of([*IDS, "person/nobody"], flt, limit_per_node=5) for s in pair]
        assert {k: list(v) for k, v in lists[0].items()} == {
            k: list(v) for k, v in lists[1].items()
        }
        ids = [*IDS, "person/nobody"]
        pages = [await s.edge_pages(ids, flt, limit_per_node=3, with_ends=True) for s in pair]
        assert pages[0] == pages[1], flt


async def test_both_backends_give_the_same_search_and_list_pages(pair: Pair) -> None:
    searches = [
        ("clean", None, None, 0),
        ("écotech", None, None, 0),
        ("nordic energy", None, None, 0),
        ("s", None, None, 4),
        ("o", [NodeKind.PERSON], None, 0),
        ("g", None, "DENMARK", 1),
    ]
    for text, kinds, country, offset in searches:
        pages = [
            await s.search(text, kinds=kinds, country=country, first=5, offset=offset) for s in pair
        ]
        assert pages[0] == pages[1], text
    queries = [
        NodeQuery(),
        NodeQuery(kind=NodeKind.PERSON, where={"country": "norway"}),
        NodeQuery(kind=NodeKind.AGREEMENT, date_from=PartialDate.parse("2011")),
        NodeQuery(date_to=PartialDate.parse("2013-06")),
    ]
    for query, after in itertools.product(queries, (None, IDS[7])):
        pages = [await s.list_nodes(query, first=6, after=after) for s in pair]
        assert pages[0] == pages[1], (query, after)


async def test_both_backends_reject_a_bad_batch_with_the_same_problems(pair: Pair) -> None:
    bad = Batch(
        nodes=(node("agreement/bad", "Bad", date="2011-02-30"),),
        edges=(
            edge("KNOWS", IDS[0], "person/ghost"),
            edge("KNOWS", IDS[-1], IDS[-2], since=bad_date("2011-13"), evidence=""),
        ),
    )
    problems = []
    for store in pair:
        with pytest.raises(InvalidRecord) as info:
            await store.apply(bad)
        problems.append(info.value.problems)

    assert problems[0] == problems[1]
