"""Who-knows-whom paths and neighbourhoods, with the API's caps checked up front."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from graph_store import (
    MAX_DEPTH,
    MAX_HOPS,
    MAX_PATHS,
    BadUserInput,
    Certainty,
    Direction,
    LimitExceeded,
    PartialDate,
    Path,
    PathQuery,
    Subgraph,
)
from resolvers.context import Context
from resolvers.filters import caller_filter, edge_filter, effective_certainty

__all__ = ["MAX_NEIGHBOURHOOD", "find_paths", "neighbourhood", "path_query"]

MAX_NEIGHBOURHOOD = 500
"""Most nodes one neighbourhood answer may hold."""


def _check_range(name: str, value: int, cap: int) -> None:
    if value < 1:
        raise BadUserInput(f"`{name}` must be at least 1, not {value}")
    if value > cap:
        raise LimitExceeded(f"`{name}` is {value}; the limit is {cap}")


def path_query(
    *,
    max_hops: int,
    first: int,
    types: Iterable[str] | None = None,
    as_of: PartialDate | None = None,
    min_certainty: Certainty | None = None,
    avoid: Iterable[str] | None = None,
) -> PathQuery:
    """The store query for these arguments, after checking hops and count against the caps."""
    _check_range("maxHops", max_hops, MAX_HOPS)
    _check_range("first", first, MAX_PATHS)
    return PathQuery(
        max_hops=max_hops,
        k=first,
        filter=edge_filter(types, as_of=as_of, min_certainty=min_certainty),
        avoid=frozenset(avoid or ()),
    )


async def find_paths(ctx: Context, src: str, dst: str, query: PathQuery) -> Sequence[Path]:
    """The first `query.k` shortest simple paths between two nodes, in canonical order.

    Introductions gather their paths here too, so the caller's certainty floor applies to both.
    An endpoint that is not a node is the store's NotFound (the contract's), asked in the same
    call rather than in one more before it.
    """
    query = replace(query, filter=caller_filter(ctx, query.filter))
    paths = await ctx.store.paths(src, dst, query)
    ctx.loaders.prime(node for path in paths for node in path.nodes)
    return paths


async def neighbourhood(
    ctx: Context,
    node_id: str,
    *,
    depth: int,
    types: Iterable[str] | None = None,
    as_of: PartialDate | None = None,
    min_certainty: Certainty | None = None,
    limit: int = 100,
) -> Subgraph:
    """The nodes within `depth` hops of `node_id` and the relationships among them."""
    if depth < 0:
        raise BadUserInput(f"`depth` must be 0 or more, not {depth}")
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"`depth` is {depth}; the limit is {MAX_DEPTH}")
    _check_range("limit", limit, MAX_NEIGHBOURHOOD)
    floor = effective_certainty(ctx, min_certainty)
    flt = edge_filter(types, direction=Direction.BOTH, as_of=as_of, min_certainty=floor)
    sub = await ctx.store.neighbourhood(node_id, depth=depth, flt=flt, limit=limit)
    ctx.loaders.prime(sub.nodes)
    return sub
