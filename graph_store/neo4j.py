"""The Neo4j 5 backend of the GraphStore contract, over the official async driver.

Nodes carry their kind label plus the shared `Entity` label; relationships carry their real
type (MEMBER_OF, KNOWS, ...), so the database reads naturally in Neo4j's own tools. All Cypher
is constant text from `_cypher`; the driver, its time limits and its routing live in
`_neo4j_conn`; and every public method goes through `_neo4j_errors.translating`, so no driver
object or exception ever leaves this module.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

from neo4j import AsyncManagedTransaction

from graph_store import _cypher as q
from graph_store import _cypher_write as qw
from graph_store import _neo4j_graph, _neo4j_write
from graph_store._gc_pause import gc_paused
from graph_store._neo4j_codec import edge_from, filter_params, node_from
from graph_store._neo4j_conn import Connection
from graph_store._neo4j_errors import translate, translating
from graph_store.errors import BadUserInput, LimitExceeded
from graph_store.model import NODE_PROPERTIES, RELATIONSHIP_TYPES, NodeKind
from graph_store.protocol import MAX_DEPTH, MAX_EDGES_PER_NODE, MAX_HOPS, MAX_PATHS
from graph_store.ranking import MAX_CANDIDATES, label_scorer, query_tokens
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

__all__ = ["Neo4jStore"]

WHOLE_CANDIDATES = 50
"""Up to this many search candidates come back whole with the candidates (one round trip)."""

_BULK = 10_000
"""Records in a batch past which Python's cyclic GC is paused during plan/apply (_gc_pause)."""
_ALL_NODE_PROPERTIES = frozenset().union(*NODE_PROPERTIES.values())
_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def _lucene_prefix(token: str) -> str:
    """`token*` with Lucene's special characters escaped (tokens are normalised already)."""
    return "".join(f"\\{c}" if c in _LUCENE_SPECIAL else c for c in token) + "*"


