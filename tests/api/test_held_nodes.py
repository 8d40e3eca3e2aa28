"""Paths and neighbourhoods hand back the nodes they hold: no load, and no task, per endpoint.

A relationship of a path or of a neighbourhood resolves `from` and `to` from the nodes the
store's answer already carries. Through the DataLoader every endpoint would cost graphql-core
an asyncio task (and a gather), however cheap the cached load: here the tasks of one request
must not grow with the number of relationships. A relationship page listed from a node loads
the far ends of its edges in the same store call, when the selection shows them, and agrees
with the held ones.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import pytest_asyncio

from graph_store import Batch, Certainty, Edge, GraphStore, Node, NodeKind, edge_id
from resolvers import make_context
from schema import build_schema
from tests.api.conftest import holding
from tests.api.test_dataloaders import CountingStore

HUB = "cluster/held-hub"
MEMBERS = 12

NEIGHBOURHOOD = """
query N($id: ID!) {
  neighbourhood(id: $id, depth: 1, limit: 100) {
    center { id name }
    nodes { depth node { id name } }
    relationships { id type from { id name kind } to { id name kind } }
  }
}"""

PATHS = """
query P($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 2, first: 5) {
    nodes { id }
    steps { from { id } to { id } relationship { id from { id name } to { id name } } }
  }
}"""

LISTED = """
query L($id: ID!) {
  node(id: $id) {
    relationships(first: 100) { edges { node { id from { id name } to { id name } } other { id } } }
  }
}"""


def _batch() -> Batch:
    hub = Node(HUB, NodeKind.CLUSTER, "Held hub")
    members = [
        Node(f"organisation/held-{i:02d}", NodeKind.ORGANISATION, f"Held member {i}")
        for i in range(MEMBERS)
    ]
    edges = [
        Edge(
            edge_id("MEMBER_OF", org.id, hub.id),
            "MEMBER_OF",
            org.id,
            hub.id,
            Certainty.STATED,
            "test.txt",
            "a held member",
        )
        for org in members
    ]
    return Batch(nodes=(hub, *members), edges=tuple(edges))


@pytest_asyncio.fixture(loop_scope="session")
async def held_store(store: GraphStore, backend: str) -> AsyncIterator[GraphStore]:
    """The store of `backend` holding the hub and its members only."""
    async with holding(store, backend, _batch()) as held:
        yield held


@contextmanager
def _counted_tasks() -> Iterator[list[int]]:
    """Count the asyncio tasks graphql-core creates on the running loop inside the block.

    Only graphql-core's own: a backend's driver runs tasks of its own for its I/O.
    """
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    count = [0]

    def factory(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kw: Any):
        code = getattr(coro, "cr_code", None)
        if code is not None and f"{os.sep}graphql{os.sep}" in code.co_filename:
            count[0] += 1
        if previous is not None:
            return previous(loop, coro, **kw)
        return asyncio.Task(coro, loop=loop, **kw)

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    try:
        yield count
    finally:
        loop.set_task_factory(previous)


async def _run(store: GraphStore, query: str, variables: dict[str, Any]) -> tuple[Any, int, int]:
    """The data, graphql-core's tasks and the `get_nodes` calls of one execution."""
    counting = CountingStore(store)
    with _counted_tasks() as tasks:
        result = await build_schema().execute(
            query,
            variable_values=variables,
            context_value=make_context(counting),  # type: ignore[arg-type]
        )
    assert not result.errors, result.errors
    return result.data, tasks[0], counting.calls["get_nodes"]


