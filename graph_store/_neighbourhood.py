"""Breadth-first neighbourhoods over the traversal index, in the contract's (depth, id) order."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from graph_store._deadline import check
from graph_store._edge_mask import EdgeMask
from graph_store._traversal import PROBE_COST, TraversalIndex
from graph_store.records import Direction

__all__ = ["Hood", "neighbourhood"]

_CHECK_EVERY = 256  # nodes expanded between two looks at the caller's deadline


@dataclass(frozen=True, slots=True)
class Hood:
    """Kept nodes as (nid, depth) in (depth, id) order, the eids among them, and the cap flag."""

    nodes: tuple[tuple[int, int], ...]
    edges: frozenset[int]
    truncated: bool


def neighbourhood(
    ix: TraversalIndex,
    center: int,
    *,
    depth: int,
    mask: EdgeMask | None,
    direction: Direction,
    limit: int,
) -> Hood:
    """BFS from `center` honouring `direction`; keep the first `limit` nodes; edges among them.

    Layers past the one where `limit` is exceeded cannot change the kept set, so the walk
    stops there (a hub two hops out would otherwise pull in most of the graph).
    """
    key = ix.node_ids.__getitem__
    depths = {center: 0}
    order = [center]
    frontier = [center]
    truncated = len(order) > limit
    for level in range(1, depth + 1):
        if truncated or not frontier:
            break
        reached: set[int] = set()
        for seen, u in enumerate(frontier, 1):
            if not seen % _CHECK_EVERY:
                check()
            reached.update(_steps(ix, u, mask, direction, depths))
        room = limit - len(order)
        if len(reached) > room:
            # Only the `room` smallest ids of this layer are kept; deeper layers never are.
            # (comparing the id strings themselves: a key function would double the cost)
            frontier = [ix.idx[i] for i in heapq.nsmallest(room, map(key, reached))]
            truncated = True
        else:
            frontier = sorted(reached, key=key)
        for v in frontier:
            depths[v] = level
        order.extend(frontier)
    kept = order[: max(limit, 0)]
    return Hood(tuple((n, depths[n]) for n in kept), _among(ix, kept, mask), truncated)


def _steps(
    ix: TraversalIndex,
    u: int,
    mask: EdgeMask | None,
    direction: Direction,
    seen: dict[int, int],
) -> list[int]:
    """Unseen neighbours of u over accepted relationships that `direction` lets the walk use."""
    ns, es, lo, hi = ix.nbrs(u)
    if mask is None and direction is Direction.BOTH:
        return [v for v in ns[lo:hi] if v not in seen]
    return [
        v
        for v, e in zip(ns[lo:hi], es[lo:hi], strict=True)
        if v not in seen and ix.accepts(mask, e) and ix.follows(direction, u, e)
    ]


def _among(ix: TraversalIndex, kept: list[int], mask: EdgeMask | None) -> frozenset[int]:
    """Accepted relationships with both ends kept; hubs are probed, not scanned."""
    kept_set = set(kept)
    among: set[int] = set()
    for seen, u in enumerate(kept, 1):
        if not seen % _CHECK_EVERY:
            check()
        ns, es, lo, hi = ix.nbrs(u)
        if hi - lo > PROBE_COST * len(kept):
            found = [e for v in kept for e in ix.between(u, v)]
        else:
            found = [e for v, e in zip(ns[lo:hi], es[lo:hi], strict=True) if v in kept_set]
        among.update(found if mask is None else (e for e in found if ix.accepts(mask, e)))
    return frozenset(among)
