"""A Neo4j of the test's own, started and stopped with the CI launcher (.ci/neo4j/*.sh).

The outage test must stop and restart the database under a running server, so it cannot use
the suite's shared Neo4j: it starts another on its own port, with its store in the test's
temporary directory (NEO4J_RUN_DIR), and always stops it again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import NEO4J_URI_ENV, REQUIRE_NEO4J_ENV, SKIP_REASON
from tests.resilience._server import ROOT, free_port

__all__ = ["CI_PORT_ENV", "OwnNeo4j", "PORT_ENV", "start_own_neo4j"]

CI_PORT_ENV = "ICN_CI_NEO4J_PORT"
PORT_ENV = "ICN_OUTAGE_NEO4J_PORT"
"""Pin the outage test's Neo4j to this port (default: a free one)."""
_SCRIPTS = ROOT / ".ci" / "neo4j"
_SCRIPT_TIMEOUT_S = 300.0
_HEAP = "512m"


@dataclass(frozen=True)
class OwnNeo4j:
    """One Neo4j launched by start.sh on `port`, its store and logs under `run_dir`."""

    port: int
    run_dir: Path

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, *, keep_data: bool) -> subprocess.CompletedProcess[str]:
        """start.sh [--keep-data] PORT; the caller checks the return code."""
        flags = ["--keep-data"] if keep_data else []
        return self._script("start.sh", *flags)

    def stop(self, *, kill: bool = False) -> None:
        """stop.sh [--kill] PORT: a clean shutdown, or SIGKILL (a simulated crash)."""
        done = self._script("stop.sh", *(["--kill"] if kill else []))
        assert done.returncode == 0, f"stop.sh failed:\n{done.stderr}"

    def restart(self) -> float:
        """start.sh --keep-data PORT (same store); the seconds it took."""
        started = time.monotonic()
        done = self.start(keep_data=True)
        assert done.returncode == 0, f"start.sh --keep-data failed:\n{done.stderr[-4000:]}"
        return time.monotonic() - started

    def send_signal(self, signum: signal.Signals) -> None:
        """Send `signum` to the running launcher (SIGSTOP freezes it, SIGCONT resumes it)."""
        pid_file = self.run_dir / str(self.port) / "neo4j.pid"
        os.kill(int(pid_file.read_text().strip()), signum)

    def _script(self, name: str, *flags: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "NEO4J_RUN_DIR": str(self.run_dir),
            "NEO4J_HEAP": os.environ.get("NEO4J_HEAP", _HEAP),
        }
        return subprocess.run(
            ["bash", str(_SCRIPTS / name), *flags, str(self.port)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=_SCRIPT_TIMEOUT_S,
            check=False,
        )


def start_own_neo4j(run_dir: Path) -> OwnNeo4j:
    """A fresh, empty Neo4j of our own; skips (or fails, when required) if it cannot start.

    Runs only when the Neo4j leg is on (GRAPH_TEST_NEO4J_URI or ICN_CI_NEO4J_PORT set), since
    that is when the launcher (Java, Maven cache) is known to be there.
    """
    required = os.environ.get(REQUIRE_NEO4J_ENV) == "1"
    leg_on = any(os.environ.get(name, "").strip() for name in (NEO4J_URI_ENV, CI_PORT_ENV))
    if not leg_on:
        if required:
            pytest.fail(f"{REQUIRE_NEO4J_ENV}=1 but {NEO4J_URI_ENV} is not set", pytrace=False)
        pytest.skip(SKIP_REASON)
    pinned = os.environ.get(PORT_ENV, "").strip()
    neo4j = OwnNeo4j(port=int(pinned) if pinned else free_port(), run_dir=run_dir)
    done = neo4j.start(keep_data=False)
    if done.returncode != 0:
        neo4j.stop(kill=True)
        message = f"could not start a Neo4j of its own on port {neo4j.port}:\n{done.stderr[-4000:]}"
        if required:
            pytest.fail(f"{REQUIRE_NEO4J_ENV}=1 but the outage test {message}", pytrace=False)
        prefix = SKIP_REASON.partition(":")[0]
        pytest.skip(f"{prefix}: the outage test {message}")
    return neo4j
