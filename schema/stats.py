"""Counts by kind and type, and how fresh the data is."""

from __future__ import annotations

import strawberry

from graph_store import NodeKind as ModelNodeKind
from graph_store import Stats as StatsRecord
from schema.enums import NodeKind

__all__ = ["KindCount", "Stats", "TypeCount"]


@strawberry.type(description="How many nodes of one kind the graph holds.")
class KindCount:
    kind: NodeKind
    count: int


@strawberry.type(description="How many relationships of one type the graph holds.")
class TypeCount:
    type: str
    count: int


@strawberry.type(description="Counts and freshness of the graph.")
class Stats:
    nodes_by_kind: list[KindCount]
    relationships_by_type: list[TypeCount]
    change_seq: int = strawberry.field(
        description="Grows with every committed write: equal numbers mean equal data."
    )
    last_loaded_at: str | None = strawberry.field(description="ISO time of the latest load.")

    @classmethod
    def from_record(cls, stats: StatsRecord) -> Stats:
        """The GraphQL stats of the store's stats."""
        return cls(
            nodes_by_kind=[
                KindCount(kind=NodeKind.of(ModelNodeKind(kind)), count=count)
                for kind, count in sorted(stats.nodes_by_kind.items())
            ],
            relationships_by_type=[
                TypeCount(type=rel_type, count=count)
                for rel_type, count in sorted(stats.edges_by_type.items())
            ],
            change_seq=stats.seq,
            last_loaded_at=stats.last_loaded_at,
        )
