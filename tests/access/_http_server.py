"""A real `python server.py` for the partner-access tests: its own key file, env and stderr log.

Unlike tests/api (one server per backend for the whole session), each of these servers gets
settings of its own (tiny rate limits, CORS origins, a key file), so the tests can drive it into
its limits without disturbing any other suite.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
_READY_TIMEOUT_S = 90.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One running server: where it listens and where its stderr goes."""

    base: str
    log: Path
    http: httpx.Client

    def graphql(
        self,
        body: Mapping[str, Any] | None = None,
        *,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        accept: str = "application/graphql-response+json",
    ) -> httpx.Response:
        """POST `body` to /graphql (GET with `params` when `body` is None)."""
        sent = {"Accept": accept, **(headers or {})}
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"
        if body is None:
            return self.http.get(f"{self.base}/graphql", params=params, headers=sent)
        return self.http.post(f"{self.base}/graphql", json=body, headers=sent)

    def access_lines(self) -> list[dict[str, Any]]:
        """The JSON access-log lines the server has written so far."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"server not ready after {_READY_TIMEOUT_S}s:\n{log.read_text()}")


@contextmanager
def running_server(graph_uri: str, env: Mapping[str, str], log: Path) -> Iterator[Server]:
    """`python server.py` on a free port with `env` on top of ours; stopped on exit.

    stdout and stderr both go to `log`, so a test can read the access log back.
    """
    port = free_port()
    full_env = {
        **os.environ,
        "GRAPH_URI": graph_uri,
        "ICN_DATA_DIR": str(ROOT / "data" / "icn"),
        "LOG_LEVEL": "warning",
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "server.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log)
        with httpx.Client(timeout=30.0) as http:
            yield Server(base=base, log=log, http=http)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
