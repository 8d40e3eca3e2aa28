"""The GraphStore contract: every operation the API and the loader need, batched by design.

Backends (`SqliteStore`, `Neo4jStore`) match this Protocol structurally. Every read takes many
ids at once, so a resolver layer with DataLoaders makes a bounded number of calls per request.
Both backends must give identical answers for identical inputs; tests/contract/ checks that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from graph_store.model import NodeKind
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

__all__ = ["MAX_DEPTH", "MAX_EDGES_PER_NODE", "MAX_HOPS", "MAX_PATHS", "GraphStore"]

MAX_HOPS = 6
"""Hard cap on path length; a larger request raises LimitExceeded."""
MAX_PATHS = 20
"""Hard cap on the number of paths one call may return."""
MAX_DEPTH = 3
"""Hard cap on neighbourhood depth."""
MAX_EDGES_PER_NODE = 10_000
"""Most relationships `edges_of` returns for one node (the rest is cut, in canonical order)."""


@runtime_checkable
class GraphStore(Protocol):
    """An ICN graph store. Async, backend-neutral, all-or-nothing writes."""

    backend: str
    """"sqlite" or "neo4j"."""

    async def plan(self, batch: Batch) -> ApplyResult:
        """Validate `batch` and diff it against the store without writing (`--dry-run`).

        Raises InvalidRecord listing every problem.
        """
        ...

    async def apply(self, batch: Batch) -> ApplyResult:
        """Validate and write `batch` in ONE transaction; on any error nothing is written.

        Records equal to the stored ones are left alone, so applying a batch twice reports no
        changes the second time. Raises InvalidRecord listing every problem.
        """
        ...

    async def get_nodes(self, ids: Iterable[str]) -> Mapping[str, Node]:
        """The nodes with these ids; unknown ids are simply absent from the result."""
        ...

    async def get_edges(self, ids: Iterable[str]) -> Mapping[str, Edge]:
        """The relationships with these ids; unknown ids are absent."""
        ...

    async def edges_of(
        self, node_ids: Iterable[str], flt: EdgeFilter, *, limit_per_node: int = MAX_EDGES_PER_NODE
    ) -> Mapping[str, Sequence[Edge]]:
        """The relationships of many nodes at once, filtered, keyed by node id.

        Each list is in canonical order (type, then the other endpoint's id, then edge id) and
        holds at most `limit_per_node` edges. Every requested id is a key (possibly empty list).
        """
        ...

    async def edge_pages(
        self,
        node_ids: Iterable[str],
        flt: EdgeFilter,
        *,
        limit_per_node: int,
        with_ends: bool = False,
    ) -> Mapping[str, EdgePage]:
        """Per node, a page of relationships in one call: the first `limit_per_node` that
        `edges_of` lists, how many `edges_of` would hold without any cap (a self-loop counts
        once), and with `with_ends` the nodes at the far end of the listed ones.

        A relationship page would otherwise take three dependent calls (list, count, far ends),
        each a round trip on a server store. Every requested id is a key; an unknown id has an
        empty page and a total of 0.
        """
        ...

    async def list_nodes(self, query: NodeQuery, *, first: int, after: str | None) -> Page[Node]:
        """A page of nodes ordered by id, starting after the id `after` (keyset pagination)."""
        ...

    async def search(
        self,
        text: str,
        *,
        kinds: Iterable[NodeKind] | None = None,
        country: str | None = None,
        first: int = 10,
        offset: int = 0,
    ) -> Page[SearchHit]:
        """Ranked full-text search over names and aliases (accent- and case-insensitive).

        Ranking is computed by `graph_store.ranking.score`, the same on both backends.
        """
        ...

    async def paths(self, src: str, dst: str, query: PathQuery) -> Sequence[Path]:
        """The first `query.k` shortest simple paths, in `path_sort_key` order.

        Raises NotFound if `src` or `dst` does not exist; LimitExceeded past MAX_HOPS/MAX_PATHS.
        """
        ...

    async def neighbourhood(
        self, node_id: str, *, depth: int, flt: EdgeFilter, limit: int
    ) -> Subgraph:
        """Nodes within `depth` hops (BFS, then id order, at most `limit`) and edges among them.

        Raises NotFound for an unknown node; LimitExceeded past MAX_DEPTH.
        """
        ...

    async def stats(self) -> Stats:
        """Counts by kind and type, the change sequence number and the last load time."""
        ...

    async def change_seq(self) -> int:
        """A number that grows with every committed write; equal numbers mean equal data."""
        ...

    async def health(self) -> Health:
        """Probe the store; never raises."""
        ...

    async def warm(self) -> None:
        """Build now what the first reads would build on their way (the embedded backend's
        traversal index: seconds at scale M), so the first analyst does not wait for it.
        Neo4j keeps nothing of the kind in this process: nothing to do."""
        ...

    async def clear(self) -> None:
        """Delete every node and relationship (tests and full rebuilds only)."""
        ...

    async def aclose(self) -> None:
        """Release connections and background tasks."""
        ...
