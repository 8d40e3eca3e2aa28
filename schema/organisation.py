"""The Organisation type: a company, agency, university or association."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from schema._props import text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Organisation"]


@implements(K.ORGANISATION)
@strawberry.type(description="A company, public body, university or association.")
class Organisation(Node):
    city: str | None
    region: str | None
    country: str | None
    sector: str | None
    category: str | None
    url: str | None

    clusters = relationship_field(
        ("MEMBER_OF",), D.OUT, "Clusters it is a member of", other_kinds=frozenset({K.CLUSTER})
    )
    member_of = relationship_field(("MEMBER_OF",), D.OUT, "Everything it is a member of")
    members = relationship_field(("MEMBER_OF",), D.IN, "Its own members")
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
    funded = relationship_field(("FUNDED_BY",), D.IN, "What it funds")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Organisation:
        """The GraphQL organisation of a store node."""
        return cls(
            **Node.common(record),
            city=text_prop(record, "city"),
            region=text_prop(record, "region"),
            country=text_prop(record, "country"),
            sector=text_prop(record, "sector"),
            category=text_prop(record, "category"),
            url=text_prop(record, "url"),
        )
