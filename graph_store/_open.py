"""Pick a backend from GRAPH_URI: Neo4j for bolt/neo4j schemes, embedded SQLite otherwise."""

from __future__ import annotations

from pathlib import Path

from graph_store.errors import BadUserInput
from graph_store.protocol import GraphStore

__all__ = ["DEFAULT_DB", "open_store"]

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "icn.sqlite3"
"""The embedded store used when GRAPH_URI is unset: created on first use."""

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


async def open_store(
    uri: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    database: str = "neo4j",
    timeout_s: float = 10.0,
) -> GraphStore:
    """Open (and prepare: schema, indexes) the store that `uri` names.

    `uri` may be a Neo4j URI, `sqlite:///path/to/file`, a plain file path, or None for the
    default embedded file. Callers own the store and must `aclose()` it.
    """
    if uri and uri.startswith(_NEO4J_SCHEMES):
        from graph_store.neo4j import Neo4jStore

        return await Neo4jStore.open(
            uri, user=user, password=password, database=database, timeout_s=timeout_s
        )
    if uri and "://" in uri and not uri.startswith("sqlite://"):
        raise BadUserInput(f"GRAPH_URI scheme of {uri.split('://')[0]!r} is not supported")
    path = Path(uri.removeprefix("sqlite://")) if uri else DEFAULT_DB
    from graph_store.sqlite import SqliteStore

    return await SqliteStore.open(path)
