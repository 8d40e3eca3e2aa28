"""The Agreement type: MoUs and contracts, their parties and where they were signed."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Agreement"]


@implements(K.AGREEMENT)
@strawberry.type(description="An agreement (MoU, contract); `date` is when it was signed.")
class Agreement(Node):
    category: str | None
    date: PartialDate | None
    purpose: str | None
    status: str | None

    parties = relationship_field(("SIGNED",), D.IN, "Who signed it")
    signed_at = relationship_field(("SIGNED_AT",), D.OUT, "The event where it was signed")
    concerns = relationship_field(("CONCERNS",), D.OUT, "What it is about")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Agreement:
        """The GraphQL agreement of a store node."""
        return cls(
            **Node.common(record),
            category=text_prop(record, "category"),
            date=date_prop(record, "date"),
            purpose=text_prop(record, "purpose"),
            status=text_prop(record, "status"),
        )
