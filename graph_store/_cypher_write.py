"""Every write statement of the Neo4j backend, as constant text with `$parameters`.

Same rules as `_cypher`: per-kind and per-type statements are generated once at import from the
allow-listed labels and types, and rows travel as parameters (`UNWIND $rows`), thousands per
statement. Provenance is sent once per statement (`$provs`) and referenced by index per row.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph_store._cypher import ENTITY, KINDS, LOAD, META, META_KEY, TYPES

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

CREATE_NODES: Mapping[str, str] = {
    k: f"""
UNWIND $rows AS row
CREATE (n:{ENTITY}:{k})
SET n = row.p, n += $provs[row.v]
RETURN count(n) AS n
"""
    for k in KINDS
}

UPDATE_NODES = f"""
UNWIND $rows AS row
MATCH (n:{ENTITY} {{id: row.p.id}})
SET n = row.p, n += $provs[row.v]
RETURN count(n) AS n
"""

CREATE_EDGES: Mapping[str, str] = {
    t: f"""
UNWIND $rows AS row
MATCH (a:{ENTITY} {{id: row.src}})
MATCH (b:{ENTITY} {{id: row.dst}})
CREATE (a)-[r:{t}]->(b)
SET r = row.p, r += $provs[row.v]
RETURN count(r) AS n
"""
    for t in TYPES
}

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
