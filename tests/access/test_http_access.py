"""Partner access over real HTTP: rate limits, per-partner CORS, persisted queries, access log.

Each module-scoped server runs `python server.py` on an embedded store holding the fixture slice
of the ICN, with a key file made by `KeyRegistry` (the code behind `icn-keys`). Anonymous calls
name their client address in X-Forwarded-For, which uvicorn trusts from loopback as it would
from a reverse proxy, so each test draws on address buckets of its own.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph_store import GraphStore, open_store
from resolvers.api_keys import KeyRegistry
from resolvers.persisted import sha256_hex
from tests.access._http_server import Server, running_server
from tests.api._fixture import fixture_batch
from tests.conftest import sqlite_uri

SITE = "http://site.test"
PORTAL_A = "http://portal-a.test"
ADMIN_KEY = "access-test-admin-key-0123456789"
IP_LIMIT = 5
KEY_LIMIT = 3
SMALL = "query Clusters { clusters(first: 2) { totalCount edges { node { id } } } }"
ALLOWED_OP = "query PortalClusters { clusters(first: 3) { edges { node { id name } } } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_addresses = itertools.count(1)


def fresh_ip() -> dict[str, str]:
    """Headers that make this call come from an address no other call used."""
    n = next(_addresses)
    return {"X-Forwarded-For": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"}


def code(response: Any) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def apq(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def unique_query() -> str:
    """A query text no cache has seen (its alias is new), so its hash starts as a miss."""
    return f"query Fresh {{ c{uuid.uuid4().hex}: clusters(first: 1) {{ totalCount }} }}"


@dataclass
class Keys:
    fast: str
    other: str
    portal: str
    locked: str
    locked_id: str
    other_id: str
    allowed_sha: str


async def _seed(uri: str) -> None:
    store = await open_store(uri)
    try:
        await store.apply(fixture_batch())
    finally:
        await store.aclose()


def _make_keys(path: Path) -> Keys:
    registry = KeyRegistry(path)
    _, fast = registry.create("Fast Portal", ["read"], rate_limit=KEY_LIMIT)
    other_record, other = registry.create("Other Portal", ["read"])
    _, portal = registry.create("Portal A", ["read"], origins=[PORTAL_A])
    locked_record, locked = registry.create("Locked Portal", ["read"], persisted_only=True)
    (allowed_sha,) = registry.add_operations(locked_record.id, [ALLOWED_OP])
    return Keys(fast, other, portal, locked, locked_record.id, other_record.id, allowed_sha)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Keys, Path]:
    path = tmp_path_factory.mktemp("keys") / "api-keys.json"
    return _make_keys(path), path


@pytest.fixture(scope="module")
def server(keys: tuple[Keys, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with tiny limits, one server-wide CORS origin and the keys above."""
    uri = sqlite_uri(tmp_path_factory.mktemp("access-store"))
    asyncio.run(_seed(uri))
    env = {
        "ICN_KEYS_FILE": str(keys[1]),
        "ICN_ADMIN_KEY": ADMIN_KEY,
        "CORS_ORIGINS": SITE,
        "RATE_LIMIT_IP": str(IP_LIMIT),
        "RATE_LIMIT_KEY": "1000",
        "ACCESS_LOG": "on",
    }
    log = tmp_path_factory.mktemp("access-log") / "server.log"
    with running_server(uri, env, log) as running:
        yield running


# -- rate limits ---------------------------------------------------------------------------


def test_a_key_over_its_limit_gets_429_and_other_keys_do_not(
    server: Server, keys: tuple[Keys, Path]
) -> None:
    k = keys[0]
    for _ in range(KEY_LIMIT):
        assert server.graphql({"query": SMALL}, key=k.fast).status_code == 200
    refused = server.graphql({"query": SMALL}, key=k.fast)
    assert refused.status_code == 429
    assert code(refused) == "RATE_LIMITED"
    # 3 per minute refill one request every 20 s: the wait is whole seconds, at least 1.
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    # The bucket is the key's, not the address's: another address does not help ...
    assert server.graphql({"query": SMALL}, key=k.fast, headers=fresh_ip()).status_code == 429
    # ... and another key from the same address is not affected.
    assert server.graphql({"query": SMALL}, key=k.other).status_code == 200


