"""An in-process HTTP client for the app, with its lifespan run as a server runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette

__all__ = ["asgi_client"]


@asynccontextmanager
async def asgi_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """httpx on the app itself, no socket: starlette's TestClient does the same through a
    bridge to httpx that Starlette deprecates. The lifespan's state reaches each request as
    uvicorn hands it on."""
    async with app.router.lifespan_context(app) as state:

        async def with_state(scope: Any, receive: Any, send: Any) -> None:
            await app({**scope, "state": dict(state or {})}, receive, send)

        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
