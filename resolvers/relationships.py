"""One node's relationships as a page: filtered, optionally by the other end's kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_store import (
    Certainty,
    Direction,
    Edge,
    NodeKind,
    PartialDate,
    kind_of_id,
)
from resolvers.context import Context
from resolvers.filters import edge_filter, effective_certainty
from resolvers.pagination import check_first, decode_offset, encode_cursor

__all__ = ["CURSOR_TAG", "RelationshipPage", "relationships_of"]

CURSOR_TAG = "rel"


@dataclass(frozen=True, slots=True)
class RelationshipPage:
    """A page of the relationships of `owner`, with each edge's position for its cursor."""

    owner: str
    edges: tuple[Edge, ...]
    offset: int
    has_next: bool
    total: int

    def cursor(self, index: int) -> str:
        """The cursor of the `index`-th edge of this page."""
        return encode_cursor(CURSOR_TAG, self.offset + index)


async def relationships_of(
    ctx: Context,
    node_id: str,
    *,
    types: Iterable[str] | None = None,
    direction: Direction = Direction.BOTH,
    as_of: PartialDate | None = None,
    min_certainty: Certainty | None = None,
    other_kinds: frozenset[NodeKind] | None = None,
    first: int = 20,
    after: str | None = None,
) -> RelationshipPage:
    """The page of `node_id`'s relationships that the arguments select.

    Goes through the per-request edge loader, so sibling nodes asking with the same filter
    share one store call. `other_kinds` keeps edges whose other end is of those kinds
    (e.g. an organisation's clusters among all its MEMBER_OF relationships).
    """
    check_first(first)
    start = decode_offset(after, CURSOR_TAG)
    floor = effective_certainty(ctx, min_certainty)
    flt = edge_filter(types, direction=direction, as_of=as_of, min_certainty=floor)
    edges = await ctx.loaders.edges_of(node_id, flt)
    if other_kinds is not None:
        edges = [e for e in edges if kind_of_id(e.other(node_id)) in other_kinds]
    chunk = tuple(edges[start : start + first])
    return RelationshipPage(
        owner=node_id,
        edges=chunk,
        offset=start,
        has_next=start + first < len(edges),
        total=len(edges),
    )
