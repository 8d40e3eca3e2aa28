"""The k shortest simple paths between two nodes, in the contract's canonical order.

The answer must equal "enumerate every simple path of at most max_hops, sort by path_sort_key,
take k", without enumerating everything. So:

1. A bidirectional BFS (always growing the cheaper side) finds the shortest length d and leaves
   a ball of exact distances to the target around it.
2. For length L = d, d+1, ... a depth-first walk from the source visits neighbours in (node id,
   relationship id) order, which is lexicographic path order. It enters a node only if the
   target is still reachable in the hops left: exactly from the ball, or through a memoised
   one-hop-at-a-time check for nodes outside it. Parallel relationships to the same neighbour
   are carried as one group and expanded in relationship-id order when a path is emitted, so
   node-id order is compared over the whole path before any relationship id (as the key does).
3. The walk stops at the k-th path.

Every bound used is a relaxation (it ignores the nodes already on the path), so pruning never
drops a valid path; the simple-path check is still made on every step. Both phases look at the
caller's deadline every few hundred steps (`_deadline.check`), so a timed-out request stops.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator

from graph_store._deadline import check
from graph_store._edge_mask import EdgeMask
from graph_store._path_balls import BLOCKED, FREE, INF, Ball, shortest_length
from graph_store._traversal import PROBE_COST, TraversalIndex

__all__ = ["NodePath", "k_shortest_paths"]

NodePath = tuple[tuple[int, ...], tuple[int, ...]]
"""A path as (node nids, relationship eids), first node the source."""

_GROW_BUDGET = 20_000  # neighbour entries the target ball may scan per extra layer regardless
_CHECK_EVERY = 256  # walk steps between two looks at the caller's deadline (a power of two)


def k_shortest_paths(
    ix: TraversalIndex,
    src: int,
    dst: int,
    *,
    max_hops: int,
    k: int,
    mask: EdgeMask | None,
    avoid: frozenset[int] = frozenset(),
) -> list[NodePath]:
    """The first k simple src-dst paths of 1..max_hops hops by path_sort_key, walking both ways."""
    if src == dst or k < 1 or max_hops < 1:
        return []
    blocked = avoid - {src, dst}
    ahead = Ball(ix, mask, src, dst, blocked)
    behind = Ball(ix, mask, dst, src, blocked)
    shortest = shortest_length(ahead, behind, max_hops)
    if shortest is None:
        return []
    walker = _Walker(ix, mask, src, dst, behind)
    found: list[NodePath] = []
    for length in range(shortest, max_hops + 1):
        # Exact distances for every level but the first keep the walk from wandering off.
        while (
            behind.radius < length - 2
            and behind.frontier
            and (behind.volume <= ahead.volume or behind.volume <= _GROW_BUDGET)
        ):
            behind.expand(None)
        walker.collect(length, k, found)
        if len(found) >= k:
            break
    return found


class _Walker:
    """The depth-first enumeration of paths of one length, in canonical order."""

    __slots__ = (
        "_behind",
        "_dst",
        "_fail_at",
        "_groups",
        "_ix",
        "_k",
        "_mask",
        "_ok_at",
        "_on_path",
        "_out",
        "_path",
        "_src",
        "_steps_taken",
        "_within",
    )

    def __init__(
        self, ix: TraversalIndex, mask: EdgeMask | None, src: int, dst: int, behind: Ball
    ) -> None:
        self._ix, self._mask, self._src, self._dst, self._behind = ix, mask, src, dst, behind
        self._ok_at: dict[int, int] = {}  # node -> fewest hops to dst known to be enough
        self._fail_at: dict[int, int] = {}  # node -> most hops to dst known not to be enough
        self._within: dict[int, list[int]] = {}  # hops -> ball nodes that close, by id
        self._path: list[int] = []
        self._groups: list[list[int]] = []
        self._on_path: set[int] = set()
        self._out: list[NodePath] = []
        self._k = 0
        self._steps_taken = 0

    def collect(self, length: int, k: int, out: list[NodePath]) -> None:
        """Append paths of exactly `length` hops to `out`, in order, until it holds k."""
        self._out, self._k = out, k
        self._path, self._groups, self._on_path = [self._src], [], {self._src}
        self._walk(self._src, length)

    def _walk(self, u: int, left: int) -> bool:
        """Extend the current path from u with `left` hops to go; True once k paths are out."""
        self._steps_taken += 1
        if not self._steps_taken % _CHECK_EVERY:
            check()
        if left == 1:
            last = self._group(u, self._dst)
            if last:
                self._emit(last)
            return len(self._out) >= self._k
        for v, group in self._steps(u, left - 1):
            self._path.append(v)
            self._groups.append(group)
            self._on_path.add(v)
            done = self._walk(v, left - 1)
            self._on_path.discard(v)
            self._groups.pop()
            self._path.pop()
            if done:
                return True
        return False

    def _emit(self, last: list[int]) -> None:
        nodes = (*self._path, self._dst)
        for edges in itertools.product(*self._groups, last):
            self._out.append((nodes, edges))
            if len(self._out) >= self._k:
                return

    def _steps(self, u: int, need: int) -> Iterator[tuple[int, list[int]]]:
        """Next nodes v (by id) from u with their accepted relationships, v within `need` of dst."""
        ix, behind = self._ix, self._behind
        dist = behind.dist
        ns, es, lo, hi = ix.nbrs(u)
        exact = need <= behind.radius
        if exact:
            if self._close_size(need) * PROBE_COST < hi - lo:
                # A hub next to a small target ball: look the ball's nodes up in u's list.
                for v in self._close(need):
                    if v != self._dst and v not in self._on_path:
                        group = self._group(u, v)
                        if group:
                            yield v, group
                return
            hits = [i for i, v in enumerate(ns[lo:hi], lo) if dist[v] <= need]
        else:
            hits = [i for i, v in enumerate(ns[lo:hi], lo) if dist[v] != BLOCKED]
        at = 0
        while at < len(hits):
            i = hits[at]
            v = ns[i]
            end = at + 1
            while end < len(hits) and ns[hits[end]] == v:
                end += 1
            first, at = i, end
            if v == self._dst or v in self._on_path:
                continue
            if not exact and not self._reaches(v, need):
                continue
            group = self._accepted(es, first, hits[end - 1] + 1)
            if group:
                yield v, group

    def _close_size(self, hops: int) -> int:
        return sum(map(len, self._behind.layers[: hops + 1]))

    def _close(self, hops: int) -> list[int]:
        """Nodes at most `hops` from dst, sorted by id (cached: the ball only grows outward)."""
        close = self._within.get(hops)
        if close is None:
            layers = self._behind.layers[: hops + 1]
            close = sorted(itertools.chain.from_iterable(layers), key=self._ix.node_ids.__getitem__)
            self._within[hops] = close
        return close

    def _group(self, u: int, v: int) -> list[int]:
        """The accepted relationships between u and v, by id."""
        between = self._ix.between(u, v)
        mask = self._mask
        if mask is None:
            return list(between)
        return [e for e in between if self._ix.accepts(mask, e)]

    def _accepted(self, es: array[int], first: int, end: int) -> list[int]:
        mask = self._mask
        if mask is None:
            return list(es[first:end])
        ix = self._ix
        return [e for e in es[first:end] if ix.accepts(mask, e)]

    def _reaches(self, v: int, hops: int) -> bool:
        """Whether dst may be within `hops` of v (v outside the ball); memoised per node."""
        if self._ok_at.get(v, INF) <= hops:
            return True
        if self._fail_at.get(v, -1) >= hops:
            return False
        nearer = hops - 1
        if nearer <= self._behind.radius:
            reached = self._touches(v, nearer)
        else:
            reached = any(self._reaches(w, nearer) for w in self._outside(v))
        if reached:
            self._ok_at[v] = hops
        else:
            self._fail_at[v] = hops
        return reached

    def _touches(self, v: int, hops: int) -> bool:
        """Whether an accepted relationship leads from v to a ball node at most `hops` from dst."""
        ns, es, lo, hi = self._ix.nbrs(v)
        if self._close_size(hops) * PROBE_COST < hi - lo:
            return any(w != self._src and self._group(v, w) for w in self._close(hops))
        dist, src = self._behind.dist, self._src
        hits = [i for i, w in enumerate(ns[lo:hi], lo) if dist[w] <= hops and w != src]
        mask = self._mask
        return bool(hits) and (mask is None or any(self._ix.accepts(mask, es[i]) for i in hits))

    def _outside(self, v: int) -> list[int]:
        """v's neighbours beyond the ball over accepted relationships (for deeper checks)."""
        ix, dist, mask = self._ix, self._behind.dist, self._mask
        ns, es, lo, hi = ix.nbrs(v)
        return [
            w
            for w, e in zip(ns[lo:hi], es[lo:hi], strict=True)
            if dist[w] == FREE and w != self._src and (mask is None or ix.accepts(mask, e))
        ]
