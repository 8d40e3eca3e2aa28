"""One server per backend for the whole conformance suite (the audit and the fuzzing share it).

The parameter is named `conformance_backend`, not `backend`, so pytest does not interleave these
tests with the end-to-end suite's (which share the name and the session scope) when it groups
tests by session parameter: this suite's Neo4j server reloads the shared Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance._server import BACKEND_PARAMS, Server, server_for


@pytest.fixture(scope="session", params=BACKEND_PARAMS)
def conformance_backend(request: pytest.FixtureRequest) -> str:
    """The backend under test, session-scoped so each backend gets ONE server."""
    return str(request.param)


@pytest.fixture(scope="session")
def server(
    conformance_backend: str,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """A running server for the backend, with the ICN data and the rate limits off."""
    with server_for(conformance_backend, request, tmp_path_factory) as running:
        yield running
