"""Checks a batch against the model before anything is written, and diffs it against the store.

Both backends call `validate_batch` inside their write transaction (with the kinds of the
endpoints already stored) and `diff_batch` to decide what to create, update or leave alone, so
the two backends accept, reject and count exactly the same batches.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph_store.errors import InvalidRecord, Problem
from graph_store.model import (
    DATE_PROPERTIES,
    NODE_PROPERTIES,
    RELATIONSHIP_TYPES,
    Certainty,
    NodeKind,
    PartialDate,
    validate_node_id,
)
from graph_store.records import Batch, Change, Edge, Node

__all__ = ["MAX_TEXT", "diff_batch", "validate_batch"]

MAX_TEXT = 10_000
"""Longest accepted string value; a larger field is a mistake in the input, not data."""


def validate_batch(batch: Batch, stored_kinds: Mapping[str, NodeKind]) -> None:
    """Raise InvalidRecord listing every problem of `batch`; return if there are none.

    `stored_kinds` maps the ids of already-stored nodes that the batch's edges refer to
    onto their kinds (ids missing from it and from the batch are unknown endpoints).
    """
    problems: list[Problem] = []
    kinds: dict[str, NodeKind] = dict(stored_kinds)
    seen_nodes: set[str] = set()
    for node in batch.nodes:
        problems.extend(_node_problems(node))
        if node.id in seen_nodes:
            problems.append(Problem(node.id, "id", "appears twice in the batch"))
        seen_nodes.add(node.id)
        kinds[node.id] = node.kind
    seen_edges: set[str] = set()
    for edge in batch.edges:
        problems.extend(_edge_problems(edge, kinds))
        if edge.id in seen_edges:
            problems.append(Problem(edge.id, "id", "appears twice in the batch"))
        seen_edges.add(edge.id)
    if problems:
        raise InvalidRecord(problems)


def _text_problems(record: str, name: str, value: object, *, required: bool) -> list[Problem]:
    if value is None or value == "":
        return [Problem(record, name, "is required")] if required else []
    if not isinstance(value, str):
        return [Problem(record, name, f"must be text, not {type(value).__name__}")]
    if len(value) > MAX_TEXT:
        return [Problem(record, name, f"is {len(value)} characters long; the limit is {MAX_TEXT}")]
    return []


def _date_problem(record: str, name: str, value: object) -> Problem | None:
    if value is None:
        return None
    text = value.text if isinstance(value, PartialDate) else value
    try:
        parsed = PartialDate.parse(text)  # type: ignore[arg-type]
    except ValueError as exc:
        return Problem(record, name, str(exc))
    if isinstance(value, PartialDate) and value != parsed:
        return Problem(record, name, f"{text!r} does not match its own bounds")
    return None


def _node_problems(node: Node) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(node.kind, NodeKind):
        return [Problem(node.id, "kind", f"{node.kind!r} is not a node kind")]
    why = validate_node_id(node.id, node.kind)
    if why:
        problems.append(Problem(node.id, "id", why))
    problems += _text_problems(node.id, "name", node.name, required=True)
    for i, alias in enumerate(node.aliases):
        problems += _text_problems(node.id, f"aliases[{i}]", alias, required=True)
    for i, source in enumerate(node.sources):
        problems += _text_problems(node.id, f"sources[{i}]", source, required=True)
    allowed = NODE_PROPERTIES[node.kind]
    for key, value in node.props.items():
        if key not in allowed:
            problems.append(
                Problem(
                    node.id,
                    key,
                    f"is not a property of {node.kind.value} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                )
            )
        elif key in DATE_PROPERTIES:
            problem = _date_problem(node.id, key, value)
            if problem:
                problems.append(problem)
        elif isinstance(value, str):
            problems += _text_problems(node.id, key, value, required=False)
    return problems


def _edge_problems(edge: Edge, kinds: Mapping[str, NodeKind]) -> list[Problem]:
    problems: list[Problem] = []
    spec = RELATIONSHIP_TYPES.get(edge.type)
    if spec is None:
        return [Problem(edge.id, "type", f"{edge.type!r} is not an allowed relationship type")]
    src_kind, dst_kind = kinds.get(edge.src), kinds.get(edge.dst)
    if src_kind is None:
        problems.append(Problem(edge.id, "from", f"unknown node {edge.src!r}"))
    if dst_kind is None:
        problems.append(Problem(edge.id, "to", f"unknown node {edge.dst!r}"))
    if src_kind and dst_kind and not spec.allows(src_kind, dst_kind):
        problems.append(
            Problem(
                edge.id,
                "type",
                f"{edge.type} may not run from a {src_kind.value} to a {dst_kind.value}",
            )
        )
    if not isinstance(edge.certainty, Certainty):
        problems.append(Problem(edge.id, "certainty", f"{edge.certainty!r} is not a certainty"))
    problems += _text_problems(edge.id, "source", edge.source, required=True)
    problems += _text_problems(edge.id, "evidence", edge.evidence, required=True)
    problems += _text_problems(edge.id, "note", edge.note, required=False)
    for name, value in (("since", edge.since), ("until", edge.until)):
        problem = _date_problem(edge.id, name, value)
        if problem:
            problems.append(problem)
    if (
        isinstance(edge.since, PartialDate)
        and isinstance(edge.until, PartialDate)
        and edge.since.lo > edge.until.hi
    ):
        problems.append(Problem(edge.id, "until", f"{edge.until} is before since {edge.since}"))
    for key, value in edge.props.items():
        if key not in spec.properties:
            problems.append(
                Problem(
                    edge.id,
                    key,
                    f"is not a property of {edge.type} "
                    f"(allowed: {', '.join(sorted(spec.properties)) or 'none'})",
                )
            )
        elif isinstance(value, str):
            problems += _text_problems(edge.id, key, value, required=False)
    return problems


def diff_batch(
    batch: Batch, stored_nodes: Mapping[str, Node], stored_edges: Mapping[str, Edge]
) -> tuple[list[Change], int, int]:
    """The changes `batch` makes to the stored records, and how many records stay unchanged.

    Returns (changes, unchanged_nodes, unchanged_edges). A record whose content equals the
    stored one is unchanged even if its provenance differs: loading a file twice writes nothing.
    """
    changes: list[Change] = []
    unchanged_nodes = unchanged_edges = 0
    for node in batch.nodes:
        old = stored_nodes.get(node.id)
        if old is None:
            changes.append(Change("create", "node", node.id))
            continue
        fields = _changed_fields(old.content(), node.content())
        if fields:
            changes.append(Change("update", "node", node.id, fields))
        else:
            unchanged_nodes += 1
    for edge in batch.edges:
        old_edge = stored_edges.get(edge.id)
        if old_edge is None:
            changes.append(Change("create", "edge", edge.id))
            continue
        fields = _changed_fields(old_edge.content(), edge.content())
        if fields:
            changes.append(Change("update", "edge", edge.id, fields))
        else:
            unchanged_edges += 1
    for edge_id in batch.delete_edges:
        if edge_id in stored_edges:
            changes.append(Change("delete", "edge", edge_id))
    return changes, unchanged_nodes, unchanged_edges


def _changed_fields(old: Mapping[str, object], new: Mapping[str, object]) -> tuple[str, ...]:
    keys = sorted(set(old) | set(new))
    return tuple(k for k in keys if old.get(k) != new.get(k))
