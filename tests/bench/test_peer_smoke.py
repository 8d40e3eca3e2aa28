"""The peer (the Neo4j GraphQL Library) runs in the suite at the ICN scale and its ratios appear.

`tests/bench/test_bench_smoke.py` runs the suite with `--no-peer`; this runs it with the peer,
as people run it, on the test Neo4j (GRAPH_TEST_NEO4J_URI, whose data it replaces): the peer
is installed if needed (`npm ci` in bench/peer), checked to answer like our API
(`verify_same_answers`), then both are measured. Skipped without the Neo4j, Node.js or npm.
No timings are asserted, only that both sides answered and the ratios were written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cli import ExitCode
from bench.peer import PEER_WORKLOADS

ROOT = Path(__file__).resolve().parents[2]


def test_the_peer_answers_alike_and_its_ratios_are_reported(neo4j_uri: str, tmp_path: Path) -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("the peer needs Node.js and npm")
    command = [sys.executable, "-m", "bench", "--scale", "icn", "--backend", "neo4j"]
    command += ["--neo4j-uri", neo4j_uri, "--clients", "1", "--duration", "1", "--warmup", "0"]
    command += ["--workloads", "search", "--out", str(tmp_path / "out")]
    command += ["--cache", str(tmp_path / "cache")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == ExitCode.OK, done.stderr[-3000:]

    (json_file,) = (tmp_path / "out").glob("*.json")
    (run,) = json.loads(json_file.read_text())["runs"]
    peer = run["peer"]
    assert peer["status"] == "ran", peer.get("reason")
    cells = peer["results"]["1"]
    assert sorted(cells) == sorted(PEER_WORKLOADS)
    for name, cell in cells.items():
        assert cell["requests"] > 0 and cell["errors"] == 0, (name, cell.get("error_samples"))
        assert cell["ours"]["requests"] > 0 and cell["ours"]["errors"] == 0, name
        assert cell["p50_ratio"] > 0 and cell["rps_ratio"] > 0, name

    page = json_file.with_suffix(".md").read_text()
    assert "## Neo4j GraphQL Library" in page
    assert all(f"| icn | {name} | 1 |" in page for name in PEER_WORKLOADS)
