"""The Person type."""

from __future__ import annotations

import strawberry

from graph_store import Direction as D
from graph_store import Node as NodeRecord
from graph_store import NodeKind as K
from schema._guard import contacts
from schema._props import text_prop
from schema._relfield import relationship_field
from schema.node import Node, implements

__all__ = ["Person"]


@implements(K.PERSON)
@strawberry.type(
    description="A person named in the sources (contact details are not part of the public API)."
)
class Person(Node):
    # Roles and personal details need the read:contacts scope (docs/security.md).
    title: str | None = strawberry.field(
        description="Job title or role (needs the read:contacts scope).", extensions=contacts()
    )
    description: str | None = strawberry.field(
        description="Who they are: roles and personal details (needs the read:contacts scope).",
        extensions=contacts(),
    )
    country: str | None

    employers = relationship_field(
        ("WORKS_FOR",), D.OUT, "Where they work or worked", contact_details=True
    )
    positions = relationship_field(
        ("HOLDS_POSITION",), D.OUT, "Positions they hold", contact_details=True
    )
    memberships = relationship_field(("MEMBER_OF",), D.OUT, "What they are members of")
    knows = relationship_field(("KNOWS",), D.BOTH, "People they know")
    events = relationship_field(
        ("ATTENDED", "HOSTED", "ORGANISED"), D.OUT, "Events they attended, hosted or organised"
    )
    agreements = relationship_field(("SIGNED",), D.OUT, "Agreements they signed")

    @classmethod
    def from_record(cls, record: NodeRecord) -> Person:
        """The GraphQL person of a store node."""
        return cls(
            **Node.common(record),
            title=text_prop(record, "title"),
            country=text_prop(record, "country"),
        )
