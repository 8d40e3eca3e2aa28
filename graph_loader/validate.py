"""Check every record of the input at once: shape, ids, duplicates, endpoints and their kinds.

Problems are recorded on each file (with the record's line, and the field's line or column
where the format tells) so that the CLI can print all of them, sorted, in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from graph_loader.explain import explain_all
from graph_loader.models import (
    NODE_LIST,
    NODE_ONE,
    RELATIONSHIP_LIST,
    RELATIONSHIP_ONE,
    record_edge_id,
    to_edge,
    to_node,
)
from graph_loader.raw import NO_RECORD, ParsedFile, RecordSet
from graph_store import (
    RELATIONSHIP_TYPES,
    Certainty,
    Edge,
    GraphStore,
    Node,
    NodeKind,
    Provenance,
    kind_of_id,
)

__all__ = ["CHUNK", "Checked", "Stamp", "check_records"]

CHUNK = 50_000
"""Records validated per pydantic call: large enough to be fast, small enough for progress."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """The provenance of one load: a batch id and time shared by all records, plus the origin."""

    batch_id: str
    loaded_at: str


@dataclass(slots=True)
class Checked:
    """The valid records of the input, and where each relationship came from."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    edge_where: list[tuple[ParsedFile, int]] = field(default_factory=list)


async def check_records(
    files: Sequence[ParsedFile],
    store: GraphStore,
    stamp: Stamp,
    *,
    whole: bool = True,
    advance: Callable[[int], None] | None = None,
) -> Checked:
    """Validate every record and build the batch; problems are recorded on the files.

    `whole` is False when a file could not be read entirely: then endpoints missing from the
    input are not reported, since the unread record may well be the one they name.
    """
    checker = _Checker(stamp, advance)
    for pf in files:
        checker.nodes(pf)
    for pf in files:
        checker.edges(pf)
    if whole:
        await checker.stored_endpoints(store)
    return checker.checked


