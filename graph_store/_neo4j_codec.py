"""Records to Neo4j property maps and back, for the Neo4j backend.

Kept apart from the queries so that the stored layout (which property holds what) is defined in
one place: writes build maps with `node_props` / `edge_props`, reads rebuild frozen records with
`node_from` / `edge_from`, and only allow-listed property names are ever read back as props.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph_store.errors import InvalidRecord, Problem
from graph_store.model import NODE_PROPERTIES, RELATIONSHIP_TYPES, Certainty, NodeKind, PartialDate
from graph_store.ranking import search_text
from graph_store.records import Edge, EdgeFilter, Node, PropValue, Provenance

__all__ = [
    "PROV_KEYS",
    "edge_from",
    "edge_props",
    "filter_params",
    "node_from",
    "node_props",
    "provenance_table",
    "raise_problems",
]

_INT64 = (-(2**63), 2**63 - 1)
PROV_KEYS = ("prov_batch", "prov_origin", "prov_loaded_at")
"""The properties that hold a record's provenance, in `Provenance` field order."""


def _encode(record: str, name: str, value: PropValue, problems: list[Problem]) -> object:
    """A property value as Neo4j stores it; tuples become lists (read back as tuples)."""
    if isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            problems.append(Problem(record, name, "is too large for a 64-bit integer"))
        return value
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return list(value)
    problems.append(Problem(record, name, "must be text, a number, true/false or a list of text"))
    return None


def _decode(value: object) -> PropValue:
    if isinstance(value, list):
        return tuple(value)
    return value  # type: ignore[return-value]


def node_props(node: Node, problems: list[Problem]) -> dict[str, object]:
    """The full property map of a stored node (provenance is added separately, shared)."""
    props: dict[str, object] = {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "aliases": list(node.aliases),
        "sources": list(node.sources),
        # The full-text index reads this normalised form, so accents and case never matter.
        "search_text": search_text(node),
    }
    for key, value in node.props.items():
        if value is not None:
            props[key] = _encode(node.id, key, value, problems)
    when = node.props.get("date")
    if isinstance(when, str):
        bounds = PartialDate.parse(when)
        props["date_lo"], props["date_hi"] = bounds.lo, bounds.hi
    return props


def edge_props(edge: Edge, problems: list[Problem]) -> dict[str, object]:
    """The full property map of a stored relationship, with the bounds the filters compare."""
    props: dict[str, object] = {
        "id": edge.id,
        "certainty": edge.certainty.value,
        "certainty_rank": edge.certainty.rank,
        "source": edge.source,
        "evidence": edge.evidence,
    }
    if edge.since is not None:
        props["since"], props["since_lo"] = edge.since.text, edge.since.lo
    if edge.until is not None:
        props["until"], props["until_hi"] = edge.until.text, edge.until.hi
    if edge.note is not None:
        props["note"] = edge.note
    for key, value in edge.props.items():
        if value is not None:
            props[key] = _encode(edge.id, key, value, problems)
    return props


def provenance_table(
    records: Iterable[Node | Edge],
) -> tuple[list[dict[str, str]], dict[Provenance | None, int]]:
    """Distinct provenances of one statement's rows as property maps, and each one's index.

    Rows point into the table by index, so a provenance shared by many rows (a mutation, a
    synthetic load) crosses the wire once per statement. Loaded files give each record its own
    origin (file and line): callers build the table per chunk, never per batch, or it would
    be as long as the batch and resent with every chunk.
    """
    table: list[dict[str, str]] = [{}]
    index: dict[Provenance | None, int] = {None: 0}
    for record in records:
        prov = record.provenance
        if prov not in index:
            index[prov] = len(table)
            assert prov is not None
            values = (prov.batch_id, prov.origin, prov.loaded_at)
            table.append(dict(zip(PROV_KEYS, values, strict=True)))
    return table, index


def _provenance(props: Mapping[str, Any]) -> Provenance | None:
    values = [props.get(k) for k in PROV_KEYS]
    if any(v is None for v in values):
        return None
    return Provenance(*values)


def node_from(props: Mapping[str, Any]) -> Node:
    """A frozen Node from a stored property map; internal properties are left behind."""
    kind = NodeKind(props["kind"])
    return Node(
        id=props["id"],
        kind=kind,
        name=props["name"],
        aliases=tuple(props.get("aliases") or ()),
        sources=tuple(props.get("sources") or ()),
        props={k: _decode(props[k]) for k in sorted(NODE_PROPERTIES[kind]) if k in props},
        provenance=_provenance(props),
    )


def edge_from(row: Mapping[str, Any]) -> Edge:
    """A frozen Edge from `{p: properties, type, src, dst}` as the queries return it."""
    props = row["p"]
    rel_type = row["type"]
    spec = RELATIONSHIP_TYPES.get(rel_type)
    allowed = sorted(spec.properties) if spec is not None else ()
    since, until = props.get("since"), props.get("until")
    return Edge(
        id=props["id"],
        type=rel_type,
        src=row["src"],
        dst=row["dst"],
        certainty=Certainty(props["certainty"]),
        source=props["source"],
        evidence=props["evidence"],
        since=PartialDate.parse(since) if since is not None else None,
        until=PartialDate.parse(until) if until is not None else None,
        note=props.get("note"),
        props={k: _decode(props[k]) for k in allowed if k in props},
        provenance=_provenance(props),
    )


def filter_params(flt: EdgeFilter) -> dict[str, object]:
    """The `$types`, `$min_rank`, `$as_of_lo`, `$as_of_hi` parameters of the accept predicate."""
    return {
        "types": sorted(flt.types) if flt.types is not None else None,
        "min_rank": flt.min_certainty.rank if flt.min_certainty is not None else 0,
        "as_of_lo": flt.as_of.lo if flt.as_of is not None else None,
        "as_of_hi": flt.as_of.hi if flt.as_of is not None else None,
    }


def raise_problems(problems: list[Problem]) -> None:
    """Reject the batch if encoding found values Neo4j cannot store."""
    if problems:
        raise InvalidRecord(problems)
