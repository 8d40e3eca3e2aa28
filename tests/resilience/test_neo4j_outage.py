"""The API while its Neo4j is down, and after it is back: fast failure, then recovery unaided.

A real server runs on a Neo4j of the test's own (the ICN dataset loaded); the test stops that
Neo4j (cleanly, then by SIGKILL, a crash), checks what callers see, starts it again on the
same store and waits for the same server process to answer the same query with the same data.
A last case freezes Neo4j (SIGSTOP: connections accepted, never answered) and thaws it.

While the store is down: `/readyz` answers 503, a query answers the GraphQL error code
STORE_UNAVAILABLE within seconds (the driver's 2 s retry window, never a hang), `/healthz`
stays 200, and no body shows a stack trace, the database's address or Cypher.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from graph_store import open_store
from tests.api.conftest import DATA_DIR, fill
from tests.resilience._neo4j import OwnNeo4j, start_own_neo4j
from tests.resilience._report import record
from tests.resilience._server import Server, running_server

pytestmark = pytest.mark.neo4j

FAIL_FAST_S = 6.0
"""Bound on a failing answer. Connection refused is retried for 2 s: attempts at 0, ~1 and ~3 s
(jittered delays, at most 3.6 s in all), then the error; the rest is slack for a busy CI host."""
FROZEN_QUERY_S = 15.0
"""Bound on a query while Neo4j is frozen: the server's REQUEST_TIMEOUT_MS (10 s) and slack."""
FROZEN_READYZ_S = 6.0
"""Bound on /readyz while Neo4j is frozen: its own 3 s probe timeout (server.READYZ_TIMEOUT_S)
and slack for a busy CI host."""
RECOVER_TIMEOUT_S = 60.0
"""Bound on /readyz turning 200 again once Neo4j serves Bolt."""
GRAPHQL = "application/graphql-response+json"
LEAKS = ("Traceback", "bolt://", "127.0.0.1", "MATCH ", "RETURN ", "Errno", "neo4j.", "Exception")
"""Text that must never reach a client: stack traces, the store's address, Cypher, driver."""

QUERY = """
query Outage($a: ID!, $b: ID!) {
  node(id: $a) {
    id name
    relationships(first: 20) { totalCount edges { node { type certainty } other { id name } } }
  }
  paths(from: $a, to: $b, maxHops: 4, first: 3) { length summary steps { from { id } } }
}
"""
PATHS = "query P($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 1) { length } }"
SEARCH = "query Find($text: String!) { search(text: $text, first: 5) { edges { node { id } } } }"


@pytest.fixture(scope="module")
def own_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnNeo4j]:
    """A Neo4j of our own with the ICN dataset; always stopped at the end."""
    neo4j = start_own_neo4j(tmp_path_factory.mktemp("neo4j-outage"))
    try:
        asyncio.run(_load(neo4j.uri))
        yield neo4j
    finally:
        neo4j.stop(kill=True)


async def _load(uri: str) -> None:
    store = await open_store(uri)
    try:
        await fill(store)
    finally:
        await store.aclose()


