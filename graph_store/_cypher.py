"""Every Cypher statement of the Neo4j backend, as constant text with `$parameters`.

Nothing here is built at request time. Labels and relationship types reach query text only
through the tables below, which are generated once at import from `model.NodeKind` and
`model.RELATIONSHIP_TYPES` (the allow-list), and path/neighbourhood quantifiers only from
small integer ranges bounded by the protocol's caps. A request picks a ready-made string by
key; user values always travel as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph_store.model import RELATIONSHIP_TYPES, SHARED_LABEL, NodeKind
from graph_store.protocol import MAX_HOPS
from graph_store.records import Direction

__all__ = [
    "AWAIT_INDEXES",
    "CHANGE_SEQ",
    "COUNT_EDGES_OF",
    "EDGES_AMONG",
    "EDGES_BY_ELEMENT_ID",
    "EDGES_BY_ID",
    "EDGES_OF",
    "EDGE_TYPE_COUNTS",
    "ENSURE_META",
    "ENTITY",
    "FULLTEXT_INDEX",
    "GET_EDGES",
    "GET_NODES",
    "HEALTH",
    "KINDS",
    "LIST_NODES",
    "LOAD",
    "META",
    "META_KEY",
    "NEIGHBOURS",
    "NODE_KINDS",
    "PATHS",
    "SCHEMA",
    "SEARCH",
    "STATS",
    "TYPES",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _token(name: str) -> str:
    """An allow-listed label or type, checked once more before it is pasted into query text."""
    if not _NAME.match(name):
        raise ValueError(f"{name!r} cannot be used as a Cypher label or type")
    return name


ENTITY = _token(SHARED_LABEL)
META = "IcnMeta"
"""Label of the singleton node holding change_seq; not an Entity, so no read ever sees it."""
LOAD = "IcnLoad"
"""Label of the per-load-time record counters behind Stats.last_loaded_at."""
META_KEY = "icn"
FULLTEXT_INDEX = "icn_entity_search"

KINDS = tuple(_token(k.value) for k in NodeKind)
TYPES = tuple(_token(t) for t in RELATIONSHIP_TYPES)

# --- schema ----------------------------------------------------------------------------------

SCHEMA: tuple[str, ...] = (
    f"CREATE CONSTRAINT icn_entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
    f"CREATE CONSTRAINT icn_meta_key IF NOT EXISTS FOR (m:{META}) REQUIRE m.key IS UNIQUE",
    f"CREATE CONSTRAINT icn_load_at IF NOT EXISTS FOR (l:{LOAD}) REQUIRE l.loaded_at IS UNIQUE",
    *(
        f"CREATE CONSTRAINT icn_rel_{t.lower()}_id IF NOT EXISTS "
        f"FOR ()-[r:{t}]-() REQUIRE r.id IS UNIQUE"
        for t in TYPES
    ),
    # The text is normalised by ranking.search_text already, so splitting on spaces is all the
    # analysis needed; a language analyzer would stem or drop words the SQLite backend keeps.
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) ON EACH "
    "[n.search_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
)
"""Idempotent schema statements, run one by one at start-up (schema and data never share a tx)."""

AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
ENSURE_META = f"MERGE (m:{META} {{key: '{META_KEY}'}}) ON CREATE SET m.seq = 0 RETURN m.seq AS seq"
HEALTH = "RETURN 1 AS ok"

# --- shared predicates -----------------------------------------------------------------------

_ACCEPTS = """(
    ($types IS NULL OR type({r}) IN $types)
    AND {r}.certainty_rank >= $min_rank
    AND ($as_of_hi IS NULL OR {r}.since_lo IS NULL OR {r}.since_lo <= $as_of_hi)
    AND ($as_of_lo IS NULL OR {r}.until_hi IS NULL OR {r}.until_hi >= $as_of_lo)
)"""
"""EdgeFilter.accepts in Cypher: same comparisons on the stored since_lo / until_hi bounds."""


def _accepts(var: str) -> str:
    return _ACCEPTS.format(r=var)


_EDGE_MAP = "{{p: properties({r}), type: type({r}), src: startNode({r}).id, dst: endNode({r}).id}}"


def _edge_map(var: str) -> str:
    return _EDGE_MAP.format(r=var)


# --- reads -----------------------------------------------------------------------------------

GET_NODES = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN properties(n) AS n
"""

NODE_KINDS = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN n.id AS id, n.kind AS kind
"""

EDGES_BY_ID: Mapping[str, str] = {
    t: f"MATCH ()-[r:{t}]->() WHERE r.id IN $ids RETURN {_edge_map('r')} AS e" for t in TYPES
}
"""Relationships of one type by id: a seek in that type's uniqueness index."""

GET_EDGES = "\nUNION ALL\n".join(EDGES_BY_ID.values())
"""Relationships by id alone. Neo4j indexes relationship properties per type, so this asks
every type's index; each branch is an index seek, cheap for the few ids of an API request."""

EDGE_TYPE_COUNTS = "\nUNION ALL\n".join(
    f"MATCH ()-[r:{t}]->() RETURN '{t}' AS type, count(r) AS c" for t in TYPES
)
"""Relationships per type, from the count store: lets bulk reads skip empty types."""

EDGES_BY_ELEMENT_ID = f"""
UNWIND $eids AS eid
MATCH ()-[r]->() WHERE elementId(r) = eid
RETURN {_edge_map("r")} AS e
"""

