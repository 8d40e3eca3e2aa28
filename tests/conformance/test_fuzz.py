"""Property-based fuzzing of the served schema over HTTP: 1,000+ generated operations per backend.

hypothesis-graphql builds operations from the SDL the server itself serves (/schema.graphql):
mostly valid queries (POSITIVE mode, which reach the resolvers and the store with arbitrary
arguments), some invalid ones (NEGATIVE mode: wrong types, missing arguments) and, with the
admin key, valid mutations. Each is POSTed to the real server. Whatever comes back must be an
answer, never a crash: no 5xx, a JSON body, every error with a documented `extensions.code`
(INTERNAL, the masked crash, is not one), and nothing that looks like a stack trace, a store's
name or a Cypher/SQL fragment.

The run is derandomized (the same operations every time, so CI is reproducible) and prints how
many distinct operations it sent. The operations are drawn once per session and sent to each
backend, by a few concurrent clients; a failure lists every offending operation and its answer
(rather than one shrunk example).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from tests.conformance._server import Server, error_problems, leaks

MIN_OPERATIONS = 1_000
_WORKERS = 4
_GENERATED: list[list[tuple[str, bool]]] = []
"""The session's generated operations: drawn once, sent to each backend."""
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
    """(operation, is_mutation): 75% valid queries, 20% invalid ones, 5% valid mutations.

    Mutations are few because each is a write transaction (the slowest requests by far), and
    the injection suite (tests/access/test_injection.py) covers the write path in depth."""
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "ID": st.sampled_from([*ids, *_BOGUS_IDS]).map(nodes.String),
        "Date": st.sampled_from(_DATES).map(nodes.String),
    }
    valid = queries(sdl, custom_scalars=scalars)
    invalid = queries(sdl, custom_scalars=scalars, mode=Mode.NEGATIVE)
    writes = mutations(sdl, custom_scalars=scalars)
    # one_of() would drop repeated strategies and integers() favours small numbers: the mix
    # comes from sampling a list in which each kind appears as often as its share.
    kinds = {
        "valid": valid.map(lambda q: (q, False)),
        "invalid": invalid.map(lambda q: (q, False)),
        "mutation": writes.map(lambda q: (q, True)),
    }
    shares = ["valid"] * 15 + ["invalid"] * 4 + ["mutation"]
    return st.sampled_from(shares).flatmap(kinds.__getitem__)


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
    client: httpx.Client, server: Server, operation: tuple[str, bool]
) -> tuple[int, list[str]]:
    query, is_mutation = operation
    response = _post(client, server, query, server.admin_key if is_mutation else None)
    return response.status_code, check_response(response, query)


def generate(sdl: str, ids: list[str]) -> list[tuple[str, bool]]:
    """The operations hypothesis draws from the SDL (the same ones on every run)."""
    strategy = _strategy(sdl, ids)
    drawn: list[tuple[str, bool]] = []

    @settings(
        max_examples=MIN_OPERATIONS + 150,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(operation=strategy)
    def draw(operation: tuple[str, bool]) -> None:
        drawn.append(operation)

    draw()
    return drawn


def test_generated_operations_never_crash_or_leak(
    server: Server, client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    if not _GENERATED:
        sdl = client.get(f"{server.base}/schema.graphql").text
        assert "type Query" in sdl
        _GENERATED.append(generate(sdl, _real_ids(client, server)))
    operations = _GENERATED[0]

    # Sent by a few concurrent clients: the server is what is under test, and the properties
    # hold in any order (mutations create or replace records of their own).
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        answers = list(pool.map(lambda op: _send(client, server, op), operations))
    statuses = Counter(status for status, _ in answers)
    problems = [problem for _, found in answers for problem in found]

    distinct = len(set(operations))
    with capsys.disabled():
        print(f"\nfuzz on {server.backend}: {distinct} distinct operations, HTTP {dict(statuses)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])
    assert distinct >= MIN_OPERATIONS, f"only {distinct} distinct operations were generated"
