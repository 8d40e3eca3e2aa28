"""The embedded store's in-memory adjacency: compact arrays that paths and neighbourhoods walk.

Why in memory: a who-knows-whom search touches thousands of relationships, and a round trip into
SQLite per hop would cost more than the whole search. Why arrays: at a million relationships,
dicts of objects would take gigabytes; `array` columns indexed by the database's own integer row
ids (nodes.nid, edges.eid) take tens of megabytes and need no id translation on refresh.

Each node's neighbour list is sorted by (neighbour id, relationship id) as *strings*, so a
depth-first walk visits paths in the contract's canonical order. The base lists live in one CSR
block (`off`, `adj_n`, `adj_e`); nodes touched by later writes get a private list in `overlay`
instead of rebuilding the block.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from graph_store._edge_mask import DEAD, RANKS, EdgeMask, compile_mask, tc_code
from graph_store.records import Direction, EdgeFilter

__all__ = ["PROBE_COST", "EdgeIdLookup", "EdgeRow", "TraversalIndex"]

EdgeRow = tuple[int, int, int, str, int, int, int]
"""(eid, src nid, dst nid, type, certainty rank, since.lo day, until.hi day)."""

EdgeIdLookup = Callable[[Sequence[int]], Mapping[int, str]]
"""Fetches relationship ids by eid; needed only to order parallel relationships, which are rare."""

PROBE_COST = 16
"""A binary search in a neighbour list costs about as much as scanning this many entries."""

_EMPTY = array("i")


class TraversalIndex:
    """Adjacency and filter columns of the whole graph, refreshed from the database's changes."""

    __slots__ = (
        "adj_e",
        "adj_n",
        "deg",
        "e_dst",
        "e_hi",
        "e_lo",
        "e_src",
        "e_tc",
        "idx",
        "node_ids",
        "off",
        "overlay",
        "type_codes",
    )

    def __init__(self) -> None:
        self.node_ids: list[str | None] = []
        self.idx: dict[str, int] = {}
        self.deg = array("i")
        self.e_src = array("i")
        self.e_dst = array("i")
        self.e_tc = array("H")
        self.e_lo = array("i")
        self.e_hi = array("i")
        self.type_codes: dict[str, int] = {}
        self.off = array("i", [0])
        self.adj_n = array("i")
        self.adj_e = array("i")
        self.overlay: dict[int, tuple[array[int], array[int]]] = {}

    # --- building -----------------------------------------------------------------------------

    @classmethod
    def build(
        cls, nodes: Iterable[tuple[int, str]], edges: Iterable[EdgeRow], edge_ids: EdgeIdLookup
    ) -> TraversalIndex:
        """Build the whole index once: columns first, then every neighbour list in one sort."""
        ix = cls()
        ix._add_nodes(nodes)
        for chunk in _chunks(edges, 65_536):
            ix._load_edges(chunk)
        ix._build_adjacency(edge_ids)
        return ix

    def _add_nodes(self, nodes: Iterable[tuple[int, str]]) -> None:
        node_ids, idx = self.node_ids, self.idx
        for nid, node_id in nodes:
            if nid >= len(node_ids):
                node_ids.extend([None] * (nid + 1 - len(node_ids)))
            node_ids[nid] = node_id
            idx[node_id] = nid
        if len(self.deg) < len(node_ids):
            self.deg.extend(itertools.repeat(0, len(node_ids) - len(self.deg)))

    def _code(self, rel_type: str) -> int:
        code = self.type_codes.get(rel_type)
        if code is None:
            code = self.type_codes[rel_type] = len(self.type_codes) + 1
        return code

    def _load_edges(self, rows: Sequence[EdgeRow]) -> None:
        """Store a chunk of rows; contiguous eids (the usual case) are appended column-wise."""
        if not rows:
            return
        eids, srcs, dsts, types, ranks, los, his = zip(*rows, strict=True)
        codes = {t: self._code(t) for t in set(types)}
        tcs = [tc_code(codes[t], r) for t, r in zip(types, ranks, strict=True)]
        start = len(self.e_tc)
        if eids[0] >= start and eids == tuple(range(eids[0], eids[0] + len(eids))):
            if eids[0] > start:
                self._set_edge((eids[0] - 1, 0, 0, "", 0, 0, 0), DEAD)
            for column, values in (
                (self.e_src, srcs),
                (self.e_dst, dsts),
                (self.e_tc, tcs),
                (self.e_lo, los),
                (self.e_hi, his),
            ):
                column.extend(values)
            return
        for row, tc in zip(rows, tcs, strict=True):
            self._set_edge(row, tc)

    def _set_edge(self, row: EdgeRow, tc: int | None = None) -> None:
        eid, src, dst, rel_type, rank, lo, hi = row
        if eid >= len(self.e_tc):
            grow = eid + 1 - len(self.e_tc)
            for column in (self.e_src, self.e_dst, self.e_tc, self.e_lo, self.e_hi):
                column.extend(itertools.repeat(0, grow))
        self.e_src[eid] = src
        self.e_dst[eid] = dst
        self.e_tc[eid] = tc if tc is not None else tc_code(self._code(rel_type), rank)
        self.e_lo[eid] = lo
        self.e_hi[eid] = hi

    def _build_adjacency(self, edge_ids: EdgeIdLookup) -> None:
        """Sort every (node, neighbour, edge) incidence at once, by composite integer keys.

        The key orders by node, then neighbour *rank* (its position in id order), then eid;
        the sort runs in C, which is what makes a million relationships take seconds.
        """
        n_slots = len(self.node_ids)
        order = sorted((i for i, v in enumerate(self.node_ids) if v is not None),
                       key=self.node_ids.__getitem__)  # fmt: skip
        rank = array("i", itertools.repeat(0, n_slots))
        for position, nid in enumerate(order):
            rank[nid] = position
        span_r, span_e = max(len(order), 1), max(len(self.e_tc), 1)
        live = [e for e, tc in enumerate(self.e_tc) if tc != DEAD]
        srcs = list(map(self.e_src.__getitem__, live))
        dsts = list(map(self.e_dst.__getitem__, live))
        keys = [
            (s * span_r + rank[d]) * span_e + e for e, s, d in zip(live, srcs, dsts, strict=True)
        ]
        keys += [
            (d * span_r + rank[s]) * span_e + e
            for e, s, d in zip(live, srcs, dsts, strict=True)
            if s != d
        ]
        del live, srcs, dsts
        keys.sort()
        pairs = list(map(span_e.__rfloordiv__, keys))
        self.adj_e = array("i", map(span_e.__rmod__, keys))
        del keys
        self.adj_n = array("i", map(order.__getitem__, map(span_r.__rmod__, pairs)))
        counts = Counter(map(span_r.__rfloordiv__, pairs))
        self.deg = array("i", (counts.get(u, 0) for u in range(n_slots)))
        self.off = array("i", itertools.accumulate(self.deg, initial=0))
        # Parallel relationships share (node, neighbour): order them by their string ids.
        repeats = list(
            itertools.compress(
                range(1, len(pairs)), map(operator.eq, pairs, itertools.islice(pairs, 1, None))
            )
        )
        del pairs
        self._order_parallel_runs(repeats, edge_ids)
        self.overlay = {}

    def _order_parallel_runs(self, repeats: list[int], edge_ids: EdgeIdLookup) -> None:
        if not repeats:
            return
        runs: list[tuple[int, int]] = []
        for position in repeats:
            if runs and runs[-1][1] == position:
                runs[-1] = (runs[-1][0], position + 1)
            else:
                runs.append((position - 1, position + 1))
        adj_e = self.adj_e
        names = edge_ids(sorted({adj_e[i] for lo, hi in runs for i in range(lo, hi)}))
        for lo, hi in runs:
            adj_e[lo:hi] = array("i", sorted(adj_e[lo:hi], key=names.__getitem__))

    # --- incremental refresh ------------------------------------------------------------------

    def update(
        self,
        nodes: Iterable[tuple[int, str]],
        changed: Iterable[int],
        rows: Iterable[EdgeRow],
        edge_ids: EdgeIdLookup,
    ) -> None:
        """Apply committed changes: new nodes, and the current rows of changed eids.

        An eid in `changed` without a row in `rows` was deleted. Only the endpoints (old and
        new) of changed relationships get a new neighbour list.
        """
        self._add_nodes(nodes)
        changed_set = set(changed)
        current = {row[0]: row for row in rows}
        touched: set[int] = set()
        for e in changed_set:
            if e < len(self.e_tc) and self.e_tc[e] != DEAD:
                touched.update((self.e_src[e], self.e_dst[e]))
                self.e_tc[e] = DEAD
        incident: dict[int, list[tuple[int, int]]] = {}
        for e, row in current.items():
            self._set_edge(row)
            src, dst = row[1], row[2]
            touched.update((src, dst))
            incident.setdefault(src, []).append((dst, e))
            if src != dst:
                incident.setdefault(dst, []).append((src, e))
        lists: dict[int, list[tuple[int, int]]] = {}
        for u in touched:
            ns, es, lo, hi = self.nbrs(u)
            kept = [
                (v, e) for v, e in zip(ns[lo:hi], es[lo:hi], strict=True) if e not in changed_set
            ]
            lists[u] = kept + incident.get(u, [])
        self._store_lists(lists, edge_ids)

    def _store_lists(self, lists: dict[int, list[tuple[int, int]]], edge_ids: EdgeIdLookup) -> None:
        node_ids = self.node_ids
        for entries in lists.values():
            entries.sort(key=lambda p: (node_ids[p[0]], p[1]))
        parallel = {
            e
            for entries in lists.values()
            for (v1, e1), (v2, e2) in itertools.pairwise(entries)
            if v1 == v2
            for e in (e1, e2)
        }
        names = edge_ids(sorted(parallel)) if parallel else {}
        for u, entries in lists.items():
            if parallel:
                entries.sort(key=lambda p: (node_ids[p[0]], names.get(p[1], "")))
            self.overlay[u] = (
                array("i", [v for v, _ in entries]),
                array("i", [e for _, e in entries]),
            )
            self.deg[u] = len(entries)

    # --- reading ------------------------------------------------------------------------------

    def nbrs(self, u: int) -> tuple[array[int], array[int], int, int]:
        """Node u's neighbour list as (neighbour nids, eids, start, end) slices of two arrays."""
        own = self.overlay.get(u)
        if own is not None:
            return own[0], own[1], 0, len(own[0])
        if u + 1 < len(self.off):
            return self.adj_n, self.adj_e, self.off[u], self.off[u + 1]
        return _EMPTY, _EMPTY, 0, 0

    def between(self, u: int, v: int) -> array[int]:
        """Eids of every relationship between u and v, by id (binary search in u's list)."""
        ns, es, lo, hi = self.nbrs(u)
        key = self.node_ids.__getitem__
        target = key(v)
        first = bisect_left(ns, target, lo, hi, key=key)
        if first == hi or ns[first] != v:
            return _EMPTY
        return es[first : bisect_right(ns, target, first, hi, key=key)]

    def incident(self, u: int, mask: EdgeMask | None, direction: Direction) -> list[int]:
        """Eids of node u's accepted relationships in `direction`, in neighbour-list order.

        That order is (other id, edge id); a self-loop is listed once.
        """
        _, es, lo, hi = self.nbrs(u)
        tc, src, dst = self.e_tc, self.e_src, self.e_dst
        eids = es[lo:hi]
        if direction is Direction.OUT:
            eids = [e for e in eids if src[e] == u]
        elif direction is Direction.IN:
            eids = [e for e in eids if dst[e] == u]
        if mask is None:
            return [e for e in eids if tc[e] != DEAD]
        ok = mask.tc_ok
        if not mask.dated:
            return [e for e in eids if ok[tc[e]]]
        a_lo, a_hi, e_lo, e_hi = mask.as_of_lo, mask.as_of_hi, self.e_lo, self.e_hi
        return [e for e in eids if ok[tc[e]] and e_lo[e] <= a_hi and e_hi[e] >= a_lo]

    def first(self, eids: list[int], limit: int) -> list[int]:
        """The first `limit` of `incident`'s eids by (type, other id, edge id).

        The list is already in (other id, edge id) order, so a stable selection by type name
        gives the contract's order without reading a row: a hub's page costs one pass over its
        list, where SQL had to join and sort all of the hub's rows.
        """
        names = [""] * (max(self.type_codes.values(), default=0) + 1)
        for rel_type, code in self.type_codes.items():
            names[code] = rel_type
        tc = self.e_tc
        return heapq.nsmallest(limit, eids, key=lambda e: names[tc[e] // RANKS])

    @property
    def overlay_size(self) -> int:
        """How many neighbour entries live outside the CSR block (a rebuild resets it)."""
        return sum(len(ns) for ns, _ in self.overlay.values())

    def mask(self, flt: EdgeFilter) -> EdgeMask | None:
        """Compile `flt` (types, certainty, as-of; not direction); None when it accepts all."""
        return compile_mask(flt, self.type_codes)

    def accepts(self, mask: EdgeMask | None, e: int) -> bool:
        """Whether relationship `e` passes `mask` (for code off the hot paths)."""
        if mask is None:
            return self.e_tc[e] != DEAD
        if not mask.tc_ok[self.e_tc[e]]:
            return False
        return not mask.dated or (self.e_lo[e] <= mask.as_of_hi and self.e_hi[e] >= mask.as_of_lo)

    def follows(self, direction: Direction, u: int, e: int) -> bool:
        """Whether a walk honouring `direction` may leave node u along relationship e."""
        if direction is Direction.OUT:
            return self.e_src[e] == u
        if direction is Direction.IN:
            return self.e_dst[e] == u
        return True


def _chunks(rows: Iterable[EdgeRow], size: int) -> Iterable[list[EdgeRow]]:
    """Bounded slices of a row stream, so a build never holds all rows as tuples at once."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
