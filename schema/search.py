"""Search results: ranked nodes with their scores."""

from __future__ import annotations

import strawberry

from resolvers import SearchPage
from schema.connection import PageInfo
from schema.node import Node, node_from_record

__all__ = ["SearchConnection", "SearchEdge"]


@strawberry.type(description="A node found by search, with its rank score (higher is better).")
class SearchEdge:
    cursor: str
    node: Node
    score: float


@strawberry.type(description="A page of search results, best first.")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(cls, page: SearchPage, *, after: str | None) -> SearchConnection:
        """The connection of a page from `resolvers.search`."""
        edges = [
            SearchEdge(cursor=page.cursor(i), node=node_from_record(hit.node), score=hit.score)
            for i, hit in enumerate(page.hits)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, has_previous=after is not None
            ),
            total_count=page.total,
        )
