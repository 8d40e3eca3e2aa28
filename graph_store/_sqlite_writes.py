"""Validated, all-or-nothing writes of the embedded store, fast for million-record batches.

One `apply` is one `BEGIN IMMEDIATE ... COMMIT`: validation and the diff run inside it (against
the rows as they are while we hold the write lock), and any error rolls everything back. Bulk
paths: stored records are read in IN-lists of a few hundred ids, not one query per record, the
read is skipped entirely when the store is empty, and rows are written with executemany.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from graph_store._sqlite_codec import (
    EDGE_COLUMNS,
    EDGE_FROM,
    NODE_COLUMNS,
    edge_content,
    edge_from_row,
    edge_values,
    node_content,
    node_from_row,
    node_values,
)
from graph_store._sqlite_reads import chunked
from graph_store._sqlite_schema import read_meta, write_meta
from graph_store.model import NodeKind
from graph_store.ranking import search_text
from graph_store.records import ApplyResult, Batch, Change, Edge, Node
from graph_store.validation import diff_batch, validate_batch

__all__ = ["LOG_KEEP", "LOG_LIMIT", "apply_batch", "clear_all", "plan_batch"]

LOG_LIMIT = 20_000
"""Most relationship changes one apply records in edge_log; past it, readers rebuild instead."""
LOG_KEEP = 256
"""How many applies back a lagging reader can still catch up from the log."""

_BULK_EDGES = 50_000  # new relationships into an empty table: build its indexes afterwards
_EDGE_INDEXES = (  # the secondary indexes _sqlite_schema creates on edges
    ("edges_by_src", "src"),
    ("edges_by_dst", "dst"),
    ("edges_by_loaded", "loaded_at"),
)

_NODE_INSERT = (
    "INSERT INTO nodes (nid, id, kind, name, aliases, sources, props, date_lo, date_hi, "
    "batch_id, origin, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_NODE_UPDATE = (
    "UPDATE nodes SET kind = ?, name = ?, aliases = ?, sources = ?, props = ?, date_lo = ?, "
    "date_hi = ?, batch_id = ?, origin = ?, loaded_at = ? WHERE nid = ?"
)
_EDGE_INSERT = (
    "INSERT INTO edges (eid, id, type, src, dst, certainty, cert_rank, source, evidence, since, "
    "until, since_lo, until_hi, note, props, batch_id, origin, loaded_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EDGE_UPDATE = (
    "UPDATE edges SET type = ?, src = ?, dst = ?, certainty = ?, cert_rank = ?, source = ?, "
    "evidence = ?, since = ?, until = ?, since_lo = ?, until_hi = ?, note = ?, props = ?, "
    "batch_id = ?, origin = ?, loaded_at = ? WHERE eid = ?"
)


@dataclass
class _Stored:
    """What the store holds for the ids a batch mentions."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    nids: dict[str, int] = field(default_factory=dict)
    eids: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, NodeKind] = field(default_factory=dict)


def plan_batch(conn: sqlite3.Connection, batch: Batch) -> ApplyResult:
    """Validate and diff `batch` inside a read transaction; write nothing."""
    conn.execute("BEGIN")
    try:
        seq = read_meta(conn).seq
        changes, unchanged_nodes, unchanged_edges, _ = _diff(conn, batch)
        return ApplyResult(tuple(changes), unchanged_nodes, unchanged_edges, seq)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def apply_batch(conn: sqlite3.Connection, batch: Batch) -> ApplyResult:
    """Validate, diff and write `batch` in one immediate transaction; roll back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = read_meta(conn)
        changes, unchanged_nodes, unchanged_edges, stored = _diff(conn, batch)
        seq = meta.seq
        if changes:
            seq += 1
            changed_eids = _write(conn, batch, changes, stored)
            _log(conn, seq, changed_eids, meta.log_floor)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return ApplyResult(tuple(changes), unchanged_nodes, unchanged_edges, seq)


def clear_all(conn: sqlite3.Connection) -> None:
    """Delete every record; a new epoch tells readers that row ids start over."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        seq = read_meta(conn).seq + 1
        for table in ("edges", "nodes", "nodes_fts", "edge_log", "edge_counts"):
            conn.execute(f"DELETE FROM {table}")
        write_meta(conn, seq=seq, epoch=uuid.uuid4().hex, log_floor=seq)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _diff(conn: sqlite3.Connection, batch: Batch) -> tuple[list[Change], int, int, _Stored]:
    """validate_batch, then diff_batch against the stored versions of the batch's records.

    Records whose stored content columns equal the batch's encoding are unchanged by
    construction; they are counted here and left out of diff_batch, so reloading a million
    unchanged relationships does not decode a million rows. Everything else is diffed by the
    shared diff_batch, so the answer is the same as diffing the whole batch.
    """
    stored = _Stored()
    empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM nodes)").fetchone()[0]
    if not empty:
        _read_endpoints(conn, batch, stored)
    validate_batch(batch, stored.kinds)
    if empty:  # nothing to diff against: skip a million lookups on a first load
        return *diff_batch(batch, {}, {}), stored
    same_nodes, same_edges = _read_records(conn, batch, stored)
    if same_nodes or same_edges:
        batch = Batch(
            nodes=tuple(n for n in batch.nodes if n.id not in same_nodes),
            edges=tuple(e for e in batch.edges if e.id not in same_edges),
            delete_edges=batch.delete_edges,
        )
    changes, unchanged_nodes, unchanged_edges = diff_batch(batch, stored.nodes, stored.edges)
    return changes, unchanged_nodes + len(same_nodes), unchanged_edges + len(same_edges), stored


