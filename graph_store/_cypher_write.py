"""Every write statement of the Neo4j backend, as constant text with `$parameters`.

Same rules as `_cypher`: per-kind and per-type statements are generated once at import from the
allow-listed labels and types, and rows travel as parameters (`UNWIND $rows`), thousands per
statement. Provenance is sent once per statement (`$provs`) and referenced by index per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from graph_store._cypher import ENTITY, KINDS, LOAD, META, META_KEY, TYPES
from graph_store._neo4j_codec import PROV_KEYS
from graph_store.model import NODE_PROPERTIES, RELATIONSHIP_TYPES, NodeKind

__all__ = [
    "BUMP_SEQ",
    "CLEAR_EDGES_CHUNK",
    "CLEAR_LEDGER",
    "CLEAR_NODES_CHUNK",
    "CREATE_EDGES",
    "CREATE_NODES",
    "DELETE_EDGES",
    "LEDGER_ADD",
    "LOCK_META",
    "NODE_ELEMENT_IDS",
    "UPDATE_EDGES",
    "UPDATE_NODES",
]

LOCK_META = f"""
MERGE (m:{META} {{key: '{META_KEY}'}}) ON CREATE SET m.seq = 0
SET m.locked = true
REMOVE m.locked
RETURN m.seq AS seq
"""
"""Taken first by every write transaction: concurrent applies queue here instead of racing."""

BUMP_SEQ = f"MATCH (m:{META} {{key: '{META_KEY}'}}) SET m.seq = m.seq + 1 RETURN m.seq AS seq"

_PROPERTY = re.compile(r"^[a-z][a-z0-9_]*$")
_NODE_FIXED = ("id", "kind", "name", "aliases", "sources", "search_text", "date_lo", "date_hi")
_EDGE_FIXED = (
    *("id", "certainty", "certainty_rank", "source", "evidence"),
    *("since", "since_lo", "until", "until_hi", "note"),
)


def _columns(fixed: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys((*fixed, *sorted(allowed))))
    bad = [n for n in names if not _PROPERTY.match(n)]
    if bad:
        raise ValueError(f"{bad} cannot be used as Cypher property names")
    return names


NODE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    k.value: _columns(_NODE_FIXED, NODE_PROPERTIES[k]) for k in NodeKind
}
"""Every property a node of each kind may store (codec.node_props), in row order."""
EDGE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    t: _columns(_EDGE_FIXED, spec.properties) for t, spec in RELATIONSHIP_TYPES.items()
}
"""Every property a relationship of each type may store (codec.edge_props), in row order."""


def _inline(columns: tuple[str, ...], first: int) -> str:
    return ", ".join(f"`{name}`: row[{i}]" for i, name in enumerate(columns, first))


def _inline_provenance(slot: int) -> str:
    """The provenance properties of a creating pattern, read from the table row `slot` names."""
    return ", ".join(f"`{name}`: $provs[row[{slot}]].`{name}`" for name in PROV_KEYS)


CREATE_NODES: Mapping[str, str] = {
    k: f"""
UNWIND $rows AS row
CREATE (n:{ENTITY}:{k} {{{_inline(NODE_COLUMNS[k], 1)}, {_inline_provenance(0)}}})
RETURN collect([n.id, elementId(n)]) AS created
"""
    for k in KINDS
}
"""Rows are lists, `[provenance index, *values in NODE_COLUMNS order]` (None: not stored):
a list decodes in half the time of a map with its keys. Every property, provenance included,
is in the creating pattern: a separate `SET n += ...` was a second write of each record, 18% of
a bulk create's time on the server. Returns each new node's element id, by which
`CREATE_EDGES` finds it again, in one list (a record per node added 3 to 4 s per 100,000 nodes)."""

UPDATE_NODES = f"""
UNWIND $rows AS row
MATCH (n:{ENTITY} {{id: row.p.id}})
SET n = row.p, n += $provs[row.v]
RETURN count(n) AS n
"""

NODE_ELEMENT_IDS = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN collect([n.id, elementId(n)]) AS element_ids
"""
"""The element ids of stored nodes, for relationships created between them."""

CREATE_EDGES: Mapping[str, str] = {
    t: f"""
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:{t} {{{_inline(EDGE_COLUMNS[t], 3)}, {_inline_provenance(2)}}}]->(b)
RETURN count(r) AS n
"""
    for t in TYPES
}
"""Rows are `[src element id, dst element id, provenance index, *values in EDGE_COLUMNS order]`.

The ends are found by element id (read in the same transaction), not by the `id` property: a
seek in the uniqueness index takes a lock per row and was a quarter of a bulk create's time."""

UPDATE_EDGES: Mapping[str, str] = {
    t: f"""
UNWIND $rows AS row
MATCH ()-[r:{t} {{id: row.p.id}}]->()
SET r = row.p, r += $provs[row.v]
RETURN count(r) AS n
"""
    for t in TYPES
}

DELETE_EDGES: Mapping[str, str] = {
    t: f"""
UNWIND $ids AS id
MATCH ()-[r:{t} {{id: id}}]->()
DELETE r
RETURN count(*) AS n
"""
    for t in TYPES
}

LEDGER_ADD = f"""
UNWIND $deltas AS d
MERGE (l:{LOAD} {{loaded_at: d.at}}) ON CREATE SET l.records = 0
SET l.records = l.records + d.n
WITH l WHERE l.records <= 0
DELETE l
"""
"""Records per provenance.loaded_at: the latest time with records left is last_loaded_at."""

CLEAR_EDGES_CHUNK = f"""
MATCH (:{ENTITY})-[r]->(:{ENTITY})
WITH r LIMIT $chunk
DELETE r
RETURN count(*) AS n
"""
"""Relationships go first, in bounded transactions, so a hub node never makes one huge delete."""

CLEAR_NODES_CHUNK = f"""
MATCH (n:{ENTITY})
WITH n LIMIT $chunk
DETACH DELETE n
RETURN count(*) AS n
"""

CLEAR_LEDGER = f"MATCH (l:{LOAD}) DELETE l"
