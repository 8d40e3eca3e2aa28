"""Scopes, guarded fields, certainty floors and anonymous mode, over HTTP against `server.py`.

Per backend, one server runs with anonymous reads on and a key file written by `icn-keys`
(`resolvers.keys_cli.main`, the CLI's own code path); a second one, with ICN_ANONYMOUS=off,
starts only for the test that needs it. Keys are added and revoked while the servers run, as an
operator would. Every restricted answer is compared with the admin key's answer to the same
query, so a test fails if the restriction hides nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from resolvers.keys_cli import main as icn_keys
from tests.api.conftest import (
    ADMIN_KEY,
    DATA_DIR,
    _fill_uri,
    _free_port,
    _wait_ready,
    backend,
    dataset_available,
)
from tests.conftest import sqlite_uri

__all__ = ["backend"]  # the session-wide backend parameter of tests/api, shared

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = {"UNCERTAIN", "PLANNED"}
HUB = "network/icn"
PERSON_ROLES = {"WORKS_FOR", "HOLDS_POSITION"}
PEOPLE = """{
  people(first: 100) { edges { node {
    id name title description employers { totalCount } positions { totalCount }
  } } }
}"""
CLUSTERS = "{ clusters(first: 100) { totalCount edges { node { id name country } } } }"
EMPLOYEES = "{ clusters(first: 100) { edges { node { id name employees { totalCount } } } } }"
UPSERT_NODE = "mutation U($node: NodeInput!) { upsertNode(node: $node) { node { id } } }"
RELATIONSHIPS = """query R($id: ID!, $min: Certainty) {
  node(id: $id) { relationships(first: 100, minCertainty: $min) {
    totalCount edges { node { id type certainty role } }
  } }
}"""
PATHS = """query P($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 3, first: 20) {
    length steps { relationship { id certainty } }
  }
}"""
INTRODUCTIONS = """query I($from: ID!, $to: ID!) {
  introductions(from: $from, to: $to, maxHops: 4, first: 10) {
    intermediary { id } reason paths { steps { relationship { id certainty } } }
  }
}"""
NEIGHBOURHOOD = """query N($id: ID!, $min: Certainty) {
  neighbourhood(id: $id, depth: 3, limit: 500, minCertainty: $min) {
    truncated nodes { node { id } } relationships { id type certainty }
  }
}"""
STATS = "{ stats { relationshipsByType { type count } } }"
HUB_RELATIONSHIPS = """query H($id: ID!) {
  node(id: $id) { relationships(first: 100) {
    totalCount edges { node { id type certainty from { id } to { id } } }
  } }
}"""
MEMBERS = "query M($id: ID!) { node(id: $id) { ... on Network { members { totalCount } } } }"


def _cli(keys: Path, *args: str) -> str:
    """Run `icn-keys` on `keys`; its stdout (it must succeed)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = icn_keys(["--keys-file", str(keys), *args], env={})
    assert code == 0, err.getvalue()
    return out.getvalue()


def _new_key(keys: Path, *args: str) -> str:
    (key,) = [line for line in _cli(keys, "create", *args).splitlines() if line.startswith("icn_")]
    return key


