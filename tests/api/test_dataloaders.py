"""DataLoaders keep store calls bounded: listing 10 or 100 clusters costs the same calls."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from graph_store import Batch, Certainty, Edge, GraphStore, Node, NodeKind, edge_id
from resolvers import make_context
from schema import build_schema
from tests.api.conftest import fill

SECTOR = "n-plus-one test"
QUERY = """
query Clusters($first: Int) {
  clusters(sector: "n-plus-one test", first: $first) {
    totalCount
    edges { node { id name members { totalCount edges {
      node { type certainty }
      other { id ... on Organisation { country } }
    } } } }
  }
}
"""


class CountingStore:
    """A real store that counts the calls made to it, per method."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.backend = inner.backend
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await method(*args, **kwargs)

        return counted


def _batch(count: int) -> Batch:
    nodes: list[Node] = []
    edges: list[Edge] = []
    for i in range(count):
        cluster = Node(
            f"cluster/nplus1-{i:03d}",
            NodeKind.CLUSTER,
            f"N+1 cluster {i}",
            props={"sector": SECTOR},
        )
        nodes.append(cluster)
        for j in range(2):
            org = Node(
                f"organisation/nplus1-{i:03d}-{j}",
                NodeKind.ORGANISATION,
                f"N+1 member {i}/{j}",
                props={"country": f"Country {j}"},
            )
            nodes.append(org)
            edges.append(
                Edge(
                    edge_id("MEMBER_OF", org.id, cluster.id),
                    "MEMBER_OF",
                    org.id,
                    cluster.id,
                    Certainty.STATED,
                    "test.txt",
                    "a test member",
                )
            )
    return Batch(nodes=tuple(nodes), edges=tuple(edges))


@pytest_asyncio.fixture(loop_scope="session")
async def scratch_store(store: GraphStore, backend: str) -> AsyncIterator[GraphStore]:
    """The empty store of `backend`; the Neo4j one gets the dataset back afterwards."""
    yield store
    if backend == "neo4j":
        # The session's Neo4j API server reads this same database.
        await fill(store)


async def _calls(store: GraphStore, first: int) -> tuple[Counter[str], dict[str, Any]]:
    counting = CountingStore(store)
    result = await build_schema().execute(
        QUERY,
        variable_values={"first": first},
        context_value=make_context(counting),  # type: ignore[arg-type]
    )
    assert not result.errors, result.errors
    assert result.data is not None
    return counting.calls, result.data


@pytest.mark.asyncio(loop_scope="session")
async def test_store_calls_do_not_grow_with_the_list(scratch_store: GraphStore) -> None:
    await scratch_store.apply(_batch(100))
    small, small_data = await _calls(scratch_store, 10)
    large, large_data = await _calls(scratch_store, 100)
    assert len(small_data["clusters"]["edges"]) == 10
    assert len(large_data["clusters"]["edges"]) == 100
    for edge in large_data["clusters"]["edges"]:
        members = edge["node"]["members"]
        assert members["totalCount"] == 2
        assert {m["other"]["country"] for m in members["edges"]} == {"Country 0", "Country 1"}
    assert small == large
    assert sum(large.values()) <= 3, large
