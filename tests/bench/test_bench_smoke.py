"""The benchmark suite runs end to end at the ICN scale: a smoke run that asserts no timings.

`python -m bench` is run as people run it, on the ICN data, with one client and about a second
per workload, writing into a temporary folder. The embedded leg always runs; the Neo4j leg
uses the test Neo4j (GRAPH_TEST_NEO4J_URI, whose data it replaces) and is skipped without it.
The peer (the Neo4j GraphQL Library, a Node app) is left out here: it has its own tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cli import ExitCode, main
from bench.workloads import WORKLOADS
from schema.server_timing import ServerTiming, server_timing_middleware

ROOT = Path(__file__).resolve().parents[2]
_PNG = b"\x89PNG\r\n\x1a\n"


def _run_bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bench", "--scale", "icn", "--clients", "1"]
    command += ["--duration", "1", "--warmup", "0", "--no-peer"]
    command += ["--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)


def test_the_suite_runs_every_workload_without_errors(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    extra = ["--neo4j-uri", request.getfixturevalue("neo4j_uri")] if backend == "neo4j" else []
    done = _run_bench(tmp_path, "--backend", backend, *extra)
    assert done.returncode == ExitCode.OK, done.stderr[-3000:]

    (json_file,) = (tmp_path / "out").glob("*.json")
    report = json.loads(json_file.read_text())
    assert report["errors_total"] == 0
    (run,) = report["runs"]
    assert (run["scale"], run["backend"]) == ("icn", backend)
    assert run["commit"] == report["machine"]["git_commit"]
    assert run["load"]["relationships"] > 0 and run["load"]["records_per_s"] > 0
    assert run["startup_s"] > 0 and run["server_peak_rss_mb"] > 0
    cells = {cell["workload"]: cell for cell in run["cells"]}
    assert sorted(cells) == sorted(WORKLOADS)
    for name, cell in cells.items():
        assert cell["requests"] > 0, name
        assert cell["errors"] == 0, (name, cell["error_samples"])
        # The server's Server-Timing header was read: every request touches the store.
        assert cell["store_calls_per_request"] >= 1, name
    assert run["floor"]["requests"] > 0
    # The fixed costs were measured in the run: a no-work request and a bare store round trip.
    fixed = run["fixed_costs"]
    assert 0 < fixed["http_p50_ms"] <= fixed["http_p99_ms"]
    assert 0 < fixed["store_call_p50_ms"] <= fixed["store_call_p99_ms"]
    assert {t["key"] for t in report["targets"]} >= {"paths_p50", "mixed_rps", "load_sqlite"}

    page = json_file.with_suffix(".md").read_text()
    assert "## Targets" in page and all(f"| {name} | 1 |" in page for name in WORKLOADS)
    # The paths row carries the bound the fixed costs give: "| 0.49 | 1.41x | 100% |".
    assert re.search(r"\| \d+\.\d\d \| \d+\.\d\dx \| \d+% \|", page), page
    # Results are committed: they name no folder of the machine that produced them.
    for text in (json_file.read_text(), page, done.stdout):
        assert str(ROOT) not in text and str(tmp_path) not in text
    charts = sorted((tmp_path / "out").glob("*.png"))
    assert len(charts) == 2
    assert all(chart.read_bytes().startswith(_PNG) for chart in charts)


def test_an_unknown_scale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--scale", "XL"]) == ExitCode.USAGE
    assert "unknown scale" in capsys.readouterr().err


def test_server_timing_is_off_unless_asked_for() -> None:
    assert server_timing_middleware({}) == []
    assert server_timing_middleware({"ICN_SERVER_TIMING": "0"}) == []
    (middleware,) = server_timing_middleware({"ICN_SERVER_TIMING": "1"})
    assert middleware.cls is ServerTiming
