"""One node's relationships as a page: filtered, optionally by the other end's kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph_store import (
    MAX_EDGES_PER_NODE,
    Certainty,
    Direction,
    Edge,
    Node,
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
    others: Mapping[str, Node] = field(default_factory=dict)
    """The far ends of `edges` by id, when the caller asked for them (`with_others`)."""

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
    with_others: bool = False,
) -> RelationshipPage:
    """The page of `node_id`'s relationships that the arguments select.

    Goes through the per-request loaders, so sibling nodes asking with the same filter share
    one store call (`edge_pages`: the page, its total and, if asked, its far ends together).
    Only the relationships up to the end of the page (plus one, for `has_next`) are read.
    `other_kinds` keeps edges whose other end is of those kinds (e.g. an organisation's
    clusters among all its MEMBER_OF relationships); the store cannot filter or count by the
    other end's kind, so such a page reads the whole (capped) list and counts it.
    `with_others` also loads the far ends (in the same store call, or one batched load after
    the `other_kinds` filter), for a selection that shows them: no load per relationship.
    """
    check_first(first)
    start = decode_offset(after, CURSOR_TAG)
    floor = effective_certainty(ctx, min_certainty)
    flt = edge_filter(types, direction=direction, as_of=as_of, min_certainty=floor)
    others: Mapping[str, Node] = {}
    if other_kinds is not None:
        # The whole (capped) list, filtered here; its far ends are loaded for the page only.
        page = await ctx.loaders.page(node_id, flt, limit=MAX_EDGES_PER_NODE, with_ends=False)
        edges = [e for e in page.edges if kind_of_id(e.other(node_id)) in other_kinds]
        total = len(edges)
        chunk = tuple(edges[start : start + first])
        if with_others and chunk:
            far = await ctx.loaders.nodes.load_many([e.other(node_id) for e in chunk])
            others = {n.id: n for n in far if n is not None}
    else:
        limit = min(start + first + 1, MAX_EDGES_PER_NODE)
        page = await ctx.loaders.page(node_id, flt, limit=limit, with_ends=with_others)
        edges = list(page.edges)
        total = page.total
        chunk = tuple(edges[start : start + first])
        others = page.ends
    return RelationshipPage(
        owner=node_id,
        edges=chunk,
        offset=start,
        has_next=start + first < len(edges),
        total=total,
        others=others,
    )
