"""The Document type: a report or article the graph was built from or that mentions nodes."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from graph_store import PartialDate
from schema._props import date_prop, text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Document"]


@implements(K.DOCUMENT)
@strawberry.type(description="A document: article, report or press release.")
class Document(Node):
    category: str | None
    date: PartialDate | None
    url: str | None
    file: str | None

    mentions = relationship_field(("MENTIONS",), D.OUT, "What it mentions")
    publishers = relationship_field(("PUBLISHED",), D.IN, "Who published it")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Document:
        """The GraphQL document of a store node."""
        return cls(
            **Node.common(record),
            category=text_prop(record, "category"),
            date=date_prop(record, "date"),
            url=text_prop(record, "url"),
            file=text_prop(record, "file"),
        )
