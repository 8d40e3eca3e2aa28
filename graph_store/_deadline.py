"""A request's deadline, seen by every store call the request makes, so a timed-out request
stops its own queries instead of leaving them running.

The API opens `deadline(seconds)` around one request. It is a context variable, and asyncio
copies context variables into the tasks a request starts (DataLoader batches), so each store
call of the request sees it:

- Neo4j: a transaction's server-side timeout is cut to the time left, so the server itself ends
  the query at the deadline, also when the client has already given up on it.
- SQLite: the call carries a `Watch` (the deadline, plus a flag set when the awaiting coroutine
  is cancelled) to its worker thread. A progress handler aborts a running statement once the
  watch has expired, and the in-memory walks call `check()` every few hundred steps.

A call stopped this way, or started after the deadline, raises DeadlineExceeded (TIMEOUT).
Without `deadline(...)` (the loader, tests) nothing changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from graph_store.errors import IcnGraphError

__all__ = [
    "DeadlineExceeded",
    "Watch",
    "check",
    "deadline",
    "expired",
    "remaining",
    "unwatched",
    "watching",
]

_DEADLINE: ContextVar[float | None] = ContextVar("icn_store_deadline", default=None)
_local = threading.local()


class DeadlineExceeded(IcnGraphError):
    """The request's time ran out while (or before) the store worked on it."""

    code = "TIMEOUT"


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Store calls made inside (and in tasks started inside) end `seconds` from now.

    A nested deadline never extends an outer one.
    """
    at = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(at if outer is None else min(at, outer))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left before the current deadline (0 or less once passed); None without one."""
    at = _DEADLINE.get()
    return None if at is None else at - time.monotonic()


class Watch:
    """What a worker thread checks for one call: the caller's deadline and its cancellation."""

    __slots__ = ("at", "cancelled")

    def __init__(self, at: float | None) -> None:
        self.at = at
        self.cancelled = False

    @classmethod
    def current(cls) -> Watch:
        """A watch for the calling task's deadline (read on the event loop, before handing off)."""
        return cls(_DEADLINE.get())

    def expired(self) -> bool:
        """Whether the call should stop now."""
        return self.cancelled or (self.at is not None and time.monotonic() >= self.at)


@contextmanager
def watching(watch: Watch | None) -> Iterator[None]:
    """Make `watch` the one `check()` and `expired()` consult on this thread."""
    outer = getattr(_local, "watch", None)
    _local.watch = watch
    try:
        yield
    finally:
        _local.watch = outer


@contextmanager
def unwatched() -> Iterator[None]:
    """Work that must finish once started (index upkeep, rollback), whatever the caller's time."""
    with watching(None):
        yield


def expired() -> bool:
    """Whether this thread's current call should stop (False outside a watched call)."""
    watch: Watch | None = getattr(_local, "watch", None)
    return watch is not None and watch.expired()


def check() -> None:
    """Raise DeadlineExceeded if this thread's current call should stop."""
    if expired():
        raise DeadlineExceeded("the request ran out of time")