def _read_endpoints(conn: sqlite3.Connection, batch: Batch, stored: _Stored) -> None:
    """Kinds and nids of the stored nodes that the batch's relationships rely on."""
    endpoints = {e.src for e in batch.edges} | {e.dst for e in batch.edges}
    endpoints -= {n.id for n in batch.nodes}
    for node_id, nid, kind in _select_in(
        conn, "SELECT id, nid, kind FROM nodes WHERE id", endpoints
    ):
        stored.nids[node_id] = nid
        stored.kinds[node_id] = NodeKind(kind)


def _read_records(
    conn: sqlite3.Connection, batch: Batch, stored: _Stored
) -> tuple[set[str], set[str]]:
    """Row ids of every stored record the batch names; decoded records for those that differ.

    Returns the ids of batch records whose stored content is identical.
    """
    wanted_nodes = {n.id: n for n in batch.nodes}
    same_nodes: set[str] = set()
    sql = f"SELECT n.nid, {NODE_COLUMNS} FROM nodes n WHERE n.id"
    for row in _select_in(conn, sql, wanted_nodes):
        stored.nids[row[1]] = row[0]
        if row[2:7] == node_content(wanted_nodes[row[1]]):
            same_nodes.add(row[1])
        else:
            stored.nodes[row[1]] = node_from_row(row[1:])
    wanted_edges = {e.id: e for e in batch.edges}
    deleting = set(batch.delete_edges)
    same_edges: set[str] = set()
    sql = f"SELECT e.eid, {EDGE_COLUMNS} FROM {EDGE_FROM} WHERE e.id"
    for row in _select_in(conn, sql, wanted_edges.keys() | deleting):
        stored.eids[row[1]] = row[0]
        new = wanted_edges.get(row[1])
        if new is not None and row[1] not in deleting and row[2:12] == edge_content(new):
            same_edges.add(row[1])
        else:
            stored.edges[row[1]] = edge_from_row(row[1:])
    return same_nodes, same_edges


def _select_in(conn: sqlite3.Connection, head: str, ids: Iterable[str]) -> Iterable[tuple]:
    """Rows of `head IN (...)` for many ids, a few hundred per statement."""
    for part in chunked(sorted(ids)):
        yield from conn.execute(f"{head} IN ({','.join('?' * len(part))})", part)


