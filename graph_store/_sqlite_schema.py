"""The embedded store's file: connection settings, tables, and the counters in `meta`.

Nodes and relationships carry integer row ids (`nid`, `eid`) besides their string ids: the
traversal index is addressed by them, and joins on integers keep the file small. Every write
keeps `edge_counts` current, so stats need no full scan. `meta` holds the change sequence, an
`epoch` that changes when the store is cleared (row ids restart then), and `log_floor`, the
oldest sequence number from which `edge_log` is complete; a reader whose index is older than
that rebuilds instead of replaying the log.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SCHEMA_VERSION", "Meta", "connect", "create_schema", "read_meta", "write_meta"]

SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 10_000  # a loader's big write may hold the write lock for a while
_WAL_LIMIT_BYTES = 64 * 1024 * 1024  # truncate the WAL after a big load's checkpoint

_DDL = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS nodes (
    nid       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    aliases   TEXT NOT NULL,          -- JSON array
    sources   TEXT NOT NULL,          -- JSON array
    props     TEXT NOT NULL,          -- JSON object, absent props not stored
    date_lo   TEXT,                   -- bounds of props.date, for date-range lists
    date_hi   TEXT,
    batch_id  TEXT,
    origin    TEXT,
    loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS nodes_by_kind ON nodes (kind, id);

CREATE TABLE IF NOT EXISTS edges (
    eid       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    type      TEXT NOT NULL,
    src       INTEGER NOT NULL,       -- nodes.nid
    dst       INTEGER NOT NULL,       -- nodes.nid
    certainty TEXT NOT NULL,
    cert_rank INTEGER NOT NULL,       -- Certainty.rank, for min-certainty filters
    source    TEXT NOT NULL,
    evidence  TEXT NOT NULL,
    since     TEXT,                   -- partial date text as given
    until     TEXT,
    since_lo  INTEGER NOT NULL,       -- yyyymmdd of since.lo, 0 without since
    until_hi  INTEGER NOT NULL,       -- yyyymmdd of until.hi, 99999999 without until
    note      TEXT,
    props     TEXT NOT NULL,
    batch_id  TEXT,
    origin    TEXT,
    loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS edges_by_src ON edges (src);
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges (dst);
CREATE INDEX IF NOT EXISTS nodes_by_loaded ON nodes (loaded_at);
CREATE INDEX IF NOT EXISTS edges_by_loaded ON edges (loaded_at);

CREATE TABLE IF NOT EXISTS edge_counts (  -- kept by every write: stats without a full scan
    type TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS edge_log (
    seq INTEGER NOT NULL,
    eid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS edge_log_by_seq ON edge_log (seq);

CREATE VIRTUAL TABLE IF NOT EXISTS nodes_fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True, slots=True)
class Meta:
    """The store's counters, read inside the transaction that relies on them."""

    seq: int
    epoch: str
    log_floor: int


def connect(path: Path, *, cache_mib: int) -> sqlite3.Connection:
    """Open `path` for one thread: autocommit mode (transactions are explicit), WAL, busy wait."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: consistent, fast commits
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = {-1024 * cache_mib}")
    conn.execute(f"PRAGMA journal_size_limit = {_WAL_LIMIT_BYTES}")
    conn.create_function("icn_fold", 1, _fold, deterministic=True)
    return conn


def _fold(value: object) -> str | None:
    """Unicode case folding for case-insensitive equality (SQLite's lower() is ASCII-only)."""
    return value.casefold() if isinstance(value, str) else None


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables on first use and switch the file to WAL (idempotent)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        had_counts = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'edge_counts'"
        ).fetchone()[0]
        for statement in _statements(_DDL):
            conn.execute(statement)
        if not had_counts:  # a file from before the counts table: count once
            conn.execute("INSERT INTO edge_counts SELECT type, count(*) FROM edges GROUP BY type")
        defaults = {
            "schema": SCHEMA_VERSION,
            "seq": 0,
            "epoch": uuid.uuid4().hex,
            "log_floor": 0,
        }
        conn.executemany(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", list(defaults.items())
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split the DDL so each statement runs inside our own transaction (executescript commits)."""
    parts = []
    for chunk in script.split(";\n"):
        lines = [line.split("--")[0] for line in chunk.splitlines()]
        text = "\n".join(lines).strip()
        if text:
            parts.append(text)
    return parts


def read_meta(conn: sqlite3.Connection) -> Meta:
    """The counters; call inside a transaction so they match the rows read with them."""
    values = dict(conn.execute("SELECT key, value FROM meta"))
    return Meta(int(values["seq"]), str(values["epoch"]), int(values["log_floor"]))


def write_meta(conn: sqlite3.Connection, **values: object) -> None:
    """Update counters inside the caller's write transaction."""
    conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in values.items()])
