"""A real `python server.py` for the conformance and abuse suites, on a free loopback port.

These suites send thousands of requests from one address, so their server runs with the rate limits
off (RATE_LIMIT_IP=0, RATE_LIMIT_KEY=0) and the access log off, and with a key file of its own that
does not exist (no partner keys), so a developer's var/api-keys.json never changes what they see.
Otherwise it is configured like the end-to-end suite's server (tests/api/conftest.py): the ICN
dataset, an admin key, the default query limits. The Neo4j leg clears the shared test Neo4j and
loads the dataset before the server starts and again when it stops, so writes made here (the
injection suite's mutations) never reach the suites that run after.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_loader import load_dataset
from graph_store import open_store
from tests.conftest import sqlite_uri

__all__ = [
    "ADMIN_KEY",
    "BACKENDS",
    "BACKEND_PARAMS",
    "DATA_DIR",
    "KNOWN_CODES",
    "LEAK_MARKERS",
    "ROOT",
    "Server",
    "error_problems",
    "leaks",
    "server_for",
]

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data" / "icn"
ADMIN_KEY = "conformance-admin-key-0123456789"
BACKENDS = ("sqlite", "neo4j")
BACKEND_PARAMS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
]
"""Parameters for a session fixture per backend; the Neo4j one carries the `neo4j` mark."""
_READY_TIMEOUT_S = 90.0

KNOWN_CODES = frozenset(
    {
        "BAD_USER_INPUT",
        "NOT_FOUND",
        "FORBIDDEN",
        "LIMIT_EXCEEDED",
        "STORE_UNAVAILABLE",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_REQUEST",
        "UNAUTHENTICATED",
        "RATE_LIMITED",
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_NOT_ALLOWED",
        "TIMEOUT",
    }
)
"""The documented error codes a well-behaved request may get; INTERNAL (a bug) is not one."""

LEAK_MARKERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"Traceback",
        r'File "',
        r"line \d+, in ",
        r"\w\.py\b",
        r"(?i)neo4j",
        r"(?i)sqlite",
        r"Cypher",
        r"\b(MATCH|MERGE|OPTIONAL MATCH) \(",
        r"\b(RETURN|UNWIND|DETACH DELETE) ",
        r"\bSELECT .* FROM\b",
        r"\bINSERT INTO\b",
        r"\bDELETE FROM\b",
        r"\bWHERE \w",
        r"\w+(Error|Exception)\b",
    )
)
"""Text that only an unmasked failure would put in a response: stack frames, module and store
names, error class names, query-language clauses."""


@dataclass(frozen=True)
class Server:
    """One running server: its base URL, backend and admin key."""

    base: str
    backend: str
    admin_key: str

    @property
    def graphql(self) -> str:
        """The GraphQL endpoint."""
        return f"{self.base}/graphql"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _load(uri: str) -> None:
    store = await open_store(uri)
    try:
        await store.clear()
        await load_dataset(store, DATA_DIR)
    finally:
        await store.aclose()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"server not ready after {_READY_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


@contextmanager
def _running(backend: str, uri: str, workdir: Path) -> Iterator[Server]:
    port = _free_port()
    log = workdir / "server.log"
    keys = workdir / "api-keys.json"  # never created: no partner keys, only the admin key
    env = {
        **os.environ,
        "GRAPH_URI": uri,
        "ICN_ADMIN_KEY": ADMIN_KEY,
        "ICN_KEYS_FILE": str(keys),
        "ICN_DATA_DIR": str(DATA_DIR),
        "RATE_LIMIT_IP": "0",
        "RATE_LIMIT_KEY": "0",
        "ACCESS_LOG": "off",
        "LOG_LEVEL": "warning",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "server.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log)
        yield Server(base=base, backend=backend, admin_key=ADMIN_KEY)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def server_for(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server for `backend` holding the ICN dataset (Neo4j: skipped unless configured)."""
    workdir = tmp_path_factory.mktemp(f"conformance-{backend}")
    if backend == "sqlite":
        # An empty file: the server seeds itself from ICN_DATA_DIR (the first-start path).
        with _running(backend, sqlite_uri(workdir), workdir) as server:
            yield server
        return
    uri = request.getfixturevalue("neo4j_uri")
    asyncio.run(_load(uri))
    try:
        with _running(backend, uri, workdir) as server:
            yield server
    finally:
        asyncio.run(_load(uri))


def error_problems(body: Any) -> list[str]:
    """What is wrong with the errors of a GraphQL response body (empty when all is well)."""
    problems: list[str] = []
    if not isinstance(body, dict):
        return [f"the body is not a JSON object: {body!r:.200}"]
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in KNOWN_CODES:
            problems.append(f"error without a known code ({code!r}): {error!r:.300}")
    return problems


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _echo_forms(text: str) -> set[str]:
    """The ways a message may quote a client's own text back (verbatim, repr, JSON)."""
    forms = {text, repr(text)[1:-1], json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)}
    return {form for form in forms if form}


def leaks(body: Any, sent: tuple[str, ...] = ()) -> list[str]:
    """Leak markers found in a response body, after removing echoes of the client's own `sent`
    text (an error may rightly quote the id it did not find, Cypher-looking or not)."""
    forms = sorted({form for text in sent for form in _echo_forms(text)}, key=len, reverse=True)
    found: list[str] = []
    for text in _strings(body):
        for form in forms:
            text = text.replace(form, "")
        found.extend(
            f"{marker.pattern!r} in {text[:300]!r}"
            for marker in LEAK_MARKERS
            if marker.search(text)
        )
    return found