def _write(
    conn: sqlite3.Connection, batch: Batch, changes: Sequence[Change], stored: _Stored
) -> list[int]:
    """Write exactly the planned changes; return the eids of every changed relationship."""
    planned: dict[tuple[str, str], set[str]] = defaultdict(set)
    for change in changes:
        planned[change.record, change.action].add(change.id)
    _write_nodes(conn, batch, planned, stored.nids)
    created = planned["edge", "create"]
    updated = planned["edge", "update"]
    # In id order, a new relationship's key lands at the end of the unique id index.
    new_edges = sorted((e for e in batch.edges if e.id in created), key=attrgetter("id"))
    updated_edges = [e for e in batch.edges if e.id in updated]
    deleted = [stored.eids[i] for i in batch.delete_edges if i in planned["edge", "delete"]]
    first_load = (
        len(new_edges) >= _BULK_EDGES
        and not conn.execute("SELECT EXISTS (SELECT 1 FROM edges)").fetchone()[0]
    )
    if first_load:  # building the secondary indexes once, after the rows, is cheaper
        for name, _ in _EDGE_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    next_eid = conn.execute("SELECT coalesce(max(eid), 0) FROM edges").fetchone()[0] + 1
    new_eids = range(next_eid, next_eid + len(new_edges))
    nids = stored.nids
    conn.executemany(
        _EDGE_INSERT,
        (
            (eid, e.id, *edge_values(e, nids[e.src], nids[e.dst]))
            for eid, e in zip(new_eids, new_edges, strict=True)
        ),
    )
    if first_load:
        for name, column in _EDGE_INDEXES:
            conn.execute(f"CREATE INDEX {name} ON edges ({column})")
    conn.executemany(
        _EDGE_UPDATE,
        ((*edge_values(e, nids[e.src], nids[e.dst]), stored.eids[e.id]) for e in updated_edges),
    )
    conn.executemany("DELETE FROM edges WHERE eid = ?", ((eid,) for eid in deleted))
    _count_types(conn, new_edges, updated_edges, planned["edge", "delete"], stored)
    return [*new_eids, *(stored.eids[e.id] for e in updated_edges), *deleted]


def _count_types(
    conn: sqlite3.Connection,
    new_edges: Sequence[Edge],
    updated_edges: Sequence[Edge],
    deleted_ids: set[str],
    stored: _Stored,
) -> None:
    """Move edge_counts by the written changes (updated and deleted rows were decoded).

    Deletes run after upserts, so a relationship updated and deleted by one batch leaves
    with its new type.
    """
    delta = Counter(e.type for e in new_edges)
    current = {e.id: e.type for e in updated_edges}
    for e in updated_edges:
        delta[e.type] += 1
        delta[stored.edges[e.id].type] -= 1
    for edge_id in deleted_ids:
        delta[current.get(edge_id) or stored.edges[edge_id].type] -= 1
    conn.executemany(
        "INSERT INTO edge_counts (type, n) VALUES (?, ?) "
        "ON CONFLICT (type) DO UPDATE SET n = n + excluded.n",
        [(t, n) for t, n in delta.items() if n],
    )


def _write_nodes(
    conn: sqlite3.Connection,
    batch: Batch,
    planned: Mapping[tuple[str, str], set[str]],
    nids: dict[str, int],
) -> None:
    """Insert and update nodes and their FTS rows; new nodes get nids in id order."""
    created, updated = planned["node", "create"], planned["node", "update"]
    new_nodes = sorted((n for n in batch.nodes if n.id in created), key=attrgetter("id"))
    updated_nodes = [n for n in batch.nodes if n.id in updated]
    next_nid = conn.execute("SELECT coalesce(max(nid), 0) FROM nodes").fetchone()[0] + 1
    for offset, node in enumerate(new_nodes):
        nids[node.id] = next_nid + offset
    conn.executemany(_NODE_INSERT, ((nids[n.id], n.id, *node_values(n)) for n in new_nodes))
    conn.executemany(
        "INSERT INTO nodes_fts (rowid, text) VALUES (?, ?)",
        ((nids[n.id], search_text(n)) for n in new_nodes),
    )
    conn.executemany(_NODE_UPDATE, ((*node_values(n), nids[n.id]) for n in updated_nodes))
    conn.executemany(
        "UPDATE nodes_fts SET text = ? WHERE rowid = ?",
        ((search_text(n), nids[n.id]) for n in updated_nodes),
    )


def _log(conn: sqlite3.Connection, seq: int, eids: Sequence[int], log_floor: int) -> None:
    """Record changed eids for readers' incremental refresh (or force them to rebuild)."""
    if len(eids) > LOG_LIMIT:
        conn.execute("DELETE FROM edge_log")
        write_meta(conn, seq=seq, log_floor=seq)
        return
    conn.executemany("INSERT INTO edge_log (seq, eid) VALUES (?, ?)", ((seq, e) for e in eids))
    floor = max(log_floor, seq - LOG_KEEP)
    conn.execute("DELETE FROM edge_log WHERE seq <= ?", (floor,))
    write_meta(conn, seq=seq, log_floor=floor)
