"""With WORKERS > 1 every worker gets a share of new connections, and SIGTERM stops them all.

A shared listening socket let the worker that woke first take a whole burst of connections
(31 of 32 in one try), leaving the other core idle. Each worker now listens on a socket of its
own (SO_REUSEPORT) and the kernel spreads connections by address hash: with 32 connections and
2 workers, fewer than 4 on one worker has a probability of about one in a million.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

from bench.http1 import Http1Pool
from tests.api.conftest import DATA_DIR
from tests.conftest import sqlite_uri
from tests.resilience._server import running_server, tree_pids

CONNECTIONS = 32
WORKERS = 2


def _socket_inodes(pid: int) -> set[str]:
    """Inodes of the sockets process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _tcp_inodes(port: int, state: str) -> set[str]:
    """Inodes of TCP sockets whose local port is `port`, in `state` (01 ESTABLISHED, 0A LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == state:
                found.add(fields[9])
    return found


async def _open_connections(base: str) -> Http1Pool:
    """A pool holding CONNECTIONS keep-alive connections, each having answered a request."""
    pool = Http1Pool(base, CONNECTIONS, 30.0)
    body = json.dumps({"query": "{ stats { seq } }"}).encode()
    replies = await asyncio.gather(*(pool.post("/graphql", body) for _ in range(CONNECTIONS)))
    assert {r.status for r in replies} == {200}
    return pool


def _workers(parent: int) -> list[int]:
    """The worker processes under `parent` (not multiprocessing's resource tracker)."""
    return [
        pid
        for pid in tree_pids(parent)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def test_workers_share_connections_and_all_stop_on_sigterm(tmp_path: Path) -> None:
    env = {
        "GRAPH_URI": sqlite_uri(tmp_path),
        "ICN_DATA_DIR": str(DATA_DIR),
        "ICN_KEYS_FILE": str(tmp_path / "api-keys.json"),
        "RATE_LIMIT_IP": "0",
        "RATE_LIMIT_KEY": "0",
        "WORKERS": str(WORKERS),
    }
    with running_server(env, tmp_path / "server.log") as server:
        port = int(server.base.rsplit(":", 1)[1])
        workers = _workers(server.pid)
        assert len(workers) == WORKERS, server.log_tail()
        # Each worker listens on a socket of its own (the second may still be starting).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listening = _tcp_inodes(port, "0A")
            owned = [len(_socket_inodes(w) & listening) for w in workers]
            if owned == [1] * WORKERS and len(listening) == WORKERS:
                break
            time.sleep(0.1)
        assert owned == [1] * WORKERS and len(listening) == WORKERS, server.log_tail()

        async def measure() -> dict[int, int]:
            pool = await _open_connections(server.base)
            try:
                connections = _tcp_inodes(port, "01")
                return {w: len(_socket_inodes(w) & connections) for w in workers}
            finally:
                await pool.aclose()

        shares = asyncio.run(measure())
        assert sum(shares.values()) == CONNECTIONS, shares
        assert min(shares.values()) >= 4, shares

        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0, server.log_tail()
        assert not any(Path(f"/proc/{w}").exists() for w in workers), "a worker outlived it"
