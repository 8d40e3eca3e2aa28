"""`node(id:)` asks for its `relationships` pages alongside the node itself (schema/_prefetch.py).

The store below yields to the event loop before every call, so whether two calls were in
flight together shows in the order of the events, not in a timing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import schema.query
from graph_store import GraphStore
from resolvers import make_context
from schema import build_schema
from tests.api.conftest import fill

CLUSTER = "cluster/copenhagen-cleantech-cluster"
PERSON = "person/marianna-lubanski"
PAGE = """query N($id: ID!) { node(id: $id) { id name
  relationships(first: 3, direction: BOTH) { totalCount
    edges { node { id type } other { id name relationships(first: 2) { totalCount } } } } } }"""


class RecordingStore:
    """A real store that notes when each call starts and ends, and yields before each."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.backend = inner.backend
        self.events: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def recorded(*args: Any, **kwargs: Any) -> Any:
            self.events.append(("start", name))
            await asyncio.sleep(0)  # let anything else that is ready start too
            try:
                return await method(*args, **kwargs)
            finally:
                self.events.append(("end", name))

        return recorded

    def calls(self, name: str) -> int:
        return self.events.count(("start", name))


async def _run(
    store: GraphStore, query: str, variables: dict[str, Any]
) -> tuple[RecordingStore, Any]:
    recording = RecordingStore(store)
    context = make_context(recording)  # type: ignore[arg-type]
    result = await build_schema().execute(query, variables, context_value=context)
    return recording, result


@pytest.mark.asyncio(loop_scope="session")
async def test_a_node_page_is_asked_for_with_the_node(sqlite_store: GraphStore) -> None:
    await fill(sqlite_store)
    recording, result = await _run(sqlite_store, PAGE, {"id": CLUSTER})
    assert result.errors is None and result.data["node"]["relationships"]["edges"]
    events = recording.events
    # The first page started before the node's call ended: both were in flight together.
    assert events.index(("start", "edge_pages")) < events.index(("end", "get_nodes"))
    # And the resolver found that page: one call for it, one for the far ends' pages.
    assert recording.calls("get_nodes") == 1 and recording.calls("edge_pages") == 2


@pytest.mark.asyncio(loop_scope="session")
async def test_the_answer_is_the_one_without_prefetching(
    sqlite_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fill(sqlite_store)
    answers = []
    for node_id in (CLUSTER, PERSON):
        _, early = await _run(sqlite_store, PAGE, {"id": node_id})
        with monkeypatch.context() as patch:
            patch.setattr(schema.query, "prefetch_relationships", lambda info, node_id: None)
            recording, late = await _run(sqlite_store, PAGE, {"id": node_id})
        events = recording.events
        assert events.index(("end", "get_nodes")) < events.index(("start", "edge_pages"))
        assert early.errors is None and early.data == late.data
        answers.append(early.data)
    assert answers[0] != answers[1]


@pytest.mark.asyncio(loop_scope="session")
async def test_only_fields_that_will_run_are_asked_for(sqlite_store: GraphStore) -> None:
    """Fragments on other types, @skip and @include(if: false) start nothing; a fragment on
    Node or on the node's own type does."""
    await fill(sqlite_store)
    skipped = """query N($id: ID!, $no: Boolean!) { node(id: $id) { id
      ... on Cluster { relationships(first: 2) { totalCount } }
      ... on Person { a: relationships(first: 4) @skip(if: true) { totalCount }
                      b: relationships(first: 5) @include(if: $no) { totalCount } } } }"""
    recording, result = await _run(sqlite_store, skipped, {"id": PERSON, "no": False})
    assert result.errors is None and result.data == {"node": {"id": PERSON}}
    assert recording.calls("edge_pages") == 0
    taken = """query N($id: ID!) { node(id: $id) { id ...Rels ... on Person {
      b: relationships(first: 1) { totalCount } } } }
      fragment Rels on Node { a: relationships(first: 4) { totalCount } }"""
    recording, result = await _run(sqlite_store, taken, {"id": PERSON})
    assert result.errors is None
    events = recording.events
    # Two filters of one batch: both pages started before the node's call ended.
    assert sum(1 for e in events[: events.index(("end", "get_nodes"))] if e[1] == "edge_pages")
    assert result.data["node"]["a"]["totalCount"] == result.data["node"]["b"]["totalCount"] > 0


@pytest.mark.asyncio(loop_scope="session")
async def test_errors_are_the_resolvers_and_a_missing_node_costs_nothing_more(
    sqlite_store: GraphStore,
) -> None:
    await fill(sqlite_store)
    bad = "query N($id: ID!) { node(id: $id) { id relationships(first: -1) { totalCount } } }"
    _, result = await _run(sqlite_store, bad, {"id": CLUSTER})
    assert result.errors is not None and len(result.errors) == 1
    assert (result.errors[0].extensions or {}).get("code") == "BAD_USER_INPUT"
    assert result.errors[0].path == ["node", "relationships"]
    recording, result = await _run(sqlite_store, PAGE, {"id": "cluster/no-such-cluster"})
    assert result.errors is None and result.data == {"node": None}
    assert recording.calls("get_nodes") == 1 and recording.calls("edge_pages") <= 1
