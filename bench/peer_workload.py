"""The peer comparison: the same entity and search queries through the Neo4j GraphQL Library.

Issue #6 asks that the Neo4j backend answer entity queries at least as fast as the Neo4j GraphQL
Library (`@neo4j/graphql` 7 on Apollo Server 5, `bench/peer/`) on the same data. This module
starts that peer, checks that it and our API give the same answers, and measures both with the
suite's own load driver (`bench.driver.run_cell`).

What makes the comparison fair:

- the same Neo4j server and the same stored graph: the peer's type definitions
  (`bench/peer/server.mjs`) read the nodes, relationships and full-text index our backend writes
  (`graph_store/_neo4j_codec.py`); nothing is copied or re-indexed;
- the same question, checked by `verify_same_answers`: `node2` is a node, its first 10 MEMBER_OF
  members and each member's first 5 MEMBER_OF memberships (50 items; ordered by the other end's
  id, then the relationship's id), with counts and every relationship's provenance fields;
  `search` is the first 10 nodes whose names or aliases match every word as a prefix, through
  the same Lucene index (`icn_entity_search`); the two rank those differently, so the search
  check compares the sets of matches, not pages (`search_differences`);
- the same HTTP client and load (closed loop, keep-alive, `bench.driver`), the same concurrency,
  the same items in the same order, a warm-up before each timed cell, both sides measured one
  after the other in the same run, and one server process each (the peer is one Node.js
  process: compare it with our WORKERS=1).

The peer runs with TCP_NODELAY on its Bolt sockets (see bench/peer/README.md): without it, the
Node.js driver's Nagle delay adds about 40 ms to each of the library's long queries, which
would flatter us.

What differs, and is the point of the comparison: the peer translates each request into one
generated Cypher query (nested `CALL {}` subqueries that collect every relationship, then sort
and cut), while our API resolves fields through DataLoaders over a few constant store calls.
The typed workload is the peer's limit, not ours: it has no field for "relationships of any
type", so `node2` fixes the type to MEMBER_OF (the suite's own `node2` lists any type). Two
differences favour the peer: its search phrase is built by the client (normalised words as
Lucene prefixes, `copenh* AND clean*`) while our server normalises the text and re-ranks the
index's candidates itself; and it returns the index's order without our ranking.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.driver import run_cell
from graph_store import normalise_text
from graph_store.ranking import MAX_CANDIDATES

__all__ = [
    "NODE2_FIRST",
    "NODE2_FIRST_NESTED",
    "OUR_QUERIES",
    "PEER_DIR",
    "PEER_QUERIES",
    "SEARCH_CHECK_PAGE",
    "SEARCH_FIRST",
    "WORKLOADS",
    "PeerMismatch",
    "SearchAnswers",
    "ensure_installed",
    "our_request",
    "peer_request",
    "peer_server",
    "run_peer",
    "sample_ids",
    "search_differences",
    "verify_same_answers",
]

PEER_DIR = Path(__file__).resolve().parent / "peer"
WORKLOADS = ("node2", "search")
NODE2_FIRST = 10
NODE2_FIRST_NESTED = 5
"""Members listed, then memberships per member: 10 + 10 x 5 = 60 items at most."""
SEARCH_FIRST = 10
SEARCH_CHECK_PAGE = 100
"""Hits per request when checking search: our API's largest page (MAX_PAGE_SIZE)."""
_READY_TIMEOUT_S = 90.0
_SEARCH_WORDS = 8  # as graph_store.ranking.query_tokens: more words add nothing but cost
_REL = "id since until certainty source evidence role"