def _validated(
    records: RecordSet,
    many: TypeAdapter[list[dict[str, Any]]],
    one: TypeAdapter[dict[str, Any]],
    pf: ParsedFile,
    *,
    is_node: bool,
    advance: Callable[[int], None] | None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, validated record) of every valid record; problems of the others are recorded."""
    failed = records.failed
    todo = [i for i in range(len(records)) if i not in failed] if failed else range(len(records))
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        data = [records.data[i] for i in chunk] if failed else records.data[start : start + CHUNK]
        try:
            yield from zip(chunk, many.validate_python(data), strict=True)
        except ValidationError:
            # The slow path, only for a chunk with a bad record: sort the good from the bad.
            for i in chunk:
                try:
                    yield i, one.validate_python(records.data[i])
                except ValidationError as exc:
                    _report(exc, records, i, pf, is_node=is_node)
        if advance:
            advance(len(chunk))


def _report(
    exc: ValidationError, records: RecordSet, i: int, pf: ParsedFile, *, is_node: bool
) -> None:
    data = records.data[i]
    record = _label(data, is_node=is_node)
    for name, message in explain_all(exc.errors(include_url=False), data, is_node=is_node):
        pf.problem(records.pos(i, name.split("[")[0]), record, name, message)


def _label(data: dict[str, Any], *, is_node: bool) -> str:
    """The best id to name a raw record by in a problem line."""
    given = data.get("id")
    if isinstance(given, str) and given:
        return given
    if not is_node and all(isinstance(data.get(k), str) for k in ("type", "from", "to")):
        key = data.get("key")
        return record_edge_id({**data, "key": key if isinstance(key, str) else None})
    return NO_RECORD


class _Checker:
    """The state of one check: ids seen so far, node kinds, edges waiting for the store."""

    def __init__(self, stamp: Stamp, advance: Callable[[int], None] | None) -> None:
        self.stamp = stamp
        self.advance = advance
        self.checked = Checked()
        self.kinds: dict[str, NodeKind] = {}
        self.node_origin: dict[str, str] = {}
        self.edge_origin: dict[str, str] = {}
        self.bad_ids: set[str] = set()
        """Ids of rejected node records: still "in the input", so relationships to them are
        not reported a second time as unknown endpoints."""
        self.deferred: list[tuple[Edge, ParsedFile, int]] = []
        """Edges with an endpoint that is not in the input: checked against the store."""

    def nodes(self, pf: ParsedFile) -> None:
        """Validate and build the nodes of one file."""
        records = pf.nodes
        valid: set[int] = set()
        for i, record in _validated(
            records, NODE_LIST, NODE_ONE, pf, is_node=True, advance=self.advance
        ):
            node_id = record["id"]
            kind = kind_of_id(node_id)
            if kind is None or kind.value != record["kind"]:
                pf.problem(records.pos(i, "id"), node_id, "id", _id_problem(node_id, kind, record))
                continue
            origin = f"{pf.display}:{records.lines[i]}"
            first = self.node_origin.get(node_id)
            if first is not None:
                message = f"is defined twice (also at {first})"
                pf.problem(records.pos(i, "id"), node_id, "id", message)
                continue
            self.node_origin[node_id] = origin
            self.kinds[node_id] = kind
            prov = Provenance(self.stamp.batch_id, origin, self.stamp.loaded_at)
            self.checked.nodes.append(to_node(record, prov))
            valid.add(i)
        for i, data in enumerate(records.data):
            if i not in valid and isinstance(data.get("id"), str):
                self.bad_ids.add(data["id"])

    def edges(self, pf: ParsedFile) -> None:
        """Validate and build the relationships of one file (the hot loop of a large load)."""
        records = pf.relationships
        display, lines = pf.display, records.lines
        edges, where = self.checked.edges, self.checked.edge_where
        kinds, seen = self.kinds, self.edge_origin
        batch_id, loaded_at = self.stamp.batch_id, self.stamp.loaded_at
        inferred, uncertain = Certainty.INFERRED, Certainty.UNCERTAIN
        specs = RELATIONSHIP_TYPES
        for i, record in _validated(
            records, RELATIONSHIP_LIST, RELATIONSHIP_ONE, pf, is_node=False, advance=self.advance
        ):
            certainty = record.get("certainty")
            if (certainty is inferred or certainty is uncertain) and "note" not in record:
                message = f"is required when certainty is {certainty}"
                pf.problem(records.pos(i, "certainty"), record_edge_id(record), "note", message)
                continue
            origin = f"{display}:{lines[i]}"
            edge = to_edge(record, Provenance(batch_id, origin, loaded_at))
            first = seen.get(edge.id)
            if first is not None:
                message = f"is defined twice (also at {first}); give one of them a distinct `key`"
                pf.problem(records.pos(i), edge.id, "id", message)
                continue
            seen[edge.id] = origin
            since, until = edge.since, edge.until
            if since is not None and until is not None and since.lo > until.hi:
                message = f"{until} is before since {since}"
                pf.problem(records.pos(i, "until"), edge.id, "until", message)
                continue
            src, dst = kinds.get(edge.src), kinds.get(edge.dst)
            if src is None or dst is None:
                self.deferred.append((edge, pf, i))
                continue
            if not specs[edge.type].allows(src, dst):
                _wrong_kinds(edge, src, dst, pf, i)
                continue
            edges.append(edge)
            where.append((pf, i))

    async def stored_endpoints(self, store: GraphStore) -> None:
        """Look up (in one call) the endpoints missing from the input, and check them."""
        missing = {end for edge, _, _ in self.deferred for end in (edge.src, edge.dst)}
        missing -= self.kinds.keys() | self.bad_ids
        stored = await store.get_nodes(sorted(missing)) if missing else {}
        kinds = {**self.kinds, **{node_id: node.kind for node_id, node in stored.items()}}
        for edge, pf, i in self.deferred:
            src, dst = kinds.get(edge.src), kinds.get(edge.dst)
            for end, name in ((edge.src, "from"), (edge.dst, "to")):
                if end not in kinds and end not in self.bad_ids:
                    pf.problem(
                        pf.relationships.pos(i, name),
                        edge.id,
                        name,
                        f"unknown node {end!r}: it is neither in the input nor in the store",
                    )
            if src is not None and dst is not None:
                if RELATIONSHIP_TYPES[edge.type].allows(src, dst):
                    self.checked.edges.append(edge)
                    self.checked.edge_where.append((pf, i))
                else:
                    _wrong_kinds(edge, src, dst, pf, i)


def _id_problem(node_id: str, kind: NodeKind | None, record: dict[str, Any]) -> str:
    if kind is None:
        return f"{node_id!r} is not of the form kind/slug (lower-case letters, digits, - _ .)"
    return f"has the prefix {kind.prefix!r} but the node is a {record['kind']}"


def _wrong_kinds(edge: Edge, src: NodeKind, dst: NodeKind, pf: ParsedFile, i: int) -> None:
    spec = RELATIONSHIP_TYPES[edge.type]
    sources = ", ".join(sorted(k.value for k in spec.sources))
    targets = ", ".join(sorted(k.value for k in spec.targets))
    pf.problem(
        pf.relationships.pos(i, "type"),
        edge.id,
        "type",
        f"{edge.type} may not run from a {src.value} to a {dst.value} "
        f"(it runs from {sources} to {targets})",
    )
