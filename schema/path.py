"""Paths between nodes, their steps and one-sentence summaries, and introductions."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from graph_store import Node as NodeRecord
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
    def from_record(cls, path: PathRecord, built: dict[str, Node] | None = None) -> Path:
        """The GraphQL path of a store path.

        Each node is built once and handed to the steps and their relationships, which
        therefore resolve `from`/`to` without the DataLoader. `built` (node id -> Node),
        shared by the caller across several paths, builds a node common to them only once.
        """
        built = {} if built is None else built
        nodes = [_built(built, n) for n in path.nodes]
        steps = [
            PathStep(
                from_=nodes[i],
                to=nodes[i + 1],
                relationship=Relationship.from_record(step.edge, built),
                direction=StepDirection.FORWARD if step.forward else StepDirection.BACKWARD,
            )
            for i, step in enumerate(path.steps)
        ]
        return cls(length=path.length, nodes=nodes, steps=steps, summary=path_summary(path))

    @classmethod
    def from_records(cls, paths: Iterable[PathRecord]) -> list[Path]:
        """The GraphQL paths of store paths, each node built once across all of them."""
        built: dict[str, Node] = {}
        return [cls.from_record(p, built) for p in paths]


def _built(built: dict[str, Node], record: NodeRecord) -> Node:
    """The Node of `record` from `built`, building and remembering it the first time."""
    node = built.get(record.id)
    if node is None:
        node = built[record.id] = node_from_record(record)
    return node


@strawberry.type(description=f"Someone who can introduce `from` to `to`. {INTRODUCTION_FORMULA}")
class Introduction:
    intermediary: Node
    score: float
    reason: str
    paths: list[Path] = strawberry.field(
        description="The paths through the intermediary, best first."
    )

    @classmethod
    def from_record(
        cls, intro: IntroductionRecord, built: dict[str, Node] | None = None
    ) -> Introduction:
        """The GraphQL introduction of a scored intermediary (`built` as for `Path`)."""
        built = {} if built is None else built
        return cls(
            intermediary=_built(built, intro.intermediary),
            score=intro.score,
            reason=intro.reason,
            paths=[Path.from_record(p, built) for p in intro.paths],
        )