OUR_QUERIES: Mapping[str, str] = {
    "node2": f"""query Node2($id: ID!, $first: Int!, $nested: Int!) {{
  node(id: $id) {{
    id name kind
    members: relationships(types: ["MEMBER_OF"], direction: IN, first: $first) {{
      totalCount
      edges {{
        node {{ {_REL} }}
        other {{
          id name kind
          memberOf: relationships(types: ["MEMBER_OF"], direction: OUT, first: $nested) {{
            totalCount edges {{ node {{ {_REL} }} other {{ id name kind }} }}
          }}
        }}
      }}
    }}
  }}
}}""",
    "search": """query Search($text: String!, $first: Int!) {
  search(text: $text, first: $first) { edges { score node { id name kind } } }
}""",
}
"""Our side of each workload, matched to the peer's (not the suite's generic `node2`)."""

_SORT = "[{node: {id: ASC}}, {edge: {id: ASC}}]"

PEER_QUERIES: Mapping[str, str] = {
    "node2": f"""query Node2($id: ID!, $first: Int!, $nested: Int!) {{
  entities(where: {{id: {{eq: $id}}}}) {{
    id name kind
    membersConnection(first: $first, sort: {_SORT}) {{
      totalCount
      edges {{
        properties {{ {_REL} }}
        node {{
          id name kind
          memberOfConnection(first: $nested, sort: {_SORT}) {{
            totalCount edges {{ properties {{ {_REL} }} node {{ id name kind }} }}
          }}
        }}
      }}
    }}
  }}
}}""",
    "search": """query Search($phrase: String!, $first: Int!) {
  searchEntities(phrase: $phrase, first: $first) { edges { score node { id name kind } } }
}""",
}
"""The peer's equivalents. Its connections are unordered unless sorted, so both levels sort as
ours does (by type, other end's id, relationship id; there is one type here)."""

Ids = Mapping[str, Sequence[str]]
"""`{"node2": node ids, "search": search texts}`."""


class PeerMismatch(AssertionError):
    """Our API and the peer answered the same question differently: the ratios would be moot."""


def our_request(workload: str, item: str) -> tuple[str, dict[str, Any]]:
    """Our (query, variables) for `workload`; `item` is a node id or a search text."""
    if workload == "node2":
        return OUR_QUERIES[workload], {
            "id": item,
            "first": NODE2_FIRST,
            "nested": NODE2_FIRST_NESTED,
        }
    return OUR_QUERIES[workload], {"text": item, "first": SEARCH_FIRST}


def _phrase(text: str) -> str:
    """A search text as a Lucene query over the normalised index: every word as a prefix."""
    words = normalise_text(text).split()[:_SEARCH_WORDS]
    return " AND ".join(f"{w}*" for w in words)  # normalised words are [0-9a-z]+: no escaping


def peer_request(workload: str, item: str) -> tuple[str, dict[str, Any]]:
    """The peer's (query, variables) for the same `workload` and `item`."""
    if workload == "node2":
        return PEER_QUERIES[workload], {
            "id": item,
            "first": NODE2_FIRST,
            "nested": NODE2_FIRST_NESTED,
        }
    return PEER_QUERIES[workload], {"phrase": _phrase(item), "first": SEARCH_FIRST}


# --- the peer server -------------------------------------------------------------------------


def ensure_installed() -> None:
    """`npm ci` in bench/peer when node_modules is missing or older than package-lock.json."""
    lock = PEER_DIR / "package-lock.json"
    installed = PEER_DIR / "node_modules" / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=PEER_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"npm ci in {PEER_DIR} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