def test_an_address_without_a_key_is_limited_per_address(
    server: Server, keys: tuple[Keys, Path]
) -> None:
    address, other_address = fresh_ip(), fresh_ip()
    for _ in range(IP_LIMIT):
        assert server.graphql({"query": SMALL}, headers=address).status_code == 200
    refused = server.graphql({"query": SMALL}, headers=address, accept="application/json")
    assert refused.status_code == 429
    assert code(refused) == "RATE_LIMITED"
    assert int(refused.headers["retry-after"]) >= 1
    assert server.graphql({"query": SMALL}, headers=other_address).status_code == 200
    # A key from the limited address draws on its own bucket; health probes are never limited.
    assert server.graphql({"query": SMALL}, key=keys[0].other, headers=address).status_code == 200
    assert server.http.get(f"{server.base}/healthz", headers=address).status_code == 200
    # Made-up keys are refused with 401, but they cost the address tokens like keyless calls.
    made_up = "icn_00000000_" + "y" * 43
    assert server.graphql({"query": SMALL}, key=made_up, headers=address).status_code == 429
    assert server.graphql({"query": SMALL}, key=made_up, headers=fresh_ip()).status_code == 401


# -- authentication ---------------------------------------------------------------------------


def test_an_unknown_key_is_401_with_a_bearer_challenge(server: Server) -> None:
    response = server.graphql({"query": SMALL}, key="icn_00000000_" + "x" * 43)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert code(response) == "UNAUTHENTICATED"


# -- CORS ---------------------------------------------------------------------------------------


def _preflight(server: Server, origin: str, method: str = "POST") -> Any:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type, x-api-key",
    }
    return server.http.options(f"{server.base}/graphql", headers=headers)


@pytest.mark.parametrize("origin", [SITE, PORTAL_A])
def test_preflight_is_allowed_for_server_and_key_origins(server: Server, origin: str) -> None:
    response = _preflight(server, origin)
    assert 200 <= response.status_code < 300
    assert response.headers["access-control-allow-origin"] == origin
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert methods == {"GET", "POST"}
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "x-api-key", "content-type", "accept"):
        assert header in allowed
    assert response.headers["access-control-max-age"] == "600"
    assert "origin" in response.headers["vary"].lower()


def test_preflight_from_an_unknown_origin_or_for_another_method_is_refused(
    server: Server,
) -> None:
    for response in (_preflight(server, "http://evil.test"), _preflight(server, SITE, "PUT")):
        assert response.status_code == 403
        assert response.headers.get("access-control-allow-origin") in (None, SITE)
    assert "access-control-allow-origin" not in _preflight(server, "http://evil.test").headers


def test_the_allow_origin_header_is_echoed_for_allowed_origins_only(server: Server) -> None:
    allowed = server.graphql({"query": SMALL}, headers={"Origin": SITE, **fresh_ip()})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    assert "origin" in allowed.headers["vary"].lower()
    foreign = server.graphql({"query": SMALL}, headers={"Origin": "http://evil.test", **fresh_ip()})
    assert foreign.status_code == 200  # the browser, not the server, withholds the answer
    assert "access-control-allow-origin" not in foreign.headers


def test_a_key_bound_to_origins_is_refused_from_any_other(
    server: Server, keys: tuple[Keys, Path]
) -> None:
    k = keys[0]
    wrong = server.graphql({"query": SMALL}, key=k.portal, headers={"Origin": SITE})
    assert wrong.status_code == 403
    assert code(wrong) == "FORBIDDEN"
    assert SITE in wrong.json()["errors"][0]["message"]
    right = server.graphql({"query": SMALL}, key=k.portal, headers={"Origin": PORTAL_A})
    assert right.status_code == 200
    assert right.headers["access-control-allow-origin"] == PORTAL_A
    # The server's own pages (the GraphQL page at /graphql) are not another site either.
    own = server.graphql({"query": SMALL}, key=k.portal, headers={"Origin": server.base})
    assert own.status_code == 200
    # Server-to-server calls send no Origin and are not a browser on another site.
    assert server.graphql({"query": SMALL}, key=k.portal).status_code == 200
    # The same origin on a key without origins is just a CORS-allowed caller.
    assert server.graphql({"query": SMALL}, key=k.other, headers={"Origin": PORTAL_A}).is_success


# -- persisted queries ------------------------------------------------------------------------


