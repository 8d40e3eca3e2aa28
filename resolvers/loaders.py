"""Per-request DataLoaders: nodes by id and relationships of nodes, batched per filter."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from strawberry.dataloader import DataLoader

from graph_store import Edge, EdgeFilter, GraphStore, Node

__all__ = ["EdgeKey", "Loaders"]

EdgeKey = tuple[str, EdgeFilter]
"""A request for one node's relationships under one filter."""


class Loaders:
    """The DataLoaders of one request: every resolver asks these, never the store directly.

    However many nodes a query touches, each level of the query costs one `get_nodes` call
    and one `edges_of` call per distinct filter, so the number of store calls does not grow
    with the length of a list.
    """

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.nodes: DataLoader[str, Node | None] = DataLoader(self._load_nodes)
        self.edges: DataLoader[EdgeKey, Sequence[Edge]] = DataLoader(self._load_edges)

    async def node(self, node_id: str) -> Node | None:
        """One node, or None if it does not exist."""
        return await self.nodes.load(node_id)

    async def edges_of(self, node_id: str, flt: EdgeFilter) -> Sequence[Edge]:
        """The accepted relationships of one node, in canonical order."""
        return await self.edges.load((node_id, flt))

    def prime(self, nodes: Iterable[Node]) -> None:
        """Remember nodes a resolver already holds, so nested fields do not fetch them again."""
        self.nodes.prime_many({node.id: node for node in nodes})

    def clear(self) -> None:
        """Forget everything (after a write, so results show the new state)."""
        self.nodes.clear_all()
        self.edges.clear_all()

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        found = await self._store.get_nodes(ids)
        return [found.get(node_id) for node_id in ids]

    async def _load_edges(self, keys: list[EdgeKey]) -> list[Sequence[Edge]]:
        by_filter: dict[EdgeFilter, list[str]] = {}
        for node_id, flt in keys:
            ids = by_filter.setdefault(flt, [])
            if node_id not in ids:
                ids.append(node_id)
        filters = list(by_filter)
        answers = await asyncio.gather(
            *(self._store.edges_of(by_filter[flt], flt) for flt in filters)
        )
        found = dict(zip(filters, answers, strict=True))
        return [tuple(found[flt].get(node_id, ())) for node_id, flt in keys]
