"""Fixtures for the explorer's browser tests: a real server on loopback and Debian's Chromium.

The server is started as `python server.py` on a free 127.0.0.1 port with a fresh embedded store
in a temporary file, so it loads data/icn on first start exactly as a user's would. Chromium is
the system's (`chromium` on PATH); Playwright drives it through `executable_path` because
`playwright install` cannot download here. Without Chromium the tests are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
_START_TIMEOUT_S = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    """The public GraphQL API, asked directly: what the page should show comes from here."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._client = httpx.Client(base_url=base, timeout=30.0)

    def query(self, query: str, **variables: Any) -> dict[str, Any]:
        """Run one operation; fail the test on any GraphQL error."""
        response = self._client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def close(self) -> None:
        self._client.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, or a skip that says how to get it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium not found on PATH: apt-get install -y chromium (the CI script does)")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `python server.py` on loopback, with the ICN data loaded into a fresh store."""
    if not (ROOT / "server.py").exists():
        pytest.fail("server.py is missing: the explorer is served by it")
    store = tmp_path_factory.mktemp("explorer-store") / "icn.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        "GRAPH_URI": f"sqlite:///{store}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "ICN_DATA_DIR": str(ROOT / "data" / "icn"),
        "LOG_LEVEL": "warning",
        "ICN_KEYS_FILE": str(store.parent / "api-keys.json"),
        "RATE_LIMIT_IP": "0",
        "ACCESS_LOG": "off",
    }
    log = tmp_path_factory.mktemp("explorer-log") / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Poll the API until it answers with data (the first start also loads the dataset)."""
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server.py exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            response = httpx.post(
                f"{base}/graphql", json={"query": "{ stats { changeSeq } }"}, timeout=5.0
            )
            if response.status_code == 200 and response.json().get("data"):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    tail = log.read_text()[-4000:]
    pytest.fail(f"server.py did not answer within {_START_TIMEOUT_S:.0f}s:\n{tail}")


@pytest.fixture(scope="session")
def api(server: str) -> Iterator[Api]:
    client = Api(server)
    yield client
    client.close()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """One Chromium for the session (Playwright's sync API: these tests are plain functions)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A 1280x800 page that records script errors and any request leaving the server."""
    OUTPUT.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    script_errors: list[str] = []
    foreign: list[str] = []
    pg.on("pageerror", lambda err: script_errors.append(str(err)))
    pg.on(
        "request",
        lambda req: None if req.url.startswith((server, "data:")) else foreign.append(req.url),
    )
    yield pg
    context.close()
    # Every page must load and run with nothing but the server: no CDN, no outside fonts.
    assert foreign == [], f"requests beyond the server: {foreign}"
    assert script_errors == [], f"script errors: {script_errors}"