async def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the peer answers a query that reaches Neo4j (not just `__typename`)."""
    probe = {"query": "{ entities(limit: 1) { id } }"}
    deadline = time.monotonic() + _READY_TIMEOUT_S
    async with httpx.AsyncClient(timeout=5.0) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"peer exited with {process.returncode}:\n{_tail(log)}")
            try:
                response = await http.post(f"{base}/graphql", json=probe)
                if response.status_code == 200 and "errors" not in response.json():
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    process.kill()
    process.wait()
    raise RuntimeError(f"peer not ready after {_READY_TIMEOUT_S}s:\n{_tail(log)}")


@asynccontextmanager
async def peer_server(
    neo4j_uri: str, *, port: int | None = None, log: Path | None = None
) -> AsyncIterator[str]:
    """Run the peer on `neo4j_uri` (`npm ci` first if needed); yields its base URL.

    It answers GraphQL at `{base}/graphql` (any path, in fact), as our server does, so the
    suite's driver posts to both the same way. NEO4J_USER / NEO4J_PASSWORD are passed on.
    """
    ensure_installed()
    port = port or _free_port()
    log = log or Path(os.environ.get("TMPDIR", "/tmp")) / f"icn-peer-{port}.log"
    env = {**os.environ, "NODE_ENV": "production"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["node", "server.mjs", "--port", str(port), "--uri", neo4j_uri],
            cwd=PEER_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- what to ask -----------------------------------------------------------------------------


async def _post(http: httpx.AsyncClient, base: str, request: tuple[str, dict[str, Any]]) -> Any:
    query, variables = request
    response = await http.post(f"{base}/graphql", json={"query": query, "variables": variables})
    payload = response.json()
    if response.status_code != 200 or payload.get("errors"):
        raise PeerMismatch(f"{base} failed ({response.status_code}): {payload.get('errors')}")
    return payload["data"]


_HUBS = """{
  hubs: entities(where: {kind: {in: ["Network", "Cluster", "Organisation"]}}, sort: [{id: ASC}],
                 limit: 5000) { id membersConnection { totalCount } }
  named: entities(where: {kind: {in: ["Cluster", "Organisation", "Person"]}}, sort: [{id: ASC}],
                  limit: 2000) { name }
}"""


async def sample_ids(base: str, *, count: int = 20, seed: int = 1) -> dict[str, list[str]]:
    """Items for both workloads, drawn from the data through the peer (any server on it would do).

    node2: the `count` nodes with most members (of the first 5000 networks, clusters and
    organisations by id), so that both levels have something to list. search: `count` texts
    from names (whole, a typed prefix, or a word and the start of the next), seeded.
    """
    async with httpx.AsyncClient(timeout=60.0) as http:
        data = await _post(http, base, (_HUBS, {}))
    hubs = sorted(
        (-h["membersConnection"]["totalCount"], h["id"])
        for h in data["hubs"]
        if h["membersConnection"]["totalCount"]
    )
    rng = random.Random(f"peer-search-{seed}")
    names = [n["name"] for n in data["named"]]
    texts = []
    for name in rng.sample(names, min(count, len(names))):
        words = name.split()
        style = rng.randrange(3)
        if style == 0 or len(words) == 1:
            texts.append(name)
        elif style == 1:
            texts.append(words[0][: max(3, len(words[0]) - 2)])
        else:
            texts.append(f"{words[0]} {words[1][:3]}")
    return {"node2": [i for _, i in hubs[:count]], "search": texts}


# --- the same answers ------------------------------------------------------------------------


def _node(n: Mapping[str, Any]) -> tuple[str, str, str]:
    return (n["id"], n["name"], str(n["kind"]).lower())


def _rel(r: Mapping[str, Any]) -> tuple[Any, ...]:
    certainty = str(r["certainty"]).lower()
    return (r["id"], r["since"], r["until"], certainty, r["source"], r["evidence"], r["role"])


def _our_tree(data: Mapping[str, Any]) -> Any:
    node = data["node"]
    if node is None:
        return None
    members = node["members"]
    return (
        _node(node),
        members["totalCount"],
        [
            (
                _rel(e["node"]),
                _node(e["other"]),
                e["other"]["memberOf"]["totalCount"],
                [(_rel(f["node"]), _node(f["other"])) for f in e["other"]["memberOf"]["edges"]],
            )
            for e in members["edges"]
        ],
    )


def _peer_tree(data: Mapping[str, Any]) -> Any:
    if not data["entities"]:
        return None
    (node,) = data["entities"]
    members = node["membersConnection"]
    return (
        _node(node),
        members["totalCount"],
        [
            (
                _rel(e["properties"]),
                _node(e["node"]),
                e["node"]["memberOfConnection"]["totalCount"],
                [
                    (_rel(f["properties"]), _node(f["node"]))
                    for f in e["node"]["memberOfConnection"]["edges"]
                ],
            )
            for e in members["edges"]
        ],
    )


# --- the same search matches -----------------------------------------------------------------

_NODE = "id name kind aliases"

_OUR_SEARCH_CHECK = f"""query SearchCheck($text: String!, $first: Int!, $after: String) {{
  search(text: $text, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {_NODE} }} }}
  }}
}}"""

_OUR_LOOKUP = f"""query Lookup($ids: [ID!]!) {{ nodes(ids: $ids) {{ {_NODE} }} }}"""

_PEER_SEARCH_CHECK = f"""query SearchCheck(
  $phrase: String!, $first: Int!, $ids: [ID!]!, $many: Int!
) {{
  page: searchEntities(phrase: $phrase, first: $first) {{
    totalCount edges {{ node {{ {_NODE} }} }}
  }}
  ours: searchEntities(phrase: $phrase, where: {{node: {{id: {{in: $ids}}}}}}, first: $many) {{
    edges {{ node {{ id }} }}
  }}
}}"""
"""The peer's first page, and which of our hits its search matches too (`ours`)."""


