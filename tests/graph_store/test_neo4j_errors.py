"""Driver and socket failures become graph_store errors in one place, without leaking Cypher.

These are the exceptions the driver raises on the client side (no server is needed to make
them); the server-side codes are checked against a real Neo4j in test_neo4j_store.py.
"""

from __future__ import annotations

import pytest
from neo4j.exceptions import (
    ConfigurationError,
    ConnectionAcquisitionTimeoutError,
    IncompleteCommit,
    ServiceUnavailable,
    SessionExpired,
)

from graph_store import BadUserInput, IcnGraphError, NotFound, StoreUnavailable
from graph_store._neo4j_errors import translate, translating
from graph_store.neo4j import _lucene_prefix

SECRET = "MATCH (n:Entity) WHERE n.id = 'x' RETURN n"


@pytest.mark.parametrize(
    "exc",
    [
        ServiceUnavailable(SECRET),
        SessionExpired(SECRET),
        ConnectionAcquisitionTimeoutError(SECRET),
        IncompleteCommit(SECRET),
        ConnectionRefusedError(111, SECRET),
        TimeoutError(SECRET),
    ],
    ids=lambda e: type(e).__name__,
)
def test_connection_failures_become_store_unavailable(exc: Exception) -> None:
    error = translate(exc)

    assert isinstance(error, StoreUnavailable)
    assert error.code == "STORE_UNAVAILABLE"
    assert "MATCH" not in str(error)


def test_unexpected_driver_errors_become_internal_without_their_message() -> None:
    error = translate(ConfigurationError(SECRET))

    assert type(error) is IcnGraphError
    assert error.code == "INTERNAL"
    assert "MATCH" not in str(error)


@pytest.mark.parametrize("error", [NotFound("no node"), BadUserInput("bad")])
def test_graph_store_errors_pass_through_unchanged(error: IcnGraphError) -> None:
    assert translate(error) is error


async def test_a_translated_error_keeps_no_reference_to_the_driver_exception() -> None:
    @translating
    async def failing() -> None:
        raise ServiceUnavailable(SECRET)

    with pytest.raises(StoreUnavailable) as info:
        await failing()

    assert info.value.__cause__ is None
    assert info.value.__context__ is None


async def test_graph_store_errors_raised_inside_a_wrapped_call_are_not_rewrapped() -> None:
    @translating
    async def failing() -> None:
        raise NotFound("no node with id 'person/x'")

    with pytest.raises(NotFound, match="person/x"):
        await failing()


@pytest.mark.parametrize(
    ("token", "query"),
    [("oreec", "oreec*"), ("a+b", "a\\+b*"), ('x"y:z', 'x\\"y\\:z*'), ("a/b", "a\\/b*")],
)
def test_lucene_prefix_escapes_special_characters(token: str, query: str) -> None:
    assert _lucene_prefix(token) == query
