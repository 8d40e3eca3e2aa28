"""The side-by-side: the same entity and search queries through the Neo4j GraphQL Library.

`bench/peer_workload.py` (with the Node app in `bench/peer/`) runs them against the same
Neo4j and data; this module calls it when it is there and records "not run" otherwise, so
the rest of the suite never depends on Node being installed.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["PEER_WORKLOADS", "peer_cell", "peer_ratio", "run_peer_cells"]

PEER_WORKLOADS = ["node2", "search"]
"""The workloads both APIs answer: a node with two levels of relationships, and search.

The peer's schema has typed relationship fields only, so its `node2` (and our query matched
to it, measured alongside) lists MEMBER_OF members and their memberships: see
bench/peer_workload.py. The ratio compares those two matched queries.
"""


async def run_peer_cells(
    neo4j_uri: str, *, api_url: str, clients: list[int], duration_s: float, warmup_s: float
) -> dict[str, Any]:
    """The peer's figures per concurrency, or a status saying why there are none.

    `api_url` is our server on the same Neo4j: `run_peer` first checks that both answer alike,
    then measures our matching query and the peer's one after the other, per workload.
    """
    try:
        module = importlib.import_module("bench.peer_workload")
    except ImportError as exc:
        return {"status": "not run", "reason": f"bench/peer_workload.py is not available ({exc})"}
    run_peer = getattr(module, "run_peer", None)
    if run_peer is None:
        return {"status": "not run", "reason": "bench.peer_workload has no run_peer"}
    by_clients: dict[str, Any] = {}
    for count in clients:
        try:
            by_clients[str(count)] = await run_peer(
                neo4j_uri,
                clients=count,
                duration_s=duration_s,
                workloads=list(PEER_WORKLOADS),
                api_url=api_url,
                warmup_s=warmup_s,
            )
        except Exception as exc:  # the peer is optional: its failure is a finding, not a crash
            return {
                "status": "failed",
                "reason": f"{type(exc).__name__}: {exc}"[:1000],
                "results": by_clients,
            }
    return {"status": "ran", "workloads": PEER_WORKLOADS, "results": by_clients}


def peer_cell(peer: dict[str, Any], workload: str, clients: int) -> dict[str, Any] | None:
    """The peer's figures for one workload and concurrency (with `ours`, our matching query)."""
    result = (peer.get("results") or {}).get(str(clients))
    cell = result.get(workload) if isinstance(result, dict) else None
    return cell if isinstance(cell, dict) else None


def peer_ratio(peer: dict[str, Any], workload: str, clients: int) -> float | None:
    """Our p50 over the peer's for the same query and items (below 1: we are faster)."""
    cell = peer_cell(peer, workload, clients)
    ratio = cell.get("p50_ratio") if cell else None
    return float(ratio) if isinstance(ratio, int | float) else None
