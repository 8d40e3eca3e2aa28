"""Unexpected failures are masked (code INTERNAL) and logged with the traceback server-side."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from graph_store import GraphStore, Health
from resolvers import make_context
from schema import INTERNAL_MESSAGE, build_schema
from server import Settings, create_app
from tests._asgi import asgi_client

SECRET = "password=hunter2 at /srv/secret/path"


class BrokenSearchStore:
    """A real store whose `search` fails with an unexpected exception (fault injection)."""

    def __init__(self, inner: GraphStore | None = None) -> None:
        self._inner = inner
        self.backend = inner.backend if inner is not None else "broken"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def search(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(SECRET)

    async def health(self) -> Health:
        return Health(True, self.backend, "ok", 0.0)


async def test_unexpected_exception_is_masked_and_logged(
    sqlite_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    schema = build_schema()
    context = make_context(BrokenSearchStore(sqlite_store))  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="icn.graphql"):
        result = await schema.execute('{ search(text: "x") { totalCount } }', context_value=context)
    assert result.errors
    error = result.errors[0].formatted
    assert error["message"] == INTERNAL_MESSAGE
    assert error["extensions"] == {"code": "INTERNAL"}
    assert "hunter2" not in json.dumps(error)
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "hunter2" in str(logged[0].exc_info[1])


async def test_masked_error_over_http_shows_no_detail() -> None:
    app = create_app(Settings(), store=BrokenSearchStore())  # type: ignore[arg-type]
    async with asgi_client(app) as client:
        query = '{ search(text: "x") { totalCount } }'
        response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert "hunter2" not in response.text and "Traceback" not in response.text