@pytest.fixture(scope="module")
def server(own_neo4j: OwnNeo4j, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the whole module: it must survive every outage without a restart."""
    tmp = tmp_path_factory.mktemp("outage-server")
    env = {
        "GRAPH_URI": own_neo4j.uri,
        "ICN_DATA_DIR": str(DATA_DIR),
        "ICN_KEYS_FILE": str(tmp / "api-keys.json"),
        "RATE_LIMIT_IP": "0",
        "RATE_LIMIT_KEY": "0",
    }
    with running_server(env, tmp / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def pair(server: Server) -> dict[str, str]:
    """Two people of the dataset with a path between them, asked of the API while it is up."""
    body = _post(server, "{ people(first: 100) { edges { node { id } } } }")[1].json()
    assert "data" in body, body
    ids = sorted(edge["node"]["id"] for edge in body["data"]["people"]["edges"])
    for a, b in itertools.combinations(ids, 2):
        found = _post(server, PATHS, {"a": a, "b": b})[1].json()
        if found.get("data") and found["data"]["paths"]:
            return {"a": a, "b": b}
    raise AssertionError(f"no two of the dataset's people are linked within 4 hops: {ids}")


def _post(
    server: Server, query: str, variables: dict[str, Any] | None = None, *, accept: str = GRAPHQL
) -> tuple[float, httpx.Response]:
    """POST one operation; (seconds to the full answer, response)."""
    started = time.monotonic()
    response = httpx.post(
        f"{server.base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Accept": accept},
        timeout=60.0,
    )
    return time.monotonic() - started, response


def _get(server: Server, path: str) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = httpx.get(f"{server.base}{path}", timeout=60.0)
    return time.monotonic() - started, response


def _assert_no_leak(text: str, port: int) -> None:
    found = [leak for leak in (*LEAKS, f":{port}") if leak in text]
    assert not found, f"the body shows {found}: {text}"


def _assert_unavailable(response: httpx.Response, port: int) -> None:
    body = response.json()
    codes = {error["extensions"]["code"] for error in body.get("errors") or ()}
    assert codes == {"STORE_UNAVAILABLE"}, body
    # An execution error: the request was fine, so 200 with `data` (null) for both media types.
    assert response.status_code == 200, body
    assert "data" in body and body["data"] is None, body
    _assert_no_leak(response.text, port)


def _wait_ready(server: Server) -> tuple[float, int]:
    """Poll /readyz until 200; (the seconds it took, how many 503s came first)."""
    started = time.monotonic()
    refused = 0
    while True:
        _, response = _get(server, "/readyz")
        if response.status_code == 200:
            return time.monotonic() - started, refused
        refused += 1
        assert time.monotonic() - started < RECOVER_TIMEOUT_S, (
            f"/readyz still {response.status_code} {RECOVER_TIMEOUT_S}s after Neo4j came back: "
            f"{response.text}\n{server.log_tail()}"
        )
        time.sleep(0.1)


def _wait_same_answer(
    server: Server, pair: dict[str, str], before: dict[str, Any]
) -> tuple[float, int]:
    """Ask QUERY until it answers `before` again; (seconds it took, answers that were errors).

    A restarted Neo4j is cold (no query plans, empty page cache): on a busy host its first
    answer may pass the request timeout, which is a retryable error, not a failed recovery.
    """
    started = time.monotonic()
    retried = 0
    while True:
        _, response = _post(server, QUERY, pair)
        body = response.json()
        codes = {error["extensions"]["code"] for error in body.get("errors") or ()}
        if not codes:
            assert response.status_code == 200 and body == before, (body, before)
            return time.monotonic() - started, retried
        assert codes <= {"TIMEOUT", "STORE_UNAVAILABLE"}, body
        assert time.monotonic() - started < RECOVER_TIMEOUT_S, f"still failing: {body}"
        retried += 1


@pytest.mark.parametrize("kill", [False, True], ids=["stop", "kill"])
def test_outage_fails_fast_and_recovers(
    own_neo4j: OwnNeo4j, server: Server, pair: dict[str, str], kill: bool
) -> None:
    port = own_neo4j.port
    _wait_ready(server)  # after the previous case's recovery
    _, response = _post(server, QUERY, pair)
    before = response.json()
    assert response.status_code == 200 and not before.get("errors"), before
    assert before["data"]["node"]["id"] == pair["a"] and before["data"]["paths"], before

    own_neo4j.stop(kill=kill)
    try:
        ready_s, ready = _get(server, "/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["ok"] is False and "STORE_UNAVAILABLE" in ready.json()["detail"]
        _assert_no_leak(ready.text, port)

        query_s, failed = _post(server, QUERY, pair)
        _assert_unavailable(failed, port)
        legacy_s, legacy = _post(server, SEARCH, {"text": "icn"}, accept="application/json")
        _assert_unavailable(legacy, port)
        slowest = max(ready_s, query_s, legacy_s)
        assert slowest < FAIL_FAST_S, (
            f"answers took /readyz {ready_s:.2f}s, query {query_s:.2f}s, search {legacy_s:.2f}s "
            f"(bound {FAIL_FAST_S}s)"
        )

        health_s, health = _get(server, "/healthz")
        assert health.status_code == 200 and health_s < FAIL_FAST_S, (health_s, health.text)
        _, local = _post(server, "{ __typename }")
        assert local.json() == {"data": {"__typename": "Query"}}, local.text
    finally:
        restart_s = own_neo4j.restart()

    recover_s, refused = _wait_ready(server)
    after_s, retries = _wait_same_answer(server, pair, before)
    assert server.process.poll() is None, "the server process exited"
    record(
        f"neo4j-outage-{'kill' if kill else 'stop'}",
        {
            "readyz_503_s": round(ready_s, 2),
            "store_unavailable_s": round(query_s, 2),
            "search_unavailable_s": round(legacy_s, 2),
            "neo4j_restart_s": round(restart_s, 2),
            "readyz_200_after_restart_s": round(recover_s, 2),
            "readyz_503_after_restart": refused,
            "same_answer_after_s": round(after_s, 2),
            "retries_before_same_answer": retries,
        },
    )


def test_frozen_store_is_reported_in_bounded_time(
    own_neo4j: OwnNeo4j, server: Server, pair: dict[str, str]
) -> None:
    """Neo4j frozen (SIGSTOP): it accepts connections and never answers, the case that hangs.

    A query ends at the request timeout (TIMEOUT, 504) or as STORE_UNAVAILABLE; /readyz at the
    store's client-side guard. SIGCONT brings it back without a restart of anything.
    """
    port = own_neo4j.port
    _wait_ready(server)
    _, response = _post(server, QUERY, pair)
    before = response.json()
    assert response.status_code == 200 and not before.get("errors"), before

    own_neo4j.send_signal(signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:  # the two waits overlap
            ready_job = pool.submit(_get, server, "/readyz")
            query_s, failed = _post(server, QUERY, pair)
            ready_s, ready = ready_job.result()
        health_s, health = _get(server, "/healthz")
    finally:
        own_neo4j.send_signal(signal.SIGCONT)

    codes = {error["extensions"]["code"] for error in failed.json().get("errors") or ()}
    assert codes and codes <= {"TIMEOUT", "STORE_UNAVAILABLE"}, failed.text
    assert failed.status_code in (200, 504), failed.text
    _assert_no_leak(failed.text, port)
    assert query_s < FROZEN_QUERY_S, f"a query took {query_s:.1f}s (bound {FROZEN_QUERY_S}s)"
    assert ready.status_code == 503, ready.text
    _assert_no_leak(ready.text, port)
    assert ready_s < FROZEN_READYZ_S, f"/readyz took {ready_s:.1f}s (bound {FROZEN_READYZ_S}s)"
    assert health.status_code == 200 and health_s < FAIL_FAST_S, (health_s, health.text)

    recover_s, refused = _wait_ready(server)
    after_s, retries = _wait_same_answer(server, pair, before)
    record(
        "neo4j-outage-freeze",
        {
            "readyz_503_s": round(ready_s, 2),
            "query_failed_s": round(query_s, 2),
            "query_codes": ",".join(sorted(codes)),
            "readyz_200_after_sigcont_s": round(recover_s, 2),
            "readyz_503_after_sigcont": refused,
            "same_answer_after_s": round(after_s, 2),
            "retries_before_same_answer": retries,
        },
    )
