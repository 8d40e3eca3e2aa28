"""The ICN graph model: node kinds, the relationship allow-list, certainty and partial dates.

This module is the single source of truth for what may be stored. Both backends, the loader and
the GraphQL schema read it, so a label or relationship type that is not listed here can never reach
a query string (labels and types are interpolated into Cypher only after a check against these
tables).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

__all__ = [
    "CERTAINTY_RANK",
    "NODE_PROPERTIES",
    "RELATIONSHIP_TYPES",
    "SHARED_LABEL",
    "Certainty",
    "NodeKind",
    "PartialDate",
    "RelationshipSpec",
    "edge_id",
    "kind_of_id",
    "normalise_text",
    "validate_node_id",
]

SHARED_LABEL = "Entity"
"""The label every node carries besides its kind, so lookups by id use one index."""


class NodeKind(enum.StrEnum):
    """The kinds of node; each is also the node's Neo4j label."""

    NETWORK = "Network"
    CLUSTER = "Cluster"
    ORGANISATION = "Organisation"
    PERSON = "Person"
    PROJECT = "Project"
    PROGRAMME = "Programme"
    AGREEMENT = "Agreement"
    EVENT = "Event"
    DOCUMENT = "Document"

    @property
    def prefix(self) -> str:
        """The id prefix of this kind (`cluster` in `cluster/oreec`)."""
        return self.value.lower()


class Certainty(enum.StrEnum):
    """How sure the sources are of a relationship, most certain first."""

    STATED = "stated"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"
    PLANNED = "planned"

    @property
    def rank(self) -> int:
        """Higher is more certain; `min_certainty` filters keep ranks >= the given one."""
        return CERTAINTY_RANK[self]


CERTAINTY_RANK: Mapping[Certainty, int] = {
    Certainty.STATED: 4,
    Certainty.INFERRED: 3,
    Certainty.UNCERTAIN: 2,
    Certainty.PLANNED: 1,
}

_COMMON_NODE_PROPERTIES = frozenset({"description"})
_PLACE = frozenset({"city", "region", "country"})

NODE_PROPERTIES: Mapping[NodeKind, frozenset[str]] = {
    NodeKind.NETWORK: _COMMON_NODE_PROPERTIES | {"founded", "url"},
    NodeKind.CLUSTER: _COMMON_NODE_PROPERTIES | _PLACE | {"sector", "founded", "url"},
    NodeKind.ORGANISATION: _COMMON_NODE_PROPERTIES | _PLACE | {"sector", "category", "url"},
    NodeKind.PERSON: _COMMON_NODE_PROPERTIES | {"title", "country", "email"},
    NodeKind.PROJECT: _COMMON_NODE_PROPERTIES
    | {"category", "start", "end", "status", "amount", "currency", "url"},
    NodeKind.PROGRAMME: _COMMON_NODE_PROPERTIES | {"category", "url"},
    NodeKind.AGREEMENT: _COMMON_NODE_PROPERTIES | {"category", "date", "purpose", "status"},
    NodeKind.EVENT: _COMMON_NODE_PROPERTIES
    | _PLACE
    | {"category", "date", "end_date", "status", "ordinal"},
    NodeKind.DOCUMENT: _COMMON_NODE_PROPERTIES | {"category", "date", "url", "file"},
}
"""Kind-specific properties besides the common id, kind, name, aliases and sources."""

DATE_PROPERTIES = frozenset({"founded", "start", "end", "date", "end_date"})
"""Node properties that hold partial ISO dates and are validated as such."""

_ALL = frozenset(NodeKind)
_ACTORS = frozenset({NodeKind.NETWORK, NodeKind.CLUSTER, NodeKind.ORGANISATION})
_PARTIES = _ACTORS | {NodeKind.PERSON}
_SUCCESSIONS = frozenset(
    {NodeKind.NETWORK, NodeKind.CLUSTER, NodeKind.ORGANISATION, NodeKind.PROJECT, NodeKind.EVENT}
)


