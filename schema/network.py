"""The Network type (the ICN itself)."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Network"]


@implements(K.NETWORK)
@strawberry.type(description="A network of clusters, such as the International Cleantech Network.")
class Network(Node):
    founded: PartialDate | None
    url: str | None

    members = relationship_field(("MEMBER_OF",), D.IN, "Members of the network")
    joined = relationship_field(("JOINED",), D.IN, "Who joined the network, and when")
    founders = relationship_field(("FOUNDED",), D.IN, "Who founded or launched the network")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Network:
        """The GraphQL network of a store node."""
        return cls(
            **Node.common(record),
            founded=date_prop(record, "founded"),
            url=text_prop(record, "url"),
        )
