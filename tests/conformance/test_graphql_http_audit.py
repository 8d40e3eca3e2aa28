"""The GraphQL-over-HTTP audits of the `graphql-http` npm package, run against the real server.

`audit.mjs` runs graphql-http's `auditServer` (the checks its authors derived from the
GraphQL-over-HTTP spec, each named MUST, SHOULD or MAY) against a `python server.py` on each
backend and prints every result. Every audit must come back `ok`: stock strawberry passes the
MUSTs but warns on eight SHOULDs (the application/graphql-response+json media type and its 400s),
which schema/http.py exists to fix. See docs/conformance.md.

The pinned graphql-http is installed with `npm ci` when node_modules is missing or does not
match package-lock.json. Without node/npm the test is skipped, unless ICN_REQUIRE_NEO4J=1 (CI),
where a missing toolchain is a failure like a missing Neo4j.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conformance._server import Server

HERE = Path(__file__).resolve().parent
AUDIT_SCRIPT = HERE / "audit.mjs"
GRAPHQL_HTTP_VERSION = "1.23.1"
EXPECTED_AUDITS = {"MUST": 13, "SHOULD": 23, "MAY": 25}
"""How many audits graphql-http 1.23.1 runs, by requirement level (61 in all). A new version
that adds or drops audits fails here on purpose: look at what changed, then update the numbers
and docs/conformance.md."""
_NPM_TIMEOUT_S = 300
_AUDIT_TIMEOUT_S = 120


def _toolchain() -> tuple[str, str]:
    """Paths of node and npm; skip (or fail in CI) when they are not installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is not None and npm is not None:
        return node, npm
    message = "node and npm are needed for the graphql-http audit (not on PATH)"
    if os.environ.get("ICN_REQUIRE_NEO4J") == "1":
        pytest.fail(f"ICN_REQUIRE_NEO4J=1 (CI) but {message}", pytrace=False)
    pytest.skip(message)


def _locked_packages(lockfile: Path) -> dict[str, tuple[str, str]]:
    """Each installed package's (version, integrity) as a lock file records it."""
    packages = json.loads(lockfile.read_text())["packages"]
    return {
        path: (entry.get("version", ""), entry.get("integrity", ""))
        for path, entry in packages.items()
        if path.startswith("node_modules/")
    }


def _installed_matches_lock() -> bool:
    # npm keeps a copy of what it installed in node_modules/.package-lock.json.
    installed = HERE / "node_modules" / ".package-lock.json"
    try:
        return _locked_packages(installed) == _locked_packages(HERE / "package-lock.json")
    except (OSError, ValueError, KeyError):  # missing or not npm's: install again
        return False


@pytest.fixture(scope="session")
def node_bin() -> str:
    """node, with the locked graphql-http installed beside audit.mjs."""
    node, npm = _toolchain()
    if not _installed_matches_lock():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=_NPM_TIMEOUT_S,
            check=False,
        )
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    assert _installed_matches_lock(), "node_modules still differs from package-lock.json"
    return node


def run_audit(node: str, url: str) -> dict[str, Any]:
    """Run audit.mjs against `url` and return its JSON report."""
    done = subprocess.run(
        [node, str(AUDIT_SCRIPT), url],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=_AUDIT_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"audit.mjs exited {done.returncode}:\n{done.stderr[-4000:]}"
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _failure(result: dict[str, Any]) -> str:
    return (
        f"[{result['status']}] {result['id']} {result['name']}: {result['reason']}"
        f" (HTTP {result.get('httpStatus')}, {result.get('contentType')}, "
        f"body {result.get('body')!r:.200})"
    )


def test_every_graphql_over_http_audit_passes(
    node_bin: str, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_audit(node_bin, server.graphql)
    results = report["results"]
    assert report["graphqlHttp"] == GRAPHQL_HTTP_VERSION

    levels = Counter(result["name"].split(" ", 1)[0] for result in results)
    assert dict(levels) == EXPECTED_AUDITS, f"graphql-http {report['graphqlHttp']}: {levels}"
    assert len({result["id"] for result in results}) == len(results), "audit ids repeat"

    failures = [_failure(result) for result in results if result["status"] != "ok"]
    assert not failures, f"{len(failures)} of {len(results)} audits not ok:\n" + "\n".join(failures)
    tally = Counter(f"{r['name'].split(' ', 1)[0]} {r['status']}" for r in results)
    with capsys.disabled():
        print(f"\ngraphql-http {report['graphqlHttp']} on {server.backend}: {dict(tally)}")
