"""The Event type: meetings, conferences, missions."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, int_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Event"]


@implements(K.EVENT)
@strawberry.type(
    description="A meeting, conference or mission (e.g. the 4th ICN Managers Meeting)."
)
class Event(Node):
    category: str | None
    date: PartialDate | None
    end_date: PartialDate | None
    status: str | None
    ordinal: int | None
    city: str | None
    region: str | None
    country: str | None

    attendees = relationship_field(("ATTENDED",), D.IN, "Who attended")
    hosts = relationship_field(("HOSTED",), D.IN, "Who hosted it")
    organisers = relationship_field(("ORGANISED",), D.IN, "Who organised it")
    agreements = relationship_field(("SIGNED_AT",), D.IN, "Agreements signed there")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Event:
        """The GraphQL event of a store node."""
        return cls(
            **Node.common(record),
            category=text_prop(record, "category"),
            date=date_prop(record, "date"),
            end_date=date_prop(record, "end_date"),
            status=text_prop(record, "status"),
            ordinal=int_prop(record, "ordinal"),
            city=text_prop(record, "city"),
            region=text_prop(record, "region"),
            country=text_prop(record, "country"),
        )
