"""One real server per backend per session: `python server.py` on a free loopback port.

The embedded leg starts the server on an empty SQLite file so that it seeds itself from the
ICN dataset (the first-start path); the Neo4j leg clears the test Neo4j and loads the same
dataset before starting. While `graph_loader.load_dataset` or data/icn/ is missing, both legs
use the small fixture batch of `_fixture.py` instead.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from graph_store import Batch, GraphStore, open_store
from tests.api._client import Api
from tests.api._fixture import fixture_batch
from tests.conftest import BACKENDS, sqlite_uri

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data" / "icn"
ADMIN_KEY = "test-admin-key-0123456789"
MAX_BODY_BYTES = 200_000
CORS_ORIGIN = "http://portal.test"
_READY_TIMEOUT_S = 90.0


def dataset_available() -> bool:
    """Whether the real dataset and its loader are there (else the fixture batch is used)."""
    try:
        from graph_loader import load_dataset  # noqa: F401
    except ImportError:
        return False
    return any(DATA_DIR.glob("*.yaml")) or any(DATA_DIR.glob("*.json*"))


async def fill(store: GraphStore) -> None:
    """Empty `store`, then load the dataset (or the fixture batch) into it."""
    await store.clear()
    if dataset_available():
        from graph_loader import load_dataset

        await load_dataset(store, DATA_DIR)
    else:
        await store.apply(fixture_batch())


@asynccontextmanager
async def holding(store: GraphStore, backend: str, batch: Batch) -> AsyncIterator[GraphStore]:
    """`store` (empty, from the contract fixture) with `batch` applied, for one module's tests.

    The session's Neo4j API server reads the same database, so Neo4j gets the dataset back
    afterwards; each embedded store is the test's own.
    """
    await store.apply(batch)
    yield store
    if backend == "neo4j":
        await fill(store)


async def _fill_uri(uri: str) -> None:
    store = await open_store(uri)
    try:
        await fill(store)
    finally:
        await store.aclose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture(scope="session", params=[pytest.param(name, id=name) for name in BACKENDS])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test; session-scoped here so each backend gets ONE server."""
    return request.param


@pytest.fixture(scope="session")
def portal_port() -> int:
    """Port of the loopback "partner site" whose origin the servers' CORS list allows."""
    return _free_port()


@pytest.fixture(scope="session")
def api(
    backend: str,
    portal_port: int,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Api]:
    """A running server for `backend` with the ICN data, and a client for it."""
    if backend == "sqlite":
        uri = sqlite_uri(tmp_path_factory.mktemp("api-sqlite"))
        if not dataset_available():
            asyncio.run(_fill_uri(uri))
    else:
        uri = request.getfixturevalue("neo4j_uri")
        asyncio.run(_fill_uri(uri))
    port = _free_port()
    log = tmp_path_factory.mktemp(f"server-{backend}") / "server.log"
    env = {
        **os.environ,
        "GRAPH_URI": uri,
        "ICN_ADMIN_KEY": ADMIN_KEY,
        "MAX_BODY_BYTES": str(MAX_BODY_BYTES),
        "CORS_ORIGINS": f"{CORS_ORIGIN},http://127.0.0.1:{portal_port}",
        "ICN_DATA_DIR": str(DATA_DIR),
        "LOG_LEVEL": "warning",
        # Isolated from a developer's var/api-keys.json; the suites here are not rate tests.
        "ICN_KEYS_FILE": str(log.parent / "api-keys.json"),
        "RATE_LIMIT_IP": "0",
        "ACCESS_LOG": "off",
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
        with httpx.Client(timeout=30.0) as http:
            yield Api(base=base, backend=backend, admin_key=ADMIN_KEY, http=http)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
