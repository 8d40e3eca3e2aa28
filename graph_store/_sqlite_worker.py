"""One thread per SQLite connection, and the one place where sqlite3 errors are translated.

sqlite3 connections must stay on the thread that made them, and a long write must not stall
reads, so the store runs a reader thread and a writer thread, each owning its connection.
Every call into either goes through `Worker.call`, which runs it under `translated()`: no
sqlite3 exception (or SQL text) ever leaves graph_store. Each call also carries the caller's
deadline to the thread (`_deadline.Watch`): a progress handler on every connection aborts a
statement once its caller has run out of time or stopped waiting.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from graph_store._deadline import DeadlineExceeded, Watch, expired, watching
from graph_store.errors import IcnGraphError, StoreUnavailable

__all__ = ["Worker", "translated"]

R = TypeVar("R")

_PROGRESS_OPS = 20_000
"""SQLite VM steps between two looks at the caller's deadline (a small fraction of a ms)."""

_UNAVAILABLE = (
    ("locked", "the embedded store is locked by another writer; retry later"),
    ("busy", "the embedded store is busy; retry later"),
    ("unable to open", "the embedded store's file cannot be opened"),
    ("readonly", "the embedded store's file is read-only"),
    ("disk i/o", "the embedded store's file could not be read or written (disk I/O error)"),
    ("disk is full", "the disk of the embedded store is full"),
    ("not a database", "the embedded store's file is not a database"),
    ("malformed", "the embedded store's file is damaged"),
)


@contextmanager
def translated() -> Iterator[None]:
    """Turn sqlite3 and file-system errors into graph_store errors with fixed, SQL-free text."""
    try:
        yield
    except IcnGraphError:
        raise
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if isinstance(exc, sqlite3.OperationalError) and "interrupt" in text:
            # Only the progress handler interrupts: the caller's deadline passed.
            raise DeadlineExceeded("the request ran out of time") from exc
        for marker, message in _UNAVAILABLE:
            if marker in text:
                raise StoreUnavailable(message) from exc
        raise IcnGraphError("the embedded store failed unexpectedly") from exc
    except OSError as exc:
        raise StoreUnavailable("the embedded store's file or folder cannot be created") from exc


class Worker:
    """A single thread that owns one connection and runs blocking calls against it."""

    def __init__(self, name: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    async def start(self, opener: Callable[[], sqlite3.Connection]) -> None:
        """Open the connection on the worker's own thread."""
        self._conn = await self._submit(_open_watched, opener)

    async def call(self, fn: Callable[..., R], *args: object) -> R:
        """Run `fn(connection, *args)` on the worker thread, within the caller's deadline.

        If the caller is cancelled while the call runs, the call stops at its next check (a
        queued call is dropped by the executor before it starts).
        """
        watch = Watch.current()
        try:
            return await self._submit(self._with_conn, watch, fn, *args)
        except asyncio.CancelledError:
            watch.cancelled = True
            raise

    def _with_conn(self, watch: Watch, fn: Callable[..., R], *args: object) -> R:
        if self._conn is None:
            raise StoreUnavailable("the store is closed")
        if watch.expired():
            raise DeadlineExceeded("the request ran out of time")
        with watching(watch):
            return fn(self._conn, *args)

    async def _submit(self, fn: Callable[..., R], *args: object) -> R:
        if self._closed:
            raise StoreUnavailable("the store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _run_translated, fn, args)

    async def close(self) -> None:
        """Close the connection on its thread, then stop the thread; idempotent."""
        if self._closed:
            return
        try:
            await self._submit(self._close_conn)
        finally:
            self._closed = True
            self._pool.shutdown(wait=False)

    def _close_conn(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()


def _open_watched(opener: Callable[[], sqlite3.Connection]) -> sqlite3.Connection:
    conn = opener()
    conn.set_progress_handler(expired, _PROGRESS_OPS)
    return conn


def _run_translated(fn: Callable[..., R], args: tuple[object, ...]) -> R:
    with translated():
        return fn(*args)
