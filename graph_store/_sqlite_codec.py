"""Rows of the embedded store <-> records: the only place that knows the column layout.

Props are JSON text; JSON has no tuples, so arrays come back as tuples (the only sequence a
record may hold). Dates are stored as given (`2011-10`) plus day numbers for filtering.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

from graph_store._edge_mask import NO_SINCE, NO_UNTIL, day_number
from graph_store.model import Certainty, NodeKind, PartialDate
from graph_store.records import Edge, Node, PropValue, Provenance

__all__ = [
    "EDGE_COLUMNS",
    "EDGE_FROM",
    "NODE_COLUMNS",
    "EdgeValues",
    "NodeValues",
    "edge_content",
    "edge_from_row",
    "edge_values",
    "labels_from",
    "node_content",
    "node_from_row",
    "node_values",
    "parse_date",
    "prop_of",
]

NODE_COLUMNS = (
    "n.id, n.kind, n.name, n.aliases, n.sources, n.props, n.batch_id, n.origin, n.loaded_at"
)
"""What `node_from_row` reads, from `nodes n`."""

EDGE_COLUMNS = (
    "e.id, e.type, s.id, d.id, e.certainty, e.source, e.evidence, e.since, e.until, e.note, "
    "e.props, e.batch_id, e.origin, e.loaded_at"
)
"""What `edge_from_row` reads, from EDGE_FROM."""

EDGE_FROM = "edges e JOIN nodes s ON s.nid = e.src JOIN nodes d ON d.nid = e.dst"

NodeValues = tuple[object, ...]
"""(kind, name, aliases, sources, props, date_lo, date_hi, batch_id, origin, loaded_at)."""

EdgeValues = tuple[object, ...]
"""(type, src, dst, certainty, cert_rank, source, evidence, since, until, since_lo, until_hi,
note, props, batch_id, origin, loaded_at)."""

_CERTAINTY = {c.value: c for c in Certainty}
_CERTAINTY_COLUMNS = {c: (c.value, c.rank) for c in Certainty}
_NO_PROVENANCE = (None, None, None)
_KIND = {k.value: k for k in NodeKind}


@lru_cache(maxsize=8192)
def parse_date(text: str) -> PartialDate:
    """PartialDate.parse, cached: a million relationships share a few thousand dates."""
    return PartialDate.parse(text)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _props_json(props: Mapping[str, PropValue]) -> str:
    if not props:
        return "{}"
    clean = {
        k: list(v) if isinstance(v, tuple) else v for k, v in sorted(props.items()) if v is not None
    }
    return _json(clean)


def _props(text: str) -> dict[str, PropValue]:
    if text == "{}":
        return {}
    return {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(text).items()}


def _strings(values: tuple[str, ...]) -> str:
    return _json(list(values)) if values else "[]"


def _provenance(p: Provenance | None) -> tuple[str | None, str | None, str | None]:
    return (p.batch_id, p.origin, p.loaded_at) if p is not None else (None, None, None)


def node_values(node: Node) -> NodeValues:
    """The stored columns of a node (everything but nid and id)."""
    when = node.props.get("date")
    lo = hi = None
    if isinstance(when, str):
        try:
            parsed = parse_date(when)
        except ValueError:
            pass
        else:
            lo, hi = parsed.lo, parsed.hi
    return (
        node.kind.value,
        node.name,
        _strings(node.aliases),
        _strings(node.sources),
        _props_json(node.props),
        lo,
        hi,
        *_provenance(node.provenance),
    )


def node_content(node: Node) -> tuple[object, ...]:
    """The content columns a stored node row holds at NODE_COLUMNS[1:6] (kind .. props).

    Equal tuples mean equal `Node.content()`, so a re-load can skip decoding unchanged rows.
    """
    return (
        node.kind.value,
        node.name,
        _strings(node.aliases),
        _strings(node.sources),
        _props_json(node.props),
    )


def prop_of(props: str, key: str, default: PropValue) -> PropValue:
    """One property of a `props` column, decoded as `node_from_row` decodes it."""
    return _props(props).get(key, default)


def labels_from(name: str, aliases: str) -> tuple[str, ...]:
    """A node's name and aliases (name first) from its `name` and `aliases` columns."""
    return (name, *_strings_from(aliases))


def _strings_from(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text != "[]" else ()


def node_from_row(row: tuple) -> Node:
    """A fresh Node from NODE_COLUMNS."""
    node_id, kind, name, aliases, sources, props, batch_id, origin, loaded_at = row
    return Node(
        id=node_id,
        kind=_KIND[kind],
        name=name,
        aliases=_strings_from(aliases),
        sources=_strings_from(sources),
        props=_props(props),
        provenance=Provenance(batch_id, origin, loaded_at) if batch_id is not None else None,
    )


def edge_values(edge: Edge, src: int, dst: int) -> EdgeValues:
    """The stored columns of a relationship (everything but eid and id), endpoints as nids.

    Called a million times by a big load: lookups are cached and enum properties avoided.
    """
    since, until, prov = edge.since, edge.until, edge.provenance
    certainty, rank = _CERTAINTY_COLUMNS[edge.certainty]
    return (
        edge.type,
        src,
        dst,
        certainty,
        rank,
        edge.source,
        edge.evidence,
        since.text if since is not None else None,
        until.text if until is not None else None,
        _lo_day(since.text) if since is not None else NO_SINCE,
        _hi_day(until.text) if until is not None else NO_UNTIL,
        edge.note,
        _props_json(edge.props) if edge.props else "{}",
        *((prov.batch_id, prov.origin, prov.loaded_at) if prov is not None else _NO_PROVENANCE),
    )


@lru_cache(maxsize=8192)
def _lo_day(text: str) -> int:
    return day_number(parse_date(text).lo)


@lru_cache(maxsize=8192)
def _hi_day(text: str) -> int:
    return day_number(parse_date(text).hi)


def edge_content(edge: Edge) -> tuple[object, ...]:
    """The content columns a stored row holds at EDGE_COLUMNS[1:11] (type .. props)."""
    since, until = edge.since, edge.until
    return (
        edge.type,
        edge.src,
        edge.dst,
        _CERTAINTY_COLUMNS[edge.certainty][0],
        edge.source,
        edge.evidence,
        since.text if since is not None else None,
        until.text if until is not None else None,
        edge.note,
        _props_json(edge.props) if edge.props else "{}",
    )


def edge_from_row(row: tuple) -> Edge:
    """A fresh Edge from EDGE_COLUMNS."""
    (edge_id, rel_type, src, dst, certainty, source, evidence, since, until, note, props,
     batch_id, origin, loaded_at) = row  # fmt: skip
    return Edge(
        id=edge_id,
        type=rel_type,
        src=src,
        dst=dst,
        certainty=_CERTAINTY[certainty],
        source=source,
        evidence=evidence,
        since=parse_date(since) if since is not None else None,
        until=parse_date(until) if until is not None else None,
        note=note,
        props=_props(props),
        provenance=Provenance(batch_id, origin, loaded_at) if batch_id is not None else None,
    )
