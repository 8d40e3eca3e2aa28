"""Typed relationship fields (`Cluster.members`, `Person.employers`, ...) from one factory."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from strawberry.types import Info

from graph_store import Direction as ModelDirection
from graph_store import NodeKind as ModelNodeKind
from graph_store import PartialDate
from resolvers import Context
from schema._guard import contacts
from schema._selection import selects_any
from schema.enums import Certainty, Direction
from schema.node import ENDPOINT_FIELDS, RelationshipConnection, prefetched_by, relationships_page

__all__ = ["relationship_field"]


def relationship_field(
    types: tuple[str, ...],
    direction: ModelDirection,
    description: str,
    *,
    other_kinds: frozenset[ModelNodeKind] | None = None,
    contact_details: bool = False,
) -> Any:
    """A connection field over this node's `types` relationships in `direction`.

    Same arguments and semantics as `Node.relationships` minus the fixed type and
    direction; `other_kinds` keeps only relationships whose other end is of those kinds.
    `contact_details` guards the field with the `read:contacts` scope (people's roles): the
    field is then nullable, null with a FORBIDDEN error for callers without the scope.
    """
    how = "from" if direction is ModelDirection.OUT else "to"
    detail = f"{'/'.join(types)} relationships {how} this node"
    if direction is ModelDirection.BOTH:
        detail = f"{'/'.join(types)} relationships of this node, either direction"
    if other_kinds:
        detail += f" whose other end is a {' or '.join(sorted(k.value for k in other_kinds))}"

    page = partial(
        relationships_page,
        types=list(types),
        direction=Direction(direction.value),
        other_kinds=other_kinds,
    )

    async def resolve(
        self: Any,
        info: Info[Context, None],
        as_of: PartialDate | None = None,
        min_certainty: Certainty | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> RelationshipConnection:
        chosen = await page(
            info.context,
            str(self.id),
            as_of=as_of,
            min_certainty=min_certainty,
            first=first,
            after=after,
            with_others=selects_any(info, ENDPOINT_FIELDS),
        )
        return RelationshipConnection.from_page(chosen, after=after, holder=self)

    if contact_details:
        return strawberry.field(
            resolver=resolve,
            description=f"{description} ({detail}; needs the read:contacts scope).",
            graphql_type=RelationshipConnection | None,
            extensions=contacts(),
        )
    return strawberry.field(
        resolver=resolve,
        description=f"{description} ({detail}).",
        metadata=prefetched_by(page),
    )