@dataclass
class Server:
    """A running server, its key file and the keys made for the tests."""

    base: str
    keys_file: Path
    http: httpx.Client
    keys: dict[str, str]

    def post(
        self, query: str, variables: dict[str, Any] | None = None, *, key: str | None = None
    ) -> httpx.Response:
        headers = {"Accept": "application/graphql-response+json"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        body = {"query": query, "variables": variables or {}}
        return self.http.post(f"{self.base}/graphql", json=body, headers=headers)

    def body(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        response = self.post(query, variables, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        body = self.body(query, variables, **kw)
        assert not body.get("errors"), body["errors"]
        return body["data"]


@contextlib.contextmanager
def _serve(uri: str, keys_file: Path, log: Path, **env: str) -> Iterator[str]:
    port = _free_port()
    full_env = {
        **os.environ,
        "GRAPH_URI": uri,
        "ICN_ADMIN_KEY": ADMIN_KEY,
        "ICN_KEYS_FILE": str(keys_file),
        "ICN_DATA_DIR": str(DATA_DIR),
        "RATE_LIMIT_IP": "0",
        "RATE_LIMIT_KEY": "0",
        "LOG_LEVEL": "warning",
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "server.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def graph_uri(backend: str, request: pytest.FixtureRequest, tmp_path_factory: Any) -> str:
    """The store of this module's servers, holding the ICN data."""
    if backend == "sqlite":
        uri = sqlite_uri(tmp_path_factory.mktemp("access-sqlite"))
        if not dataset_available():
            asyncio.run(_fill_uri(uri))
        return uri
    uri = request.getfixturevalue("neo4j_uri")
    asyncio.run(_fill_uri(uri))
    return uri


@pytest.fixture(scope="module")
def server(backend: str, graph_uri: str, tmp_path_factory: Any) -> Iterator[Server]:
    """The anonymous-read server with a reader, a contacts and a floored partner key."""
    tmp = tmp_path_factory.mktemp(f"access-{backend}")
    keys_file = tmp / "var" / "api-keys.json"
    keys = {
        "reader": _new_key(keys_file, "--partner", "Reader", "--scope", "read"),
        "contacts": _new_key(
            keys_file, "--partner", "Contacts", "--scope", "read", "--scope", "read:contacts"
        ),
        "floored": _new_key(
            keys_file,
            "--partner",
            "Floored",
            "--scope",
            "read",
            "--scope",
            "read:contacts",
            "--min-certainty",
            "inferred",
        ),
        "admin": ADMIN_KEY,
    }
    with _serve(graph_uri, keys_file, tmp / "server.log") as base, httpx.Client(timeout=30) as h:
        yield Server(base=base, keys_file=keys_file, http=h, keys=keys)


def _codes(body: dict[str, Any]) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors", [])}


def test_read_scope_gets_forbidden_on_contacts_and_data_elsewhere(server: Server) -> None:
    full = server.data(PEOPLE, key=server.keys["contacts"])["people"]["edges"]
    assert full == server.data(PEOPLE, key=server.keys["admin"])["people"]["edges"]
    assert any(e["node"]["title"] for e in full)
    assert any(e["node"]["description"] for e in full)
    assert sum(e["node"]["positions"]["totalCount"] for e in full) > 0
    assert sum(e["node"]["employers"]["totalCount"] for e in full) > 0
    guarded = ("title", "description", "employers", "positions")
    for who in ("reader", None):  # a read-only key, and anonymous callers
        body = server.body(PEOPLE, key=server.keys[who] if who else None)
        assert _codes(body) == {"FORBIDDEN"}
        assert {e["path"][-1] for e in body["errors"]} == set(guarded)
        assert len(body["errors"]) == len(full) * len(guarded)
        assert all("read:contacts" in e["message"] for e in body["errors"])
        people = body["data"]["people"]["edges"]
        assert [e["node"]["name"] for e in people] == [e["node"]["name"] for e in full]
        assert all(e["node"][f] is None for e in people for f in guarded)
        clusters = server.data(CLUSTERS, key=server.keys[who] if who else None)
        assert clusters == server.data(CLUSTERS, key=server.keys["admin"])
        assert clusters["clusters"]["totalCount"] > 0
    employees = server.body(EMPLOYEES, key=server.keys["reader"])
    assert _codes(employees) == {"FORBIDDEN"}
    assert all(e["node"]["employees"] is None for e in employees["data"]["clusters"]["edges"])
    assert all(e["node"]["name"] for e in employees["data"]["clusters"]["edges"])
    assert server.data(EMPLOYEES, key=server.keys["contacts"])


def test_person_roles_on_relationships_need_contacts(server: Server) -> None:
    """A WORKS_FOR/HOLDS_POSITION role is guarded; a MEMBER_OF role stays public."""
    query = "{ clusters(first: 100) { edges { node { id } } } }"
    ids = [e["node"]["id"] for e in server.data(query)["clusters"]["edges"]] + [HUB]
    for node_id in ids:
        admin = server.data(RELATIONSHIPS, {"id": node_id}, key=server.keys["admin"])
        edges = [e["node"] for e in admin["node"]["relationships"]["edges"]]
        roles = [e for e in edges if e["role"] and e["type"] in PERSON_ROLES]
        public = [e for e in edges if e["role"] and e["type"] not in PERSON_ROLES]
        if roles and public:
            break
    else:
        pytest.fail("no cluster has both a person's role and another role to compare")
    body = server.body(RELATIONSHIPS, {"id": node_id}, key=server.keys["reader"])
    assert _codes(body) == {"FORBIDDEN"}
    person_edges = [e for e in edges if e["type"] in PERSON_ROLES]
    assert len(body["errors"]) == len(person_edges)
    assert all(e["path"][-1] == "role" for e in body["errors"])
    seen = {e["node"]["id"]: e["node"] for e in body["data"]["node"]["relationships"]["edges"]}
    for edge in edges:
        expected = None if edge["type"] in PERSON_ROLES else edge["role"]
        assert seen[edge["id"]]["role"] == expected, edge
    assert server.data(RELATIONSHIPS, {"id": node_id}, key=server.keys["contacts"]) == admin


def test_partner_keys_cannot_mutate(server: Server) -> None:
    slug = f"access-test-{uuid.uuid4().hex[:8]}"
    node = {
        "id": f"organisation/{slug}",
        "kind": "ORGANISATION",
        "name": f"Access Test {slug}",
        "sources": ["001_2c97c374e4d0cab0.txt"],
    }
    for who in ("reader", "contacts", "floored"):
        body = server.body(UPSERT_NODE, {"node": node}, key=server.keys[who])
        assert _codes(body) == {"FORBIDDEN"} and body["data"] is None
        assert "'write' scope" in body["errors"][0]["message"]
    lookup = f'{{ node(id: "organisation/{slug}") {{ id }} }}'
    assert server.data(lookup, key=server.keys["admin"])["node"] is None
    # The same mutation works with a key that holds `write`, so the refusal was the scope.
    writer = _new_key(server.keys_file, "--partner", "Writer", "--scope", "write")
    made = server.data(UPSERT_NODE, {"node": node}, key=writer)["upsertNode"]["node"]
    assert made == {"id": f"organisation/{slug}"}


def test_new_key_works_and_revoked_key_is_refused_at_once(server: Server) -> None:
    key = _new_key(server.keys_file, "--partner", "Soon revoked", "--scope", "read")
    assert server.data(CLUSTERS, key=key)["clusters"]["totalCount"] > 0
    by_header = server.http.post(
        f"{server.base}/graphql", json={"query": CLUSTERS}, headers={"X-API-Key": key}
    )
    assert by_header.status_code == 200 and "errors" not in by_header.json()
    _cli(server.keys_file, "revoke", key.split("_")[1])
    refused = server.post(CLUSTERS, key=key)
    assert refused.status_code == 401
    assert _codes(refused.json()) == {"UNAUTHENTICATED"}
    assert "data" not in refused.json()
    assert refused.headers["www-authenticate"].lower().startswith("bearer")
    unknown = server.post(CLUSTERS, key="icn_00000000_" + "x" * 43)
    assert unknown.status_code == 401 and _codes(unknown.json()) == {"UNAUTHENTICATED"}
    assert server.post(CLUSTERS, key=server.keys["reader"]).status_code == 200


def test_anonymous_off_refuses_requests_without_a_key(
    server: Server, graph_uri: str, backend: str, tmp_path_factory: Any
) -> None:
    log = tmp_path_factory.mktemp(f"access-off-{backend}") / "server.log"
    with (
        _serve(graph_uri, server.keys_file, log, ICN_ANONYMOUS="off") as base,
        httpx.Client(timeout=30) as http,
    ):
        closed = Server(base=base, keys_file=server.keys_file, http=http, keys=server.keys)
        refused = closed.post(CLUSTERS)
        assert refused.status_code == 401
        assert _codes(refused.json()) == {"UNAUTHENTICATED"}
        assert http.get(f"{base}/graphql", params={"query": CLUSTERS}).status_code == 401
        assert closed.data(CLUSTERS, key=server.keys["reader"]) == server.data(CLUSTERS)
        assert http.get(f"{base}/healthz").status_code == 200


def _hidden_edges(server: Server) -> list[dict[str, Any]]:
    sub = server.data(NEIGHBOURHOOD, {"id": HUB}, key=server.keys["admin"])["neighbourhood"]
    return sub["relationships"]


def _hub_edges(server: Server, key: str) -> list[dict[str, Any]]:
    """Every relationship of the hub (one page of at most 100 must hold them all)."""
    rels = server.data(HUB_RELATIONSHIPS, {"id": HUB}, key=key)["node"]["relationships"]
    assert len(rels["edges"]) == rels["totalCount"], "the hub has more than one page"
    return [e["node"] for e in rels["edges"]]


def test_floor_hides_relationships_everywhere(server: Server) -> None:
    admin, floored = server.keys["admin"], server.keys["floored"]
    everything = _hidden_edges(server)
    hidden_ids = {r["id"] for r in everything if r["certainty"] in HIDDEN}
    assert hidden_ids, "the dataset has no uncertain or planned relationship near the hub"
    # Neighbourhood: as if the caller had asked for minCertainty INFERRED itself.
    own = server.data(NEIGHBOURHOOD, {"id": HUB}, key=floored)["neighbourhood"]
    asked = {"id": HUB, "min": "INFERRED"}
    assert own == server.data(NEIGHBOURHOOD, asked, key=admin)["neighbourhood"]
    assert {r["id"] for r in own["relationships"]} <= {r["id"] for r in everything} - hidden_ids
    # A node's relationships and their count, whatever minCertainty the caller asks for.
    hub = _hub_edges(server, admin)
    assert {e["certainty"] for e in hub} & HIDDEN
    theirs = server.data(RELATIONSHIPS, {"id": HUB, "min": "INFERRED"}, key=admin)
    assert theirs["node"]["relationships"]["totalCount"] < len(hub)
    for wanted in (None, "PLANNED", "UNCERTAIN", "INFERRED"):
        mine = server.data(RELATIONSHIPS, {"id": HUB, "min": wanted}, key=floored)
        rels = mine["node"]["relationships"]["edges"]
        assert rels and not {e["node"]["certainty"] for e in rels} & HIDDEN
        assert mine == theirs
    # A stricter argument than the floor still applies.
    stated = server.data(RELATIONSHIPS, {"id": HUB, "min": "STATED"}, key=floored)
    assert stated == server.data(RELATIONSHIPS, {"id": HUB, "min": "STATED"}, key=admin)
    # Typed relationship fields and their counts (the network's members).
    members = server.data(MEMBERS, {"id": HUB}, key=floored)["node"]["members"]["totalCount"]
    everyone = server.data(MEMBERS, {"id": HUB}, key=admin)["node"]["members"]["totalCount"]
    incoming = [e for e in hub if e["type"] == "MEMBER_OF" and e["to"]["id"] == HUB]
    assert everyone == len(incoming)
    assert members == len([e for e in incoming if e["certainty"] not in HIDDEN])


def _step_ids(paths: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (s["relationship"]["id"], s["relationship"]["certainty"]) for p in paths for s in p["steps"]
    ]


def test_floor_hides_relationships_from_paths_and_introductions(server: Server) -> None:
    admin, floored = server.keys["admin"], server.keys["floored"]
    pairs = [(e["from"]["id"], e["to"]["id"]) for e in _hub_edges(server, admin)]
    hidden_pairs = [
        (e["from"]["id"], e["to"]["id"])
        for e in _hub_edges(server, admin)
        if e["certainty"] in HIDDEN
    ]
    assert hidden_pairs and len(pairs) > len(hidden_pairs)
    for src, dst in hidden_pairs:
        variables = {"from": src, "to": dst}
        theirs = _step_ids(server.data(PATHS, variables, key=admin)["paths"])
        mine = _step_ids(server.data(PATHS, variables, key=floored)["paths"])
        assert {c for _, c in theirs} & HIDDEN  # the direct, hidden relationship at least
        assert not {c for _, c in mine} & HIDDEN
        assert set(mine) <= set(theirs)
        intros = server.data(INTRODUCTIONS, variables, key=floored)["introductions"]
        steps = _step_ids([p for i in intros for p in i["paths"]])
        assert not {c for _, c in steps} & HIDDEN


def test_floor_recounts_stats(server: Server) -> None:
    def counts(key: str) -> Counter[str]:
        rows = server.data(STATS, key=key)["stats"]["relationshipsByType"]
        return Counter({r["type"]: r["count"] for r in rows})

    everything, mine = counts(server.keys["admin"]), counts(server.keys["floored"])
    assert set(mine) == set(everything)
    assert counts(server.keys["reader"]) == everything
    seen = _hidden_edges(server)
    hidden = Counter(r["type"] for r in seen if r["certainty"] in HIDDEN)
    visible = Counter(r["type"] for r in seen if r["certainty"] not in HIDDEN)
    assert hidden
    for rel_type, total in everything.items():
        assert visible[rel_type] <= mine[rel_type] <= total - hidden[rel_type], rel_type
    assert sum(mine.values()) < sum(everything.values())
