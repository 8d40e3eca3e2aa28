"""Property-based fuzzing of the served schema over HTTP: 1,000+ generated operations per backend.

hypothesis-graphql builds operations from the SDL the server itself serves (/schema.graphql):
mostly valid queries (POSITIVE mode, which reach the resolvers and the store with arbitrary
arguments), some invalid ones (NEGATIVE mode: wrong types, missing arguments) and, with the
admin key, valid mutations. Each is POSTed to the real server. Whatever comes back must be an
answer, never a crash: no 5xx, a JSON body, every error with a documented `extensions.code`
(INTERNAL, the masked crash, is not one), and nothing that looks like a stack trace, a store's
name or a Cypher/SQL fragment.

The run is derandomized (the same operations every time, so CI is reproducible) and prints how
many distinct operations it sent. Generating them costs about as much as sending them, so the
first backend's run records its operations and the second backend gets the very same ones
replayed (without hypothesis); either backend run alone generates its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from tests.conformance._server import Server, error_problems, leaks

MIN_OPERATIONS = 1_000
_RECORDED: list[list[tuple[str, bool]]] = []
"""The operations of the first complete, passing hypothesis run of this session."""
_BOGUS_IDS = ("x/y", "", "cluster/nope", "person/", "/")
_DATES = ("2010", "2011-10", "2011-10-26", "1999-02-28", "2011-02-29", "2011-13", "0001")
_ID_QUERY = """{
  clusters(first: 3) { edges { node { id } } }
  organisations(first: 3) { edges { node { id } } }
  people(first: 3) { edges { node { id } } }
  events(first: 2) { edges { node { id } } }
  agreements(first: 2) { edges { node { id } } }
  projects(first: 2) { edges { node { id } } }
}"""


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One keep-alive HTTP client for the module (1,000s of requests)."""
    with httpx.Client(timeout=30.0) as http:
        yield http


def _post(client: httpx.Client, server: Server, query: str, key: str | None) -> httpx.Response:
    headers = {"Accept": "application/graphql-response+json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return client.post(server.graphql, json={"query": query}, headers=headers)


def _real_ids(client: httpx.Client, server: Server) -> list[str]:
    body = _post(client, server, _ID_QUERY, None).json()
    assert not body.get("errors"), body
    ids = [edge["node"]["id"] for conn in body["data"].values() for edge in conn["edges"]]
    assert len(ids) >= 10, ids
    return ids


def _strategy(sdl: str, ids: list[str]) -> st.SearchStrategy[tuple[str, bool]]:
    """(operation, is_mutation): 70% valid queries, 15% invalid ones, 15% valid mutations."""
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "ID": st.sampled_from([*ids, *_BOGUS_IDS]).map(nodes.String),
        "Date": st.sampled_from(_DATES).map(nodes.String),
    }
    valid = queries(sdl, custom_scalars=scalars)
    invalid = queries(sdl, custom_scalars=scalars, mode=Mode.NEGATIVE)
    writes = mutations(sdl, custom_scalars=scalars)
    return st.one_of(
        *[valid.map(lambda q: (q, False))] * 14,
        *[invalid.map(lambda q: (q, False))] * 3,
        *[writes.map(lambda q: (q, True))] * 3,
    )


def check_response(response: httpx.Response, query: str) -> list[str]:
    """Everything wrong with one answer: a 5xx, a non-JSON body, an uncoded error, a leak."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code} for {query!r}: {response.text[:500]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {response.status_code}, not JSON, for {query!r}: {response.text[:500]}"]
    problems = error_problems(body) + leaks(body)
    return [f"{problem} (query {query!r:.1000})" for problem in problems]


def _send(
    client: httpx.Client, server: Server, operation: tuple[str, bool], statuses: dict[int, int]
) -> list[str]:
    query, is_mutation = operation
    response = _post(client, server, query, server.admin_key if is_mutation else None)
    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return check_response(response, query)


def _generate_and_send(
    client: httpx.Client, server: Server, statuses: dict[int, int]
) -> list[tuple[str, bool]]:
    sdl = client.get(f"{server.base}/schema.graphql").text
    assert "type Query" in sdl
    strategy = _strategy(sdl, _real_ids(client, server))
    sent: list[tuple[str, bool]] = []

    @settings(
        max_examples=MIN_OPERATIONS + 100,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(operation=strategy)
    def one(operation: tuple[str, bool]) -> None:
        sent.append(operation)
        problems = _send(client, server, operation, statuses)
        assert not problems, "\n".join(problems)

    one()
    return sent


def test_generated_operations_never_crash_or_leak(
    server: Server, client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    statuses: dict[int, int] = {}
    if _RECORDED:
        operations = _RECORDED[0]
        problems = [p for op in operations for p in _send(client, server, op, statuses)]
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])
        how = "replayed"
    else:
        operations = _generate_and_send(client, server, statuses)
        _RECORDED.append(operations)
        how = "generated"
    distinct = len(set(operations))
    with capsys.disabled():
        print(f"\nfuzz on {server.backend}: {distinct} distinct operations {how}, HTTP {statuses}")
    assert distinct >= MIN_OPERATIONS, f"only {distinct} distinct operations were generated"
