"""Read queries of the embedded store that go straight to SQLite (always current, no index).

Each function takes a connection owned by the calling thread and runs inside the caller's
read transaction, so several reads of one request see one snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence

from graph_store._deadline import check
from graph_store._sqlite_codec import (
    EDGE_COLUMNS,
    EDGE_FROM,
    NODE_COLUMNS,
    edge_from_row,
    labels_from,
    node_from_row,
    prop_of,
)
from graph_store.errors import BadUserInput
from graph_store.model import NODE_PROPERTIES, NodeKind
from graph_store.ranking import MAX_CANDIDATES, label_scorer, query_tokens
from graph_store.records import Edge, Node, NodeQuery, Page, SearchHit

__all__ = [
    "CHUNK",
    "chunked",
    "edges_by_eid",
    "edges_by_id",
    "list_nodes",
    "nodes_by_id",
    "nodes_by_nid",
    "search",
    "stats_counts",
]

CHUNK = 900
"""Ids per `IN (...)` list: below every SQLite build's host-parameter limit."""

_ALL_PROPS = frozenset().union(*NODE_PROPERTIES.values())


def chunked(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """Slices of at most `size` values, for IN lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _rows_where_in(
    conn: sqlite3.Connection, select: str, column: str, keys: Iterable[object]
) -> Iterator[tuple]:
    """Rows of `select` whose `column` is one of `keys`, in chunks that fit SQLite's IN limit."""
    wanted = list(dict.fromkeys(keys))
    for part in chunked(wanted):
        check()  # decoding a chunk's rows takes longer than the statement's own steps
        yield from conn.execute(f"{select} WHERE {column} IN ({_marks(len(part))})", part)


def nodes_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Node]:
    """Nodes with these ids; unknown ids are absent."""
    rows = _rows_where_in(conn, f"SELECT {NODE_COLUMNS} FROM nodes n", "n.id", ids)
    return {row[0]: node_from_row(row) for row in rows}


def nodes_by_nid(conn: sqlite3.Connection, nids: Iterable[int]) -> dict[int, Node]:
    """Nodes by row id (for answers computed on the traversal index)."""
    rows = _rows_where_in(conn, f"SELECT n.nid, {NODE_COLUMNS} FROM nodes n", "n.nid", nids)
    return {row[0]: node_from_row(row[1:]) for row in rows}


def edges_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Edge]:
    """Relationships with these ids; unknown ids are absent."""
    rows = _rows_where_in(conn, f"SELECT {EDGE_COLUMNS} FROM {EDGE_FROM}", "e.id", ids)
    return {row[0]: edge_from_row(row) for row in rows}


def edges_by_eid(conn: sqlite3.Connection, eids: Iterable[int]) -> dict[int, Edge]:
    """Relationships by row id (for answers computed on the traversal index)."""
    rows = _rows_where_in(conn, f"SELECT e.eid, {EDGE_COLUMNS} FROM {EDGE_FROM}", "e.eid", eids)
    return {row[0]: edge_from_row(row[1:]) for row in rows}


def list_nodes(
    conn: sqlite3.Connection, query: NodeQuery, first: int, after: str | None
) -> Page[Node]:
    """A keyset page by id; `total` counts every match regardless of `after`."""
    where: list[str] = []
    params: list[object] = []
    if query.kind is not None:
        where.append("n.kind = ?")
        params.append(query.kind.value)
    for key, value in sorted(query.where.items()):
        if key not in _ALL_PROPS:
            raise BadUserInput(f"{key!r} is not a node property that can be filtered on")
        path = f'$."{key}"'
        where.append("json_type(n.props, ?) = 'text' AND icn_fold(json_extract(n.props, ?)) = ?")
        params += [path, path, str(value).casefold()]
    if query.date_from is not None or query.date_to is not None:
        where.append("n.date_lo IS NOT NULL")
    if query.date_from is not None:
        where.append("n.date_hi >= ?")
        params.append(query.date_from.lo)
    if query.date_to is not None:
        where.append("n.date_lo <= ?")
        params.append(query.date_to.hi)
    condition = " AND ".join(where) or "1"
    total = conn.execute(f"SELECT count(*) FROM nodes n WHERE {condition}", params).fetchone()[0]
    page_where, page_params = condition, list(params)
    if after is not None:
        page_where += " AND n.id > ?"
        page_params.append(after)
    rows = conn.execute(
        f"SELECT {NODE_COLUMNS} FROM nodes n WHERE {page_where} ORDER BY n.id LIMIT ?",
        [*page_params, first + 1],
    ).fetchall()
    items = tuple(node_from_row(row) for row in rows[:first])
    return Page(items=items, has_next=len(rows) > first, total=total)


def search(
    conn: sqlite3.Connection,
    text: str,
    kinds: frozenset[NodeKind] | None,
    country: str | None,
    first: int,
    offset: int,
) -> Page[SearchHit]:
    """Candidates from FTS5 (every query word a word prefix), ranked by `ranking.score`.

    The candidates are ranked from the columns the ranking and the filters read (name,
    aliases, kind; the properties only for a country filter); only the page's nodes are read
    whole. Decoding every candidate
    whole took a third of a search, for up to MAX_CANDIDATES nodes of which ten are shown.
    """
    tokens = query_tokens(text)
    if not tokens:
        return Page(items=(), has_next=False, total=0)
    match = " ".join(f'"{t}"*' for t in tokens)  # tokens are [0-9a-z]+: quoting is safe
    nids = [
        row[0]
        for row in conn.execute(
            "SELECT rowid FROM nodes_fts WHERE nodes_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, MAX_CANDIDATES),
        )
    ]
    wanted = {str(k) for k in kinds} if kinds is not None else None
    folded = country.casefold() if country is not None else None
    scorer = label_scorer(text)
    ranked: list[tuple[float, str, int]] = []
    for nid, node_id, kind, name, aliases, props in _rows_where_in(conn, _RANKED, "n.nid", nids):
        if wanted is not None and kind not in wanted:
            continue
        if folded is not None and str(prop_of(props, "country", "")).casefold() != folded:
            continue
        value = scorer(labels_from(name, aliases))
        if value > 0:
            ranked.append((-value, node_id, nid))
    ranked.sort()
    page = ranked[offset : offset + first]
    nodes = nodes_by_nid(conn, [nid for _, _, nid in page])
    return Page(
        items=tuple(SearchHit(nodes[nid], -value) for value, _, nid in page),
        has_next=offset + first < len(ranked),
        total=len(ranked),
    )


_RANKED = "SELECT n.nid, n.id, n.kind, n.name, n.aliases, n.props FROM nodes n"
"""What ranking a candidate reads. The props stay text unless a country filter decodes them,
in Python as for a whole node (not `json_extract`: a stored NaN is valid to Python's json
and not to SQLite's)."""


def stats_counts(
    conn: sqlite3.Connection,
) -> tuple[Mapping[str, int], Mapping[str, int], str | None]:
    """Counts by kind and by type, and the latest provenance.loaded_at."""
    kinds = dict(conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"))
    types = dict(conn.execute("SELECT type, n FROM edge_counts WHERE n > 0"))
    latest = conn.execute(
        "SELECT max(m) FROM (SELECT max(loaded_at) AS m FROM nodes "
        "UNION ALL SELECT max(loaded_at) FROM edges)"
    ).fetchone()[0]
    return kinds, types, latest
