"""Rank who can introduce one node to another, from the paths that run through them.

score(intermediary) = sum, over the paths between `from` and `to` that pass through it, of

    weight(path) = (1 / length) x product of certainty weights of its relationships
                   x mean recency of its relationships

certainty weights: stated 1.0, inferred 0.7, uncertain 0.4, planned 0.3;
recency(relationship) = 1 / (1 + years / 5), where `years` is the distance from the as-of date
(or today) to the relationship's dates (0 when the date lies between its since and until);
an undated relationship counts 0.5. Up to MAX_PATHS (20) shortest paths are considered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graph_store import (
    MAX_PATHS,
    BadUserInput,
    Certainty,
    Edge,
    LimitExceeded,
    Node,
    NodeKind,
    Path,
    PathQuery,
)
from resolvers.context import Context
from resolvers.paths import find_paths
from resolvers.summary import path_summary

__all__ = [
    "CERTAINTY_WEIGHT",
    "INTRODUCTION_FORMULA",
    "INTERMEDIARY_KINDS",
    "MAX_INTRODUCTIONS",
    "Introduction",
    "introductions",
    "path_weight",
    "recency",
]

CERTAINTY_WEIGHT: Mapping[Certainty, float] = {
    Certainty.STATED: 1.0,
    Certainty.INFERRED: 0.7,
    Certainty.UNCERTAIN: 0.4,
    Certainty.PLANNED: 0.3,
}
INTERMEDIARY_KINDS = frozenset({NodeKind.PERSON, NodeKind.ORGANISATION, NodeKind.CLUSTER})
"""Who can make an introduction: people and organisations (a cluster is one too)."""
MAX_INTRODUCTIONS = 20
INTRODUCTION_FORMULA = (
    "Up to 20 shortest paths between `from` and `to` are gathered (with the query's filters); "
    "each person, organisation or cluster inside a path (never `from` or `to`) scores the sum, "
    "over the paths through it, of weight = (1 / length) x product of the certainty weights of "
    "the path's relationships (stated 1.0, inferred 0.7, uncertain 0.4, planned 0.3) x the "
    "mean recency of its relationships, where recency = 1 / (1 + years / 5) and `years` is the "
    "distance from the as-of date (or today) to the relationship's since/until dates "
    "(0 when the date lies between them; an undated relationship counts 0.5)."
)
"""The scoring rule in words, shown in the schema and docs/api.md."""
RECENCY_SCALE_YEARS = 5.0
UNDATED_RECENCY = 0.5


@dataclass(frozen=True, slots=True)
class Introduction:
    """An intermediary, its score, why, and the paths through it (best first)."""

    intermediary: Node
    score: float
    reason: str
    paths: tuple[Path, ...]


def _day(text: str) -> date:
    return date.fromisoformat(text)


def recency(edge: Edge, lo: date, hi: date) -> float:
    """How current `edge` is relative to the reference interval [lo, hi] (1.0 = current)."""
    if edge.since is None and edge.until is None:
        return UNDATED_RECENCY
    if (
        edge.since is not None
        and edge.until is not None
        and _day(edge.since.lo) <= hi
        and _day(edge.until.hi) >= lo
    ):
        return 1.0
    # Otherwise measure to the nearest known date: an old `since` with no `until` is old news.
    known = [(_day(d.lo), _day(d.hi)) for d in (edge.since, edge.until) if d is not None]
    gap = min(max((first - hi).days, (lo - last).days, 0) for first, last in known)
    return 1.0 / (1.0 + gap / 365.25 / RECENCY_SCALE_YEARS)


def path_weight(path: Path, lo: date, hi: date) -> float:
    """(1 / length) x product of certainty weights x mean recency of the path's relationships."""
    if not path.steps:
        return 0.0
    certainty = 1.0
    for step in path.steps:
        certainty *= CERTAINTY_WEIGHT[step.edge.certainty]
    fresh = sum(recency(step.edge, lo, hi) for step in path.steps) / len(path.steps)
    return certainty * fresh / path.length


def _reason(node: Node, paths: Sequence[Path], total: int, src: Node, dst: Node) -> str:
    shortest = min(p.length for p in paths)
    hops = "hop" if shortest == 1 else "hops"
    return (
        f"{node.name} lies on {len(paths)} of the {total} paths found between {src.name} "
        f"and {dst.name} (shortest {shortest} {hops}). Strongest: {path_summary(paths[0])}"
    )


async def introductions(
    ctx: Context, src: str, dst: str, query: PathQuery, *, first: int, today: date | None = None
) -> list[Introduction]:
    """The best `first` intermediaries between `src` and `dst`, highest score first."""
    if first > MAX_INTRODUCTIONS:
        raise LimitExceeded(f"`first` is {first}; the limit is {MAX_INTRODUCTIONS}")
    if first < 1:
        raise BadUserInput(f"`first` must be at least 1, not {first}")
    # Gather as many paths as allowed: the ranking needs more than the shortest few.
    gathered = PathQuery(
        max_hops=query.max_hops, k=MAX_PATHS, filter=query.filter, avoid=query.avoid
    )
    paths = await find_paths(ctx, src, dst, gathered)
    as_of = query.filter.as_of
    ref = today or date.today()
    lo, hi = (_day(as_of.lo), _day(as_of.hi)) if as_of else (ref, ref)
    weights = [path_weight(p, lo, hi) for p in paths]
    scores: dict[str, float] = {}
    through: dict[str, list[int]] = {}
    nodes: dict[str, Node] = {}
    for index, path in enumerate(paths):
        for node in path.nodes[1:-1]:
            if node.kind not in INTERMEDIARY_KINDS or node.id in (src, dst):
                continue
            scores[node.id] = scores.get(node.id, 0.0) + weights[index]
            through.setdefault(node.id, []).append(index)
            nodes[node.id] = node
    ranked = sorted(scores, key=lambda node_id: (-scores[node_id], node_id))[:first]
    if not ranked:
        return []
    src_node, dst_node = paths[0].nodes[0], paths[0].nodes[-1]  # every path runs src to dst
    result = []
    for node_id in ranked:
        mine = sorted(through[node_id], key=lambda i: (-weights[i], i))
        own_paths = tuple(paths[i] for i in mine)
        reason = _reason(nodes[node_id], own_paths, len(paths), src_node, dst_node)
        result.append(Introduction(nodes[node_id], round(scores[node_id], 6), reason, own_paths))
    return result
