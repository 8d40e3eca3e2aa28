"""The Cluster type: a cleantech cluster organisation, member of the ICN."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Cluster"]


@implements(K.CLUSTER)
@strawberry.type(description="A cleantech cluster (e.g. OREEC, Copenhagen Cleantech Cluster).")
class Cluster(Node):
    city: str | None
    region: str | None
    country: str | None
    sector: str | None
    founded: PartialDate | None
    url: str | None

    members = relationship_field(
        ("MEMBER_OF",), D.IN, "Organisations, people and clusters that are members"
    )
    member_of = relationship_field(("MEMBER_OF",), D.OUT, "Networks and clusters it belongs to")
    employees = relationship_field(
        ("WORKS_FOR", "HOLDS_POSITION"),
        D.IN,
        "People who work or hold a position there",
        contact_details=True,
    )
    agreements = relationship_field(("SIGNED",), D.OUT, "Agreements it signed")
    events = relationship_field(
        ("ATTENDED", "HOSTED", "ORGANISED"), D.OUT, "Events it attended, hosted or organised"
    )
    projects = relationship_field(("PARTNER_IN",), D.OUT, "Projects it is a partner in")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Cluster:
        """The GraphQL cluster of a store node."""
        return cls(
            **Node.common(record),
            city=text_prop(record, "city"),
            region=text_prop(record, "region"),
            country=text_prop(record, "country"),
            sector=text_prop(record, "sector"),
            founded=date_prop(record, "founded"),
            url=text_prop(record, "url"),
        )
