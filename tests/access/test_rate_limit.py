"""The token buckets behind RATE_LIMIT_IP and RATE_LIMIT_KEY, on a clock the test moves."""

from __future__ import annotations

import pytest

from resolvers.rate_limit import RateLimiter, per_worker


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    assert [limiter.take("key:a", 3).allowed for _ in range(3)] == [True, True, True]
    refused = limiter.take("key:a", 3)
    assert not refused.allowed
    assert refused.retry_after_s == 20  # 3 a minute: one token every 20 s
    clock.now += 19.5
    assert limiter.take("key:a", 3).retry_after_s == 1  # never 0 while refused
    clock.now += 0.5
    assert limiter.take("key:a", 3).allowed
    assert not limiter.take("key:a", 3).allowed


def test_remaining_counts_down() -> None:
    limiter = RateLimiter(clock=Clock())
    assert [limiter.take("ip:x", 4).remaining for _ in range(4)] == [3, 2, 1, 0]


def test_buckets_are_independent_and_zero_means_unlimited() -> None:
    limiter = RateLimiter(clock=Clock())
    assert limiter.take("key:a", 1).allowed
    assert not limiter.take("key:a", 1).allowed
    assert limiter.take("key:b", 1).allowed
    assert all(limiter.take("key:c", 0).allowed for _ in range(1000))
    assert len(limiter) == 2  # unlimited callers take no memory


def test_a_changed_limit_applies_at_once() -> None:
    limiter = RateLimiter(clock=Clock())
    for _ in range(5):
        limiter.take("key:a", 100)
    # 95 tokens were left: the new limit of 1 caps them to 1 at once.
    assert limiter.take("key:a", 1).allowed
    assert not limiter.take("key:a", 1).allowed
    # Raising the limit again refills at the new rate, it does not hand out a fresh burst.
    refused = limiter.take("key:a", 100)
    assert not refused.allowed and refused.retry_after_s == 1


def test_memory_is_bounded_and_idle_buckets_are_dropped() -> None:
    clock = Clock()
    limiter = RateLimiter(max_buckets=3, clock=clock)
    for n in range(5):
        limiter.take(f"ip:{n}", 10)
    assert len(limiter) == 3
    clock.now += 30
    limiter.take("ip:new", 10)
    assert len(limiter) == 3
    clock.now += 61  # every bucket is full again: forgetting them changes nothing
    limiter.take("ip:last", 10)
    assert len(limiter) == 1


@pytest.mark.parametrize(
    ("limit", "workers", "share"), [(600, 1, 600), (600, 4, 150), (5, 4, 2), (1, 8, 1), (0, 3, 0)]
)
def test_each_worker_enforces_its_share(limit: int, workers: int, share: int) -> None:
    assert per_worker(limit, workers) == share
