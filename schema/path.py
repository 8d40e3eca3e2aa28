"""Paths between nodes, their steps and one-sentence summaries, and introductions."""

from __future__ import annotations

import strawberry

from graph_store import Path as PathRecord
from resolvers import INTRODUCTION_FORMULA, path_summary
from resolvers import Introduction as IntroductionRecord
from schema.enums import StepDirection
from schema.node import Node, Relationship, node_from_record

__all__ = ["Introduction", "Path", "PathStep"]


@strawberry.type(description="One hop of a path: a relationship, walked forward or backward.")
class PathStep:
    from_: Node = strawberry.field(name="from")
    to: Node
    relationship: Relationship
    direction: StepDirection


@strawberry.type(description="A chain of relationships from one node to another.")
class Path:
    length: int = strawberry.field(description="Number of hops.")
    nodes: list[Node] = strawberry.field(description="The nodes in order, start and end included.")
    steps: list[PathStep]
    summary: str = strawberry.field(
        description=(
            'The path as one English sentence, e.g. "Marianna Lubanski attended 4th ICN '
            'Managers Meeting, which was attended by Tenerrdis."'
        )
    )

    @classmethod
    def from_record(cls, path: PathRecord) -> Path:
        """The GraphQL path of a store path."""
        nodes = [node_from_record(n) for n in path.nodes]
        steps = [
            PathStep(
                from_=nodes[i],
                to=nodes[i + 1],
                relationship=Relationship.from_record(step.edge),
                direction=StepDirection.FORWARD if step.forward else StepDirection.BACKWARD,
            )
            for i, step in enumerate(path.steps)
        ]
        return cls(length=path.length, nodes=nodes, steps=steps, summary=path_summary(path))


@strawberry.type(description=f"Someone who can introduce `from` to `to`. {INTRODUCTION_FORMULA}")
class Introduction:
    intermediary: Node
    score: float
    reason: str
    paths: list[Path] = strawberry.field(
        description="The paths through the intermediary, best first."
    )

    @classmethod
    def from_record(cls, intro: IntroductionRecord) -> Introduction:
        """The GraphQL introduction of a scored intermediary."""
        return cls(
            intermediary=node_from_record(intro.intermediary),
            score=intro.score,
            reason=intro.reason,
            paths=[Path.from_record(p) for p in intro.paths],
        )
