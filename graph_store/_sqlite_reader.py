"""The read sides of the embedded store: plain snapshot reads, and walks on the index.

`ReadSide` runs on the reader thread (plain reads, stats cache); `GraphSide` runs on its own
walker thread and owns the traversal index, so a multi-second index build after a big load
never holds up plain reads. Each object is used by one thread only, so neither needs locks.
Multi-statement reads run in one read transaction (a WAL snapshot), so an answer never mixes
two versions of the data; the index is brought up to the snapshot it is read with.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from graph_store import _sqlite_reads as reads
from graph_store._deadline import unwatched
from graph_store._neighbourhood import neighbourhood
from graph_store._path_search import k_shortest_paths
from graph_store._sqlite_index import IndexKeeper
from graph_store._sqlite_schema import read_meta
from graph_store._traversal import TraversalIndex
from graph_store.errors import NotFound
from graph_store.model import RELATIONSHIP_TYPES, NodeKind
from graph_store.records import (
    Edge,
    EdgeFilter,
    EdgePage,
    Node,
    Path,
    PathQuery,
    Stats,
    Step,
    Subgraph,
)

__all__ = ["GraphSide", "ReadSide", "snapshot"]

T = TypeVar("T")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction: every statement inside sees the same committed state."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            with unwatched():  # also after the caller's deadline passed
                conn.execute("ROLLBACK")


class GraphSide:
    """The walker thread's state: the traversal index, kept at the snapshot being read."""

    def __init__(self) -> None:
        self.keeper = IndexKeeper()

    def _index(self, conn: sqlite3.Connection) -> TraversalIndex:
        # Index upkeep serves every later request: it is never cut short by one caller's
        # deadline (a half-patched index would be wrong, a half-built one wasted).
        with unwatched():
            return self.keeper.fresh(conn, read_meta(conn))

    def warm(self, conn: sqlite3.Connection) -> None:
        """Bring the index up to date now rather than on the next walk."""
        with snapshot(conn):
            self._index(conn)

    def paths(self, conn: sqlite3.Connection, src: str, dst: str, query: PathQuery) -> list[Path]:
        """The contract's k shortest simple paths, computed on the index, read from rows."""
        with snapshot(conn):
            ix = self._index(conn)
            first, last = _nid(ix, src), _nid(ix, dst)
            avoid = frozenset(ix.idx[a] for a in query.avoid if a in ix.idx)
            found = k_shortest_paths(
                ix,
                first,
                last,
                max_hops=query.max_hops,
                k=query.k,
                mask=ix.mask(query.filter),
                avoid=avoid,
            )
            nodes = reads.nodes_by_nid(conn, {n for nids, _ in found for n in nids})
            edges = reads.edges_by_eid(conn, {e for _, eids in found for e in eids})
        return [
            Path(
                nodes=tuple(nodes[n] for n in nids),
                steps=tuple(
                    Step(edges[e], forward=edges[e].src == nodes[nids[i]].id)
                    for i, e in enumerate(eids)
                ),
            )
            for nids, eids in found
        ]

    def edges_of(
        self, conn: sqlite3.Connection, node_ids: list[str], flt: EdgeFilter, limit: int
    ) -> dict[str, list[Edge]]:
        """Per node, a page of its relationships chosen on the index, then read by row id."""
        pages = self.edge_pages(conn, node_ids, flt, limit, with_ends=False)
        return {node_id: list(page.edges) for node_id, page in pages.items()}

    def edge_pages(
        self,
        conn: sqlite3.Connection,
        node_ids: list[str],
        flt: EdgeFilter,
        limit: int,
        with_ends: bool,
    ) -> dict[str, EdgePage]:
        """Per node: the page and total from one pass over its neighbour list, then the
        page's rows (and far ends) read by row id, all in one snapshot."""
        if flt.types is not None and not flt.types:
            return {node_id: EdgePage((), 0, {}) for node_id in node_ids}
        with snapshot(conn):
            ix = self._index(conn)
            mask = ix.mask(flt)
            chosen: dict[str, tuple[int, list[int], int]] = {}
            for node_id in node_ids:
                u = ix.idx.get(node_id)
                if u is not None:
                    kept = ix.incident(u, mask, flt.direction)
                    chosen[node_id] = (u, ix.first(kept, limit), len(kept))
            eids = {e for _, page, _ in chosen.values() for e in page}
            edges = reads.edges_by_eid(conn, eids)
            ends: dict[int, Node] = {}
            if with_ends:
                far = {ix.e_src[e] for e in eids} | {ix.e_dst[e] for e in eids}
                ends = reads.nodes_by_nid(conn, far)
        result: dict[str, EdgePage] = {}
        for node_id in node_ids:
            if node_id not in chosen:
                result[node_id] = EdgePage((), 0, {})
                continue
            u, page, total = chosen[node_id]
            far_ends: dict[str, Node] = {}
            if with_ends:
                for e in page:
                    other = ends[ix.e_dst[e] if ix.e_src[e] == u else ix.e_src[e]]
                    far_ends[other.id] = other
            result[node_id] = EdgePage(tuple(edges[e] for e in page), total, far_ends)
        return result

    def neighbourhood(
        self, conn: sqlite3.Connection, node_id: str, depth: int, flt: EdgeFilter, limit: int
    ) -> Subgraph:
        """BFS on the index, then the kept nodes and the relationships among them from rows."""
        with snapshot(conn):
            ix = self._index(conn)
            center = _nid(ix, node_id)
            hood = neighbourhood(
                ix, center, depth=depth, mask=ix.mask(flt), direction=flt.direction, limit=limit
            )
            nodes = reads.nodes_by_nid(conn, [n for n, _ in hood.nodes])
            edges = reads.edges_by_eid(conn, hood.edges)
        return Subgraph(
            nodes=tuple(nodes[n] for n, _ in hood.nodes),
            depths={nodes[n].id: d for n, d in hood.nodes},
            edges=tuple(sorted(edges.values(), key=lambda e: e.id)),
            truncated=hood.truncated,
        )


