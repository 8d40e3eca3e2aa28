"""Plain result and input types of the GraphStore contract.

Frozen, slotted dataclasses: no driver row or SQLite row ever leaves a backend, so the layers
above see the same values whichever backend answered.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from graph_store.model import Certainty, NodeKind, PartialDate

__all__ = [
    "ApplyResult",
    "Batch",
    "Change",
    "Direction",
    "Edge",
    "EdgeFilter",
    "EdgePage",
    "Health",
    "Node",
    "NodeQuery",
    "Page",
    "Path",
    "PathQuery",
    "Provenance",
    "SearchHit",
    "Stats",
    "Step",
    "Subgraph",
    "path_sort_key",
]

PropValue = str | int | float | bool | tuple[str, ...] | None
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record was loaded from and by which load batch."""

    batch_id: str
    origin: str
    loaded_at: str


@dataclass(frozen=True, slots=True)
class Node:
    """A node: stable `kind/slug` id, name, aliases, source documents and kind-specific props.

    `props` holds only the properties listed for the kind in `model.NODE_PROPERTIES`; unset
    properties are absent rather than None so that equality means "same content".
    """

    id: str
    kind: NodeKind
    name: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    props: Mapping[str, PropValue] = field(default_factory=dict)
    provenance: Provenance | None = field(default=None, compare=False)

    def content(self) -> dict[str, object]:
        """Everything that defines the node's content, for diffs (provenance excluded)."""
        return {
            "kind": self.kind.value,
            "name": self.name,
            "aliases": list(self.aliases),
            "sources": list(self.sources),
            **{k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(self.props.items())},
        }


@dataclass(frozen=True, slots=True)
class Edge:
    """A relationship with its own stable id, time bounds and provenance.

    `source` is the document the relationship was taken from and `evidence` a short verbatim
    quote from it; `note` explains an inferred or uncertain certainty.
    """

    id: str
    type: str
    src: str
    dst: str
    certainty: Certainty
    source: str
    evidence: str
    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = None
    props: Mapping[str, PropValue] = field(default_factory=dict)
    provenance: Provenance | None = field(default=None, compare=False)

    def content(self) -> dict[str, object]:
        """Everything that defines the relationship's content, for diffs (provenance excluded)."""
        return {
            "type": self.type,
            "src": self.src,
            "dst": self.dst,
            "certainty": self.certainty.value,
            "source": self.source,
            "evidence": self.evidence,
            "since": self.since.text if self.since else None,
            "until": self.until.text if self.until else None,
            "note": self.note,
            **dict(sorted(self.props.items())),
        }

    def other(self, node_id: str) -> str:
        """The endpoint that is not `node_id` (for a self-loop, `node_id` itself)."""
        return self.dst if self.src == node_id else self.src


@dataclass(frozen=True, slots=True)
class Batch:
    """Records to write in ONE transaction: all of them, or none.

    Nodes and edges are upserted by id (the given record is the whole new content);
    `delete_edges` lists relationship ids to remove.
    """

    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    delete_edges: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """One planned write: what happens to which record, and which fields change."""

    action: str  # "create" | "update" | "delete"
    record: str  # "node" | "edge"
    id: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """The diff of a batch against the store; after `apply` it is what was written."""

    changes: tuple[Change, ...]
    unchanged_nodes: int
    unchanged_edges: int
    seq: int

    def count(self, action: str, record: str | None = None) -> int:
        """How many changes of `action` ("create", "update", "delete"), optionally per record."""
        return sum(
            1 for c in self.changes if c.action == action and (record is None or c.record == record)
        )


class Direction(enum.StrEnum):
    """Which way relationships are followed from a node."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class EdgeFilter:
    """Which relationships count: types (None = all), as-of date, minimum certainty."""

    types: frozenset[str] | None = None
    direction: Direction = Direction.BOTH
    as_of: PartialDate | None = None
    min_certainty: Certainty | None = None

    def accepts(self, edge: Edge) -> bool:
        """Whether `edge` passes the type, date and certainty filters (not direction).

        As of a date, a relationship counts unless its dates show it outside that date: its
        `since` interval must start on or before the as-of interval ends, and its `until`
        interval must end on or after the as-of interval starts. Undated relationships count.
        """
        if self.types is not None and edge.type not in self.types:
            return False
        if self.min_certainty is not None and edge.certainty.rank < self.min_certainty.rank:
            return False
        if self.as_of is not None:
            if edge.since is not None and edge.since.lo > self.as_of.hi:
                return False
            if edge.until is not None and edge.until.hi < self.as_of.lo:
                return False
        return True


@dataclass(frozen=True, slots=True)
class NodeQuery:
    """A filtered list of nodes: kind plus equality filters on allow-listed properties.

    `where` compares case-insensitively (`country: "denmark"` finds "Denmark"); `date_from`
    and `date_to` bound the `date` property (agreements signed between, events held between).
    """

    kind: NodeKind | None = None
    where: Mapping[str, str] = field(default_factory=dict)
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: items, whether more follow, and the total matching count."""

    items: tuple[T, ...]
    has_next: bool
    total: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A node found by full-text search, with its rank score (higher is better)."""

    node: Node
    score: float


@dataclass(frozen=True, slots=True)
class PathQuery:
    """Limits and filters of a who-knows-whom path search.

    Paths are simple and undirected (a relationship may be walked against its direction);
    `avoid` lists nodes no path may pass through.
    """

    max_hops: int = 4
    k: int = 3
    filter: EdgeFilter = field(default_factory=EdgeFilter)
    avoid: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a path: the relationship and whether it was walked along its direction."""

    edge: Edge
    forward: bool


@dataclass(frozen=True, slots=True)
class Path:
    """A path: its nodes (first is the start) and the steps between them."""

    nodes: tuple[Node, ...]
    steps: tuple[Step, ...]

    @property
    def length(self) -> int:
        """Number of hops."""
        return len(self.steps)


def path_sort_key(node_ids: tuple[str, ...], edge_ids: tuple[str, ...]) -> tuple[object, ...]:
    """The canonical order of paths: shorter first, then by node ids, then by edge ids.

    Both backends sort with this key, so "the first k shortest paths" is the same answer
    whichever backend computed it.
    """
    return (len(edge_ids), node_ids, edge_ids)


@dataclass(frozen=True, slots=True)
class EdgePage:
    """One node's first relationships, how many it has in all, and the listed ones' far ends."""

    edges: tuple[Edge, ...]
    total: int
    ends: Mapping[str, Node]
    """Far ends of `edges` by id when asked for (the node itself for a self-loop), else empty."""


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A neighbourhood: nodes with their BFS depth, the relationships among them, and a cap flag."""

    nodes: tuple[Node, ...]
    depths: Mapping[str, int]
    edges: tuple[Edge, ...]
    truncated: bool


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts by node kind and relationship type, and data freshness."""

    nodes_by_kind: Mapping[str, int]
    edges_by_type: Mapping[str, int]
    seq: int
    last_loaded_at: str | None


@dataclass(frozen=True, slots=True)
class Health:
    """Whether the store answers, which backend it is, and how long the probe took."""

    ok: bool
    backend: str
    detail: str
    latency_ms: float
