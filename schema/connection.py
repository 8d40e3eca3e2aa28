"""Relay connections: PageInfo and the generic node list (`ClusterConnection`, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from graph_store import Node as NodeRecord
from resolvers import NodePage

__all__ = ["Connection", "Edge", "PageInfo"]

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, cursors: list[str], *, has_next: bool, has_previous: bool) -> PageInfo:
        """PageInfo for a page whose items have these cursors."""
        return cls(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )


@strawberry.type(description="One item of a list and the cursor to continue after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: pass `pageInfo.endCursor` as `after` for the next.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many items the whole list holds (all pages)."
    )

    @classmethod
    def from_page(
        cls, page: NodePage, build: Callable[[NodeRecord], T], *, after: str | None
    ) -> Connection[T]:
        """A connection of the nodes of `page`, each made into a GraphQL type by `build`."""
        edges = [Edge(cursor=page.cursor(node), node=build(node)) for node in page.nodes]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, has_previous=after is not None
            ),
            total_count=page.total,
        )