@dataclass(frozen=True, slots=True)
class RelationshipSpec:
    """What one relationship type may connect, and which properties it may carry."""

    sources: frozenset[NodeKind]
    targets: frozenset[NodeKind]
    properties: frozenset[str]
    description: str

    def allows(self, source: NodeKind, target: NodeKind) -> bool:
        """Whether a relationship of this type may run from `source` to `target`."""
        return source in self.sources and target in self.targets


def _spec(
    sources: frozenset[NodeKind] | set[NodeKind],
    targets: frozenset[NodeKind] | set[NodeKind],
    description: str,
    *properties: str,
) -> RelationshipSpec:
    return RelationshipSpec(
        frozenset(sources), frozenset(targets), frozenset(properties), description
    )


K = NodeKind
RELATIONSHIP_TYPES: Mapping[str, RelationshipSpec] = {
    "MEMBER_OF": _spec(
        {K.CLUSTER, K.ORGANISATION, K.PERSON},
        _ACTORS,
        "is (or was) a member of",
        "role",
    ),
    "JOINED": _spec(
        _ACTORS | {K.PERSON}, {K.NETWORK, K.CLUSTER, K.ORGANISATION, K.PROJECT}, "joined", "role"
    ),
    "FOUNDED": _spec(_PARTIES, _ACTORS | {K.PROJECT, K.PROGRAMME}, "founded or launched", "role"),
    "WORKS_FOR": _spec({K.PERSON}, _ACTORS, "works (or worked) for", "role"),
    "HOLDS_POSITION": _spec(
        {K.PERSON}, _ACTORS | {K.PROJECT, K.EVENT}, "holds a position in", "role"
    ),
    "AFFILIATED_WITH": _spec(_PARTIES, _ACTORS | {K.PROJECT}, "is affiliated with", "role"),
    "KNOWS": _spec({K.PERSON}, {K.PERSON}, "knows", "context"),
    "SIGNED": _spec(_PARTIES, {K.AGREEMENT}, "signed", "role"),
    "SIGNED_AT": _spec({K.AGREEMENT}, {K.EVENT}, "was signed at", "role"),
    "CONCERNS": _spec(
        {K.AGREEMENT, K.PROJECT, K.EVENT},
        _ALL - {K.DOCUMENT},
        "concerns",
        "role",
    ),
    "PARTNER_IN": _spec(_PARTIES, {K.PROJECT}, "is a partner in", "role", "amount", "currency"),
    "COLLABORATED_WITH": _spec(_PARTIES, _PARTIES, "collaborated with", "purpose", "role"),
    "FUNDED_BY": _spec(
        {K.PROJECT, K.EVENT, K.ORGANISATION, K.CLUSTER},
        _ACTORS | {K.PROGRAMME},
        "is funded by",
        "amount",
        "currency",
        "role",
    ),
    "APPLIED_FOR_FUNDING": _spec(
        _ACTORS | {K.PROJECT},
        _ACTORS | {K.PROGRAMME},
        "applied for funding from",
        "amount",
        "currency",
        "status",
        "role",
    ),
    "UNDER_PROGRAMME": _spec({K.PROJECT}, {K.PROGRAMME}, "runs under the programme", "role"),
    "HOSTED": _spec(_PARTIES, {K.EVENT}, "hosted", "role"),
    "ORGANISED": _spec(_PARTIES, {K.EVENT, K.PROJECT}, "organised", "role"),
    "ATTENDED": _spec(_PARTIES, {K.EVENT}, "attended", "role"),
    "HELD_IN_CONNECTION_WITH": _spec({K.EVENT}, {K.EVENT}, "was held in connection with", "role"),
    "PART_OF": _spec(
        {K.EVENT, K.PROJECT, K.PROGRAMME, K.ORGANISATION, K.CLUSTER},
        {K.EVENT, K.PROJECT, K.PROGRAMME, K.ORGANISATION, K.CLUSTER, K.NETWORK},
        "is part of",
        "role",
    ),
    "VISITED": _spec(_PARTIES, _ACTORS | {K.EVENT}, "visited", "purpose", "role"),
    "REQUESTED_PASSPORT": _spec(
        _PARTIES, {K.CLUSTER, K.ORGANISATION}, "requested ICN Passport help from", "purpose"
    ),
    "PUBLISHED": _spec(_PARTIES, {K.DOCUMENT}, "published", "role"),
    "MENTIONS": _spec({K.DOCUMENT}, _ALL, "mentions", "context"),
    "SUCCEEDED_BY": _spec(_SUCCESSIONS, _SUCCESSIONS, "was succeeded by", "context"),
    "POSSIBLY_SAME_AS": _spec(_ALL, _ALL, "is possibly the same as", "context"),
}
"""The allow-list of relationship types: endpoints and properties for each."""
del K

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def kind_of_id(node_id: str) -> NodeKind | None:
    """The kind named by an id's prefix (`cluster/oreec` -> Cluster), or None if malformed."""
    prefix, sep, slug = node_id.partition("/")
    if not sep or not _SLUG.match(slug):
        return None
    for kind in NodeKind:
        if kind.prefix == prefix:
            return kind
    return None