@pytest.mark.asyncio(loop_scope="session")
async def test_neighbourhood_relationships_hand_back_their_nodes(held_store: GraphStore) -> None:
    batch = _batch()
    names = {n.id: n.name for n in batch.nodes}
    data, tasks, loads = await _run(held_store, NEIGHBOURHOOD, {"id": HUB})
    hood = data["neighbourhood"]
    assert hood["center"] == {"id": HUB, "name": names[HUB]}
    assert {item["node"]["id"] for item in hood["nodes"]} == set(names)
    rels = hood["relationships"]
    assert len(rels) == len(batch.edges)
    expected = {e.id: (e.src, e.dst) for e in batch.edges}
    for rel in rels:
        src, dst = expected[rel["id"]]
        assert (rel["from"]["id"], rel["to"]["id"]) == (src, dst)
        assert (rel["from"]["name"], rel["to"]["name"]) == (names[src], names[dst])
        assert (rel["from"]["kind"], rel["to"]["kind"]) == ("ORGANISATION", "CLUSTER")
    # Two endpoints per relationship, none of them a task or a load of its own.
    assert tasks < len(rels), tasks
    assert loads <= 1, loads  # the center's existence check

    # Listed from the hub (ids only), the same relationships load the same endpoints.
    listed, _, _ = await _run(held_store, LISTED, {"id": HUB})
    edges = listed["node"]["relationships"]["edges"]
    by_id = {rel["id"]: rel for rel in rels}
    assert {e["node"]["id"] for e in edges} == set(by_id)
    for edge in edges:
        held = by_id[edge["node"]["id"]]
        assert edge["node"]["from"] == {k: held["from"][k] for k in ("id", "name")}
        assert edge["node"]["to"] == {k: held["to"][k] for k in ("id", "name")}
        assert edge["other"]["id"] == held["from"]["id"]


@pytest.mark.asyncio(loop_scope="session")
async def test_path_relationships_hand_back_their_nodes(held_store: GraphStore) -> None:
    batch = _batch()
    names = {n.id: n.name for n in batch.nodes}
    src, dst = batch.nodes[1].id, batch.nodes[2].id
    data, tasks, _ = await _run(held_store, PATHS, {"from": src, "to": dst})
    paths = data["paths"]
    assert [[n["id"] for n in p["nodes"]] for p in paths] == [[src, HUB, dst]]
    expected = {e.id: (e.src, e.dst) for e in batch.edges}
    steps = paths[0]["steps"]
    for step in steps:
        rel = step["relationship"]
        assert (rel["from"]["id"], rel["to"]["id"]) == expected[rel["id"]]
        assert rel["from"]["name"] == names[rel["from"]["id"]]
        walked = {step["from"]["id"], step["to"]["id"]}
        assert walked == {rel["from"]["id"], rel["to"]["id"]}
    assert tasks < 2 * len(steps), tasks


LISTED_BY_FRAGMENT = """
query L($id: ID!) {
  node(id: $id) { relationships(first: 100) { edges { ...Far } } }
}
fragment Far on RelationshipEdge { other { id name } }"""

LISTED_BY_INLINE_FRAGMENT = """
query L($id: ID!) {
  node(id: $id) { relationships(first: 100) { edges { ... on RelationshipEdge { other { id } } } } }
}"""

LISTED_TYPES_ONLY = """
query L($id: ID!) {
  node(id: $id) { relationships(first: 100) { totalCount edges { node { type } } } }
}"""


@pytest.mark.asyncio(loop_scope="session")
async def test_a_relationship_page_loads_its_far_ends_once_and_only_when_shown(
    held_store: GraphStore,
) -> None:
    batch = _batch()
    names = {n.id: n.name for n in batch.nodes}
    for query in (LISTED, LISTED_BY_FRAGMENT, LISTED_BY_INLINE_FRAGMENT):
        data, tasks, loads = await _run(held_store, query, {"id": HUB})
        edges = data["node"]["relationships"]["edges"]
        assert len(edges) == MEMBERS
        assert {e["other"]["id"] for e in edges} == set(names) - {HUB}
        if "name" in edges[0]["other"]:
            assert all(e["other"]["name"] == names[e["other"]["id"]] for e in edges)
        assert tasks < MEMBERS, tasks  # no task per far end
        assert loads == 1, loads  # the hub: the far ends came with the page

    data, _, loads = await _run(held_store, LISTED_TYPES_ONLY, {"id": HUB})
    assert data["node"]["relationships"]["totalCount"] == MEMBERS
    assert loads == 1, loads
