"""Shared fixtures: the backend parameter, a fresh store per test, and the Neo4j leg's report.

Every suite that should run on both backends asks for `backend` (or for `store`, which depends
on it). The Neo4j leg needs `GRAPH_TEST_NEO4J_URI`; without it those tests are skipped, unless
`ICN_REQUIRE_NEO4J=1` (CI) turns a missing or unreachable server into a failure.

One Neo4j store (one driver) is shared by the whole session and cleared before each test. The
driver is bound to the event loop it was opened in, so tests that use `store`, `neo4j_store`
or `sqlite_store` are run in pytest-asyncio's session loop automatically; async fixtures that
call such a store must say `loop_scope="session"` too.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from graph_store import GraphStore, IcnGraphError, open_store

NEO4J_URI_ENV = "GRAPH_TEST_NEO4J_URI"
REQUIRE_NEO4J_ENV = "ICN_REQUIRE_NEO4J"
BACKENDS = ("sqlite", "neo4j")
_SKIP_PREFIX = "Neo4j leg skipped:"
SKIP_REASON = f"{_SKIP_PREFIX} set {NEO4J_URI_ENV}"
_STORE_FIXTURES = frozenset({"store", "neo4j_store", "sqlite_store"})
_PROBE_TIMEOUT_S = 5.0


@dataclass
class _Neo4jLeg:
    """What the session knows about the Neo4j leg, for skipping and the final report."""

    uri: str | None
    required: bool
    unreachable: str | None = None
    ran: int = 0


_LEG = _Neo4jLeg(uri=None, required=False)
"""The session's Neo4j leg; hooks without access to the config update it."""


def pytest_configure(config: pytest.Config) -> None:
    _LEG.uri = os.environ.get(NEO4J_URI_ENV, "").strip() or None
    _LEG.required = os.environ.get(REQUIRE_NEO4J_ENV) == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        fixtures = set(getattr(item, "fixturenames", ()))
        if (callspec is not None and callspec.params.get("backend") == "neo4j") or (
            fixtures & {"neo4j_store", "neo4j_uri"}
        ):
            item.add_marker(pytest.mark.neo4j)
        # The shared Neo4j driver lives in the session loop; a test using it must run there.
        uses_store = _STORE_FIXTURES & fixtures
        marker = item.get_closest_marker("asyncio")
        if uses_store and (marker is None or "loop_scope" not in marker.kwargs):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # A test "ran" against Neo4j when its body was executed, whether it passed or failed.
    if report.when == "call" and "neo4j" in report.keywords and not report.skipped:
        _LEG.ran += 1


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    # Fold the Neo4j leg's skips into one summary line rather than one line per test.
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and _SKIP_PREFIX in longrepr[2]:
        report.longrepr = (__file__, None, longrepr[2])
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    leg = _LEG
    if leg.uri is None and leg.required:
        line = f"Neo4j leg FAILED ({REQUIRE_NEO4J_ENV}=1 but no {NEO4J_URI_ENV}): 0 tests ran"
    elif leg.uri is None:
        line = f"Neo4j leg SKIPPED (no {NEO4J_URI_ENV}): embedded backend only"
    elif leg.unreachable is not None and leg.required:
        line = f"Neo4j leg FAILED ({leg.uri} unreachable): 0 tests ran"
    elif leg.unreachable is not None:
        line = f"Neo4j leg SKIPPED ({leg.uri} unreachable): embedded backend only"
    else:
        line = f"Neo4j leg: {leg.ran} tests ran against {leg.uri}"
    terminalreporter.write_line(line)


async def _probe(uri: str) -> str | None:
    """Why the Neo4j at `uri` cannot be used, or None when it answers."""
    try:
        store = await open_store(uri, timeout_s=_PROBE_TIMEOUT_S)
    except IcnGraphError as exc:
        return f"{exc.code}: {exc}"
    try:
        health = await store.health()
        return None if health.ok else f"health check failed: {health.detail}"
    finally:
        await store.aclose()


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The test Neo4j's URI, probed once per session; skips (or fails, if required) without it."""
    leg = _LEG
    if leg.uri is None:
        if leg.required:
            pytest.fail(f"{REQUIRE_NEO4J_ENV}=1 but {NEO4J_URI_ENV} is not set", pytrace=False)
        pytest.skip(SKIP_REASON)
    # No event loop runs while a sync fixture is set up, so a throwaway one is fine here.
    leg.unreachable = asyncio.run(_probe(leg.uri))
    if leg.unreachable is not None:
        message = f"Neo4j at {leg.uri} is unreachable ({leg.unreachable})"
        if leg.required:
            pytest.fail(f"{REQUIRE_NEO4J_ENV}=1 but {message}", pytrace=False)
        pytest.skip(f"{_SKIP_PREFIX} {message}")
    return leg.uri


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def _neo4j_shared_store(neo4j_uri: str) -> AsyncIterator[GraphStore]:
    """One Neo4j store (one driver, one schema set-up) for the whole session."""
    store = await open_store(neo4j_uri)
    try:
        yield store
    finally:
        await store.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def neo4j_store(_neo4j_shared_store: GraphStore) -> GraphStore:
    """The shared Neo4j store, emptied for this test."""
    await _neo4j_shared_store.clear()
    return _neo4j_shared_store


@pytest_asyncio.fixture(loop_scope="session")
async def sqlite_store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    """A fresh embedded store in this test's temporary directory."""
    store = await open_store(sqlite_uri(tmp_path))
    try:
        yield store
    finally:
        await store.aclose()


@pytest.fixture(params=[pytest.param(name, id=name) for name in BACKENDS])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: every test that asks for it runs once per backend."""
    return request.param


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest) -> GraphStore:
    """An empty, open store of the backend under test (closed or cleared by its own fixture)."""
    return request.getfixturevalue(f"{backend}_store")


def sqlite_uri(directory: Path) -> str:
    """The GRAPH_URI of an embedded store file inside `directory`."""
    return f"sqlite:///{directory / 'icn.sqlite3'}"


@pytest.fixture
def graph_uri(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A GRAPH_URI for a server subprocess: a fresh SQLite file, or the (cleared) test Neo4j."""
    if backend == "sqlite":
        return sqlite_uri(tmp_path)
    request.getfixturevalue("neo4j_store")  # empties the database before the server starts
    return request.getfixturevalue("neo4j_uri")
