"""The transaction work of `plan` and `apply` on Neo4j: read, validate, diff, then bulk-write.

The driver may run a managed transaction's work more than once (it retries transient
failures), so everything here starts from the database's state inside the transaction: stored
records are re-read, the batch re-validated and re-diffed on every attempt, and nothing computed
by an earlier attempt is reused.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain
from typing import Any, LiteralString, TypeVar, cast

from neo4j import AsyncManagedTransaction
from neo4j.exceptions import TransientError

from graph_store import _cypher as q
from graph_store import _cypher_write as qw
from graph_store._neo4j_codec import (
    edge_from,
    edge_props,
    node_from,
    node_props,
    provenance_table,
    raise_problems,
)
from graph_store._neo4j_errors import translate
from graph_store.errors import IcnGraphError, Problem
from graph_store.model import NodeKind
from graph_store.records import ApplyResult, Batch, Change, Edge, Node
from graph_store.validation import diff_batch, validate_batch

__all__ = ["CHUNK", "read_batch_edges", "read_nodes", "run", "work"]

CHUNK = 10_000
"""Rows per UNWIND: large enough to amortise a round trip, small enough for lean messages."""

T = TypeVar("T")
_Built = tuple[list[Any], list[dict[str, str]], list[Problem]]
"""A chunk's rows, its provenance table, and the values in it that Neo4j cannot store."""


