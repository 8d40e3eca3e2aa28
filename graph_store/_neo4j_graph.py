"""Paths and neighbourhoods on Neo4j: the read-transaction work behind those two methods.

Paths take one query that returns the candidates with their records. A neighbourhood needs
several (one per BFS level, then the records), run in one managed read transaction; Neo4j
reads are read-committed, so a node may vanish between two queries under a concurrent write,
and is then left out rather than failing the read. The final ordering and cutting happen
here, in Python, with the contract's own keys, so the answer matches the SQLite backend's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_store import _cypher as q
from graph_store._neo4j_codec import edge_from, filter_params, node_from
from graph_store._neo4j_write import read_nodes, run
from graph_store.errors import LimitExceeded, NotFound
from graph_store.records import EdgeFilter, Path, PathQuery, Step, Subgraph, path_sort_key

__all__ = ["MAX_CANDIDATE_PATHS", "neighbourhood", "paths"]

MAX_CANDIDATE_PATHS = 20_000
"""Most paths of one length one paths() call may enumerate; more means the request is too broad."""


async def _require(tx: AsyncManagedTransaction, ids: Sequence[str]) -> None:
    found = await read_nodes(tx, list(dict.fromkeys(ids)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no node has the id {missing[0]!r}")


def _group_paths(group: Mapping[str, Any]) -> list[Path]:
    """The paths of one node sequence: one per combination of parallel relationships."""
    nodes = tuple(node_from(props) for props in group["nodes"])
    ids = [n.id for n in nodes]
    found = []
    for variant in group["variants"]:
        steps = []
        for i, rel in enumerate(variant):
            ends = (ids[i], ids[i + 1]) if rel["fwd"] else (ids[i + 1], ids[i])
            row = {"p": rel["p"], "type": rel["type"], "src": ends[0], "dst": ends[1]}
            steps.append(Step(edge_from(row), forward=rel["fwd"]))
        found.append(Path(nodes, tuple(steps)))
    return found


async def paths(tx: AsyncManagedTransaction, src: str, dst: str, query: PathQuery) -> list[Path]:
    """The first `query.k` simple paths in `path_sort_key` order, in one query.

    `q.PATHS` finds every shortest path, then the paths of each longer length while fewer than
    k are known, and returns the node sequences that can be among the first k with their
    records. Sequences come in node-id order; the parallel relationships of one sequence are
    ordered here, by `path_sort_key`, since relationship ids may be any text and Cypher orders
    text by UTF-16 code unit, not by code point as Python does.
    """
    flt = query.filter
    filtered = not (flt.types is None and flt.min_certainty is None and flt.as_of is None)
    params = {
        **filter_params(flt),
        "src": src,
        "dst": dst,
        "avoid": sorted(query.avoid - {src, dst}),
        "cap": MAX_CANDIDATE_PATHS + 1,
        "k": query.k,
    }
    ((has_src, has_dst, walks, groups),) = await run(
        tx, q.PATHS[(query.max_hops, filtered)], **params
    )
    if not (has_src and has_dst):
        raise NotFound(f"no node has the id {src if not has_src else dst!r}")
    if any(w > MAX_CANDIDATE_PATHS for w in walks):
        raise LimitExceeded(
            f"more than {MAX_CANDIDATE_PATHS} candidate paths; narrow the filters or hops"
        )
    found = [path for group in groups for path in _group_paths(group)]
    found.sort(key=lambda p: path_sort_key(tuple(n.id for n in p.nodes), _edge_ids(p)))
    return found[: query.k]


def _edge_ids(path: Path) -> tuple[str, ...]:
    return tuple(step.edge.id for step in path.steps)


async def neighbourhood(
    tx: AsyncManagedTransaction, center: str, depth: int, flt: EdgeFilter, limit: int
) -> Subgraph:
    """BFS level by level (one query per level), then the kept nodes and the edges among them.

    Levels are visited in depth order, so once more than `limit` nodes are known no deeper
    node can be kept and the walk stops early: the answer is already truncated. Each level
    therefore asks only for its first `limit + 1 - known` new ids: the kept ones, and one to
    tell whether more were cut.
    """
    await _require(tx, (center,))
    params = filter_params(flt)
    depths: dict[str, int] = {center: 0}
    frontier = [center]
    for level in range(1, depth + 1):
        if not frontier or len(depths) > limit:
            break
        take = limit + 1 - len(depths)
        ((found,),) = await run(
            tx,
            q.typed("NEIGHBOURS", flt),
            ids=frontier,
            known=list(depths),
            take=take,
            **params,
        )
        frontier = sorted(set(found) - depths.keys())
        depths.update(dict.fromkeys(frontier, level))
    order = sorted(depths, key=lambda i: (depths[i], i))
    kept = order[: max(limit, 0)]
    nodes = await read_nodes(tx, kept)
    kept = [i for i in kept if i in nodes]
    ((among,),) = await run(tx, q.EDGES_AMONG, ids=kept, **params)
    edges = sorted((edge_from(row) for row in among), key=lambda e: e.id)
    return Subgraph(
        nodes=tuple(nodes[i] for i in kept),
        depths={i: depths[i] for i in kept},
        edges=tuple(edges),
        truncated=len(order) > limit,
    )
