"""Root queries over the graph: lookup, search, paths, introductions, neighbourhood, stats."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_store import BadUserInput, PartialDate
from resolvers import (
    INTRODUCTION_FORMULA,
    MAX_PAGE_SIZE,
    Context,
    find_paths,
    introductions,
    neighbourhood,
    path_query,
    search,
    visible_stats,
)
from schema._prefetch import prefetch_relationships
from schema.enums import Certainty, NodeKind, model_certainty
from schema.neighbourhood import Neighbourhood
from schema.node import Node, node_from_record
from schema.path import Introduction, Path
from schema.search import SearchConnection
from schema.stats import Stats

__all__ = ["GraphQuery"]

From = Annotated[strawberry.ID, strawberry.argument(name="from", description="Start node id.")]
To = Annotated[strawberry.ID, strawberry.argument(description="End node id.")]
Types = Annotated[
    list[str] | None,
    strawberry.argument(description="Only these relationship types (e.g. [WORKS_FOR, ATTENDED])."),
]
AsOf = Annotated[
    PartialDate | None,
    strawberry.argument(description="Leave out relationships that had ended or not yet begun."),
]
MinCertainty = Annotated[
    Certainty | None,
    strawberry.argument(description="Leave out relationships less certain than this."),
]
Avoid = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(description="Node ids no path may pass through."),
]


@strawberry.type
class GraphQuery:
    @strawberry.field(description="The node with this id, or null if there is none.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        prefetch_relationships(info, str(id))  # its pages, alongside the node itself
        record = await info.context.loaders.node(str(id))
        return node_from_record(record) if record is not None else None

    @strawberry.field(description="Nodes by id, in the order asked; null for unknown ids.")
    async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise BadUserInput(f"at most {MAX_PAGE_SIZE} ids per call, not {len(ids)}")
        records = await info.context.loaders.nodes.load_many([str(i) for i in ids])
        return [node_from_record(r) if r is not None else None for r in records]

    @strawberry.field(
        description=(
            "Nodes whose name or an alias matches every word of `text` (word prefixes, accent- "
            'and case-insensitive: "oreec", "Écotech", "CCC"), best match first.'
        )
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        kinds: list[NodeKind] | None = None,
        country: str | None = None,
        first: int | None = 10,
        after: str | None = None,
    ) -> SearchConnection:
        page = await search(
            info.context,
            text,
            kinds=[k.model() for k in kinds] if kinds is not None else None,
            country=country,
            first=10 if first is None else first,
            after=after,
        )
        return SearchConnection.from_page(page, after=after)

    @strawberry.field(
        description=(
            "The shortest simple paths between two nodes, walking relationships either way: "
            "shortest first, then by node ids. maxHops <= 6 and first <= 20 (else "
            "LIMIT_EXCEEDED); an unknown `from` or `to` is a NOT_FOUND error."
        )
    )
    async def paths(
        self,
        info: Info[Context, None],
        from_: From,
        to: To,
        max_hops: int | None = 4,
        first: int | None = 3,
        relationship_types: Types = None,
        as_of: AsOf = None,
        min_certainty: MinCertainty = None,
        avoid: Avoid = None,
    ) -> list[Path]:
        query = path_query(
            max_hops=4 if max_hops is None else max_hops,
            first=3 if first is None else first,
            types=relationship_types,
            as_of=as_of,
            min_certainty=model_certainty(min_certainty),
            avoid=[str(a) for a in avoid or ()],
        )
        found = await find_paths(info.context, str(from_), str(to), query)
        return Path.from_records(found)

    @strawberry.field(
        description=(
            "People and organisations who can introduce `from` to `to`, best first (first <= 20). "
            + INTRODUCTION_FORMULA
        )
    )
    async def introductions(
        self,
        info: Info[Context, None],
        from_: From,
        to: To,
        max_hops: int | None = 4,
        first: int | None = 5,
        relationship_types: Types = None,
        as_of: AsOf = None,
        min_certainty: MinCertainty = None,
        avoid: Avoid = None,
    ) -> list[Introduction]:
        query = path_query(
            max_hops=4 if max_hops is None else max_hops,
            first=1,
            types=relationship_types,
            as_of=as_of,
            min_certainty=model_certainty(min_certainty),
            avoid=[str(a) for a in avoid or ()],
        )
        found = await introductions(
            info.context, str(from_), str(to), query, first=5 if first is None else first
        )
        built: dict[str, Node] = {}  # a node common to several introductions, built once
        return [Introduction.from_record(i, built) for i in found]

    @strawberry.field(
        description=(
            "The nodes within `depth` hops of a node (depth <= 3, at most `limit` <= 500 nodes, "
            "nearest first) and every relationship among them."
        )
    )
    async def neighbourhood(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        depth: int | None = 1,
        relationship_types: Types = None,
        as_of: AsOf = None,
        min_certainty: MinCertainty = None,
        limit: int | None = 100,
    ) -> Neighbourhood:
        sub = await neighbourhood(
            info.context,
            str(id),
            depth=1 if depth is None else depth,
            types=relationship_types,
            as_of=as_of,
            min_certainty=model_certainty(min_certainty),
            limit=100 if limit is None else limit,
        )
        return Neighbourhood.from_record(str(id), sub)

    @strawberry.field(
        description=(
            "Counts by node kind and relationship type (only the relationships the caller "
            "may see), and freshness."
        )
    )
    async def stats(self, info: Info[Context, None]) -> Stats:
        return Stats.from_record(await visible_stats(info.context))
