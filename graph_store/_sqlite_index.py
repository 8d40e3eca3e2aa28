"""Keeps the reader's traversal index in step with the database file, across processes.

Another process (the loader) may commit while the server serves. Before every read that uses
the index, the reader compares the stored (epoch, seq) with the index's, inside the same read
transaction; if they differ it replays `edge_log` (small changes: only touched nodes get new
neighbour lists) or rebuilds (first use, after a clear, after a big load, or once the patched
lists grow large). The index therefore always matches the snapshot it is read with.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from graph_store._gc_pause import gc_paused, settle_long_lived
from graph_store._sqlite_reads import chunked
from graph_store._sqlite_schema import Meta
from graph_store._sqlite_writes import LOG_LIMIT
from graph_store._traversal import TraversalIndex

__all__ = ["IndexKeeper"]

_EDGE_ROW = "SELECT eid, src, dst, type, cert_rank, since_lo, until_hi FROM edges"
_OVERLAY_SHARE = 0.05  # rebuild once patched lists hold this share of all neighbour entries
_OVERLAY_FLOOR = 50_000  # ... but never for fewer entries than this


class IndexKeeper:
    """Owner of one TraversalIndex; used only from the reader thread."""

    def __init__(self) -> None:
        self._index: TraversalIndex | None = None
        self._epoch: str | None = None
        self._seq = -1
        self.builds = 0
        self.refreshes = 0

    def fresh(self, conn: sqlite3.Connection, meta: Meta) -> TraversalIndex:
        """The index as of `meta` (read in the caller's open transaction)."""
        ix = self._index
        if ix is None or self._epoch != meta.epoch or self._seq < meta.log_floor:
            ix = self._build(conn)
        elif self._seq != meta.seq:
            eids = [
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT eid FROM edge_log WHERE seq > ?", (self._seq,)
                )
            ]
            budget = max(_OVERLAY_FLOOR, int(_OVERLAY_SHARE * len(ix.adj_e)))
            if len(eids) > LOG_LIMIT or ix.overlay_size > budget:
                ix = self._build(conn)
            else:
                self._patch(conn, ix, eids)
        self._index, self._epoch, self._seq = ix, meta.epoch, meta.seq
        return ix

    def _build(self, conn: sqlite3.Connection) -> TraversalIndex:
        self.builds += 1
        with gc_paused():
            nodes = conn.execute("SELECT nid, id FROM nodes")
            edges = conn.execute(f"{_EDGE_ROW} ORDER BY eid")
            index = TraversalIndex.build(nodes, edges, lambda eids: _edge_ids(conn, eids))
        settle_long_lived()
        return index

    def _patch(self, conn: sqlite3.Connection, ix: TraversalIndex, eids: list[int]) -> None:
        self.refreshes += 1
        nodes = conn.execute("SELECT nid, id FROM nodes WHERE nid >= ?", (len(ix.node_ids),))
        rows = [
            row
            for part in chunked(eids)
            for row in conn.execute(f"{_EDGE_ROW} WHERE eid IN ({','.join('?' * len(part))})", part)
        ]
        ix.update(nodes, eids, rows, lambda wanted: _edge_ids(conn, wanted))


def _edge_ids(conn: sqlite3.Connection, eids: Sequence[int]) -> Mapping[int, str]:
    """Relationship ids by eid: the index orders parallel relationships by them."""
    return {
        eid: edge_id
        for part in chunked(list(eids))
        for eid, edge_id in conn.execute(
            f"SELECT eid, id FROM edges WHERE eid IN ({','.join('?' * len(part))})", part
        )
    }
