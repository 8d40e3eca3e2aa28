"""The Neo4j backend's one long-lived driver, its time limits and its three ways to run Cypher.

Single-query reads run as auto-commit queries in READ sessions on a named database, so the
same code runs on a single server, a cluster or Aura (neo4j+s://); single writes use
`execute_query`. Multi-query reads and writes run
as managed transactions (`execute_read` / `execute_write`), which the driver may retry; their
work functions are idempotent. Every call has a server-side transaction timeout and, above it,
a client-side guard, so a server that is down or stops answering is reported within seconds.
Inside a request's `_deadline.deadline(...)` the server-side timeout is cut to the time left,
so the server ends a query whose request has timed out, whether or not the client still waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, LiteralString, TypeVar, cast

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
    Query,
    RoutingControl,
    unit_of_work,
)
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph_store import _cypher as q
from graph_store._deadline import DeadlineExceeded, remaining

__all__ = ["APPLY_TIMEOUT_S", "Connection"]

# The driver logs each retry and each dead connection at WARNING; with no logging configured
# (the loader CLI) Python would print them to stderr. The outcome reaches callers as a
# translated error; applications that configure logging still receive these records.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

T = TypeVar("T")
Work = Callable[[AsyncManagedTransaction], Awaitable[T]]

APPLY_TIMEOUT_S = 1800.0
"""Server-side limit of one apply (or plan) transaction: a 1M-relationship load must fit."""
_CONNECT_TIMEOUT_S = 5.0
"""Longest wait for a TCP/Bolt handshake: an unreachable server fails fast, never hangs."""
_RETRY_S = 2.0
"""How long the driver retries a transaction on connection loss or a transient error before
the store is reported unavailable: long enough to ride out a dropped pooled connection or a
cluster leader switch, short enough that a dead server is reported within seconds."""
_FIRST_PAUSE_S = 0.1
"""First wait before retrying a read (doubled each time), as the driver's own retries do."""
_SCHEMA_TIMEOUT_S = 300
_MIN_TIMEOUT_S = 0.001
"""The server's timeouts are whole milliseconds: a deadline closer than this has passed."""


def _within_deadline(limit: float) -> float:
    """`limit` cut to the current request's time left; DeadlineExceeded once none is left."""
    left = remaining()
    if left is None:
        return limit
    if left < _MIN_TIMEOUT_S:
        raise DeadlineExceeded("the request ran out of time")
    return min(limit, left)


class Connection:
    """One driver bound to one database, with the backend's time limits."""

    def __init__(self, driver: AsyncDriver, database: str, timeout_s: float) -> None:
        self.database = database
        self._driver = driver
        self._timeout_s = timeout_s
        # Client-side guards above the server's own limits: a server that accepts the
        # connection but never answers still yields STORE_UNAVAILABLE, never a hang.
        slack = _RETRY_S + min(timeout_s, _CONNECT_TIMEOUT_S) + 2.0
        self._read_guard_s = timeout_s + slack
        self._bulk_guard_s = APPLY_TIMEOUT_S + slack

    @classmethod
    def create(
        cls,
        uri: str,
        *,
        user: str | None,
        password: str | None,
        database: str,
        timeout_s: float,
    ) -> Connection:
        """Make the driver (no I/O yet: it connects on first use)."""
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password or "") if user else None,
            connection_timeout=min(timeout_s, _CONNECT_TIMEOUT_S),
            connection_acquisition_timeout=timeout_s,
            max_transaction_retry_time=_RETRY_S,
            notifications_min_severity="OFF",
            user_agent="icn-graph",
        )
        return cls(driver, database, timeout_s)

    async def prepare(self) -> None:
        """Create the schema if missing (idempotent), wait for indexes, ensure the meta node."""
        for statement in q.SCHEMA:
            try:
                await self.execute(statement, write=True)
            except ClientError as exc:
                # Two processes opening a fresh database race on IF NOT EXISTS; the loser is
                # told the rule exists, which is the state it wanted.
                if "AlreadyExists" not in (exc.code or ""):
                    raise
        await self.execute(
            q.AWAIT_INDEXES, write=True, timeout=_SCHEMA_TIMEOUT_S + 5, seconds=_SCHEMA_TIMEOUT_S
        )
        await self.execute(q.ENSURE_META, write=True)

    async def execute(
        self, text: str, *, write: bool = False, timeout: float | None = None, **params: Any
    ) -> list[list[Any]]:
        """One query, as value lists: a write via execute_query, a read as an auto-commit query.

        A read needs no transaction of its own: `execute_query` spends a round trip more on
        BEGIN and COMMIT (3.06 against 1.62 ms at p50 for `RETURN 1`), on every store call of
        every request. What the driver's managed transaction gave a read, a retry on connection
        loss or a cluster's leader switch, is kept here: retryable errors are retried with
        backoff for up to the same `_RETRY_S`.
        """
        limit = _within_deadline(timeout or self._timeout_s)
        query = Query(cast(LiteralString, text), timeout=limit)
        async with asyncio.timeout(self._read_guard_s + limit):
            if write:
                result = await self._driver.execute_query(
                    query, params, routing_=RoutingControl.WRITE, database_=self.database
                )
                return [list(record.values()) for record in result.records]
            return await self._read_once(query, params)

    async def _read_once(self, query: Query, params: dict[str, Any]) -> list[list[Any]]:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + _RETRY_S
        pause = _FIRST_PAUSE_S
        while True:
            try:
                async with self._session(READ_ACCESS) as session:
                    result = await session.run(query, params)
                    return [list(values) for values in await result.values()]
            except (Neo4jError, DriverError) as exc:
                if not exc.is_retryable() or loop.time() + pause > give_up:
                    raise
            await asyncio.sleep(pause)
            pause *= 2

    async def read(self, work: Work[T], *, bulk: bool = False) -> T:
        """Several queries in one managed read transaction (routed to a reader).

        `bulk` (plan) reads a whole batch's records and gets an apply's time limits.
        """
        limit = _within_deadline(APPLY_TIMEOUT_S if bulk else self._timeout_s)
        tx_work = unit_of_work(timeout=limit)(work)
        async with asyncio.timeout(self._bulk_guard_s if bulk else 2 * self._read_guard_s):
            async with self._session() as session:
                return await session.execute_read(tx_work)

    async def write(self, work: Work[T]) -> T:
        """One managed write transaction; the driver may retry `work`, which is idempotent."""
        tx_work = unit_of_work(timeout=_within_deadline(APPLY_TIMEOUT_S))(work)
        async with asyncio.timeout(self._bulk_guard_s):
            async with self._session() as session:
                return await session.execute_write(tx_work)

    def _session(self, access: str = WRITE_ACCESS) -> AsyncSession:
        # Sharing execute_query's bookmark manager makes a read after a write see the write,
        # also on a cluster where the read may go to another member.
        return self._driver.session(
            database=self.database,
            default_access_mode=access,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    async def close(self) -> None:
        """Close the driver and its connection pool."""
        await self._driver.close()
