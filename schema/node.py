"""The Node interface and relationships between nodes (Relationship, its connection and edges).

Both live here because each refers to the other: a node lists its relationships, and a
relationship's `from`, `to` and `other` are nodes. Concrete node types register themselves
with `@implements(kind)`, which is how a store record becomes the right GraphQL type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar
from urllib.parse import quote

import strawberry
from graphql import GraphQLAbstractType, GraphQLResolveInfo
from strawberry.types import Info

from graph_store import Edge as EdgeRecord
from graph_store import Node as NodeRecord
from graph_store import NodeKind as ModelNodeKind
from graph_store import NotFound, PartialDate
from resolvers import Context, RelationshipPage, relationships_of
from schema._executor import held_in
from schema._guard import person_roles
from schema._selection import selects_any
from schema.connection import PageInfo
from schema.enums import Certainty, Direction, NodeKind, model_certainty

__all__ = [
    "ENDPOINT_FIELDS",
    "Node",
    "Relationship",
    "RelationshipConnection",
    "RelationshipEdge",
    "implements",
    "load_node",
    "PageStarter",
    "node_from_record",
    "page_starter",
    "prefetched_by",
    "relationships_page",
    "type_name_of",
]


class _FromRecord(Protocol):
    @classmethod
    def from_record(cls, record: NodeRecord) -> Node: ...


_NODE_TYPES: dict[ModelNodeKind, type[_FromRecord]] = {}
ENDPOINT_FIELDS = frozenset({"other", "from", "to"})
"""Fields of a relationship page that show its endpoints (GraphQL names)."""
N = TypeVar("N")


def implements(kind: ModelNodeKind) -> Callable[[N], N]:
    """Register a GraphQL type as the one that represents nodes of `kind`."""

    def register(cls: N) -> N:
        _NODE_TYPES[kind] = cls  # type: ignore[assignment]
        return cls

    return register


def node_from_record(record: NodeRecord) -> Node:
    """The GraphQL object (Cluster, Person, ...) for a store node."""
    return _NODE_TYPES[record.kind].from_record(record)


async def relationships_page(
    ctx: Context,
    node_id: str,
    *,
    types: list[str] | None,
    direction: Direction | None,
    as_of: PartialDate | None,
    min_certainty: Certainty | None,
    first: int | None,
    after: str | None,
    with_others: bool,
    other_kinds: frozenset[ModelNodeKind] | None = None,
) -> RelationshipPage:
    """The page a relationship field answers, from its arguments as GraphQL passes them
    (`Node.relationships`, and the typed fields with their types and direction fixed); also
    what `node(id:)` starts early for a selection that lists relationships (schema/_prefetch.py)."""
    return await relationships_of(
        ctx,
        node_id,
        types=types,
        direction=(direction or Direction.BOTH).model(),
        as_of=as_of,
        min_certainty=model_certainty(min_certainty),
        other_kinds=other_kinds,
        first=20 if first is None else first,
        after=after,
        with_others=with_others,
    )


PageStarter = Callable[..., Awaitable[RelationshipPage]]
"""How a relationship field's page is asked for, from the node id and the field's arguments:
`starter(ctx, node_id, with_others=..., **arguments)` (arguments by their Python names)."""
_PREFETCH = "icn.prefetch"


def prefetched_by(starter: PageStarter) -> dict[str, PageStarter]:
    """Field metadata: the page of this relationship field can be started before its node is
    fetched, by `starter` (schema/_prefetch.py). Only for unguarded fields: a guarded one's
    page would be fetched for callers who may not see it."""
    return {_PREFETCH: starter}


def page_starter(metadata: Mapping[str, object] | None) -> PageStarter | None:
    """The starter a field's metadata names (`prefetched_by`), if any."""
    starter = (metadata or {}).get(_PREFETCH)
    return starter if callable(starter) else None


def type_name_of(kind: ModelNodeKind) -> str:
    """The GraphQL type that represents nodes of `kind` (`Cluster`, `Person`, ...)."""
    return _NODE_TYPES[kind].__strawberry_definition__.name  # type: ignore[attr-defined]


async def load_node(info: Info[Context, None], node_id: str) -> Node:
    """A node that must exist (a relationship's endpoint), through the request's loader."""
    record = await info.context.loaders.node(node_id)
    if record is None:
        raise NotFound(f"relationship endpoint {node_id!r} does not exist")
    return node_from_record(record)