def _nid(ix: TraversalIndex, node_id: str) -> int:
    nid = ix.idx.get(node_id)
    if nid is None:
        raise NotFound(f"no node has the id {node_id!r}")
    return nid


class ReadSide:
    """The reader thread's state: the stats of one (epoch, seq)."""

    def __init__(self) -> None:
        self._stats: tuple[tuple[str, int], Stats] | None = None

    def run(self, conn: sqlite3.Connection, fn: Callable[..., T], *args: object) -> T:
        """Run a plain read function inside one snapshot."""
        with snapshot(conn):
            return fn(conn, *args)

    def stats(self, conn: sqlite3.Connection) -> Stats:
        """Counts per kind and type; cached per (epoch, seq) since they need full scans."""
        with snapshot(conn):
            meta = read_meta(conn)
            key = (meta.epoch, meta.seq)
            if self._stats is None or self._stats[0] != key:
                kinds, types, latest = reads.stats_counts(conn)
                stats = Stats(
                    nodes_by_kind={k.value: kinds.get(k.value, 0) for k in NodeKind},
                    edges_by_type={t: types.get(t, 0) for t in RELATIONSHIP_TYPES}
                    | {t: n for t, n in types.items() if t not in RELATIONSHIP_TYPES},
                    seq=meta.seq,
                    last_loaded_at=latest,
                )
                self._stats = (key, stats)
            cached = self._stats[1]
        return Stats(
            dict(cached.nodes_by_kind),
            dict(cached.edges_by_type),
            cached.seq,
            cached.last_loaded_at,
        )

    def change_seq(self, conn: sqlite3.Connection) -> int:
        """The committed change sequence number."""
        return read_meta(conn).seq