class _Quiet(list[Any]):
    """A list parameter that prints as its length.

    The driver formats a debug line with the repr of every parameter before it looks at the
    log level; for a 10,000-row chunk that repr cost as much as packing the rows themselves.
    The packer takes a list subclass as a list.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} items>"


async def run(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[Any]:
    """Run one constant query in `tx` and return its rows as plain value lists.

    A transaction that outgrows the server's transaction memory fails the same way on every
    attempt, so that error leaves as LimitExceeded, which the driver does not retry.
    """
    params = {k: _Quiet(v) if isinstance(v, list) else v for k, v in params.items()}
    try:
        result = await tx.run(cast(LiteralString, query), params)
        return [list(record.values()) async for record in result]
    except TransientError as exc:
        if "Memory" not in (exc.code or ""):
            raise
        error = translate(exc)
    raise error


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    size = CHUNK  # read at call time, so a test can shrink it to exercise chunk boundaries
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def read_nodes(tx: AsyncManagedTransaction, ids: Sequence[str]) -> dict[str, Node]:
    """The stored nodes among `ids`, in bulk (one query per chunk of ids)."""
    found: dict[str, Node] = {}
    for chunk in _chunks(ids):
        ((stored,),) = await run(tx, q.GET_NODES, ids=list(chunk))
        for props in stored:
            node = node_from(props)
            found[node.id] = node
    return found


async def _read_typed(
    tx: AsyncManagedTransaction, rel_type: str, ids: Sequence[str], found: dict[str, Edge]
) -> None:
    for chunk in _chunks(ids):
        ((stored,),) = await run(tx, q.EDGES_BY_ID[rel_type], ids=list(chunk))
        for row in stored:
            edge = edge_from(row)
            found[edge.id] = edge


async def read_batch_edges(tx: AsyncManagedTransaction, batch: Batch) -> dict[str, Edge]:
    """The stored relationships whose ids the batch names (to upsert or delete), in bulk.

    A relationship id can only be looked up within one type's index. Asking every type for
    every id costs 26 index seeks per id; instead each id is first looked up under the type
    the batch gives it (where a stored one almost always is), and only the ids still missing
    are asked of the other types, skipping types that hold no relationships at all.
    """
    present = [t for t, count in await run(tx, q.EDGE_TYPE_COUNTS) if count > 0]
    if not present:
        return {}
    found: dict[str, Edge] = {}
    asked = {e.id: e.type for e in batch.edges if e.type in present}
    by_type: dict[str, list[str]] = {}
    for edge_id, rel_type in asked.items():
        by_type.setdefault(rel_type, []).append(edge_id)
    for rel_type, ids in by_type.items():
        await _read_typed(tx, rel_type, ids, found)
    missing = list(dict.fromkeys([*(e.id for e in batch.edges), *batch.delete_edges]))
    for rel_type in present:
        missing = [i for i in missing if i not in found]
        rest = [i for i in missing if asked.get(i) != rel_type]
        if rest:
            await _read_typed(tx, rel_type, rest, found)
    return found


async def _read_kinds(tx: AsyncManagedTransaction, ids: Sequence[str]) -> dict[str, NodeKind]:
    kinds: dict[str, NodeKind] = {}
    for chunk in _chunks(ids):
        ((stored,),) = await run(tx, q.NODE_KINDS, ids=list(chunk))
        for node_id, kind in stored:
            kinds[node_id] = NodeKind(kind)
    return kinds


async def work(tx: AsyncManagedTransaction, batch: Batch, *, write: bool) -> ApplyResult:
    """Plan `batch` against the store, and write the changes when `write` is set.

    With `write`, the meta node is locked first so that concurrent applies queue up instead of
    diffing against the same old state.
    """
    (seq,) = (await run(tx, qw.LOCK_META if write else q.CHANGE_SEQ))[0]
    batch_node_ids = {n.id for n in batch.nodes}
    endpoints = sorted({i for e in batch.edges for i in (e.src, e.dst)} - batch_node_ids)
    stored_nodes = await read_nodes(tx, [n.id for n in batch.nodes])
    stored_kinds = await _read_kinds(tx, endpoints)
    stored_kinds.update({i: n.kind for i, n in stored_nodes.items()})
    stored_edges = await read_batch_edges(tx, batch)

    validate_batch(batch, stored_kinds)
    changes, unchanged_nodes, unchanged_edges = diff_batch(batch, stored_nodes, stored_edges)
    if write and changes:
        await _write(tx, batch, changes, stored_nodes, stored_edges)
        (seq,) = (await run(tx, qw.BUMP_SEQ))[0]
    return ApplyResult(tuple(changes), unchanged_nodes, unchanged_edges, seq)


async def _write(
    tx: AsyncManagedTransaction,
    batch: Batch,
    changes: Sequence[Change],
    stored_nodes: Mapping[str, Node],
    stored_edges: Mapping[str, Edge],
) -> None:
    """Write exactly the diffed changes, in bulk.

    Order: replaced relationships go first (so a re-pointed one never meets its old copy in the
    type's id index), then nodes, updates and creates, and the batch's deletions last, as the
    SQLite backend does: a relationship both upserted and deleted by one batch ends deleted.
    """
    nodes = {n.id: n for n in batch.nodes}
    edges = {e.id: e for e in batch.edges}
    created_nodes: dict[NodeKind, list[Node]] = {}
    updated_nodes: list[Node] = []
    created_edges: dict[str, list[Edge]] = {}
    updated_edges: dict[str, list[Edge]] = {}
    replaced_edges: dict[str, list[str]] = {}
    deleted_edges: dict[str, list[str]] = {}
    for change in changes:
        if change.record == "node":
            node = nodes[change.id]
            if change.action == "create":
                created_nodes.setdefault(node.kind, []).append(node)
            else:
                updated_nodes.append(node)
        elif change.action == "delete":
            # The copy to delete is the one this batch wrote, if it wrote one.
            current = edges.get(change.id) or stored_edges[change.id]
            deleted_edges.setdefault(current.type, []).append(change.id)
        else:
            edge = edges[change.id]
            old_edge = stored_edges.get(change.id)
            if old_edge is not None and (old_edge.type, old_edge.src, old_edge.dst) == (
                edge.type,
                edge.src,
                edge.dst,
            ):
                updated_edges.setdefault(edge.type, []).append(edge)
                continue
            # Neo4j cannot re-point or re-type a relationship: replace it.
            if old_edge is not None:
                replaced_edges.setdefault(old_edge.type, []).append(old_edge.id)
            created_edges.setdefault(edge.type, []).append(edge)

    # Node id -> element id, of the nodes this batch creates and of the stored ends of the
    # relationships it creates (see CREATE_EDGES).
    element_ids: dict[str, str] = {}
    # Provenance travels per statement, as a table of the chunk's distinct values that rows
    # point into: a load stamps each record with its own origin (file and line), so a table
    # for the whole batch would be as long as the batch and sent with every chunk. Rows are
    # built in a thread (`_built_ahead`), so each chunk keeps its own problems.

    def node_maps(items: Sequence[Node]) -> _Built:
        found: list[Problem] = []
        provs, index = provenance_table(items)
        rows = [{"p": node_props(n, found), "v": index[n.provenance]} for n in items]
        return rows, provs, found

    def edge_maps(items: Sequence[Edge]) -> _Built:
        found: list[Problem] = []
        provs, index = provenance_table(items)
        rows = [
            {"src": e.src, "dst": e.dst, "p": edge_props(e, found), "v": index[e.provenance]}
            for e in items
        ]
        return rows, provs, found

    def node_lists(kind: str, items: Sequence[Node]) -> _Built:
        columns = qw.NODE_COLUMNS[kind]
        found: list[Problem] = []
        provs, index = provenance_table(items)
        rows = [[index[n.provenance], *_values(node_props(n, found), columns)] for n in items]
        return rows, provs, found

    def edge_lists(rel_type: str, items: Sequence[Edge]) -> _Built:
        columns = qw.EDGE_COLUMNS[rel_type]
        found: list[Problem] = []
        provs, index = provenance_table(items)
        rows = [
            [
                element_ids[e.src],
                element_ids[e.dst],
                index[e.provenance],
                *_values(edge_props(e, found), columns),
            ]
            for e in items
        ]
        return rows, provs, found

    for rel_type, ids in replaced_edges.items():
        for chunk in _chunks(ids):
            await _expect(tx, qw.DELETE_EDGES[rel_type], len(chunk), ids=list(chunk))
    node_jobs = [
        (qw.CREATE_NODES[kind.value], partial(node_lists, kind.value, chunk))
        for kind, items in created_nodes.items()
        for chunk in _chunks(items)
    ]
    for sent, ((created,),) in await _built_ahead(tx, node_jobs):
        _check_count(len(created), sent)
        element_ids.update(created)
    update_jobs = [(qw.UPDATE_NODES, partial(node_maps, chunk)) for chunk in _chunks(updated_nodes)]
    update_jobs += [
        (qw.UPDATE_EDGES[rel_type], partial(edge_maps, chunk))
        for rel_type, items in updated_edges.items()
        for chunk in _chunks(items)
    ]
    for sent, ((done,),) in await _built_ahead(tx, update_jobs):
        _check_count(done, sent)
    stored_ends = {i for e in chain.from_iterable(created_edges.values()) for i in (e.src, e.dst)}
    element_ids.update(await _element_ids(tx, sorted(stored_ends - element_ids.keys())))
    edge_jobs = [
        (qw.CREATE_EDGES[rel_type], partial(edge_lists, rel_type, chunk))
        for rel_type, items in created_edges.items()
        for chunk in _chunks(items)
    ]
    for sent, ((done,),) in await _built_ahead(tx, edge_jobs):
        _check_count(done, sent)
    for rel_type, ids in deleted_edges.items():
        # A batch may list an id twice in delete_edges; it is deleted once.
        for chunk in _chunks(list(dict.fromkeys(ids))):
            await _expect(tx, qw.DELETE_EDGES[rel_type], len(chunk), ids=list(chunk))

    deltas = _ledger_deltas(changes, nodes, edges, stored_nodes, stored_edges)
    if deltas:
        await run(tx, qw.LEDGER_ADD, deltas=deltas)


def _values(props: Mapping[str, object], columns: tuple[str, ...]) -> list[object]:
    """`props` as a list in `columns` order (None where absent), for a creating statement.

    The columns list every property the codec writes; a property outside them would be lost,
    so it fails the whole transaction instead.
    """
    if not props.keys() <= _COLUMN_SETS[columns]:
        unknown = sorted(set(props) - set(columns))
        raise IcnGraphError(f"properties {unknown} have no column in the bulk create statement")
    return [props.get(name) for name in columns]


_COLUMN_SETS = {
    columns: frozenset(columns)
    for columns in (*qw.NODE_COLUMNS.values(), *qw.EDGE_COLUMNS.values())
}


async def _built_ahead(
    tx: AsyncManagedTransaction, jobs: Sequence[tuple[str, Callable[[], _Built]]]
) -> list[tuple[int, list[Any]]]:
    """Run bulk statements in order, each with the rows its builder makes; for each, the number
    of rows sent and the statement's result.

    The next statement's rows are built in a thread while the server runs the current one:
    building is Python's work (about 4 µs a relationship) and running it the server's, so in
    turn they added up; overlapped, most of the building hides behind the server's work (the
    two threads still share the GIL while the current rows are packed and sent).
    """
    loop = asyncio.get_running_loop()
    ahead: asyncio.Future[_Built] | None = None
    done: list[tuple[int, list[Any]]] = []
    try:
        for i, (query, build) in enumerate(jobs):
            rows, provs, problems = await ahead if ahead is not None else build()
            ahead = loop.run_in_executor(None, jobs[i + 1][1]) if i + 1 < len(jobs) else None
            raise_problems(problems)
            done.append((len(rows), await run(tx, query, rows=rows, provs=provs)))
    finally:
        # A statement failed, and the transaction with it: the rows ahead are not needed. A
        # build that already ended in an error has it read here, so it is not logged as lost.
        if ahead is not None and not ahead.cancel():
            ahead.exception()
    return done


async def _element_ids(tx: AsyncManagedTransaction, ids: Sequence[str]) -> dict[str, str]:
    """The element ids of the stored nodes `ids`.

    Validation under the meta lock has checked that every end exists, so a missing one is a
    bug; failing here keeps it from becoming a relationship that is silently not created."""
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        ((stored,),) = await run(tx, qw.NODE_ELEMENT_IDS, ids=list(chunk))
        found.update(stored)
    if len(found) != len(ids):
        missing = sorted(set(ids) - found.keys())[:5]
        raise IcnGraphError(f"relationships end at nodes that are not stored: {missing}")
    return found


async def _expect(tx: AsyncManagedTransaction, query: str, count: int, **params: Any) -> None:
    """Run a bulk write and fail the whole transaction if it touched fewer rows than sent."""
    (done,) = (await run(tx, query, **params))[0]
    _check_count(done, count)


def _check_count(done: int, count: int) -> None:
    """Fail the transaction when a bulk statement touched another number of records than sent."""
    if done != count:
        raise IcnGraphError(f"a bulk write touched {done} of {count} records; nothing was written")


def _ledger_deltas(
    changes: Sequence[Change],
    nodes: Mapping[str, Node],
    edges: Mapping[str, Edge],
    stored_nodes: Mapping[str, Node],
    stored_edges: Mapping[str, Edge],
) -> list[dict[str, object]]:
    """How many stored records each provenance.loaded_at gains or loses with these changes.

    Each touched record counts once: its stored copy leaves, and the batch's copy arrives
    unless the batch also deletes it.
    """
    deleted = {c.id for c in changes if c.action == "delete"}
    counts: Counter[str] = Counter()
    touched = dict.fromkeys((c.record, c.id) for c in changes)
    for record, record_id in touched:
        if record == "node":
            old, new = stored_nodes.get(record_id), nodes.get(record_id)
        else:
            old = stored_edges.get(record_id)
            new = None if record_id in deleted else edges.get(record_id)
        if old is not None and old.provenance is not None:
            counts[old.provenance.loaded_at] -= 1
        if new is not None and new.provenance is not None:
            counts[new.provenance.loaded_at] += 1
    return [{"at": at, "n": n} for at, n in sorted(counts.items()) if n != 0]
