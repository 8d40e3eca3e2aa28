"""Turn API filter arguments into the store's EdgeFilter, rejecting unknown relationship types.

`effective_certainty` is the one place where a partner key's certainty floor
(`Principal.min_certainty`) meets the caller's `minCertainty` argument: every resolver that
reads relationships (pages, related-node lists, paths, introductions, neighbourhoods, counts)
asks it, so a relationship hidden from a key is hidden from every answer and every count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from graph_store import (
    RELATIONSHIP_TYPES,
    BadUserInput,
    Certainty,
    Direction,
    EdgeFilter,
    PartialDate,
)
from resolvers.context import Context

__all__ = ["caller_filter", "edge_filter", "effective_certainty", "relationship_types"]


def relationship_types(types: Iterable[str] | None) -> frozenset[str] | None:
    """The allow-listed types named by `types` (None = all); BadUserInput names unknown ones."""
    if types is None:
        return None
    wanted = frozenset(types)
    unknown = sorted(wanted - RELATIONSHIP_TYPES.keys())
    if unknown:
        raise BadUserInput(
            f"unknown relationship type(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(RELATIONSHIP_TYPES))}"
        )
    return wanted


def edge_filter(
    types: Iterable[str] | None = None,
    *,
    direction: Direction = Direction.BOTH,
    as_of: PartialDate | None = None,
    min_certainty: Certainty | None = None,
) -> EdgeFilter:
    """The store filter for these arguments (equal arguments give equal, hashable filters)."""
    return EdgeFilter(
        types=relationship_types(types),
        direction=direction,
        as_of=as_of,
        min_certainty=min_certainty,
    )


def effective_certainty(ctx: Context, requested: Certainty | None) -> Certainty | None:
    """The stricter of the requested minimum certainty and the caller's floor (None = none)."""
    floor = ctx.principal.min_certainty
    if floor is None or (requested is not None and requested.rank >= floor.rank):
        return requested
    return floor


def caller_filter(ctx: Context, flt: EdgeFilter) -> EdgeFilter:
    """`flt` with the caller's certainty floor applied (the same filter when it has none)."""
    wanted = effective_certainty(ctx, flt.min_certainty)
    return flt if wanted == flt.min_certainty else replace(flt, min_certainty=wanted)
