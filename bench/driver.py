"""The load driver: N clients in a closed loop over keep-alive HTTP, for a fixed time.

Each client sends its next request as soon as the previous answer arrived, so N is the number
of requests in flight. Bodies are encoded once up front and answers are checked without
parsing the JSON: the driver shares the machine's cores with the server, and every
microsecond it spends is one the server does not get. For the same reason the client is the
lean HTTP/1.1 pool of `bench/http1.py`, not httpx (which cost more CPU per request than the
server); it asks for gzip as browsers do, so the server's compression is measured.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.http1 import Http1Error, Http1Pool
from bench.workloads import Request

__all__ = ["CellResult", "percentile", "run_cell"]

_GRAPHQL_RESPONSE = "application/graphql-response+json"
_CALLS = re.compile(r"calls=(\d+)")
_DUR = re.compile(r"dur=([\d.]+)")
_ERROR_SAMPLES = 3
_TIMEOUT_S = 60.0


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of an ascending, non-empty list."""
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


@dataclass
class CellResult:
    """The figures of one workload at one concurrency."""

    workload: str
    clients: int
    duration_s: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    store_calls_per_request: float | None
    """Mean store calls per request, from the server's Server-Timing header."""
    store_ms_mean: float | None
    """Mean summed wall time of those calls per request."""
    error_samples: list[str] = field(default_factory=list)
    peak_rss_mb: float | None = None
    """The server's peak memory during this cell (filled in by the suite)."""


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    calls: int = 0
    store_s: float = 0.0
    timed: int = 0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < _ERROR_SAMPLES:
            self.samples.append(text[:400])


def encode(requests: Sequence[Request]) -> list[bytes]:
    """The POST bodies of `requests`."""
    return [json.dumps({"query": q, "variables": v}).encode() for q, v in requests]


async def _loop(
    pool: Http1Pool, bodies: list[bytes], turn: itertools.count, end: float, tally: _Tally
) -> None:
    while time.perf_counter() < end:
        body = bodies[next(turn) % len(bodies)]
        started = time.perf_counter()
        try:
            reply = await pool.post("/graphql", body)
        except (Http1Error, TimeoutError) as exc:
            tally.latencies.append(time.perf_counter() - started)
            tally.error(f"{type(exc).__name__}: {exc}")
            continue
        tally.latencies.append(time.perf_counter() - started)
        content = reply.body
        if reply.status != 200 or b'"errors"' in content:
            tally.error(f"HTTP {reply.status}: {content[:300].decode(errors='replace')}")
        timing = reply.headers.get("server-timing")
        if timing and (calls := _CALLS.search(timing)) and (dur := _DUR.search(timing)):
            tally.calls += int(calls.group(1))
            tally.store_s += float(dur.group(1)) / 1000
            tally.timed += 1


async def _run(
    pool: Http1Pool, bodies: list[bytes], clients: int, seconds: float
) -> tuple[_Tally, float]:
    tally, turn = _Tally(), itertools.count()
    started = time.perf_counter()
    end = started + seconds
    await asyncio.gather(*(_loop(pool, bodies, turn, end, tally) for _ in range(clients)))
    return tally, time.perf_counter() - started


async def run_cell(
    base: str,
    workload: str,
    requests: Sequence[Request],
    *,
    clients: int,
    duration_s: float,
    warmup_s: float,
) -> CellResult:
    """Drive `requests` (in turn, cycling) with `clients` clients for `duration_s` seconds."""
    bodies = encode(requests)
    pool = Http1Pool(base, clients, _TIMEOUT_S, accept=_GRAPHQL_RESPONSE, compressed=True)
    try:
        if warmup_s > 0:
            await _run(pool, bodies, clients, warmup_s)
        tally, elapsed = await _run(pool, bodies, clients, duration_s)
    finally:
        await pool.aclose()
    values = sorted(x * 1000 for x in tally.latencies)
    count = len(values)
    return CellResult(
        workload=workload,
        clients=clients,
        duration_s=round(elapsed, 3),
        requests=count,
        errors=tally.errors,
        rps=round(count / elapsed, 1) if elapsed > 0 else 0.0,
        p50_ms=round(percentile(values, 50), 3) if values else 0.0,
        p95_ms=round(percentile(values, 95), 3) if values else 0.0,
        p99_ms=round(percentile(values, 99), 3) if values else 0.0,
        mean_ms=round(sum(values) / count, 3) if values else 0.0,
        max_ms=round(values[-1], 3) if values else 0.0,
        store_calls_per_request=round(tally.calls / tally.timed, 2) if tally.timed else None,
        store_ms_mean=round(tally.store_s * 1000 / tally.timed, 3) if tally.timed else None,
        error_samples=tally.samples,
    )
