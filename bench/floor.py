"""The floors: what a request costs before the API does any work, measured in the run itself.

The paths floor: `resolvers.paths.find_paths` makes one store call, `store.paths` (which also
answers NotFound for an endpoint that is not a node); timing exactly that call on a store
opened in this process gives the floor that GraphQL, HTTP and JSON are added to. The ratio of
the end-to-end p50 to this p50 is the API's overhead.

The fixed costs: an HTTP request that asks for no work (`{ __typename }`, through the same
client, server and middlewares as the workloads) and one store round trip that reads nothing
(`store.health()`). A target below what these two add up to cannot be met by making the
GraphQL layer cheaper, so the page shows them next to the ratios they bound.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bench.driver import percentile, run_cell
from bench.workloads import PATHS_FIRST, PATHS_MAX_HOPS
from graph_store import open_store
from resolvers.paths import path_query

__all__ = ["FixedCosts", "FloorResult", "measure_fixed_costs", "measure_floor"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FloorResult:
    """Bare-store figures of the paths workload (one caller, in turn)."""

    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    with_path: float
    """Share of the pairs that have at least one path within the hop limit."""


@dataclass(frozen=True, slots=True)
class FixedCosts:
    """The run's fixed costs at one client (see the module's docstring)."""

    http_p50_ms: float
    """`{ __typename }` over HTTP: the client, the middlewares and the GraphQL view."""
    http_p99_ms: float
    store_call_p50_ms: float
    """`store.health()` in this process: one round trip to the store with nothing read."""
    store_call_p99_ms: float


_NO_WORK = ("{ __typename }", {})


async def measure_fixed_costs(
    uri: str, base: str, *, duration_s: float, warmup_s: float
) -> FixedCosts:
    """Time a request that asks for nothing at `base`, then a bare store round trip at `uri`."""
    http = await run_cell(
        base, "no work", [_NO_WORK], clients=1, duration_s=duration_s, warmup_s=warmup_s
    )
    if http.errors or not http.requests:
        raise RuntimeError(f"`{{ __typename }}` failed: {http.error_samples[:1]}")
    store = await open_store(uri)

    async def probe(_turn: int) -> None:
        health = await store.health()
        if not health.ok:
            raise RuntimeError(f"the store's health probe failed: {health.detail}")

    try:
        calls = sorted(ms for ms, _ in await _in_turn(probe, duration_s, warmup_s))
    finally:
        await store.aclose()
    if not calls:
        raise RuntimeError("no store round trip was timed")
    return FixedCosts(
        http_p50_ms=http.p50_ms,
        http_p99_ms=http.p99_ms,
        store_call_p50_ms=round(percentile(calls, 50), 3),
        store_call_p99_ms=round(percentile(calls, 99), 3),
    )


async def measure_floor(
    uri: str, pairs: Sequence[tuple[str, str]], *, duration_s: float, warmup_s: float
) -> FloorResult:
    """Time `paths` for `pairs` in turn, for `duration_s` seconds."""
    query = path_query(max_hops=PATHS_MAX_HOPS, first=PATHS_FIRST)  # as the resolver builds it
    store = await open_store(uri)

    async def walk(turn: int) -> bool:
        src, dst = pairs[turn % len(pairs)]
        return bool(await store.paths(src, dst, query))

    try:
        await store.warm()  # the embedded store's traversal index: built before, not timed
        timed = await _in_turn(walk, duration_s, warmup_s)
    finally:
        await store.aclose()
    values = sorted(ms for ms, _ in timed)
    if not values:
        raise RuntimeError("the paths floor measured no call")
    return FloorResult(
        requests=len(values),
        p50_ms=round(percentile(values, 50), 3),
        p95_ms=round(percentile(values, 95), 3),
        p99_ms=round(percentile(values, 99), 3),
        with_path=round(sum(found for _, found in timed) / len(values), 3),
    )


async def _in_turn(
    call: Callable[[int], Awaitable[T]], duration_s: float, warmup_s: float
) -> list[tuple[float, T]]:
    """(milliseconds, answer) of each `call(turn)`, made one after another for `duration_s`
    after `warmup_s` of untimed calls."""
    timed: list[tuple[float, T]] = []
    turn = 0
    measure_from = time.perf_counter() + warmup_s
    end = measure_from + duration_s
    while (now := time.perf_counter()) < end:
        answer = await call(turn)
        turn += 1
        if now >= measure_from:
            timed.append(((time.perf_counter() - now) * 1000, answer))
    return timed
