"""Every Cypher statement of the Neo4j backend, as constant text with `$parameters`.

Nothing here is built at request time. Labels and relationship types reach query text only
through the tables below, which are generated once at import from `model.NodeKind` and
`model.RELATIONSHIP_TYPES` (the allow-list), and path/neighbourhood quantifiers only from
small integer ranges bounded by the protocol's caps. A request picks a ready-made string by
key; user values always travel as parameters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from graph_store.model import RELATIONSHIP_TYPES, SHARED_LABEL, NodeKind
from graph_store.protocol import MAX_HOPS
from graph_store.records import Direction, EdgeFilter

__all__ = [
    "AWAIT_INDEXES",
    "CHANGE_SEQ",
    "EDGES_AMONG",
    "EDGES_BY_ID",
    "EDGES_OF",
    "EDGE_PAGES",
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
    "typed",
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
RETURN collect(properties(n)) AS nodes
"""
"""Nodes by id, in one record. Every read that would stream many small records (nodes,
candidates, ids, relationships, pages) returns them collected into one list instead: each
record costs Bolt and the Python driver tens of µs of their own, so that 100 nodes took 6.2 to
6.7 ms at p50 as records and 2.4 to 2.6 ms as one list (scale M)."""

NODE_KINDS = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN collect([n.id, n.kind]) AS kinds
"""

EDGES_BY_ID: Mapping[str, str] = {
    t: f"MATCH ()-[r:{t}]->() WHERE r.id IN $ids RETURN collect({_edge_map('r')}) AS edges"
    for t in TYPES
}
"""Relationships of one type by id: a seek in that type's uniqueness index."""

GET_EDGES = "\nUNION ALL\n".join(EDGES_BY_ID.values())
"""Relationships by id alone. Neo4j indexes relationship properties per type, so this asks
every type's index; each branch is an index seek, cheap for the few ids of an API request, and
answers one record (its type's relationships, maybe none)."""

EDGE_TYPE_COUNTS = "\nUNION ALL\n".join(
    f"MATCH ()-[r:{t}]->() RETURN '{t}' AS type, count(r) AS c" for t in TYPES
)
"""Relationships per type, from the count store: lets bulk reads skip empty types."""

_ARROWS: Mapping[Direction, tuple[str, str]] = {
    Direction.OUT: ("-", "->"),
    Direction.IN: ("<-", "-"),
    Direction.BOTH: ("-", "-"),
}


def _where(filtered: bool) -> str:
    """The accept predicate on `r` as a WHERE line, or nothing when every match is accepted."""
    return f"\n    WHERE {_accepts('r')}" if filtered else ""


def _page(left: str, right: str, rel: str, filtered: bool, *, ends: bool = False) -> str:
    """The subquery of one node's first `$limit` accepted relationships in canonical order,
    and with `ends` their far ends when `$ends` (an empty list otherwise).

    ORDER BY with LIMIT is a Top: it keeps `$limit` rows while it reads, where sorting every
    match first (a hub's two thousand) took 2.66 against 2.12 ms at p50 over the 20 largest
    hubs of scale M. An undirected pattern meets a self-loop once (Neo4j 5), so no DISTINCT.
    """
    return f"""
CALL (n) {{
    MATCH (n){left}[r{rel}]{right}(m){_where(filtered)}
    WITH r, m
    ORDER BY type(r), m.id, r.id
    LIMIT $limit
    RETURN collect({_edge_map("r")}) AS edges{_ENDS if ends else ""}
}}"""


_ENDS = ",\n           CASE WHEN $ends THEN collect(properties(m)) ELSE [] END AS ends"


def _edges_of(left: str, right: str, rel: str, filtered: bool) -> str:
    return f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}}){_page(left, right, rel, filtered)}
RETURN collect([id, edges]) AS pages
"""


def _edge_pages(left: str, right: str, rel: str, filtered: bool) -> str:
    """EDGES_OF's page with its total. Unfiltered, the total is the node's degree for those
    types and that direction, which Neo4j keeps per dense node: no relationship is read for
    it. Filtered, the accepted relationships are counted."""
    if filtered:
        count = f"""
CALL (n) {{
    MATCH (n){left}[r{rel}]{right}(){_where(True)}
    RETURN count(r) AS total
}}"""
        total = "total"
    else:
        count, total = "", f"COUNT {{ (n){left}[{rel}]{right}() }}"
    return f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}}){count}{_page(left, right, rel, filtered, ends=True)}
RETURN collect([id, {total}, edges, ends]) AS pages
"""


def _neighbours(left: str, right: str, rel: str, filtered: bool) -> str:
    accepted = f"{_accepts('r')} AND " if filtered else ""
    return f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}}){left}[r{rel}]{right}(m:{ENTITY})
