"""The Project and Programme types (funded work, and the schemes that fund it)."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Programme", "Project"]


@implements(K.PROJECT)
@strawberry.type(description="A project: a funded piece of joint work (e.g. BILAT USA 4.0).")
class Project(Node):
    category: str | None
    start: PartialDate | None
    end: PartialDate | None
    status: str | None
    amount: str | None
    currency: str | None
    url: str | None

    partners = relationship_field(("PARTNER_IN",), D.IN, "Partners in the project")
    funders = relationship_field(("FUNDED_BY",), D.OUT, "Who funds the project")
    programmes = relationship_field(("UNDER_PROGRAMME",), D.OUT, "Programmes it runs under")
    organisers = relationship_field(("ORGANISED",), D.IN, "Who organised it")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Project:
        """The GraphQL project of a store node."""
        return cls(
            **Node.common(record),
            category=text_prop(record, "category"),
            start=date_prop(record, "start"),
            end=date_prop(record, "end"),
            status=text_prop(record, "status"),
            amount=text_prop(record, "amount"),
            currency=text_prop(record, "currency"),
            url=text_prop(record, "url"),
        )


@implements(K.PROGRAMME)
@strawberry.type(description="A funding or policy programme (e.g. Horizon 2020).")
class Programme(Node):
    category: str | None
    url: str | None

    projects = relationship_field(("UNDER_PROGRAMME",), D.IN, "Projects under the programme")
    funded = relationship_field(("FUNDED_BY",), D.IN, "What the programme funds")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Programme:
        """The GraphQL programme of a store node."""
        return cls(
            **Node.common(record),
            category=text_prop(record, "category"),
            url=text_prop(record, "url"),
        )
