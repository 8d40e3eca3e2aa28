"""Seeded random graphs for the traversal index's tests, and index <-> id conversions.

Node row ids are shuffled against id order, with holes, and relationship row ids against
relationship-id order, so an index that sorted by row id instead of by id string would give a
different (wrong) order. Parallel relationships and self-loops are always present.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from graph_store import Certainty, Edge, EdgeFilter, PartialDate
from graph_store._edge_mask import NO_SINCE, NO_UNTIL, day_number
from graph_store._path_search import NodePath
from graph_store._traversal import EdgeRow, TraversalIndex

TYPES = ("KNOWS", "WORKS_FOR", "MEMBER_OF")

FILTERS = (
    EdgeFilter(),
    EdgeFilter(types=frozenset({"KNOWS", "MEMBER_OF"})),
    EdgeFilter(min_certainty=Certainty.INFERRED),
    EdgeFilter(as_of=PartialDate.parse("2015")),
    EdgeFilter(types=frozenset({"WORKS_FOR"}), as_of=PartialDate.parse("2012-06")),
)
"""Filters of every kind the mask compiles, alone and combined."""


@dataclass
class Graph:
    """Relationships with their row ids; builds the index the store would build from them."""

    nid: dict[str, int]
    eid: dict[str, int]
    edges: list[Edge]

    def rows(self, edges: Sequence[Edge] | None = None) -> list[EdgeRow]:
        """Index rows, as the store reads them from SQLite (in eid order)."""
        return sorted(_row(self.eid[e.id], self.nid, e) for e in (edges or self.edges))

    def lookup(self, eids: Sequence[int]) -> dict[int, str]:
        """Relationship ids by eid (the index asks for them to order parallel ones)."""
        names = {v: k for k, v in self.eid.items()}
        return {e: names[e] for e in eids}

    def index(self) -> TraversalIndex:
        """A fresh full build."""
        nodes = sorted((n, node_id) for node_id, n in self.nid.items())
        return TraversalIndex.build(nodes, self.rows(), self.lookup)

    def as_ids(self, ix: TraversalIndex, found: list[NodePath]) -> list[tuple]:
        """Paths as (node ids, edge ids, forward flags), like the contract oracle's."""
        names = self.lookup(list(self.eid.values()))
        return [
            (
                tuple(ix.node_ids[n] for n in nodes),
                tuple(names[e] for e in edges),
                tuple(ix.e_src[e] == nodes[i] for i, e in enumerate(edges)),
            )
            for nodes, edges in found
        ]


def _row(eid: int, nid: dict[str, int], e: Edge) -> EdgeRow:
    lo = day_number(e.since.lo) if e.since else NO_SINCE
    hi = day_number(e.until.hi) if e.until else NO_UNTIL
    return (eid, nid[e.src], nid[e.dst], e.type, e.certainty.rank, lo, hi)


def knows(edge_id: str, src: str, dst: str) -> Edge:
    """A plain stated relationship."""
    return Edge(edge_id, "KNOWS", src, dst, Certainty.STATED, "s.txt", "q")


def random_graph(seed: int, nodes: int = 14, edges: int = 34) -> Graph:
    """People with random typed, dated, more or less certain relationships."""
    rng = random.Random(seed)
    ids = [f"person/p{i:02d}" for i in range(nodes)]
    nid = dict(zip(ids, rng.sample(range(1, 3 * nodes), nodes), strict=True))
    made: list[Edge] = []
    for i in range(edges):
        a, b = rng.choice(ids), rng.choice(ids)
        if made and rng.random() < 0.25:  # parallel to (or reversing) earlier relationships
            a, b = made[rng.randrange(len(made))].src, made[rng.randrange(len(made))].dst
        since = PartialDate.parse(str(rng.randint(2008, 2014))) if rng.random() < 0.4 else None
        until = PartialDate.parse(f"{rng.randint(2014, 2018)}-0{rng.randint(1, 9)}")
        made.append(
            Edge(
                id=f"{rng.choice(TYPES).lower()}~{a}~{b}~{i:02d}",
                type=rng.choice(TYPES),
                src=a,
                dst=b,
                certainty=rng.choice(tuple(Certainty)),
                source="s.txt",
                evidence="q",
                since=since,
                until=until if rng.random() < 0.3 else None,
            )
        )
    return _numbered(rng, nid, made)


def hub_graph(seed: int) -> Graph:
    """A few hubs next to most nodes, and sparse leaves: where the search's shortcuts kick in."""
    rng = random.Random(seed)
    ids = [f"organisation/o{i:02d}" for i in range(70)]
    nid = dict(zip(ids, rng.sample(range(1, 200), len(ids)), strict=True))
    pairs = [(h, x) for h in ids[:3] for x in ids[3:] if rng.random() < 0.8]
    pairs += [(rng.choice(ids[3:]), rng.choice(ids[3:])) for _ in range(25)]
    pairs += [(ids[0], ids[1]), (ids[1], ids[2]), (ids[2], ids[0])]
    made = [
        Edge(
            id=f"collaborated_with~{a}~{b}~{i:03d}",
            type="COLLABORATED_WITH",
            src=a,
            dst=b,
            certainty=rng.choice(tuple(Certainty)),
            source="s.txt",
            evidence="q",
        )
        for i, (a, b) in enumerate(pairs)
    ]
    return _numbered(rng, nid, made)


def _numbered(rng: random.Random, nid: dict[str, int], made: list[Edge]) -> Graph:
    eids = rng.sample(range(1, 4 * len(made)), len(made))
    return Graph(nid, {e.id: x for e, x in zip(made, eids, strict=True)}, made)