_ARROWS: Mapping[Direction, tuple[str, str]] = {
    Direction.OUT: ("-", "->"),
    Direction.IN: ("<-", "-"),
    Direction.BOTH: ("-", "-"),
}

EDGES_OF: Mapping[Direction, str] = {
    d: f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
CALL (n) {{
    MATCH (n){left}[r]{right}(m)
    WHERE {_accepts("r")}
    WITH DISTINCT r, m
    ORDER BY type(r), m.id, r.id
    LIMIT $limit
    RETURN collect({_edge_map("r")}) AS edges
}}
RETURN id, edges
"""
    for d, (left, right) in _ARROWS.items()
}
"""Accepted relationships of many nodes, per direction so a hub's other side is never read;
DISTINCT keeps a self-loop once although an undirected pattern meets it both ways."""

COUNT_EDGES_OF: Mapping[Direction, str] = {
    d: f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
CALL (n) {{
    MATCH (n){left}[r]{right}()
    WHERE {_accepts("r")}
    RETURN count(DISTINCT r) AS total
}}
RETURN id, total
"""
    for d, (left, right) in _ARROWS.items()
}
"""How many relationships EDGES_OF accepts per node, uncapped (DISTINCT: a self-loop once)."""

NEIGHBOURS: Mapping[Direction, str] = {
    d: f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}}){left}[r]{right}(m:{ENTITY})
WHERE {_accepts("r")}
RETURN DISTINCT m.id AS id
"""
    for d, (left, right) in _ARROWS.items()
}
"""One BFS level of a neighbourhood, per walking direction."""

EDGES_AMONG = f"""
UNWIND $ids AS id
MATCH (a:{ENTITY} {{id: id}})-[r]->(b:{ENTITY})
WHERE b.id IN $ids AND {_accepts("r")}
RETURN {_edge_map("r")} AS e
"""

PATHS: Mapping[tuple[int, int], str] = {
    (hops, groups): f"""
MATCH (s:{ENTITY} {{id: $src}}), (t:{ENTITY} {{id: $dst}})
MATCH p = SHORTEST {groups} GROUPS (s)
    ((x)-[r]-(y) WHERE x <> y AND NOT y.id IN $avoid AND {_accepts("r")}){{1,{hops}}}
    (t)
RETURN [v IN nodes(p) | v.id] AS nodes,
       [e IN relationships(p) | e.id] AS edges,
       [e IN relationships(p) | elementId(e)] AS eids
LIMIT $cap
"""
    for hops in range(1, MAX_HOPS + 1)
    for groups in range(1, hops + 1)
}
"""Shortest-length groups of undirected trails, per (max hops, number of length groups).

`SHORTEST k GROUPS` and quantifier bounds must be literals, hence one constant per pair. Trails
may revisit a node in longer groups; the caller keeps simple paths only."""

_NODE_WHERE = """
    all(k IN keys($where) WHERE CASE WHEN n[k] IS :: STRING NOT NULL
                                     THEN toLower(toUpper(n[k])) = $where[k] ELSE false END)
    AND ($date_lo IS NULL OR (n.date_hi IS NOT NULL AND n.date_hi >= $date_lo))
    AND ($date_hi IS NULL OR (n.date_lo IS NOT NULL AND n.date_lo <= $date_hi))
"""
"""NodeQuery filters; toLower(toUpper(x)) mirrors Python's casefold ("ß" meets "SS")."""

LIST_NODES: Mapping[str, str] = {
    label: f"""
CALL () {{
    MATCH (n:{label}) WHERE {_NODE_WHERE}
    RETURN count(n) AS total
}}
CALL () {{
    MATCH (n:{label}) WHERE {_NODE_WHERE} AND ($after IS NULL OR n.id > $after)
    WITH n ORDER BY n.id LIMIT $limit
    RETURN collect(properties(n)) AS items
}}
RETURN total, items
"""
    for label in (ENTITY, *KINDS)
}
"""A page of nodes and the total, per label (the shared label when no kind is asked for)."""

SEARCH = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node AS n, score
WITH n ORDER BY score DESC, n.id LIMIT $cap
WITH n WHERE ($kinds IS NULL OR n.kind IN $kinds)
  AND ($country IS NULL OR
       (n.country IS :: STRING NOT NULL AND toLower(toUpper(n.country)) = $country))
RETURN properties(n) AS n
"""
"""Candidates: the index's best `$cap` (ties by id, so the cut is deterministic), then the kind
and country filters, as the SQLite backend does; ranking.score orders them afterwards."""

STATS = "\nUNION ALL\n".join(
    (
        *(f"MATCH (n:{k}) RETURN 'node' AS what, '{k}' AS key, count(n) AS c" for k in KINDS),
        *(
            f"MATCH ()-[r:{t}]->() RETURN 'edge' AS what, '{t}' AS key, count(r) AS c"
            for t in TYPES
        ),
        f"OPTIONAL MATCH (m:{META} {{key: '{META_KEY}'}}) "
        "RETURN 'seq' AS what, '' AS key, coalesce(m.seq, 0) AS c",
        f"MATCH (l:{LOAD}) WHERE l.records > 0 "
        "RETURN 'loaded' AS what, l.loaded_at AS key, l.records AS c",
    )
)
"""Counts from Neo4j's count store (one per label and type), change_seq and load times."""

CHANGE_SEQ = f"OPTIONAL MATCH (m:{META} {{key: '{META_KEY}'}}) RETURN coalesce(m.seq, 0) AS seq"
