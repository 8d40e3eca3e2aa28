"""`node(id:)` asks for its `relationships` pages alongside the node itself (schema/_prefetch.py).

The store below yields to the event loop before every call, so whether two calls were in
flight together shows in the order of the events, not in a timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

import schema.query
from graph_store import Certainty, GraphStore
from resolvers import ANONYMOUS, Principal, make_context
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


@pytest_asyncio.fixture(loop_scope="session")
async def icn(store: GraphStore) -> AsyncIterator[GraphStore]:
    """The store of the backend under test holding the ICN dataset (which is also what the
    session's Neo4j API server expects to find there afterwards)."""
    await fill(store)
    yield store


async def _run(
    store: GraphStore,
    query: str,
    variables: dict[str, Any],
    *,
    principal: Principal = ANONYMOUS,
    prefetch: bool = True,
) -> tuple[RecordingStore, Any]:
    recording = RecordingStore(store)
    context = make_context(recording, principal)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        if not prefetch:
            patch.setattr(schema.query, "prefetch_relationships", lambda info, node_id: None)
        result = await build_schema().execute(query, variables, context_value=context)
    return recording, result


@pytest.mark.asyncio(loop_scope="session")
async def test_a_node_page_is_asked_for_with_the_node(icn: GraphStore) -> None:
    recording, result = await _run(icn, PAGE, {"id": CLUSTER})
    assert result.errors is None and result.data["node"]["relationships"]["edges"]
    events = recording.events
    # The first page started before the node's call ended: both were in flight together.
    assert events.index(("start", "edge_pages")) < events.index(("end", "get_nodes"))
    # And the resolver found that page: one call for it, one for the far ends' pages.
    assert recording.calls("get_nodes") == 1 and recording.calls("edge_pages") == 2


@pytest.mark.asyncio(loop_scope="session")
async def test_the_answer_and_the_calls_are_those_without_prefetching(icn: GraphStore) -> None:
    """Same data, same store calls (the resolver finds the started page under its own key):
    for arguments from variables, a cursor, a date, a certainty, types and a direction, for a
    caller with a certainty floor of its own, and for fields merged under one response name
    of which only one shows the far ends."""
    varied = """query N($id: ID!, $n: Int, $after: String, $asOf: Date,
        $c: Certainty, $t: [String!], $d: Direction) { node(id: $id) { id
      relationships(first: $n, after: $after, asOf: $asOf, minCertainty: $c, types: $t,
                    direction: $d) { totalCount edges { cursor other { id } } } } }"""
    merged = """query N($id: ID!) { node(id: $id) { id relationships(first: 3) { totalCount }
      ... on Node { relationships(first: 3) { edges { other { id name } } } } } }"""
    floor = Principal(name="floor", scopes=ANONYMOUS.scopes, min_certainty=Certainty.STATED)
    cases: list[tuple[str, dict[str, Any], Principal]] = [
        (PAGE, {"id": CLUSTER}, ANONYMOUS),
        (PAGE, {"id": PERSON}, floor),
        (varied, {"id": CLUSTER, "n": 2, "asOf": "2015", "c": "INFERRED"}, ANONYMOUS),
        (varied, {"id": PERSON, "n": 1, "t": ["WORKS_FOR", "MEMBER_OF"], "d": "OUT"}, floor),
        (merged, {"id": CLUSTER}, ANONYMOUS),
    ]
    _, first = await _run(icn, varied, {"id": CLUSTER, "n": 1})
    cursor = first.data["node"]["relationships"]["edges"][0]["cursor"]
    cases.append((varied, {"id": CLUSTER, "n": 2, "after": cursor}, ANONYMOUS))
    answers = []
    for query, variables, principal in cases:
        early_calls, early = await _run(icn, query, variables, principal=principal)
        late_calls, late = await _run(icn, query, variables, principal=principal, prefetch=False)
        events = late_calls.events
        assert events.index(("end", "get_nodes")) < events.index(("start", "edge_pages"))
        assert early.errors is None and early.data == late.data, (query, variables)
        for name in ("get_nodes", "edge_pages"):
            assert early_calls.calls(name) == late_calls.calls(name), (name, query, variables)
        answers.append(early.data)
    assert answers[0] != answers[1] and answers[2]["node"]["relationships"]["edges"]


@pytest.mark.asyncio(loop_scope="session")
async def test_only_fields_that_will_run_are_asked_for(icn: GraphStore) -> None:
    """Fragments on other types, @skip and @include(if: false) start nothing; a fragment on
    Node or on the node's own type does."""
    skipped = """query N($id: ID!, $no: Boolean!) { node(id: $id) { id
      ... on Cluster { relationships(first: 2) { totalCount } }
      ... on Person { a: relationships(first: 4) @skip(if: true) { totalCount }
                      b: relationships(first: 5) @include(if: $no) { totalCount } } } }"""
    recording, result = await _run(icn, skipped, {"id": PERSON, "no": False})
    assert result.errors is None and result.data == {"node": {"id": PERSON}}
    assert recording.calls("edge_pages") == 0
    taken = """query N($id: ID!) { node(id: $id) { id ...Rels ... on Person {
      b: relationships(first: 1) { totalCount } } } }
      fragment Rels on Node { a: relationships(first: 4) { totalCount } }"""
    recording, result = await _run(icn, taken, {"id": PERSON})
    assert result.errors is None
    events = recording.events
    # Two page sizes, so two store calls of one batch: both started before the node's ended.
    before = events[: events.index(("end", "get_nodes"))]
    assert before.count(("start", "edge_pages")) == 2 == recording.calls("edge_pages")
    assert result.data["node"]["a"]["totalCount"] == result.data["node"]["b"]["totalCount"] > 0


@pytest.mark.asyncio(loop_scope="session")
async def test_errors_are_the_resolvers_and_a_missing_node_costs_one_page_at_most(
    icn: GraphStore,
) -> None:
    bad = "query N($id: ID!) { node(id: $id) { id relationships(first: -1) { totalCount } } }"
    _, result = await _run(icn, bad, {"id": CLUSTER})
    assert result.errors is not None and len(result.errors) == 1
    assert (result.errors[0].extensions or {}).get("code") == "BAD_USER_INPUT"
    assert result.errors[0].path == ["node", "relationships"]
    recording, result = await _run(icn, PAGE, {"id": "cluster/no-such-cluster"})
    assert result.errors is None and result.data == {"node": None}
    assert recording.calls("get_nodes") == 1 and recording.calls("edge_pages") <= 1


@pytest.mark.asyncio(loop_scope="session")
async def test_typed_relationship_fields_start_early_unless_guarded(icn: GraphStore) -> None:
    """`Cluster.members` and `Organisation.clusters` (whose page is filtered by the far end's
    kind) start with the node and answer as without; `employees`, guarded by read:contacts,
    waits for its resolver."""
    members = """query N($id: ID!) { node(id: $id) { id ... on Cluster {
      members(first: 5) { totalCount edges { other { id kind } } } } } }"""
    clusters = """query N($id: ID!) { node(id: $id) { id ... on Organisation {
      clusters(first: 2) { totalCount edges { other { id name } } } } } }"""
    members_of = "cluster/tenerrdis"  # the dataset's cluster with an organisation member
    recording, result = await _run(icn, members, {"id": members_of})
    edges = result.data["node"]["members"]["edges"]
    organisation = next(e["other"]["id"] for e in edges if e["other"]["kind"] == "ORGANISATION")
    for query, node_id, field in (
        (members, members_of, "members"),
        (clusters, organisation, "clusters"),
    ):
        early_calls, early = await _run(icn, query, {"id": node_id})
        late_calls, late = await _run(icn, query, {"id": node_id}, prefetch=False)
        events = early_calls.events
        assert events.index(("start", "edge_pages")) < events.index(("end", "get_nodes")), query
        assert early.errors is None and early.data == late.data
        assert early.data["node"][field]["edges"], query
        for name in ("get_nodes", "edge_pages"):
            assert early_calls.calls(name) == late_calls.calls(name), (name, query)
    guarded = """query N($id: ID!) { node(id: $id) { id ... on Cluster {
      employees(first: 3) { totalCount } } } }"""
    contacts = Principal(name="analyst", scopes=frozenset({"read", "read:contacts"}))
    recording, result = await _run(icn, guarded, {"id": CLUSTER}, principal=contacts)
    assert result.errors is None and result.data["node"]["employees"] is not None
    events = recording.events
    assert events.index(("end", "get_nodes")) < events.index(("start", "edge_pages"))


@pytest.mark.asyncio(loop_scope="session")
async def test_a_missing_node_costs_at_most_a_few_pages_and_guards_cost_none(
    icn: GraphStore,
) -> None:
    """Six typed fields on an id that is no node: at most four pages started early (and
    none by the resolvers, which never run); a guarded field an anonymous caller may not
    read starts nothing."""
    many = """query N($id: ID!) { node(id: $id) { id ... on Cluster {
      members { totalCount } memberOf { totalCount } agreements { totalCount }
      events { totalCount } projects { totalCount } a: members(first: 1) { totalCount } } } }"""
    recording, result = await _run(icn, many, {"id": "cluster/no-such-cluster"})
    assert result.errors is None and result.data == {"node": None}
    assert recording.calls("edge_pages") <= 4
    guarded = """query N($id: ID!) { node(id: $id) { id ... on Cluster {
      employees(first: 3) { totalCount } } } }"""
    recording, result = await _run(icn, guarded, {"id": CLUSTER})
    assert result.errors is not None and result.errors[0].extensions["code"] == "FORBIDDEN"
    assert recording.calls("edge_pages") == 0
