"""Filtered, keyset-paginated lists of nodes (clusters, organisations, people, ...)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph_store import (
    MAX_EDGES_PER_NODE,
    Direction,
    Node,
    NodeKind,
    NodeQuery,
    PartialDate,
    kind_of_id,
)
from resolvers.context import Context
from resolvers.filters import edge_filter, effective_certainty
from resolvers.pagination import check_first, decode_cursor, encode_cursor

__all__ = ["CURSOR_TAG", "NodePage", "list_nodes", "list_related_nodes"]

CURSOR_TAG = "node"


@dataclass(frozen=True, slots=True)
class NodePage:
    """One page of a node list (ordered by id) and the total number of matches."""

    nodes: tuple[Node, ...]
    has_next: bool
    total: int

    @staticmethod
    def cursor(node: Node) -> str:
        """The cursor after `node` (the list is keyset-paginated on the node id)."""
        return encode_cursor(CURSOR_TAG, node.id)


def _where(filters: Mapping[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in filters.items() if value is not None}


async def list_nodes(
    ctx: Context,
    kind: NodeKind,
    *,
    where: Mapping[str, str | None] | None = None,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    first: int = 20,
    after: str | None = None,
) -> NodePage:
    """A page of nodes of `kind` whose properties equal `where` (None values are ignored)."""
    check_first(first)
    after_id = decode_cursor(CURSOR_TAG, after) if after else None
    query = NodeQuery(kind=kind, where=_where(where or {}), date_from=date_from, date_to=date_to)
    # The store cannot serve an empty page with a total, so ask for one item and drop it.
    page = await ctx.store.list_nodes(query, first=max(first, 1), after=after_id)
    nodes = page.items[:first]
    ctx.loaders.prime(page.items)
    has_next = page.has_next or len(page.items) > first
    return NodePage(nodes=tuple(nodes), has_next=has_next, total=page.total)


def _matches(node: Node, where: Mapping[str, str]) -> bool:
    """The store's list semantics: case-insensitive equality on each filtered property."""
    for key, wanted in where.items():
        value = node.props.get(key)
        if value is None or str(value).casefold() != wanted.casefold():
            return False
    return True


async def list_related_nodes(
    ctx: Context,
    kind: NodeKind,
    anchor: str,
    *,
    types: Iterable[str],
    direction: Direction,
    where: Mapping[str, str | None] | None = None,
    first: int = 20,
    after: str | None = None,
) -> NodePage:
    """A page of nodes of `kind` related to `anchor` by `types` (e.g. a cluster's members).

    Same order, cursors and filter semantics as `list_nodes`; an unknown anchor has none.
    """
    check_first(first)
    after_id = decode_cursor(CURSOR_TAG, after) if after else None
    # The caller's certainty floor: a hidden membership must not list (or count) its member.
    flt = edge_filter(types, direction=direction, min_certainty=effective_certainty(ctx, None))
    page = await ctx.loaders.page(anchor, flt, limit=MAX_EDGES_PER_NODE, with_ends=False)
    edges = page.edges
    ids = sorted({e.other(anchor) for e in edges if kind_of_id(e.other(anchor)) is kind})
    filters = _where(where or {})
    if filters:
        loaded = await ctx.loaders.nodes.load_many(ids)
        ids = [n.id for n in loaded if n is not None and _matches(n, filters)]
    total = len(ids)
    rest = [i for i in ids if after_id is None or i > after_id]
    chosen = await ctx.loaders.nodes.load_many(rest[:first])
    nodes = tuple(n for n in chosen if n is not None)
    return NodePage(nodes=nodes, has_next=len(rest) > first, total=total)
