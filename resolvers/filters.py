"""Turn API filter arguments into the store's EdgeFilter, rejecting unknown relationship types."""

from __future__ import annotations

from collections.abc import Iterable

from graph_store import (
    RELATIONSHIP_TYPES,
    BadUserInput,
    Certainty,
    Direction,
    EdgeFilter,
    PartialDate,
)

__all__ = ["edge_filter", "relationship_types"]


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
