"""Paths and neighbourhoods on Neo4j: the read-transaction work behind those two methods.

Both need several queries (candidates, then the records they name), run in one managed read
transaction. Neo4j reads are read-committed, so a record may vanish between two queries under
a concurrent write; such a path or node is left out rather than failing the read. Ordering
and cutting happen here, in Python, with the contract's own keys, so the answer matches the
SQLite backend's exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncManagedTransaction

from graph_store import _cypher as q
from graph_store._neo4j_codec import edge_from, filter_params
from graph_store._neo4j_write import read_nodes, run
from graph_store.errors import LimitExceeded, NotFound
from graph_store.records import EdgeFilter, Path, PathQuery, Step, Subgraph, path_sort_key

__all__ = ["MAX_CANDIDATE_PATHS", "neighbourhood", "paths"]

MAX_CANDIDATE_PATHS = 20_000
"""Most candidate trails pulled for one paths() call; more means the request is too broad."""

_Candidate = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""A candidate path: node ids, relationship ids, relationship element ids."""


async def _require(tx: AsyncManagedTransaction, ids: Sequence[str]) -> None:
    found = await read_nodes(tx, list(dict.fromkeys(ids)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no node with id {missing[0]!r}")


async def paths(tx: AsyncManagedTransaction, src: str, dst: str, query: PathQuery) -> list[Path]:
    """The first `query.k` simple paths in `path_sort_key` order.

    `SHORTEST g GROUPS` returns every trail of the g shortest lengths; a trail may revisit a
    node, so only simple ones are kept, and g grows until the complete groups hold at least k
    simple paths (then the first k in canonical order are certainly among them) or no longer
    length exists within max_hops.
    """
    await _require(tx, (src, dst))
    if src == dst:
        return []
    params = {
        **filter_params(query.filter),
        "src": src,
        "dst": dst,
        "avoid": sorted(query.avoid - {src, dst}),
        "cap": MAX_CANDIDATE_PATHS + 1,
    }
    simple: list[_Candidate] = []
    for groups in range(1, query.max_hops + 1):
        rows = await run(tx, q.PATHS[(query.max_hops, groups)], **params)
        if len(rows) > MAX_CANDIDATE_PATHS:
            raise LimitExceeded(
                f"more than {MAX_CANDIDATE_PATHS} candidate paths; narrow the filters or hops"
            )
        simple = [
            (tuple(nodes), tuple(edges), tuple(eids))
            for nodes, edges, eids in rows
            if len(set(nodes)) == len(nodes)
        ]
        lengths = {len(edges) for _, edges, _ in rows}
        if len(simple) >= query.k or len(lengths) < groups:
            break
    simple.sort(key=lambda c: path_sort_key(c[0], c[1]))
    chosen = simple[: query.k]
    if not chosen:
        return []
    node_ids = sorted({i for c in chosen for i in c[0]})
    element_ids = sorted({e for c in chosen for e in c[2]})
    nodes = await read_nodes(tx, node_ids)
    edges = {}
    for (row,) in await run(tx, q.EDGES_BY_ELEMENT_ID, eids=element_ids):
        edge = edge_from(row)
        edges[edge.id] = edge
    result = []
    for ids, edge_ids, _ in chosen:
        if not all(i in nodes for i in ids) or not all(e in edges for e in edge_ids):
            continue  # deleted by a write that committed between the two queries
        steps = tuple(
            Step(edges[eid], forward=edges[eid].src == ids[i]) for i, eid in enumerate(edge_ids)
        )
        result.append(Path(tuple(nodes[i] for i in ids), steps))
    return result


async def neighbourhood(
    tx: AsyncManagedTransaction, center: str, depth: int, flt: EdgeFilter, limit: int
) -> Subgraph:
    """BFS level by level (one query per level), then the kept nodes and the edges among them.

    Levels are visited in depth order, so once more than `limit` nodes are known no deeper
    node can be kept and the walk stops early: the answer is already truncated.
    """
    await _require(tx, (center,))
    params = filter_params(flt)
    depths: dict[str, int] = {center: 0}
    frontier = [center]
    for level in range(1, depth + 1):
        if not frontier or len(depths) > limit:
            break
        rows = await run(tx, q.NEIGHBOURS[flt.direction], ids=frontier, **params)
        frontier = sorted({i for (i,) in rows} - depths.keys())
        depths.update(dict.fromkeys(frontier, level))
    order = sorted(depths, key=lambda i: (depths[i], i))
    kept = order[: max(limit, 0)]
    nodes = await read_nodes(tx, kept)
    kept = [i for i in kept if i in nodes]
    rows = await run(tx, q.EDGES_AMONG, ids=kept, **params)
    edges = sorted((edge_from(row) for (row,) in rows), key=lambda e: e.id)
    return Subgraph(
        nodes=tuple(nodes[i] for i in kept),
        depths={i: depths[i] for i in kept},
        edges=tuple(edges),
        truncated=len(order) > limit,
    )
