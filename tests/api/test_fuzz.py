"""Generated queries never crash the API: every error is an expected one, never INTERNAL."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from graph_store import GraphStore
from resolvers import make_context
from schema import build_schema, sdl
from tests.api._fixture import fixture_batch

SCHEMA = build_schema()
SDL = sdl()
IDS = ["cluster/ccc", "cluster/oreec", "person/marianna-lubanski", "network/icn", "x/y", ""]
DATES = st.sampled_from(["2010", "2011-10", "2011-10-26", "1999-02-28"]).map(nodes.String)

_EXPECTED = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "LIMIT_EXCEEDED",
    "GRAPHQL_VALIDATION_FAILED",
}


@pytest.fixture
async def filled(sqlite_store: GraphStore) -> GraphStore:
    """The embedded store with the small fixture slice of the ICN."""
    await sqlite_store.apply(fixture_batch())
    return sqlite_store


def _ids() -> st.SearchStrategy[Any]:
    return st.sampled_from(IDS).map(nodes.String)


@pytest.mark.asyncio(loop_scope="session")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_generated_queries_fail_only_with_expected_codes(
    filled: GraphStore, data: st.DataObject
) -> None:
    query = data.draw(queries(SDL, custom_scalars={"Date": DATES, "ID": _ids()}))
    result = await SCHEMA.execute(query, context_value=make_context(filled))
    codes = {(e.extensions or {}).get("code") for e in result.errors or []}
    assert codes <= _EXPECTED, (query, [e.formatted for e in result.errors or []])