@dataclass(frozen=True, slots=True)
class SearchAnswers:
    """What `search_differences` compares for one text; nodes as the APIs return them.

    Each node is a mapping with id, name, kind and aliases (`id name kind aliases`).
    """

    text: str
    ours: Sequence[Mapping[str, Any]]
    """Every hit of our API, all pages (our `totalCount` is at most MAX_CANDIDATES)."""
    ours_total: int
    peer: Sequence[Mapping[str, Any]]
    """The peer's first SEARCH_CHECK_PAGE hits, in its order."""
    peer_total: int
    peer_finds: frozenset[str]
    """Which of our hits' ids the peer's search returns when restricted to them."""
    looked_up: Mapping[str, Mapping[str, Any]]
    """Our API's `nodes(ids:)` for the peer's hits, by id (ids it does not know are absent)."""


def _record(node: Mapping[str, Any]) -> tuple[Any, ...]:
    return (*_node(node), tuple(node.get("aliases") or ()))


def _prefixes_all(words: Sequence[str], labels: Sequence[str]) -> bool:
    tokens = " ".join(normalise_text(label) for label in labels).split()
    return all(any(t.startswith(w) for t in tokens) for w in words)


def _matches_ours(text: str, node: Mapping[str, Any]) -> bool:
    """Our rule (graph_store.ranking.score > 0): every word a prefix within ONE name or alias."""
    words = normalise_text(text).split()
    labels = [node["name"], *(node.get("aliases") or ())]
    return bool(words) and any(_prefixes_all(words, [label]) for label in labels)


def _matches_peer(text: str, node: Mapping[str, Any]) -> bool:
    """The peer's Lucene phrase: every word a prefix of a word of the name and aliases together."""
    words = normalise_text(text).split()[:_SEARCH_WORDS]
    return bool(words) and _prefixes_all(words, [node["name"], *(node.get("aliases") or ())])


def _few(ids: set[str] | list[str]) -> str:
    shown = sorted(ids)
    return ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


