"""The targets of issue #6, checked against a run's figures (scale M; embedded unless stated).

A target whose figure the run did not produce (another scale, a backend left out, no peer)
is "not measured": neither met nor missed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.peer import peer_ratio

__all__ = ["TARGET_SCALE", "Target", "evaluate"]

TARGET_SCALE = "M"

Run = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Target:
    """One target: what, the limit, and how to read the figure from the runs of scale M."""

    key: str
    what: str
    limit: float
    unit: str
    at_most: bool
    figure: Callable[[dict[str, Run]], float | None]


def _cell(runs: dict[str, Run], backend: str, workload: str, clients: int | None = None) -> Any:
    run = runs.get(backend)
    if run is None:
        return None
    cells = [c for c in run["cells"] if c["workload"] == workload]
    if clients is None and cells:
        clients = min(c["clients"] for c in cells)
    return next((c for c in cells if c["clients"] == clients), None)


def _p(backend: str, workload: str, key: str, clients: int | None = None) -> Callable:
    def read(runs: dict[str, Run]) -> float | None:
        cell = _cell(runs, backend, workload, clients)
        return cell[key] if cell else None

    return read


def _overhead(runs: dict[str, Run]) -> float | None:
    run, cell = runs.get("sqlite"), _cell(runs, "sqlite", "paths")
    floor = run.get("floor") if run else None
    if not cell or not floor or not floor["p50_ms"]:
        return None
    return round(cell["p50_ms"] / floor["p50_ms"], 2)


def _run_figure(backend: str, *keys: str) -> Callable:
    def read(runs: dict[str, Run]) -> float | None:
        value: Any = runs.get(backend)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return read


def _first_paths(runs: dict[str, Run]) -> float | None:
    run = runs.get("sqlite")
    cold = ((run or {}).get("cold_ms") or {}).get("paths")
    if not run or not cold or run.get("startup_s") is None:
        return None
    return round(run["startup_s"] + cold["ms"] / 1000, 2)


def _versus_peer(workload: str) -> Callable:
    def read(runs: dict[str, Run]) -> float | None:
        run = runs.get("neo4j")
        peer = run.get("peer") if run else None
        results = (peer or {}).get("results") or {}
        if not results:
            return None
        return peer_ratio(peer, workload, min(int(c) for c in results))

    return read


TARGETS: tuple[Target, ...] = (
    Target("paths_p50", "paths p50 (1 client)", 10, "ms", True, _p("sqlite", "paths", "p50_ms")),
    Target("paths_p99", "paths p99 (1 client)", 50, "ms", True, _p("sqlite", "paths", "p99_ms")),
    Target("paths_overhead", "paths GraphQL p50 / bare store p50", 1.5, "x", True, _overhead),
    Target("node2_p50", "node2 p50 (1 client)", 10, "ms", True, _p("sqlite", "node2", "p50_ms")),
    Target("search_p50", "search p50 (1 client)", 10, "ms", True, _p("sqlite", "search", "p50_ms")),
    Target(
        "mixed_rps", "mixed at 32 clients", 500, "req/s", False, _p("sqlite", "mixed", "rps", 32)
    ),
    Target(
        "load_sqlite",
        "load into the embedded store",
        60,
        "s",
        True,
        _run_figure("sqlite", "load", "total_s"),
    ),
    Target(
        "load_neo4j", "load into Neo4j", 120, "s", True, _run_figure("neo4j", "load", "total_s")
    ),
    Target("startup", "start-up to ready", 10, "s", True, _run_figure("sqlite", "startup_s")),
    Target(
        "startup_first_paths",
        "start-up to the first paths answer (each worker builds the index as it starts)",
        10,
        "s",
        True,
        _first_paths,
    ),
    Target(
        "memory",
        "server peak memory",
        1536,
        "MiB",
        True,
        _run_figure("sqlite", "server_peak_rss_mb"),
    ),
    Target(
        "neo4j_paths_p50",
        "Neo4j backend: paths p50 (1 client)",
        25,
        "ms",
        True,
        _p("neo4j", "paths", "p50_ms"),
    ),
    Target(
        "peer_node2",
        "Neo4j backend: node2 p50 / Neo4j GraphQL Library p50",
        1.0,
        "x",
        True,
        _versus_peer("node2"),
    ),
    Target(
        "peer_search",
        "Neo4j backend: search p50 / Neo4j GraphQL Library p50",
        1.0,
        "x",
        True,
        _versus_peer("search"),
    ),
)


def evaluate(runs: list[Run]) -> list[dict[str, Any]]:
    """Each target with its measured figure and whether it was met (None: not measured)."""
    at_scale = {r["backend"]: r for r in runs if r["scale"] == TARGET_SCALE}
    rows = []
    for target in TARGETS:
        measured = target.figure(at_scale)
        compare = operator.le if target.at_most else operator.ge
        rows.append(
            {
                "key": target.key,
                "what": target.what,
                "limit": f"{'<=' if target.at_most else '>='} {target.limit:g} {target.unit}",
                "measured": measured,
                "unit": target.unit,
                "met": None if measured is None else bool(compare(measured, target.limit)),
            }
        )
    return rows
