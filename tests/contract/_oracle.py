"""Independent reference answers, computed by brute force from the records a test applied.

These re-state the contract's semantics in the plainest possible code (enumerate everything,
then sort), so a backend's clever query is checked against something obviously right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph_store import (
    Direction,
    Edge,
    EdgeFilter,
    GraphStore,
    Node,
    NodeKind,
    NodeQuery,
    PartialDate,
    PathQuery,
    Provenance,
    Stats,
    path_sort_key,
)
from graph_store.ranking import score

PathKey = tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]
"""A path as (node ids, edge ids, forward flags)."""


def paths(edges: Iterable[Edge], src: str, dst: str, query: PathQuery) -> list[PathKey]:
    """Every simple path src -> dst within the query's limits, sorted canonically, first k."""
    adjacency: dict[str, list[tuple[Edge, str, bool]]] = defaultdict(list)
    for e in edges:
        if e.src == e.dst or not query.filter.accepts(e):
            continue
        adjacency[e.src].append((e, e.dst, True))
        adjacency[e.dst].append((e, e.src, False))
    found: list[PathKey] = []

    def walk(at: str, nodes: tuple[str, ...], eids: tuple[str, ...], fwd: tuple[bool, ...]) -> None:
        if len(eids) == query.max_hops:
            return
        for e, other, forward in adjacency[at]:
            if other in nodes:
                continue
            step = ((*nodes, other), (*eids, e.id), (*fwd, forward))
            if other == dst:
                found.append(step)
            elif other not in query.avoid:
                walk(other, *step)

    if src != dst:
        walk(src, (src,), (), ())
    found.sort(key=lambda p: path_sort_key(p[0], p[1]))
    return found[: query.k]


def _follows(e: Edge, node_id: str, direction: Direction) -> bool:
    if direction is Direction.OUT:
        return e.src == node_id
    if direction is Direction.IN:
        return e.dst == node_id
    return node_id in (e.src, e.dst)


def edges_of(edges: Iterable[Edge], node_id: str, flt: EdgeFilter, limit: int) -> list[str]:
    """Edge ids of one node, filtered, in canonical (type, other id, edge id) order."""
    chosen = [e for e in edges if flt.accepts(e) and _follows(e, node_id, flt.direction)]
    chosen.sort(key=lambda e: (e.type, e.other(node_id), e.id))
    return [e.id for e in chosen[:limit]]


@dataclass(frozen=True)
class Hood:
    """A reference neighbourhood: kept node ids with depths, edge ids, truncation."""

    nodes: tuple[tuple[str, int], ...]
    edges: tuple[str, ...]
    truncated: bool


def neighbourhood(
    edges: Sequence[Edge], center: str, depth: int, flt: EdgeFilter, limit: int
) -> Hood:
    """BFS over accepted edges honouring direction; keep (depth, id) order's first `limit`."""
    depths = {center: 0}
    frontier = [center]
    for d in range(1, depth + 1):
        reached: set[str] = set()
        for at in frontier:
            for e in edges:
                if not flt.accepts(e):
                    continue
                if flt.direction in (Direction.OUT, Direction.BOTH) and e.src == at:
                    reached.add(e.dst)
                if flt.direction in (Direction.IN, Direction.BOTH) and e.dst == at:
                    reached.add(e.src)
        frontier = sorted(n for n in reached if n not in depths)
        depths.update(dict.fromkeys(frontier, d))
    order = sorted(depths, key=lambda n: (depths[n], n))
    kept = set(order[:limit])
    among = sorted(e.id for e in edges if flt.accepts(e) and e.src in kept and e.dst in kept)
    return Hood(tuple((n, depths[n]) for n in order[:limit]), tuple(among), len(order) > limit)


def search(
    nodes: Iterable[Node],
    text: str,
    *,
    kinds: Iterable[NodeKind] | None = None,
    country: str | None = None,
) -> list[tuple[str, float]]:
    """All matches as (id, score), best first, ties by id."""
    wanted = set(kinds) if kinds is not None else None
    hits = []
    for n in nodes:
        if wanted is not None and n.kind not in wanted:
            continue
        if country is not None and str(n.props.get("country", "")).casefold() != country.casefold():
            continue
        value = score(text, n)
        if value > 0:
            hits.append((n.id, value))
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits


def list_nodes(nodes: Iterable[Node], query: NodeQuery) -> list[str]:
    """Ids of every node matching `query`, in id order (no paging)."""
    result = []
    for n in sorted(nodes, key=lambda n: n.id):
        if query.kind is not None and n.kind is not query.kind:
            continue
        if any(
            not isinstance(n.props.get(k), str) or n.props[k].casefold() != v.casefold()  # type: ignore[union-attr]
            for k, v in query.where.items()
        ):
            continue
        if query.date_from is not None or query.date_to is not None:
            if "date" not in n.props:
                continue
            when = PartialDate.parse(str(n.props["date"]))
            if query.date_from is not None and when.hi < query.date_from.lo:
                continue
            if query.date_to is not None and when.lo > query.date_to.hi:
                continue
        result.append(n.id)
    return result


@dataclass(frozen=True)
class Snapshot:
    """Everything a store holds for a set of ids, provenance included, plus its counters."""

    nodes: Mapping[str, tuple[Node, Provenance | None]]
    edges: Mapping[str, tuple[Edge, Provenance | None]]
    stats: Stats
    seq: int


async def snapshot(store: GraphStore, node_ids: Iterable[str], edge_ids: Iterable[str]) -> Snapshot:
    """The store's content for every id a test could have touched, and its global counts."""
    nodes = await store.get_nodes(sorted(set(node_ids)))
    edges = await store.get_edges(sorted(set(edge_ids)))
    return Snapshot(
        nodes={k: (v, v.provenance) for k, v in nodes.items()},
        edges={k: (v, v.provenance) for k, v in edges.items()},
        stats=await store.stats(),
        seq=await store.change_seq(),
    )


async def all_nodes(store: GraphStore, page_size: int = 50) -> list[Node]:
    """Every node of the store, walked with keyset pagination."""
    found: list[Node] = []
    after: str | None = None
    while True:
        page = await store.list_nodes(NodeQuery(), first=page_size, after=after)
        found.extend(page.items)
        if not page.has_next:
            return found
        after = page.items[-1].id