@strawberry.interface(
    description=(
        "Anything in the graph. `id` is stable and readable: `kind/slug`, "
        "e.g. `cluster/oreec` or `person/marianna-lubanski`."
    )
)
class Node:
    id: strawberry.ID
    kind: NodeKind
    name: str
    aliases: list[str] = strawberry.field(description="Other names and abbreviations.")
    sources: list[str] = strawberry.field(
        description="Seed documents the node was taken from (served at /sources/{name})."
    )
    description: str | None
    record: strawberry.Private[NodeRecord]

    @strawberry.field(
        description=(
            "Relationships of this node: filter by type, direction, as-of date (relationships "
            "whose since/until put them outside the date are left out) and minimum certainty."
        ),
        metadata=prefetched_by(relationships_page),
    )
    async def relationships(
        self,
        info: Info[Context, None],
        types: list[str] | None = None,
        direction: Direction | None = Direction.BOTH,
        as_of: PartialDate | None = None,
        min_certainty: Certainty | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> RelationshipConnection:
        page = await relationships_page(
            info.context,
            str(self.id),
            types=types,
            direction=direction,
            as_of=as_of,
            min_certainty=min_certainty,
            first=first,
            after=after,
            with_others=selects_any(info, ENDPOINT_FIELDS),
        )
        return RelationshipConnection.from_page(page, after=after, holder=self)

    @classmethod
    def resolve_type(
        cls, obj: Node, info: GraphQLResolveInfo, abstract: GraphQLAbstractType
    ) -> str:
        """The GraphQL type of a node: its class's. Strawberry's default would first look for a
        `strawberry.cast` among the possible types, for every Node-typed value of a response."""
        return obj.__strawberry_definition__.name  # type: ignore[attr-defined]

    @staticmethod
    def common(record: NodeRecord) -> dict[str, object]:
        """The interface's fields of a record, for the concrete types' `from_record`."""
        text = record.props.get("description")
        return {
            "id": strawberry.ID(record.id),
            "kind": NodeKind.of(record.kind),
            "name": record.name,
            "aliases": list(record.aliases),
            "sources": list(record.sources),
            "description": str(text) if text is not None else None,
            "record": record,
        }


def _prop(edge: EdgeRecord, key: str) -> str | None:
    value = edge.props.get(key)
    return str(value) if value is not None else None


@strawberry.type(
    description=(
        "A relationship between two nodes, with its time bounds, certainty and provenance: "
        "`source` names the seed document and `evidence` quotes it verbatim."
    )
)
class Relationship:
    id: strawberry.ID
    type: str = strawberry.field(description="An allow-listed type, e.g. MEMBER_OF, ATTENDED.")
    since: PartialDate | None
    until: PartialDate | None
    certainty: Certainty
    source: str
    evidence: str
    note: str | None = strawberry.field(description="Why the certainty is inferred/uncertain.")
    role: str | None = strawberry.field(
        description=(
            "The role in the relationship; of a WORKS_FOR or HOLDS_POSITION relationship it is "
            "a person's role and needs the read:contacts scope."
        ),
        extensions=person_roles(),
    )
    purpose: str | None
    amount: str | None
    currency: str | None
    context: str | None
    status: str | None
    record: strawberry.Private[EdgeRecord]

    src_node: strawberry.Private[Node | None] = None
    """The `from` node when whoever built this relationship already held it, else None."""
    dst_node: strawberry.Private[Node | None] = None
    """The `to` node likewise."""

    @strawberry.field(description="Where the source document is served by this API.")
    def source_url(self) -> str:
        return f"/sources/{quote(self.source)}"

    # `from`, `to` (and RelationshipEdge.other) are sync resolvers that hand back a node the
    # relationship holds, and only return the DataLoader's awaitable when it holds none: an
    # async resolver would cost graphql-core a task per field even when nothing is fetched.
    # `held_in` tells the lean executor (schema/_executor.py) where that node is held, so it
    # reads it there and calls the resolver only when it is not.
    @strawberry.field(
        name="from",
        description="The source of the relationship.",
        graphql_type=Node,
        metadata=held_in("src_node"),
    )
    def from_(self, info: Info[Context, None]) -> Node | Awaitable[Node]:
        node = self.src_node
        return node if node is not None else load_node(info, self.record.src)

    @strawberry.field(
        description="The target of the relationship.",
        graphql_type=Node,
        metadata=held_in("dst_node"),
    )
    def to(self, info: Info[Context, None]) -> Node | Awaitable[Node]:
        node = self.dst_node
        return node if node is not None else load_node(info, self.record.dst)

    @classmethod
    def from_record(cls, edge: EdgeRecord, nodes: Mapping[str, Node] | None = None) -> Relationship:
        """The GraphQL relationship of a store edge; `nodes` (by id) supplies the endpoints
        the caller already built, so `from` and `to` need no load."""
        return cls(
            id=strawberry.ID(edge.id),
            type=edge.type,
            since=edge.since,
            until=edge.until,
            certainty=Certainty.of(edge.certainty),
            source=edge.source,
            evidence=edge.evidence,
            note=edge.note,
            role=_prop(edge, "role"),
            purpose=_prop(edge, "purpose"),
            amount=_prop(edge, "amount"),
            currency=_prop(edge, "currency"),
            context=_prop(edge, "context"),
            status=_prop(edge, "status"),
            record=edge,
            src_node=nodes.get(edge.src) if nodes else None,
            dst_node=nodes.get(edge.dst) if nodes else None,
        )


@strawberry.type(description="A relationship seen from one of its nodes.")
class RelationshipEdge:
    cursor: str
    node: Relationship
    owner: strawberry.Private[str]

    @property
    def other_node(self) -> Node | None:
        """The far end when the relationship holds it (None: ask the loader)."""
        record = self.node.record
        other_id = record.other(self.owner)
        if other_id == record.src:
            return self.node.src_node
        return self.node.dst_node if other_id == record.dst else None

    @strawberry.field(
        description="The node at the other end from the one being listed.",
        graphql_type=Node,
        metadata=held_in("other_node"),
    )
    def other(self, info: Info[Context, None]) -> Node | Awaitable[Node]:
        node = self.other_node
        return node if node is not None else load_node(info, self.node.record.other(self.owner))


@strawberry.type(description="A page of a node's relationships.")
class RelationshipConnection:
    edges: list[RelationshipEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(
        cls, page: RelationshipPage, *, after: str | None, holder: Node | None = None
    ) -> RelationshipConnection:
        """The connection of a page from `resolvers.relationships_of`; the node listing it
        (`holder`) and the far ends the page loaded are handed to the relationships."""
        held: dict[str, Node] = {i: node_from_record(n) for i, n in page.others.items()}
        if holder is not None:
            held[str(holder.id)] = holder
        edges = [
            RelationshipEdge(
                cursor=page.cursor(i),
                node=Relationship.from_record(edge, held),
                owner=page.owner,
            )
            for i, edge in enumerate(page.edges)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, has_previous=after is not None
            ),
            total_count=page.total,
        )
