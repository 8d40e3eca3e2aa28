"""Pydantic schemas of one loader record: a node per kind, a relationship per type.

The schemas are TypedDicts validated by pydantic, one discriminated union each (by `kind`, by
`type`), so that unknown fields are rejected unless they are allow-listed properties of that
kind or type. A file is validated with one TypeAdapter call on its list of records, and the
validated dicts become graph_store records directly: on the million-record synthetic load this
costs about a third of building a BaseModel per record.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal, NotRequired, Required, Union

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    TypeAdapter,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from graph_store import (
    DATE_PROPERTIES,
    MAX_TEXT,
    NODE_PROPERTIES,
    RELATIONSHIP_TYPES,
    Certainty,
    Edge,
    Node,
    NodeKind,
    PartialDate,
    Provenance,
    edge_id,
)

__all__ = [
    "NODE_FIELDS",
    "NODE_LIST",
    "NODE_ONE",
    "RELATIONSHIP_LIST",
    "RELATIONSHIP_ONE",
    "parse_partial_date",
    "record_edge_id",
    "to_edge",
    "to_node",
]


@lru_cache(maxsize=65_536)
def parse_partial_date(text: str) -> PartialDate:
    """PartialDate.parse, remembered: a large load repeats the same few thousand dates."""
    return PartialDate.parse(text)


def _date_text(value: Any) -> Any:
    """Accept `2011`, `"2011-10"`, a YAML/Python date; return the canonical partial-date text."""
    if isinstance(value, bool):
        return value  # let the str check reject it: True is not a year
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, datetime.datetime):
        raise PydanticCustomError("partial_date", "is a date and time; give only the date")
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    if not isinstance(value, str):
        return value
    try:
        return parse_partial_date(value).text
    except ValueError as exc:
        raise PydanticCustomError("partial_date", str(exc)) from None


_Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=r"\S")]
_DateText = Annotated[str, BeforeValidator(_date_text)]
_NodeProp = Union[_Text, StrictInt, StrictFloat, StrictBool, list[_Text]]  # noqa: UP007
_EdgeProp = Union[_Text, StrictInt, StrictFloat]  # noqa: UP007
_CONFIG = ConfigDict(extra="forbid")

NODE_FIELDS = frozenset({"id", "kind", "name", "aliases", "sources"})
"""Fields every node record has; anything else is a kind-specific property."""


def _node_schema(kind: NodeKind) -> type:
    fields: dict[str, Any] = {
        "id": Required[_Text],
        "kind": Required[Literal[kind.value]],
        "name": Required[_Text],
        "aliases": NotRequired[list[_Text]],
        "sources": NotRequired[list[_Text]],
    }
    for prop in sorted(NODE_PROPERTIES[kind]):
        fields[prop] = NotRequired[_DateText if prop in DATE_PROPERTIES else _NodeProp]
    schema = TypedDict(f"{kind.value}Record", fields, total=False)  # type: ignore[operator]
    schema.__pydantic_config__ = _CONFIG  # type: ignore[attr-defined]
    return schema


def _relationship_schema(rel_type: str, properties: frozenset[str]) -> type:
    fields: dict[str, Any] = {
        "type": Required[Literal[rel_type]],
        "from": Required[_Text],
        "to": Required[_Text],
        "id": NotRequired[_Text],
        "key": NotRequired[_Text],
        "since": NotRequired[_DateText],
        "until": NotRequired[_DateText],
        "certainty": NotRequired[Certainty],
        "source": Required[_Text],
        "evidence": Required[_Text],
        "note": NotRequired[_Text],
    }
    for prop in sorted(properties):
        fields[prop] = NotRequired[_EdgeProp]
    schema = TypedDict(f"{rel_type}Record", fields, total=False)  # type: ignore[operator]
    schema.__pydantic_config__ = _CONFIG  # type: ignore[attr-defined]
    return schema


_NodeRecord = Annotated[
    Union[tuple(_node_schema(kind) for kind in NodeKind)],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="kind"),
]
_RelationshipRecord = Annotated[
    Union[  # type: ignore[valid-type]  # noqa: UP007
        tuple(_relationship_schema(t, s.properties) for t, s in RELATIONSHIP_TYPES.items())
    ],
    Field(discriminator="type"),
]

NODE_LIST: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[_NodeRecord])
"""Validates a whole file's node records in one call (the fast path)."""
NODE_ONE: TypeAdapter[dict[str, Any]] = TypeAdapter(_NodeRecord)
"""Validates one node record (used to sort the good from the bad after a failed bulk call)."""
RELATIONSHIP_LIST: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[_RelationshipRecord])
"""Validates a whole file's relationship records in one call."""
RELATIONSHIP_ONE: TypeAdapter[dict[str, Any]] = TypeAdapter(_RelationshipRecord)
"""Validates one relationship record."""

_KINDS = {kind.value: kind for kind in NodeKind}
_EDGE_PROPS = {rel_type: tuple(spec.properties) for rel_type, spec in RELATIONSHIP_TYPES.items()}


def to_node(record: dict[str, Any], provenance: Provenance) -> Node:
    """The graph_store Node of a validated node record."""
    props = {
        k: (tuple(v) if isinstance(v, list) else v)
        for k, v in record.items()
        if k not in NODE_FIELDS
    }
    return Node(
        id=record["id"],
        kind=_KINDS[record["kind"]],
        name=record["name"],
        aliases=tuple(record.get("aliases", ())),
        sources=tuple(record.get("sources", ())),
        props=props,
        provenance=provenance,
    )


def record_edge_id(record: dict[str, Any]) -> str:
    """A relationship record's id: the given one, else derived from type, ends and `key`."""
    given = record.get("id")
    if given:
        return str(given)
    return edge_id(record["type"], record["from"], record["to"], record.get("key"))


def to_edge(record: dict[str, Any], provenance: Provenance) -> Edge:
    """The graph_store Edge of a validated relationship record."""
    since, until = record.get("since"), record.get("until")
    rel_type = record["type"]
    # Positional, in Edge's field order: keywords cost a third more on a million-record load.
    return Edge(
        record_edge_id(record),
        rel_type,
        record["from"],
        record["to"],
        record.get("certainty", Certainty.STATED),
        record["source"],
        record["evidence"],
        parse_partial_date(since) if since else None,
        parse_partial_date(until) if until else None,
        record.get("note"),
        {k: record[k] for k in _EDGE_PROPS[rel_type] if k in record},
        provenance,
    )
