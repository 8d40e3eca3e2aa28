"""A Neo4j that goes away is reported fast as STORE_UNAVAILABLE, and the same store recovers.

The test Neo4j is shared by the session, so it is not stopped here; instead the store talks
to it through a small TCP relay on loopback that the test can cut (connections reset, port
closed), freeze (connections accepted, nothing forwarded) and restore.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
import pytest_asyncio

from graph_store import Batch, GraphStore, StoreUnavailable, open_store
from tests.contract._build import node

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

FAST_S = 6.0
"""What "fails fast" means here: well under the 10 s a caller would wait for a timeout."""


class Relay:
    """A loopback TCP relay to the test Neo4j that can be cut, frozen and restored."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.frozen = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Close the port and reset every open connection, as a stopped server would."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            for w in (writer, up_writer):
                self._writers.discard(w)
                w.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                while self.frozen:  # a hung server: bytes are accepted but never answered
                    await asyncio.sleep(0.05)
                writer.write(data)
                await writer.drain()
        writer.transport.abort()


@pytest_asyncio.fixture(loop_scope="session")
async def relayed(
    neo4j_store: GraphStore, neo4j_uri: str
) -> AsyncIterator[tuple[Relay, GraphStore]]:
    """A relay to the (cleared) test Neo4j and a store of its own that connects through it."""
    target = urlsplit(neo4j_uri)
    relay = Relay(target.hostname or "127.0.0.1", target.port or 7687)
    await relay.start()
    store = await open_store(f"bolt://127.0.0.1:{relay.port}", timeout_s=2)
    try:
        yield relay, store
    finally:
        await store.aclose()
        with contextlib.suppress(AssertionError):
            await relay.cut()


async def _timed_failure(store: GraphStore) -> float:
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable):
        await store.get_nodes(["person/ann"])
    return time.perf_counter() - started


async def test_a_stopped_server_is_reported_fast_and_the_store_recovers_when_it_returns(
    relayed: tuple[Relay, GraphStore],
) -> None:
    relay, store = relayed
    await store.apply(Batch(nodes=(node("person/ann"),)))

    await relay.cut()
    elapsed = await _timed_failure(store)
    health = await store.health()
    await relay.start()  # the same port again: the server is back

    assert elapsed < FAST_S
    assert not health.ok and health.detail.startswith("STORE_UNAVAILABLE")
    assert set(await store.get_nodes(["person/ann"])) == {"person/ann"}
    assert (await store.health()).ok


async def test_a_server_that_stops_answering_is_reported_instead_of_hanging(
    relayed: tuple[Relay, GraphStore],
) -> None:
    relay, store = relayed
    await store.apply(Batch(nodes=(node("person/ann"),)))

    relay.frozen = True
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable):
        await store.change_seq()
    elapsed = time.perf_counter() - started
    relay.frozen = False

    assert elapsed < 15.0  # timeout_s=2 plus retry and connect budgets, never an endless wait
    assert set(await store.get_nodes(["person/ann"])) == {"person/ann"}
