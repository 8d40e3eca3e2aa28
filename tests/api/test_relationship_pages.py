"""Relationship pages read only what they show, yet keep exact totals, order and cursors.

A page of `first` relationships asks the store for `offset + first + 1` per node, with the
total and (when shown) the far ends in the same `edge_pages` call. These tests compare every
page with the node's whole list read straight from the store, and check which store calls a
two-level query makes (one per level, never one per node, never a whole list).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from graph_store import (
    MAX_EDGES_PER_NODE,
    Batch,
    Certainty,
    Direction,
    Edge,
    EdgeFilter,
    GraphStore,
    Node,
    NodeKind,
    edge_id,
)
from resolvers import make_context
from resolvers.pagination import encode_cursor
from schema import build_schema
from tests.api.conftest import holding

HUB = "cluster/page-hub"
MEMBERS = 40
SIDE_CLUSTERS = 8
CERTAINTIES = (Certainty.STATED, Certainty.INFERRED, Certainty.UNCERTAIN, Certainty.PLANNED)

TWO_LEVELS = """
query Q($id: ID!, $first: Int, $after: String, $first2: Int, $types: [String!],
         $direction: Direction, $min: Certainty) {
  node(id: $id) {
    relationships(first: $first, after: $after, types: $types, direction: $direction,
                  minCertainty: $min) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id } other { id
        relationships(first: $first2, types: $types, direction: $direction, minCertainty: $min) {
          totalCount pageInfo { hasNextPage } edges { cursor node { id } } } } }
    }
  }
}
"""

CLUSTERS = """
query C($id: ID!, $first: Int) {
  node(id: $id) { ... on Organisation { clusters(first: $first) {
    totalCount pageInfo { hasNextPage } edges { node { id } other { id } } } } }
}
"""


class RecordingStore:
    """A real store that records every call made to it (name, positional and keyword args)."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.backend = inner.backend
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def recorded(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return await method(*args, **kwargs)

        return recorded

    def named(self, name: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        return [(args, kwargs) for n, args, kwargs in self.calls if n == name]


def _edge(rel_type: str, src: str, dst: str, certainty: Certainty) -> Edge:
    return Edge(
        edge_id(rel_type, src, dst),
        rel_type,
        src,
        dst,
        certainty,
        "test.txt",
        "a test relationship",
        note=None if certainty is Certainty.STATED else "a test note",
    )


def _batch() -> Batch:
    """A hub cluster with 40 member organisations; member i is also in i % 9 side clusters."""
    nodes = [Node(HUB, NodeKind.CLUSTER, "Page hub")]
    nodes += [
        Node(f"cluster/page-side-{j}", NodeKind.CLUSTER, f"Side {j}") for j in range(SIDE_CLUSTERS)
    ]
    nodes.append(Node("network/page-net", NodeKind.NETWORK, "Page network"))
    edges: list[Edge] = []
    for i in range(MEMBERS):
        org = f"organisation/page-m{i:02d}"
        nodes.append(Node(org, NodeKind.ORGANISATION, f"Member {i}"))
        edges.append(_edge("MEMBER_OF", org, HUB, CERTAINTIES[i % 4]))
        for j in range(i % (SIDE_CLUSTERS + 1)):
            edges.append(_edge("MEMBER_OF", org, f"cluster/page-side-{j}", CERTAINTIES[j % 4]))
        if i % 3 == 0:
            edges.append(_edge("MEMBER_OF", org, "network/page-net", Certainty.STATED))
    return Batch(nodes=tuple(nodes), edges=tuple(edges))


@pytest_asyncio.fixture(loop_scope="session")
async def paged_store(store: GraphStore, backend: str) -> AsyncIterator[GraphStore]:
    """The test graph in an empty store of `backend`; Neo4j gets the dataset back afterwards."""
    async with holding(store, backend, _batch()) as held:
        yield held


async def _run(store: GraphStore, query: str, **variables: Any) -> dict[str, Any]:
    result = await build_schema().execute(
        query, variable_values=variables, context_value=make_context(store)
    )
    assert not result.errors, result.errors
    assert result.data is not None
    return result.data


async def _whole(store: GraphStore, ids: list[str], flt: EdgeFilter) -> dict[str, list[str]]:
    """Every relationship id of each node, read from the store without a page."""
    found = await store.edges_of(ids, flt)
    return {i: [e.id for e in found[i]] for i in ids}


def _check_page(page: dict[str, Any], whole: list[str], offset: int, first: int) -> None:
    """`page` is the slice of `whole` at `offset`, with exact total, cursors and next flag."""
    assert page["totalCount"] == len(whole)
    assert [e["node"]["id"] for e in page["edges"]] == whole[offset : offset + first]
    assert [e["cursor"] for e in page["edges"]] == [
        encode_cursor("rel", offset + i) for i in range(len(page["edges"]))
    ]
    assert page["pageInfo"]["hasNextPage"] is (offset + first < len(whole))


FILTERS = (
    ({}, EdgeFilter()),
    ({"direction": "IN"}, EdgeFilter(direction=Direction.IN)),
    ({"min": "UNCERTAIN"}, EdgeFilter(min_certainty=Certainty.UNCERTAIN)),
    (
        {"types": ["MEMBER_OF"], "direction": "OUT", "min": "INFERRED"},
        EdgeFilter(
            types=frozenset({"MEMBER_OF"}),
            direction=Direction.OUT,
            min_certainty=Certainty.INFERRED,
        ),
    ),
)


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize(("args", "flt"), FILTERS)
async def test_two_level_pages_equal_slices_of_the_whole_lists(
    paged_store: GraphStore, args: dict[str, Any], flt: EdgeFilter
) -> None:
    ids = [n.id for n in _batch().nodes]
    whole = await _whole(paged_store, ids, flt)
    for first, first2 in ((10, 5), (3, 0), (7, 2), (40, 20)):
        offset, after = 0, None
        while True:
            data = await _run(
                paged_store, TWO_LEVELS, id=HUB, first=first, after=after, first2=first2, **args
            )
            page = data["node"]["relationships"]
            _check_page(page, whole[HUB], offset, first)
            for item in page["edges"]:
                other = item["other"]
                _check_page(other["relationships"], whole[other["id"]], 0, first2)
            if not page["pageInfo"]["hasNextPage"]:
                break
            offset, after = offset + first, page["pageInfo"]["endCursor"]
    # Also from nodes with short and long lists, and empty pages (which still count).
    for node_id in ("organisation/page-m08", "organisation/page-m00", HUB):
        for first in (0, 4):
            data = await _run(paged_store, TWO_LEVELS, id=node_id, first=first, first2=3, **args)
            _check_page(data["node"]["relationships"], whole[node_id], 0, first)


@pytest.mark.asyncio(loop_scope="session")
async def test_a_two_level_query_makes_one_page_call_per_level_and_nothing_else(
    paged_store: GraphStore,
) -> None:
    recording = RecordingStore(paged_store)
    data = await _run(recording, TWO_LEVELS, id=HUB, first=10, first2=5)  # type: ignore[arg-type]

    pages = recording.named("edge_pages")
    shown = [e["other"]["id"] for e in data["node"]["relationships"]["edges"]]
    # One call per level, each only as long as its page plus one; never a whole list. Level
    # one shows its far ends (`other`), so it brings them along; level two does not.
    assert [
        (list(args[0]), kwargs["limit_per_node"], kwargs["with_ends"]) for args, kwargs in pages
    ] == [([HUB], 11, True), (shown, 6, False)]
    # The node itself is the only load: the far ends came with the page.
    assert [list(args[0]) for args, _ in recording.named("get_nodes")] == [[HUB]]
    assert sorted(name for name, _, _ in recording.calls) == [
        "edge_pages",
        "edge_pages",
        "get_nodes",
    ]
    whole = await _whole(paged_store, shown, EdgeFilter())
    assert any(len(whole[i]) >= 6 for i in shown), "the test data should have long lists"


@pytest.mark.asyncio(loop_scope="session")
async def test_store_calls_do_not_grow_with_the_page(paged_store: GraphStore) -> None:
    # Both pages end before the hub's list does, and both show members with long lists.
    called: list[list[str]] = []
    for first in (10, 30):
        recording = RecordingStore(paged_store)
        await _run(recording, TWO_LEVELS, id=HUB, first=first, first2=5)  # type: ignore[arg-type]
        called.append([name for name, _, _ in recording.calls])
    assert sorted(called[0]) == sorted(called[1])


@pytest.mark.asyncio(loop_scope="session")
async def test_a_page_past_the_cap_is_empty_but_keeps_the_exact_total(
    paged_store: GraphStore,
) -> None:
    after = encode_cursor("rel", MAX_EDGES_PER_NODE + 5)
    data = await _run(paged_store, TWO_LEVELS, id=HUB, first=3, after=after, first2=1)
    page = data["node"]["relationships"]
    whole = await _whole(paged_store, [HUB], EdgeFilter())
    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["totalCount"] == len(whole[HUB]) == MEMBERS


@pytest.mark.asyncio(loop_scope="session")
async def test_other_kind_fields_count_only_those_kinds(paged_store: GraphStore) -> None:
    for i in (0, 7, 8, 30):
        org = f"organisation/page-m{i:02d}"
        whole = (await paged_store.edges_of([org], EdgeFilter(direction=Direction.OUT)))[org]
        clusters = [e.id for e in whole if e.dst.startswith("cluster/")]
        assert len(clusters) < len(whole) or i % 3 != 0
        for first in (1, 3, 20):
            data = await _run(paged_store, CLUSTERS, id=org, first=first)
            page = data["node"]["clusters"]
            assert page["totalCount"] == len(clusters)
            assert [e["node"]["id"] for e in page["edges"]] == clusters[:first]
            assert page["pageInfo"]["hasNextPage"] is (first < len(clusters))
