"""The embedded backend: one SQLite file in WAL mode, plus an in-memory traversal index.

SQLite is the store of record (nodes, relationships, an FTS5 name index, the change sequence);
paths and neighbourhoods walk an in-memory adjacency that is checked against the file's change
sequence before every use, so writes by another process (the loader) show up at once, without
a restart. Blocking work runs on three threads that each own a connection (writes, plain reads,
walks on the index): reads never wait for a long load or an index build, and the event loop
never waits for SQLite.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path as FilePath

from graph_store import _sqlite_reads as reads
from graph_store._gc_pause import gc_paused
from graph_store._sqlite_reader import GraphSide, ReadSide
from graph_store._sqlite_schema import connect, create_schema
from graph_store._sqlite_worker import Worker
from graph_store._sqlite_writes import apply_batch, clear_all, plan_batch
from graph_store.errors import BadUserInput, IcnGraphError, LimitExceeded
from graph_store.model import NodeKind
from graph_store.protocol import MAX_DEPTH, MAX_EDGES_PER_NODE, MAX_HOPS, MAX_PATHS
from graph_store.records import (
    ApplyResult,
    Batch,
    Edge,
    EdgeFilter,
    EdgePage,
    Health,
    Node,
    NodeQuery,
    Page,
    Path,
    PathQuery,
    SearchHit,
    Stats,
    Subgraph,
)

__all__ = ["SqliteStore"]

_WRITER_CACHE_MIB = 128  # a big load's indexes stay in cache while they are built
_READER_CACHE_MIB = 32
_BULK = 10_000  # records in a batch past which the cyclic GC is paused during the write


class SqliteStore:
    """The GraphStore of one SQLite file; create with `await SqliteStore.open(path)`."""

    backend = "sqlite"

    def __init__(self, path: FilePath) -> None:
        """Use `open`; this only sets up the (not yet started) worker threads."""
        self.path = path
        self._writer = Worker("icn-sqlite-write")
        self._reader = Worker("icn-sqlite-read")
        self._walker = Worker("icn-sqlite-walk")
        self._side = ReadSide()
        self._graph = GraphSide()

    @classmethod
    async def open(cls, path: FilePath) -> SqliteStore:
        """Open (creating the file, its folder and the schema on first use) the store at `path`."""
        store = cls(FilePath(path))
        try:
            await store._writer.start(store._open_writer)
            await store._reader.start(store._open_reader)
            await store._walker.start(store._open_reader)
        except BaseException:
            await store.aclose()
            raise
        return store

    def _open_writer(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(self.path, cache_mib=_WRITER_CACHE_MIB)
        try:
            create_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_reader(self) -> sqlite3.Connection:
        return connect(self.path, cache_mib=_READER_CACHE_MIB)

    # --- writes -------------------------------------------------------------------------------

    async def plan(self, batch: Batch) -> ApplyResult:
        """Validate `batch` and diff it against the store without writing."""
        return await self._writer.call(_bulk, plan_batch, batch)

    async def apply(self, batch: Batch) -> ApplyResult:
        """Validate and write `batch` in one transaction; nothing is written on any error."""
        return await self._writer.call(_bulk, apply_batch, batch)

    async def clear(self) -> None:
        """Delete every node and relationship."""
        await self._writer.call(clear_all)

    # --- reads straight from SQLite -----------------------------------------------------------

    async def get_nodes(self, ids: Iterable[str]) -> Mapping[str, Node]:
        """The nodes with these ids; unknown ids are absent."""
        wanted = list(ids)
        if not wanted:
            return {}
        return await self._reader.call(self._side.run, reads.nodes_by_id, wanted)

    async def get_edges(self, ids: Iterable[str]) -> Mapping[str, Edge]:
        """The relationships with these ids; unknown ids are absent."""
        wanted = list(ids)
        if not wanted:
            return {}
        return await self._reader.call(self._side.run, reads.edges_by_id, wanted)

    async def edges_of(
        self, node_ids: Iterable[str], flt: EdgeFilter, *, limit_per_node: int = MAX_EDGES_PER_NODE
    ) -> Mapping[str, Sequence[Edge]]:
        """Per node, its accepted relationships in (type, other id, edge id) order."""
        wanted = list(dict.fromkeys(node_ids))
        if limit_per_node < 0:
            raise BadUserInput("limit_per_node must not be negative")
        limit = min(limit_per_node, MAX_EDGES_PER_NODE)
        if not wanted:
            return {}
        return await self._walker.call(self._graph.edges_of, wanted, flt, limit)

    async def edge_pages(
        self,
        node_ids: Iterable[str],
        flt: EdgeFilter,
        *,
        limit_per_node: int,
        with_ends: bool = False,
    ) -> Mapping[str, EdgePage]:
        """Pages, totals and far ends of many nodes' relationships, chosen on the index."""
        if limit_per_node < 0:
            raise BadUserInput("limit_per_node must not be negative")
        wanted = list(dict.fromkeys(node_ids))
        if not wanted:
            return {}
        limit = min(limit_per_node, MAX_EDGES_PER_NODE)
        return await self._walker.call(self._graph.edge_pages, wanted, flt, limit, with_ends)

    async def list_nodes(self, query: NodeQuery, *, first: int, after: str | None) -> Page[Node]:
        """A page of nodes ordered by id, after the id `after`."""
        if first < 0:
            raise BadUserInput("first must not be negative")
        return await self._reader.call(self._side.run, reads.list_nodes, query, first, after)

    async def search(
        self,
        text: str,
        *,
        kinds: Iterable[NodeKind] | None = None,
        country: str | None = None,
        first: int = 10,
        offset: int = 0,
    ) -> Page[SearchHit]:
        """Ranked full-text search over names and aliases."""
        if first < 0 or offset < 0:
            raise BadUserInput("first and offset must not be negative")
        wanted = frozenset(kinds) if kinds is not None else None
        return await self._reader.call(
            self._side.run, reads.search, text, wanted, country, first, offset
        )

    # --- reads on the traversal index ---------------------------------------------------------

    async def warm(self) -> None:
        """Build (or bring up to date) the walker's traversal index."""
        await self._walker.call(self._graph.warm)

    async def paths(self, src: str, dst: str, query: PathQuery) -> Sequence[Path]:
        """The first `query.k` shortest simple paths, in `path_sort_key` order."""
        if not 1 <= query.max_hops <= MAX_HOPS:
            raise LimitExceeded(f"max_hops must be between 1 and {MAX_HOPS}")
        if not 1 <= query.k <= MAX_PATHS:
            raise LimitExceeded(f"the number of paths must be between 1 and {MAX_PATHS}")
        return await self._walker.call(self._graph.paths, src, dst, query)

    async def neighbourhood(
        self, node_id: str, *, depth: int, flt: EdgeFilter, limit: int
    ) -> Subgraph:
        """Nodes within `depth` hops (BFS, then id order, at most `limit`) and edges among them."""
        if depth > MAX_DEPTH:
            raise LimitExceeded(f"depth must be at most {MAX_DEPTH}")
        if depth < 0 or limit < 0:
            raise BadUserInput("depth and limit must not be negative")
        return await self._walker.call(self._graph.neighbourhood, node_id, depth, flt, limit)

    # --- bookkeeping --------------------------------------------------------------------------

    async def stats(self) -> Stats:
        """Counts by kind and type, the change sequence number and the last load time."""
        return await self._reader.call(self._side.stats)

    async def change_seq(self) -> int:
        """A number that grows with every committed change."""
        return await self._reader.call(self._side.change_seq)

    async def health(self) -> Health:
        """Probe the file with a one-row read; never raises."""
        started = time.perf_counter()
        try:
            seq = await self._reader.call(self._side.change_seq)
        except IcnGraphError as exc:
            detail, ok = f"{exc.code}: {exc}", False
        except Exception:  # health must answer even for the unforeseen
            detail, ok = "INTERNAL: the embedded store failed unexpectedly", False
        else:
            detail, ok = f"SQLite {sqlite3.sqlite_version} (WAL), change seq {seq}", True
        latency = (time.perf_counter() - started) * 1000
        return Health(ok=ok, backend=self.backend, detail=detail, latency_ms=round(latency, 3))

    async def aclose(self) -> None:
        """Close the connections and stop their threads; idempotent."""
        try:
            await self._walker.close()
        finally:
            try:
                await self._reader.close()
            finally:
                await self._writer.close()


def _bulk(
    conn: sqlite3.Connection,
    fn: Callable[[sqlite3.Connection, Batch], ApplyResult],
    batch: Batch,
) -> ApplyResult:
    """Run a plan or apply, pausing the cyclic GC for big batches (see `_gc_pause`)."""
    if len(batch.nodes) + len(batch.edges) < _BULK:
        return fn(conn, batch)
    with gc_paused():
        return fn(conn, batch)