def search_differences(answers: SearchAnswers) -> list[str]:
    """What differs between our search and the peer's beyond ranking; empty if nothing does.

    Why not compare pages: both sides match through the same Lucene index, but rank apart (the
    peer in the index's order, where a prefix query scores every hit alike; we by our own tiers,
    on the index's best MAX_CANDIDATES). When more nodes match than fit in a page, the two
    pages legitimately hold different nodes ("Aqu": 116 matches, 16 different on each first
    100). So this compares what both must agree on whatever the order:

    1. every hit of ours matches by our rule (all words in one name or alias);
    2. every hit of the peer is a node our API has, with the same name, kind and aliases, and
       matches the peer's phrase (its words may be spread over a name and an alias: our rule
       drops such nodes, so the peer may find more);
    3. the peer's search finds every hit of ours (asked for just their ids);
    4. when the peer's matches all fit among our candidates (peer total <= MAX_CANDIDATES), each
       peer hit that matches by our rule is one of our hits: with 1-3 this makes the two sets
       equal when the peer's page holds all its matches;
    5. our total is at most the peer's (ours counts a subset of its matches).

    Wrong data (another name or kind for an id) breaks 2, a different set of nodes breaks 3 or 4.
    """
    text, problems = answers.text, []
    mine = {n["id"] for n in answers.ours}
    if len(mine) != answers.ours_total:
        problems.append(
            f"our pages hold {len(mine)} distinct hits, our total is {answers.ours_total}"
        )
    if bad := {n["id"] for n in answers.ours if not _matches_ours(text, n)}:
        problems.append(f"our hits that do not match: {_few(bad)}")
    unknown = {n["id"] for n in answers.peer if n["id"] not in answers.looked_up}
    if unknown:
        problems.append(f"peer hits our API does not have: {_few(unknown)}")
    altered = {
        n["id"]
        for n in answers.peer
        if n["id"] not in unknown and _record(n) != _record(answers.looked_up[n["id"]])
    }
    if altered:
        problems.append(f"peer hits whose name, kind or aliases differ from ours: {_few(altered)}")
    if bad := {n["id"] for n in answers.peer if not _matches_peer(text, n)}:
        problems.append(f"peer hits that do not match: {_few(bad)}")
    if missed := mine - answers.peer_finds:
        problems.append(f"our hits the peer's search does not find: {_few(missed)}")
    if answers.peer_total <= MAX_CANDIDATES:
        extra = {n["id"] for n in answers.peer if _matches_ours(text, n)} - mine
        if extra:
            problems.append(f"peer hits that match by our rule but we miss: {_few(extra)}")
    if answers.ours_total > answers.peer_total:
        problems.append(f"our total {answers.ours_total} exceeds the peer's {answers.peer_total}")
    return problems


