"""A node's neighbourhood: the nodes around it by BFS depth, and the relationships among them."""

from __future__ import annotations

import strawberry

from graph_store import Subgraph
from schema.node import Node, Relationship, node_from_record

__all__ = ["Neighbourhood", "NeighbourhoodNode"]


@strawberry.type(description="A node of a neighbourhood and its distance in hops from the center.")
class NeighbourhoodNode:
    node: Node
    depth: int


@strawberry.type(
    description="The nodes within some hops of a center, and relationships among them."
)
class Neighbourhood:
    center: Node
    nodes: list[NeighbourhoodNode]
    relationships: list[Relationship]
    truncated: bool = strawberry.field(description="True if `limit` cut off further nodes.")

    @classmethod
    def from_record(cls, center_id: str, sub: Subgraph) -> Neighbourhood:
        """The GraphQL neighbourhood of a store subgraph around `center_id`.

        Each node is built once and handed to the relationships among them, which therefore
        resolve `from`/`to` without the DataLoader.
        """
        built = {n.id: node_from_record(n) for n in sub.nodes}
        return cls(
            center=built[center_id],
            nodes=[NeighbourhoodNode(node=built[n.id], depth=sub.depths[n.id]) for n in sub.nodes],
            relationships=[Relationship.from_record(e, built) for e in sub.edges],
            truncated=sub.truncated,
        )
