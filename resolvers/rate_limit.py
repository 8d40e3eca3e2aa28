"""Token buckets for the per-key and per-address request limits (pure: no I/O, injectable clock).

A limit of N requests per minute is a bucket of N tokens refilled at N/60 tokens a second, so a
caller may burst up to N requests and then runs at the steady rate. State lives in the process:
the HTTP layer divides each limit by the number of uvicorn workers (see docs/security.md).

Memory is bounded: a bucket idle long enough to be full again is indistinguishable from a new
one and is dropped, and past `max_buckets` the least recently used bucket is dropped first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Decision", "RateLimiter", "per_worker"]

_SECONDS_PER_MINUTE = 60.0


def per_worker(per_minute: int, workers: int) -> int:
    """One worker's share of a server-wide limit: never zero while the limit is on.

    Rounded up, so a small limit spread over many workers still lets each worker serve.
    """
    if per_minute <= 0:
        return 0
    return max(1, math.ceil(per_minute / max(1, workers)))


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one request: allowed, or refused with how long to wait."""

    allowed: bool
    retry_after_s: int = 0
    """Whole seconds until a token is available (>= 1 when refused, 0 when allowed)."""
    remaining: int = 0
    """Whole tokens left after this request (what a `RateLimit-Remaining` header would say)."""


@dataclass(slots=True)
class _Bucket:
    capacity: float
    tokens: float
    updated: float


class RateLimiter:
    """Named token buckets, each with its own per-minute limit, in bounded memory."""

    def __init__(
        self, *, max_buckets: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_buckets < 1:
            raise ValueError("max_buckets must be at least 1")
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_buckets = max_buckets
        self._clock = clock
        self._last_sweep = clock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, name: str, per_minute: int) -> Decision:
        """Spend one token from bucket `name` (limit `per_minute`; 0 or less = unlimited)."""
        if per_minute <= 0:
            return Decision(True)
        now = self._clock()
        self._sweep(now)
        capacity = float(per_minute)
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = _Bucket(capacity, capacity, now)
            self._buckets[name] = bucket
            self._evict_over_capacity()
        else:
            self._buckets.move_to_end(name)
            self._refill(bucket, now)
            if bucket.capacity != capacity:
                # The key's limit was changed in the registry: apply it at once.
                bucket.capacity = capacity
                bucket.tokens = min(bucket.tokens, capacity)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Decision(True, 0, int(bucket.tokens))
        rate = capacity / _SECONDS_PER_MINUTE
        wait = (1.0 - bucket.tokens) / rate
        return Decision(False, max(1, math.ceil(wait)), 0)

    @staticmethod
    def _refill(bucket: _Bucket, now: float) -> None:
        elapsed = max(0.0, now - bucket.updated)
        rate = bucket.capacity / _SECONDS_PER_MINUTE
        bucket.tokens = min(bucket.capacity, bucket.tokens + elapsed * rate)
        bucket.updated = now

    def _evict_over_capacity(self) -> None:
        while len(self._buckets) > self._max_buckets:
            self._buckets.popitem(last=False)

    def _sweep(self, now: float) -> None:
        """Drop buckets that have refilled completely (at most once a minute, oldest first)."""
        if now - self._last_sweep < _SECONDS_PER_MINUTE:
            return
        self._last_sweep = now
        # Least recently used first: stop at the first bucket that is still draining, since
        # every later one was used more recently (a full refill takes at most one minute).
        while self._buckets:
            name, bucket = next(iter(self._buckets.items()))
            if now - bucket.updated < _SECONDS_PER_MINUTE:
                break
            del self._buckets[name]