def test_apq_miss_then_register_then_hit_by_hash_over_post(server: Server) -> None:
    query = unique_query()
    sha = sha256_hex(query)
    miss = server.graphql({"extensions": apq(sha)}, headers=fresh_ip())
    assert miss.status_code == 200  # Apollo clients retry with the text on this answer
    assert code(miss) == "PERSISTED_QUERY_NOT_FOUND"
    assert "no-cache" in miss.headers["cache-control"]
    registered = server.graphql({"query": query, "extensions": apq(sha)}, headers=fresh_ip())
    assert registered.status_code == 200, registered.text
    hit = server.graphql({"extensions": apq(sha)}, headers=fresh_ip())
    assert hit.status_code == 200, hit.text
    assert hit.json() == registered.json()
    assert next(iter(hit.json()["data"].values()))["totalCount"] >= 1


def test_apq_miss_then_register_then_hit_by_hash_over_get(server: Server) -> None:
    query = unique_query()
    extensions = json.dumps(apq(sha256_hex(query)))
    accept = "application/json"
    miss = server.graphql(params={"extensions": extensions}, accept=accept, headers=fresh_ip())
    assert (miss.status_code, code(miss)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    registered = server.graphql(
        params={"query": query, "extensions": extensions}, accept=accept, headers=fresh_ip()
    )
    assert registered.status_code == 200 and "data" in registered.json(), registered.text
    # A browser-like Accept must not get the GraphiQL page for a hash-only GET.
    hit = server.graphql(params={"extensions": extensions}, accept="*/*", headers=fresh_ip())
    assert hit.status_code == 200, hit.text
    assert hit.json() == registered.json()


def test_a_hash_that_does_not_match_the_query_is_bad_request(server: Server) -> None:
    query = unique_query()
    wrong = sha256_hex(query + " ")
    response = server.graphql({"query": query, "extensions": apq(wrong)}, headers=fresh_ip())
    assert response.status_code == 400
    assert code(response) == "BAD_REQUEST"
    assert response.json()["errors"][0]["message"] == "provided sha does not match query"
    # Nothing was cached under the wrong hash.
    again = server.graphql({"extensions": apq(wrong)}, headers=fresh_ip())
    assert code(again) == "PERSISTED_QUERY_NOT_FOUND"


def test_a_persisted_only_key_runs_its_allow_list_and_nothing_else(
    server: Server, keys: tuple[Keys, Path]
) -> None:
    k = keys[0]
    free = server.graphql({"query": SMALL}, key=k.locked)
    assert (free.status_code, code(free)) == (403, "PERSISTED_QUERY_NOT_ALLOWED")
    legacy = server.graphql({"query": SMALL}, key=k.locked, accept="application/json")
    assert (legacy.status_code, code(legacy)) == (200, "PERSISTED_QUERY_NOT_ALLOWED")
    # A hash the APQ cache knows, but not on this key's list, is refused too.
    cached = unique_query()
    server.graphql({"query": cached, "extensions": apq(sha256_hex(cached))}, headers=fresh_ip())
    not_listed = server.graphql({"extensions": apq(sha256_hex(cached))}, key=k.locked)
    assert code(not_listed) == "PERSISTED_QUERY_NOT_ALLOWED"
    allowed = server.graphql({"extensions": apq(k.allowed_sha)}, key=k.locked)
    assert allowed.status_code == 200, allowed.text
    edges = allowed.json()["data"]["clusters"]["edges"]
    assert edges and all(e["node"]["name"] for e in edges)
    # The allow-listed text itself is the same operation.
    assert server.graphql({"query": ALLOWED_OP}, key=k.locked).json() == allowed.json()
    # Allow-lists are per key: another key cannot run it by hash alone.
    elsewhere = server.graphql({"extensions": apq(k.allowed_sha)}, key=k.other)
    assert code(elsewhere) == "PERSISTED_QUERY_NOT_FOUND"


# -- access log -------------------------------------------------------------------------------


def _lines_for(server: Server, client: str, count: int) -> list[dict[str, Any]]:
    """The access lines of `client`, waiting briefly: a line is written after the response."""
    deadline = time.monotonic() + 5.0
    while True:
        lines = [line for line in server.access_lines() if line["client"] == client]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_one_access_line_per_request_and_no_secret_in_the_log(
    server: Server, keys: tuple[Keys, Path]
) -> None:
    k = keys[0]
    address = fresh_ip()
    client = address["X-Forwarded-For"]
    marker = f"marker{uuid.uuid4().hex}"
    query = (
        "query FindThem($text: String!) { search(text: $text) { totalCount } "
        f"{marker}: clusters(first: 1) {{ totalCount }} }}"
    )
    variables = {"text": f"secretvariable{uuid.uuid4().hex}"}
    sent = [
        server.graphql({"query": query, "variables": variables}, key=k.other, headers=address),
        server.http.post(
            f"{server.base}/graphql",
            json={"query": SMALL},
            headers={"X-API-Key": k.other, **address},
        ),
        server.graphql({"query": SMALL}, key=k.locked, headers=address),
        server.graphql({"extensions": apq(k.allowed_sha)}, key=k.locked, headers=address),
        server.graphql({"query": SMALL}, key=ADMIN_KEY, headers=address),
        server.graphql({"query": SMALL}, key=k.other + "x", headers=address),
        server.http.get(f"{server.base}/healthz", headers=address),
    ]
    statuses = [r.status_code for r in sent]
    assert statuses == [200, 200, 403, 200, 200, 401, 200]
    lines = _lines_for(server, client, 6)
    assert len(lines) == 6  # health probes are not logged
    assert [line["status"] for line in lines] == statuses[:6]
    first, by_header, refused, persisted, admin, unknown = lines
    assert (first["key_id"], first["partner"]) == (k.other_id, "Other Portal")
    assert first["operation"] == "FindThem"
    assert (first["method"], first["path"]) == ("POST", "/graphql")
    assert first["bytes"] == len(sent[0].content) and first["duration_ms"] >= 0
    assert first["ts"].endswith("+00:00")
    assert by_header["key_id"] == k.other_id and by_header["operation"] == "Clusters"
    assert refused["key_id"] == k.locked_id and refused["persisted"] is None
    assert refused["operation"] == "Clusters"
    assert persisted["persisted"] == k.allowed_sha
    assert persisted["operation"] == "PortalClusters"
    assert (admin["partner"], admin["key_id"]) == ("admin", None)
    assert unknown["key_id"] is None
    text = server.log.read_text(encoding="utf-8", errors="replace")
    secrets = [k.fast, k.other, k.portal, k.locked, ADMIN_KEY]
    secrets += [key.split("_", 2)[2] for key in (k.fast, k.other, k.portal, k.locked)]
    for secret in secrets:
        assert secret not in text
    assert marker not in text and variables["text"] not in text and "search(" not in text


# -- anonymous access off ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def closed_server(
    keys: tuple[Keys, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server where every data route needs a key (ICN_ANONYMOUS=off)."""
    uri = sqlite_uri(tmp_path_factory.mktemp("closed-store"))
    asyncio.run(_seed(uri))
    env = {"ICN_KEYS_FILE": str(keys[1]), "ICN_ANONYMOUS": "off", "RATE_LIMIT_IP": "0"}
    log = tmp_path_factory.mktemp("closed-log") / "server.log"
    with running_server(uri, env, log) as running:
        yield running


def test_without_anonymous_access_data_needs_a_key_but_pages_and_probes_do_not(
    closed_server: Server, keys: tuple[Keys, Path]
) -> None:
    server = closed_server
    refused = server.graphql({"query": SMALL})
    assert (refused.status_code, code(refused)) == (401, "UNAUTHENTICATED")
    assert server.http.get(f"{server.base}/schema.graphql").status_code == 401
    assert server.graphql({"query": SMALL}, key=keys[0].other).status_code == 200
    for path in ("/explore/", "/healthz", "/readyz"):
        assert server.http.get(f"{server.base}{path}").status_code == 200, path
    assert server.http.get(f"{server.base}/", follow_redirects=True).status_code == 200


# -- both backends ----------------------------------------------------------------------------


async def test_persisted_queries_run_alike_on_each_backend(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await store.apply(fixture_batch())
    k = _make_keys(tmp_path / "api-keys.json")
    env = {"ICN_KEYS_FILE": str(tmp_path / "api-keys.json"), "RATE_LIMIT_IP": "0"}
    with running_server(graph_uri, env, tmp_path / "server.log") as server:
        expected = server.graphql({"query": ALLOWED_OP}, key=k.other).json()
        assert expected["data"]["clusters"]["edges"], expected
        by_hash = server.graphql({"extensions": apq(k.allowed_sha)}, key=k.locked)
        assert by_hash.json() == expected
        query = unique_query()
        sha = sha256_hex(query)
        assert code(server.graphql({"extensions": apq(sha)})) == "PERSISTED_QUERY_NOT_FOUND"
        full = server.graphql({"query": query, "extensions": apq(sha)}).json()
        assert server.graphql({"extensions": apq(sha)}).json() == full
        assert next(iter(full["data"].values()))["totalCount"] >= 1