async def _search_answers(
    http: httpx.AsyncClient, api_url: str, peer_url: str, text: str
) -> SearchAnswers:
    """Ask both sides what `search_differences` compares: all our pages, the peer's first."""
    ours: list[Mapping[str, Any]] = []
    after: str | None = None
    for _ in range(MAX_CANDIDATES // SEARCH_CHECK_PAGE + 1):  # our total <= MAX_CANDIDATES
        variables = {"text": text, "first": SEARCH_CHECK_PAGE, "after": after}
        page = (await _post(http, api_url, (_OUR_SEARCH_CHECK, variables)))["search"]
        ours += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    mine = sorted({n["id"] for n in ours})
    variables = {
        "phrase": _phrase(text),
        "first": SEARCH_CHECK_PAGE,
        "ids": mine,
        "many": max(len(mine), 1),
    }
    peer = await _post(http, peer_url, (_PEER_SEARCH_CHECK, variables))
    theirs = [e["node"] for e in peer["page"]["edges"]]
    found = await _post(http, api_url, (_OUR_LOOKUP, {"ids": [n["id"] for n in theirs]}))
    return SearchAnswers(
        text=text,
        ours=ours,
        ours_total=page["totalCount"],
        peer=theirs,
        peer_total=peer["page"]["totalCount"],
        peer_finds=frozenset(e["node"]["id"] for e in peer["ours"]["edges"]),
        looked_up={n["id"]: n for n in found["nodes"] if n is not None},
    )


async def verify_same_answers(api_url: str, peer_url: str, ids: Ids) -> dict[str, int]:
    """Raise PeerMismatch unless our API and the peer answer the benchmark's requests alike.

    node2: the same node, counts, members and memberships, relationship by relationship (id,
    dates, certainty, source, evidence, role) and in the same order: both sort the same way, so
    the pages must be equal. search: the same matches, whatever the order (`search_differences`
    says why pages cannot be compared and what is). Also raises when the check would be
    vacuous. Returns how many relationships and distinct search hits were compared.
    """
    compared = {"relationships": 0, "hits": 0}
    async with httpx.AsyncClient(timeout=60.0) as http:
        for node_id in ids.get("node2", ()):
            ours = _our_tree(await _post(http, api_url, our_request("node2", node_id)))
            peer = _peer_tree(await _post(http, peer_url, peer_request("node2", node_id)))
            if ours != peer:
                raise PeerMismatch(f"node2 {node_id!r} differs:\n ours: {ours}\n peer: {peer}")
            if ours is not None:
                compared["relationships"] += sum(1 + len(e[3]) for e in ours[2])
        for text in ids.get("search", ()):
            answers = await _search_answers(http, api_url, peer_url, text)
            problems = search_differences(answers)
            if problems:
                raise PeerMismatch(f"search {text!r}: " + "; ".join(problems))
            compared["hits"] += len({n["id"] for n in (*answers.ours, *answers.peer)})
    if ids.get("node2") and not compared["relationships"]:
        raise PeerMismatch("node2: no relationship compared; pick ids of nodes with members")
    if ids.get("search") and not compared["hits"]:
        raise PeerMismatch("search: no hit compared; pick texts that match something")
    return compared


# --- the run ---------------------------------------------------------------------------------


def _ratio(ours: float, peer: float) -> float | None:
    return round(ours / peer, 3) if peer else None


async def run_peer(
    neo4j_uri: str,
    *,
    clients: int,
    duration_s: float,
    workloads: Sequence[str] = WORKLOADS,
    ids: Ids | None = None,
    api_url: str | None = None,
    warmup_s: float = 1.0,
) -> dict[str, dict[str, Any]]:
    """Start the peer on `neo4j_uri`, measure `workloads` at `clients` clients, stop it.

    Returns `{workload: figures}` with the peer's `bench.driver.CellResult` fields (p50_ms,
    p95_ms, p99_ms, rps, errors, requests, ...). `ids` defaults to `sample_ids`. With `api_url`
    (our server, running on the same Neo4j) the answers are first checked with
    `verify_same_answers` (PeerMismatch if they differ), and each workload's figures also hold
    `ours` (our matched query, measured just before the peer's, same driver and items) and
    `p50_ratio` = ours / peer (below 1: we are faster) and `rps_ratio` = ours / peer (above 1).
    """
    unknown = sorted(set(workloads) - set(WORKLOADS))
    if unknown:
        raise ValueError(f"unknown peer workloads {unknown}; known: {list(WORKLOADS)}")
    async with peer_server(neo4j_uri) as peer_url:
        items = ids if ids is not None else await sample_ids(peer_url)
        if api_url is not None:
            await verify_same_answers(api_url, peer_url, items)
        results: dict[str, dict[str, Any]] = {}
        for workload in workloads:
            chosen = items.get(workload) or ()
            if not chosen:
                raise ValueError(f"no items for {workload!r}: node ids for node2, texts for search")
            ours = None
            if api_url is not None:
                ours = await run_cell(
                    api_url,
                    workload,
                    [our_request(workload, i) for i in chosen],
                    clients=clients,
                    duration_s=duration_s,
                    warmup_s=warmup_s,
                )
            peer = await run_cell(
                peer_url,
                workload,
                [peer_request(workload, i) for i in chosen],
                clients=clients,
                duration_s=duration_s,
                warmup_s=warmup_s,
            )
            figures: dict[str, Any] = asdict(peer)
            if ours is not None:
                figures["ours"] = asdict(ours)
                figures["p50_ratio"] = _ratio(ours.p50_ms, peer.p50_ms)
                figures["rps_ratio"] = _ratio(ours.rps, peer.rps)
            results[workload] = figures
    return results