class Neo4jStore:
    """A GraphStore on Neo4j 5; create with `await Neo4jStore.open(uri, ...)`."""

    backend = "neo4j"

    def __init__(self, db: Connection) -> None:
        """Use `open`, which also prepares the schema."""
        self._db = db

    @classmethod
    @translating
    async def open(
        cls,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        timeout_s: float = 10.0,
    ) -> Neo4jStore:
        """Connect, create the schema if missing (idempotent) and wait for indexes to be online."""
        db = Connection.create(
            uri, user=user, password=password, database=database, timeout_s=timeout_s
        )
        try:
            await db.prepare()
        except BaseException:
            await db.close()
            raise
        return cls(db)

    # --- writes ------------------------------------------------------------------------------

    @translating
    async def plan(self, batch: Batch) -> ApplyResult:
        """Validate and diff `batch` against the store in a read transaction; nothing is written."""

        async def work(tx: AsyncManagedTransaction) -> ApplyResult:
            return await _neo4j_write.work(tx, batch, write=False)

        if len(batch.nodes) + len(batch.edges) < _BULK:
            return await self._db.read(work, bulk=True)
        with gc_paused():
            return await self._db.read(work, bulk=True)

    @translating
    async def apply(self, batch: Batch) -> ApplyResult:
        """Validate, diff and write `batch` in one managed write transaction, all or nothing."""

        async def work(tx: AsyncManagedTransaction) -> ApplyResult:
            return await _neo4j_write.work(tx, batch, write=True)

        if len(batch.nodes) + len(batch.edges) < _BULK:
            return await self._db.write(work)
        with gc_paused():
            return await self._db.write(work)

    @translating
    async def clear(self) -> None:
        """Delete every node and relationship in bounded transactions, then bump change_seq."""
        for statement in (qw.CLEAR_EDGES_CHUNK, qw.CLEAR_NODES_CHUNK):
            while True:
                ((deleted,),) = await self._db.execute(
                    statement, write=True, chunk=_neo4j_write.CHUNK
                )
                if deleted < _neo4j_write.CHUNK:
                    break

        async def finish(tx: AsyncManagedTransaction) -> None:
            await _neo4j_write.run(tx, qw.LOCK_META)
            await _neo4j_write.run(tx, qw.CLEAR_NODES_CHUNK, chunk=_neo4j_write.CHUNK)
            await _neo4j_write.run(tx, qw.CLEAR_LEDGER)
            await _neo4j_write.run(tx, qw.BUMP_SEQ)

        await self._db.write(finish)

    # --- reads -------------------------------------------------------------------------------

    @translating
    async def get_nodes(self, ids: Iterable[str]) -> Mapping[str, Node]:
        """The nodes with these ids (one query); unknown ids are absent."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        ((found,),) = await self._db.execute(q.GET_NODES, ids=wanted)
        return {n.id: n for n in (node_from(props) for props in found)}

    @translating
    async def get_edges(self, ids: Iterable[str]) -> Mapping[str, Edge]:
        """The relationships with these ids (one query over every type's id index)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = await self._db.execute(q.GET_EDGES, ids=wanted)
        found = {e.id: e for (edges,) in rows for e in map(edge_from, edges)}
        return {i: found[i] for i in wanted if i in found}

    @translating
    async def edges_of(
        self, node_ids: Iterable[str], flt: EdgeFilter, *, limit_per_node: int = MAX_EDGES_PER_NODE
    ) -> Mapping[str, Sequence[Edge]]:
        """Filtered relationships of many nodes in one query, in canonical order per node."""
        if limit_per_node < 0:
            raise BadUserInput("limit_per_node must not be negative")
        wanted = list(dict.fromkeys(node_ids))
        result: dict[str, list[Edge]] = {i: [] for i in wanted}
        limit = min(limit_per_node, MAX_EDGES_PER_NODE)
        if not wanted or limit == 0:
            return result
        ((pages,),) = await self._db.execute(
            q.typed("EDGES_OF", flt),
            ids=wanted,
            limit=limit,
            **filter_params(flt),
        )
        for node_id, edges in pages:
            found = [edge_from(row) for row in edges]
            # Cypher already ordered and cut; sorting again pins Python's string order.
            found.sort(key=lambda e, at=node_id: (e.type, e.other(at), e.id))
            result[node_id] = found
        return result

    @translating
    async def edge_pages(
        self,
        node_ids: Iterable[str],
        flt: EdgeFilter,
        *,
        limit_per_node: int,
        with_ends: bool = False,
    ) -> Mapping[str, EdgePage]:
        """Pages, totals and far ends of many nodes' relationships in one query."""
        if limit_per_node < 0:
            raise BadUserInput("limit_per_node must not be negative")
        wanted = list(dict.fromkeys(node_ids))
        result = {i: EdgePage((), 0, {}) for i in wanted}
        if not wanted:
            return result
        ((pages,),) = await self._db.execute(
            q.typed("EDGE_PAGES", flt),
            ids=wanted,
            limit=min(limit_per_node, MAX_EDGES_PER_NODE),
            ends=with_ends,
            **filter_params(flt),
        )
        for node_id, total, edges, ends in pages:
            found = [edge_from(row) for row in edges]
            found.sort(key=lambda e, at=node_id: (e.type, e.other(at), e.id))
            far = {n.id: n for n in (node_from(props) for props in ends)}
            result[node_id] = EdgePage(tuple(found), int(total), far)
        return result

    @translating
    async def list_nodes(self, query: NodeQuery, *, first: int, after: str | None) -> Page[Node]:
        """A keyset page of nodes ordered by id, with the total count, in one query."""
        if first < 0:
            raise BadUserInput("first must not be negative")
        for key in query.where:
            if key not in _ALL_NODE_PROPERTIES:
                # Also keeps internal properties (search_text, prov_*) out of reach.
                raise BadUserInput(f"{key!r} is not a node property that can be filtered on")
        label = query.kind.value if query.kind is not None else q.ENTITY
        rows = await self._db.execute(
            q.LIST_NODES[label],
            where={k: str(v).casefold() for k, v in query.where.items()},
            date_lo=query.date_from.lo if query.date_from is not None else None,
            date_hi=query.date_to.hi if query.date_to is not None else None,
            after=after,
            limit=first + 1,
        )
        ((total, items),) = rows
        nodes = tuple(node_from(props) for props in items)
        return Page(nodes[:first], len(nodes) > first, total)

    @translating
    async def search(
        self,
        text: str,
        *,
        kinds: Iterable[NodeKind] | None = None,
        country: str | None = None,
        first: int = 10,
        offset: int = 0,
    ) -> Page[SearchHit]:
        """Candidates from the full-text index (every word as a prefix), ranked by ranking.score.

        At most WHOLE_CANDIDATES candidates come back whole in the same round trip; more come
        back as ids and labels, and the page's nodes are fetched once ranked (a second round
        trip, but 500 small rows instead of 500 nodes)."""
        if first < 0 or offset < 0:
            raise BadUserInput("first and offset must not be negative")
        tokens = query_tokens(text)
        if not tokens:
            return Page((), False, 0)
        ((candidates,),) = await self._db.execute(
            q.SEARCH,
            query=" AND ".join(_lucene_prefix(t) for t in tokens),
            kinds=[str(getattr(k, "value", k)) for k in kinds] if kinds is not None else None,
            country=country.casefold() if country is not None else None,
            cap=MAX_CANDIDATES,
            whole=WHOLE_CANDIDATES,
        )
        scorer = label_scorer(text)
        scores = {node_id: scorer(labels) for node_id, labels, _ in candidates}
        ranked = sorted((i for i, s in scores.items() if s > 0), key=lambda i: (-scores[i], i))
        chosen = ranked[offset : offset + first]
        held = {node_id: props for node_id, _, props in candidates if props is not None}
        if all(i in held for i in chosen):
            nodes = {i: node_from(held[i]) for i in chosen}
        else:
            nodes = await self.get_nodes(chosen)
        page = tuple(SearchHit(nodes[i], scores[i]) for i in chosen if i in nodes)
        return Page(page, offset + first < len(ranked), len(ranked))

    @translating
    async def paths(self, src: str, dst: str, query: PathQuery) -> Sequence[Path]:
        """The first k shortest simple paths (see `_neo4j_graph.paths`)."""
        if not 1 <= query.max_hops <= MAX_HOPS:
            raise LimitExceeded(f"max_hops must be between 1 and {MAX_HOPS}")
        if not 1 <= query.k <= MAX_PATHS:
            raise LimitExceeded(f"the number of paths must be between 1 and {MAX_PATHS}")

        async def work(tx: AsyncManagedTransaction) -> list[Path]:
            return await _neo4j_graph.paths(tx, src, dst, query)

        return await self._db.read(work)

    @translating
    async def neighbourhood(
        self, node_id: str, *, depth: int, flt: EdgeFilter, limit: int
    ) -> Subgraph:
        """BFS neighbourhood (see `_neo4j_graph.neighbourhood`)."""
        if depth > MAX_DEPTH:
            raise LimitExceeded(f"depth must be at most {MAX_DEPTH}")
        if depth < 0 or limit < 0:
            raise BadUserInput("depth and limit must not be negative")

        async def work(tx: AsyncManagedTransaction) -> Subgraph:
            return await _neo4j_graph.neighbourhood(tx, node_id, depth, flt, limit)

        return await self._db.read(work)

    @translating
    async def stats(self) -> Stats:
        """Counts per kind and type from the count store, change_seq and the last load time."""
        nodes = {k.value: 0 for k in NodeKind}
        edges = dict.fromkeys(RELATIONSHIP_TYPES, 0)
        seq = 0
        loaded: list[str] = []
        for what, key, count in await self._db.execute(q.STATS):
            if what == "node":
                nodes[key] = count
            elif what == "edge":
                edges[key] = count
            elif what == "seq":
                seq = count
            else:
                loaded.append(key)
        return Stats(nodes, edges, seq, max(loaded) if loaded else None)

    @translating
    async def change_seq(self) -> int:
        """The number of committed changing writes (a singleton meta node, not an Entity)."""
        ((seq,),) = await self._db.execute(q.CHANGE_SEQ)
        return int(seq)

    async def warm(self) -> None:
        """Nothing to build: the traversal happens in Neo4j."""

    async def health(self) -> Health:
        """Round-trip a trivial query; report failure as data, never raise."""
        started = time.perf_counter()
        try:
            await self._db.execute(q.HEALTH)
        except Exception as exc:  # a probe must answer whatever happened
            error = translate(exc)
            return Health(False, self.backend, f"{error.code}: {error}", _ms(started))
        return Health(True, self.backend, f"database {self._db.database!r} answers", _ms(started))

    async def aclose(self) -> None:
        """Close the driver and its connection pool."""
        await self._db.close()


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