def validate_node_id(node_id: str, kind: NodeKind) -> str | None:
    """Why `node_id` is not a valid id for `kind`, or None when it is."""
    found = kind_of_id(node_id)
    if found is None:
        return f"id {node_id!r} is not of the form kind/slug (lowercase letters, digits, - _ .)"
    if found is not kind:
        return f"id {node_id!r} has prefix {found.prefix!r} but the node is a {kind.value}"
    return None


def edge_id(rel_type: str, source: str, target: str, discriminator: str | None = None) -> str:
    """The stable id of a relationship, derived from its type and endpoints.

    Readable on purpose (`member_of~cluster/oreec~network/icn`), so a log line or an evidence
    report can be understood without a lookup. `discriminator` separates two relationships of
    the same type between the same nodes (e.g. two separate visits).
    """
    base = f"{rel_type.lower()}~{source}~{target}"
    return f"{base}~{discriminator}" if discriminator else base


def normalise_text(text: str) -> str:
    """Lower-case, accent-folded, punctuation-free text: what full-text search matches on.

    Both backends index and query this form, so "Écotech", "ecotech" and "ECOTECH" meet.
    """
    if text.isascii():  # most names: NFKD and the combining marks change nothing, and
        return " ".join(_WORD.findall(text.lower()))  # casefold is lower (5x faster)
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(folded))


_WORD = re.compile(r"[0-9a-z]+")


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_END = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True, order=False)
class PartialDate:
    """An ISO 8601 date that may stop at the year or month (`2011`, `2011-10`, `2011-10-26`).

    A partial date stands for an interval of days: `2011-10` is 2011-10-01 .. 2011-10-31.
    Comparisons go through `lo`/`hi` so that "as of 2011-10-15" includes a relationship
    `since: 2011-10` (it may have started that month) and one `until: 2011` (it may have
    lasted the whole year).
    """

    text: str
    lo: str
    hi: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse and check a partial date; raises ValueError naming what is wrong."""
        match = _PARTIAL_DATE.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = match.groups()
        y = int(year)
        if month is None:
            return cls(year, f"{year}-01-01", f"{year}-12-31")
        m = int(month)
        if not 1 <= m <= 12:
            raise ValueError(f"{text!r} has month {month}, which does not exist")
        if day is None:
            last = _last_day(y, m)
            return cls(f"{year}-{month}", f"{year}-{month}-01", f"{year}-{month}-{last:02d}")
        try:
            date(y, m, int(day))
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the calendar") from None
        full = f"{year}-{month}-{day}"
        return cls(full, full, full)

    def __str__(self) -> str:
        return self.text


def _last_day(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return _MONTH_END[month - 1]