WHERE {accepted}NOT m.id IN $known
WITH DISTINCT m.id AS mid
ORDER BY mid
LIMIT $take
RETURN collect(mid) AS mids
"""


_SHAPES: Mapping[str, Callable[[str, str, str, bool], str]] = {
    "EDGES_OF": _edges_of,
    "EDGE_PAGES": _edge_pages,
    "NEIGHBOURS": _neighbours,
}


def typed(name: str, flt: EdgeFilter) -> str:
    """Query `name` (EDGES_OF, EDGE_PAGES or NEIGHBOURS) for `flt`: its direction, its types
    in the pattern, and the accept predicate only where it can leave something out.

    Neo4j keeps a dense node's relationships grouped by type, so `-[r:MEMBER_OF]-` reads only
    those, where `-[r]-` with `type(r) IN $types` reads every relationship of a hub (the
    Neo4j GraphQL Library names the type; ours did not). Only allow-listed types are pasted:
    unknown ones match nothing, and if none is known the untyped query's `$types` test
    returns nothing, as it should. With no certainty floor and no date, every relationship the
    pattern meets is accepted: the predicate is left out, and with it a property read per
    relationship.
    """
    known = tuple(sorted(t for t in flt.types if t in TYPES)) if flt.types is not None else ()
    unknown_only = flt.types is not None and not known
    filtered = flt.min_certainty is not None or flt.as_of is not None or unknown_only
    return _query(name, flt.direction, known, filtered)


@functools.lru_cache(maxsize=1024)
def _query(name: str, direction: Direction, types: tuple[str, ...], filtered: bool) -> str:
    left, right = _ARROWS[direction]
    rel = ":" + "|".join(_token(t) for t in types) if types else ""
    return _SHAPES[name](left, right, rel, filtered)


EDGES_OF: Mapping[Direction, str] = {d: _query("EDGES_OF", d, (), True) for d in _ARROWS}
"""Accepted relationships of many nodes, per direction so a hub's other side is never read
(untyped and filtered: `typed` picks the query of a filter)."""

EDGE_PAGES: Mapping[Direction, str] = {d: _query("EDGE_PAGES", d, (), True) for d in _ARROWS}
"""EDGES_OF's page per node with its uncapped total and, when `$ends`, the far end of each
listed relationship (an empty list otherwise)."""

NEIGHBOURS: Mapping[Direction, str] = {d: _query("NEIGHBOURS", d, (), True) for d in _ARROWS}
"""One BFS level of a neighbourhood, per walking direction: the `$take` smallest ids not yet
`$known`. A level through a hub meets thousands of nodes, of which a neighbourhood keeps the
first few in id order; cutting in Cypher keeps the rest off the wire."""

EDGES_AMONG = f"""
UNWIND $ids AS id
MATCH (a:{ENTITY} {{id: id}})-[r]->(b:{ENTITY})
WHERE b.id IN $ids AND {_accepts("r")}
RETURN collect({_edge_map("r")}) AS edges
"""


def _path_groups(tag: int) -> str:
    """The tail of a length stage: walks grouped by node sequence, in node-id order.

    Node ids are `kind/slug` in ASCII (validated on write), so Cypher's string order is
    Python's here; relationship ids may be any text, so parallel variants are left unordered
    for the caller to sort.
    """
    return f"""
    WITH key, ns, collect(rels) AS variants
    ORDER BY key
    WITH collect({{nodes: ns, variants: variants}}) AS groups, sum(size(variants)) AS walks
    RETURN walks AS walks{tag}, groups AS found{tag}"""


def _shortest_stage(hops: int, filtered: bool) -> str:
    """Every shortest path within `hops` (Neo4j's bidirectional breadth-first search).

    A shortest walk never repeats a node, so these are simple paths already. The relationship
    filter and the avoided nodes are inlined into the search as `all`/`none` predicates.
    """
    accepted = f"\n      AND all(r IN relationships(p) WHERE {_accepts('r')})" if filtered else ""
    return f"""
CALL (s, t, blocked) {{
    WITH s, t, blocked WHERE s <> t
    MATCH p = allShortestPaths((s)-[*..{hops}]-(t))
    WHERE none(v IN nodes(p) WHERE v IN blocked){accepted}
    WITH p LIMIT $cap
    WITH [v IN nodes(p) | v.id] AS key, nodes(p) AS ns, relationships(p) AS rels{_path_groups(1)},
           size(groups[0].nodes) - 1 AS shortest
}}
WITH s, t, blocked, shortest, walks1, found1[..$k] AS kept1
WITH *, reduce(n = 0, g IN kept1 | n + size(g.variants)) AS got1"""


def _length_stage(length: int, filtered: bool) -> str:
    """Every simple path of exactly `length` hops, run only while fewer than k paths are known.

    Two halves grown from either end meet in a hash join on the middle node, so a hub next to
    one end is crossed once rather than once per walk from the other end. Cypher keeps the
    relationships of one MATCH distinct; the node checks make the walk a simple path.
    """
    names = ["s", *(f"n{i}" for i in range(1, length)), "t"]
    rels = [f"r{i}" for i in range(1, length + 1)]

    def chain(first: int, last: int) -> str:
        return f"({names[first]})" + "".join(
            f"-[{rels[i]}]-({names[i + 1]})" for i in range(first, last)
        )

    inner = names[1:-1]
    checks = [f"NOT {v} IN ends AND NOT {v} IN blocked" for v in inner]
    checks += [f"{v} <> {w}" for i, v in enumerate(inner) for w in inner[:i]]
    if filtered:
        checks += [_accepts(r) for r in rels]
    middle = (length + 1) // 2
    got = f"got{length - 1 if length > 2 else 1}"
    pattern = chain(0, length)
    if length >= 3:
        pattern = f"{chain(0, middle)}, {chain(middle, length)}\n    USING JOIN ON {names[middle]}"
    where = "\n      AND ".join(checks)
    nodes = ", ".join(names)
    return f"""
CALL (s, t, blocked, shortest, {got}) {{
    WITH s, t, blocked, [s, t] AS ends WHERE shortest < {length} AND {got} < $k
    MATCH {pattern}
    WHERE {where}
    WITH {nodes}, [{", ".join(rels)}] AS rels LIMIT $cap
    WITH [{", ".join(f"{v}.id" for v in names)}] AS key, [{nodes}] AS ns, rels{_path_groups(length)}
}}
WITH *, found{length}[..$k - {got}] AS kept{length}
WITH *, {got} + reduce(n = 0, g IN kept{length} | n + size(g.variants)) AS got{length}"""


def _paths_query(hops: int, filtered: bool) -> str:
    tags = [1, *range(2, hops + 1)]
    stages = "".join(_length_stage(length, filtered) for length in range(2, hops + 1))
    return f"""
OPTIONAL MATCH (s:{ENTITY} {{id: $src}})
OPTIONAL MATCH (t:{ENTITY} {{id: $dst}})
CALL () {{
    OPTIONAL MATCH (a:{ENTITY}) WHERE a.id IN $avoid
    RETURN collect(a) AS blocked
}}{_shortest_stage(hops, filtered)}{stages}
RETURN s IS NOT NULL AS has_src, t IS NOT NULL AS has_dst,
       [{", ".join(f"walks{i}" for i in tags)}] AS walks,
       [g IN {" + ".join(f"kept{i}" for i in tags)} | {{
           nodes: [v IN g.nodes | properties(v)],
           variants: [rs IN g.variants | [i IN range(0, size(rs) - 1) |
               {{p: properties(rs[i]), type: type(rs[i]), fwd: startNode(rs[i]) = g.nodes[i]}}]]
       }}] AS groups
"""


PATHS: Mapping[tuple[int, bool], str] = {
    (hops, filtered): _paths_query(hops, filtered)
    for hops in range(1, MAX_HOPS + 1)
    for filtered in (False, True)
}
"""The first k simple paths of at most `hops` hops, per (max hops, relationship filter on).

One round trip: the end nodes (absent ones reported, for NotFound), every shortest path, then
stage by stage the paths of each longer length until k are known. Each length's paths come
grouped by node sequence in node-id order, cut to the groups that can still be among the first
k, with their full records; the caller orders parallel variants by relationship id. A stage
stops enumerating at `$cap` walks (reported in `walks`, so the caller can refuse the request).
Without a filter the accept predicate is left out, so the search reads no relationship
properties at all. Quantifier bounds must be literals, hence one constant per pair."""

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
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query, {{limit: $cap}})
YIELD node AS n, score
WITH n WHERE ($kinds IS NULL OR n.kind IN $kinds)
  AND ($country IS NULL OR
       (n.country IS :: STRING NOT NULL AND toLower(toUpper(n.country)) = $country))
WITH collect(n) AS found
RETURN [n IN found | [n.id, [n.name] + coalesce(n.aliases, []),
                      CASE WHEN size(found) <= $whole THEN properties(n) END]] AS candidates
"""
"""Candidates: the index's best `$cap`, cut by Lucene itself (an ORDER BY in Cypher read every
match's id first: thousands for a one-letter prefix), then the kind and country filters, as
the SQLite backend does; ranking orders them afterwards. Only what the ranking reads comes
back, and the whole nodes too when there are at most `$whole` candidates (most searches), so
that only a broad text needs a second round trip for its page. They come back as one list (see
GET_NODES): as a record each, the call took 5.3 to 5.5 ms at p50 instead of 2.8 to 2.9."""

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
