"""GraphQL enums mirroring the model's: NodeKind, Certainty, Direction, StepDirection."""

from __future__ import annotations

import enum

import strawberry

from graph_store import Certainty as ModelCertainty
from graph_store import Direction as ModelDirection
from graph_store import NodeKind as ModelNodeKind

__all__ = ["Certainty", "Direction", "NodeKind", "StepDirection", "model_certainty"]


@strawberry.enum(description="The kinds of node in the ICN graph.")
class NodeKind(enum.Enum):
    NETWORK = "Network"
    CLUSTER = "Cluster"
    ORGANISATION = "Organisation"
    PERSON = "Person"
    PROJECT = "Project"
    PROGRAMME = "Programme"
    AGREEMENT = "Agreement"
    EVENT = "Event"
    DOCUMENT = "Document"

    def model(self) -> ModelNodeKind:
        """The graph_store kind of the same name."""
        return ModelNodeKind(self.value)

    @classmethod
    def of(cls, kind: ModelNodeKind) -> NodeKind:
        """The GraphQL value of a graph_store kind."""
        return cls(kind.value)


@strawberry.enum(
    description=(
        "How sure the sources are of a relationship, most certain first: STATED in a source, "
        "INFERRED from sources, UNCERTAIN, or PLANNED (announced, not known to have happened)."
    )
)
class Certainty(enum.Enum):
    STATED = "stated"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"
    PLANNED = "planned"

    def model(self) -> ModelCertainty:
        """The graph_store certainty of the same name."""
        return ModelCertainty(self.value)

    @classmethod
    def of(cls, certainty: ModelCertainty) -> Certainty:
        """The GraphQL value of a graph_store certainty."""
        return cls(certainty.value)


@strawberry.enum(
    description="Which relationships of a node: OUT (it is the source), IN (the target), BOTH."
)
class Direction(enum.Enum):
    OUT = "out"
    IN = "in"
    BOTH = "both"

    def model(self) -> ModelDirection:
        """The graph_store direction of the same name."""
        return ModelDirection(self.value)


@strawberry.enum(
    description="Whether a path step walks its relationship from source to target or back."
)
class StepDirection(enum.Enum):
    FORWARD = "forward"
    BACKWARD = "backward"


def model_certainty(value: Certainty | None) -> ModelCertainty | None:
    """None-preserving conversion for optional `minCertainty` arguments."""
    return value.model() if value is not None else None
