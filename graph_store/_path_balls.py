"""Breadth-first balls of exact hop distances around a path search's two ends.

Growing both ends, always the cheaper one, finds the shortest length after scanning far
fewer relationships than a one-sided BFS around hubs; the target-side ball then gives the
depth-first walk exact "can dst still be reached in h hops" answers near the target.
"""

from __future__ import annotations

import itertools
from collections import deque

from graph_store._deadline import check
from graph_store._edge_mask import EdgeMask
from graph_store._traversal import TraversalIndex

__all__ = ["BLOCKED", "FREE", "INF", "Ball", "shortest_length"]

FREE = 255
"""Distance byte of a node not reached yet."""
BLOCKED = 254
"""Distance byte of a node no path may enter (the `avoid` list)."""
INF = 1 << 30
_CHECK_EVERY = 256  # frontier nodes between two looks at the caller's deadline


def shortest_length(ahead: Ball, behind: Ball, max_hops: int) -> int | None:
    """The length of a shortest path (None if longer than max_hops), growing the cheaper ball.

    While no path of at most `reach` = the two radii exists, any hit found by the next layer
    has length reach + 1 exactly; so the source-side ball may stop at its first hit. The
    target-side ball always completes its layer: the walk prunes with its exact distances.
    """
    best = INF
    while True:
        reach = ahead.radius + behind.radius
        if best <= reach:
            return best if best <= max_hops else None
        if reach >= max_hops:
            return None
        if not ahead.frontier or not behind.frontier:
            # One ball holds everything reachable from its root: `best` is already exact.
            return best if best <= max_hops else None
        if ahead.volume <= behind.volume:
            best = min(best, ahead.expand(behind.dist, first_hit=True))
        else:
            best = min(best, behind.expand(ahead.dist))


class Ball:
    """Exact hop distances from one root under the filter, grown one layer at a time."""

    __slots__ = ("_ix", "_mask", "_stop", "_volume", "dist", "frontier", "layers", "radius")

    def __init__(
        self,
        ix: TraversalIndex,
        mask: EdgeMask | None,
        root: int,
        stop: int,
        blocked: frozenset[int],
    ) -> None:
        self._ix, self._mask, self._stop = ix, mask, stop
        self.dist = bytearray(b"\xff") * len(ix.node_ids)
        for node in blocked:
            if node < len(self.dist):
                self.dist[node] = BLOCKED
        self.dist[root] = 0
        self.frontier = [root]
        self.layers = [[root]]
        self.radius = 0
        self._volume: int | None = None

    @property
    def volume(self) -> int:
        """Neighbour entries the next layer would scan: the cost of growing this ball."""
        if self._volume is None:
            self._volume = sum(map(self._ix.deg.__getitem__, self.frontier))
        return self._volume

    def expand(self, other: bytearray | None, *, first_hit: bool = False) -> int:
        """Add the next layer; return the shortest root-to-other-root walk seen through it.

        The ball never leaves through `stop` (the other end of the search): a simple path
        cannot pass through its own endpoint. With `first_hit`, the layer stops growing at
        the first node of `other` (the layer is then incomplete; see `_shortest`).
        """
        ix, dist, mask = self._ix, self.dist, self._mask
        step = self.radius + 1
        found: list[int] = []
        best = INF
        for seen, u in enumerate(self.frontier, 1):
            if not seen % _CHECK_EVERY:
                check()  # a layer around hubs can hold most of the graph
            if u == self._stop:
                continue
            ns, es, lo, hi = ix.nbrs(u)
            if mask is None:
                fresh = [v for v in ns[lo:hi] if dist[v] == FREE]
            else:
                tc, ok, elo, ehi = ix.e_tc, mask.tc_ok, ix.e_lo, ix.e_hi
                a_lo, a_hi, dated = mask.as_of_lo, mask.as_of_hi, mask.dated
                fresh = [
                    v
                    for v, e in zip(ns[lo:hi], es[lo:hi], strict=True)
                    if dist[v] == FREE
                    and ok[tc[e]]
                    and (not dated or (elo[e] <= a_hi and ehi[e] >= a_lo))
                ]
            if not fresh:
                continue
            fresh = list(dict.fromkeys(fresh))  # parallel relationships repeat a neighbour
            deque(map(dist.__setitem__, fresh, itertools.repeat(step)), maxlen=0)
            found += fresh
            if other is not None:
                nearest = min(map(other.__getitem__, fresh))
                if nearest < BLOCKED:
                    best = min(best, step + nearest)
                    if first_hit:
                        break
        self.frontier = found
        self.layers.append(found)
        self.radius = step
        self._volume = None
        return best
