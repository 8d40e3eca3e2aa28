"""The paths floor: the bare store calls the `paths` resolver makes, for the same pairs.

`resolvers.paths.find_paths` makes one store call, `store.paths` (which also answers
NotFound for an endpoint that is not a node); timing exactly that call on a store opened in
this process gives the floor that GraphQL, HTTP and JSON are added to. The ratio of the
end-to-end p50 to this p50 is the API's overhead.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.driver import percentile
from bench.workloads import PATHS_FIRST, PATHS_MAX_HOPS
from graph_store import open_store
from resolvers.paths import path_query

__all__ = ["FloorResult", "measure_floor"]


@dataclass(frozen=True, slots=True)
class FloorResult:
    """Bare-store figures of the paths workload (one caller, in turn)."""

    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    with_path: float
    """Share of the pairs that have at least one path within the hop limit."""


async def measure_floor(
    uri: str, pairs: Sequence[tuple[str, str]], *, duration_s: float, warmup_s: float
) -> FloorResult:
    """Time `paths` for `pairs` in turn, for `duration_s` seconds."""
    query = path_query(max_hops=PATHS_MAX_HOPS, first=PATHS_FIRST)  # as the resolver builds it
    store = await open_store(uri)
    try:
        await store.warm()  # the embedded store's traversal index: built before, not timed
        latencies: list[float] = []
        found = 0
        turn = 0
        started = time.perf_counter()
        measure_from = started + warmup_s
        end = measure_from + duration_s
        while (now := time.perf_counter()) < end:
            src, dst = pairs[turn % len(pairs)]
            turn += 1
            paths = await store.paths(src, dst, query)
            if now >= measure_from:
                latencies.append(time.perf_counter() - now)
                found += bool(paths)
    finally:
        await store.aclose()
    values = sorted(x * 1000 for x in latencies)
    if not values:
        raise RuntimeError("the paths floor measured no call")
    return FloorResult(
        requests=len(values),
        p50_ms=round(percentile(values, 50), 3),
        p95_ms=round(percentile(values, 95), 3),
        p99_ms=round(percentile(values, 99), 3),
        with_path=round(found / len(values), 3),
    )
