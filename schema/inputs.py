"""Mutation inputs: a node, a relationship, an agreement with its parties."""

from __future__ import annotations

import strawberry

from graph_store import PartialDate
from schema.enums import Certainty, NodeKind

__all__ = ["AgreementInput", "NodeInput", "PartyInput", "RelationshipInput"]

_NODE_PROPS = (
    "description",
    "city",
    "region",
    "country",
    "sector",
    "category",
    "url",
    "title",
    "founded",
    "start",
    "end",
    "date",
    "end_date",
    "status",
    "amount",
    "currency",
    "purpose",
    "ordinal",
    "file",
)
"""Node properties an input can set: every model property except contact details."""
_EDGE_PROPS = ("role", "purpose", "amount", "currency", "context", "status")


@strawberry.input(
    description=(
        "A whole node (upsert replaces the stored one). Set only the properties its kind "
        "allows; any other is reported as a problem, with its field name."
    )
)
class NodeInput:
    id: strawberry.ID = strawberry.field(description="`kind/slug`, e.g. organisation/acme-solar.")
    kind: NodeKind
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    sources: list[str] = strawberry.field(default_factory=list)
    description: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    sector: str | None = None
    category: str | None = None
    url: str | None = None
    title: str | None = None
    founded: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    status: str | None = None
    amount: str | None = None
    currency: str | None = None
    purpose: str | None = None
    ordinal: int | None = None
    file: str | None = None

    def props(self) -> dict[str, object]:
        """The kind-specific properties, by their model names (unset ones are None)."""
        return {name: getattr(self, name) for name in _NODE_PROPS}


@strawberry.input(description="A whole relationship; `source` and `evidence` are required.")
class RelationshipInput:
    type: str
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    source: str = strawberry.field(description="File name of the source document.")
    evidence: str = strawberry.field(description="A verbatim quote from the source.")
    certainty: Certainty = Certainty.STATED
    key: str | None = strawberry.field(
        default=None, description="Tells apart parallel relationships (e.g. two visits)."
    )
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to type~from~to[~key], like the loader's ids."
    )
    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = strawberry.field(default=None, description="Required unless stated.")
    role: str | None = None
    purpose: str | None = None
    amount: str | None = None
    currency: str | None = None
    context: str | None = None
    status: str | None = None

    def props(self) -> dict[str, object]:
        """The type-specific properties (unset ones are None)."""
        return {name: getattr(self, name) for name in _EDGE_PROPS}


@strawberry.input(description="A signatory of an agreement.")
class PartyInput:
    id: strawberry.ID
    role: str | None = None
    certainty: Certainty = Certainty.STATED
    evidence: str | None = strawberry.field(
        default=None, description="Quote for this party; defaults to the agreement's evidence."
    )
    note: str | None = None


@strawberry.input(description="An agreement with its parties and the event where it was signed.")
class AgreementInput:
    id: strawberry.ID = strawberry.field(description="`agreement/slug`.")
    name: str
    source: str = strawberry.field(description="Document the agreement is recorded in.")
    evidence: str = strawberry.field(description="A verbatim quote about the signing.")
    parties: list[PartyInput]
    signed_at: strawberry.ID | None = strawberry.field(
        default=None, description="The event where it was signed."
    )
    aliases: list[str] = strawberry.field(default_factory=list)
    sources: list[str] = strawberry.field(default_factory=list)
    category: str | None = strawberry.field(default=None, description="E.g. MoU, contract.")
    date: PartialDate | None = strawberry.field(default=None, description="When it was signed.")
    purpose: str | None = None
    status: str | None = None
    description: str | None = None
