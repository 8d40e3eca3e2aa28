"""Per-request DataLoaders: nodes by id and pages of nodes' relationships, batched."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from strawberry.dataloader import DataLoader

from graph_store import MAX_EDGES_PER_NODE, EdgeFilter, EdgePage, GraphStore, Node

__all__ = ["Loaders", "PageKey"]

PageKey = tuple[str, EdgeFilter, int, bool]
"""A request for one node's page: (node id, filter, limit, with the far ends)."""


class Loaders:
    """The DataLoaders of one request: every resolver asks these, never the store directly.

    However many nodes a query touches, each level of the query costs one `get_nodes` call and
    one `edge_pages` call per distinct (filter, limit, far ends), so the number of store calls
    does not grow with the length of a list.
    """

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.nodes: DataLoader[str, Node | None] = DataLoader(self._load_nodes)
        self.pages: DataLoader[PageKey, EdgePage] = DataLoader(self._load_pages)

    async def node(self, node_id: str) -> Node | None:
        """One node, or None if it does not exist."""
        return await self.nodes.load(node_id)

    async def page(self, node_id: str, flt: EdgeFilter, *, limit: int, with_ends: bool) -> EdgePage:
        """One node's first `limit` relationships, its total, and the far ends if asked.

        A page asks for no more than it shows (plus one, to know whether more follow): a hub's
        thousands of relationships are then neither read nor decoded for a page of 20. Its far
        ends are primed into the node loader, so fields that load them find them.
        """
        limit = min(max(limit, 0), MAX_EDGES_PER_NODE)
        return await self.pages.load((node_id, flt, limit, with_ends))

    def prime(self, nodes: Iterable[Node]) -> None:
        """Remember nodes a resolver already holds, so nested fields do not fetch them again."""
        self.nodes.prime_many({node.id: node for node in nodes})

    def clear(self) -> None:
        """Forget everything (after a write, so results show the new state)."""
        self.nodes.clear_all()
        self.pages.clear_all()

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        found = await self._store.get_nodes(ids)
        return [found.get(node_id) for node_id in ids]

    async def _load_pages(self, keys: list[PageKey]) -> list[EdgePage]:
        groups: dict[tuple[EdgeFilter, int, bool], list[str]] = {}
        for node_id, flt, limit, with_ends in keys:
            groups.setdefault((flt, limit, with_ends), []).append(node_id)
        calls = list(groups)
        answers = await asyncio.gather(
            *(
                self._store.edge_pages(groups[c], c[0], limit_per_node=c[1], with_ends=c[2])
                for c in calls
            )
        )
        found = dict(zip(calls, answers, strict=True))
        for answer in answers:
            for page in answer.values():
                self.prime(page.ends.values())
        empty = EdgePage((), 0, {})
        return [found[flt, limit, ends].get(node_id, empty) for node_id, flt, limit, ends in keys]
