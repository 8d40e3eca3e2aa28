"""Opt-in `Server-Timing` header: how many store calls one request made, and their time.

The benchmark suite (bench/) reports store calls per request, the figure that shows whether
DataLoaders batch as they should. It is measured here, in the server, by handing each request
a counting proxy of the store instead of the store itself, and reported in a standard header
(`Server-Timing: store;dur=1.84;desc="calls=2"`) that any HTTP client can read.

Off unless `ICN_SERVER_TIMING=1`: production servers do not tell callers about their
internals. Concurrent store calls of one request overlap, so `dur` is the sum of the calls'
wall times, not the time the request waited for the store.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ENV_VAR", "CountingStore", "ServerTiming", "server_timing_middleware"]

ENV_VAR = "ICN_SERVER_TIMING"
"""Set to 1 to add the header (benchmarks only)."""


class CountingStore:
    """A store proxy that counts the awaited calls made through it and their wall time.

    One proxy serves one request, so its counters are that request's figures. Plain
    attributes (`backend`) pass straight through.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self.calls = 0
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr
        return self._counted(attr)

    def _counted(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            started = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return counted

    def header_value(self) -> str:
        """The `Server-Timing` metric for this request's store calls."""
        return f'store;dur={self.seconds * 1000:.3f};desc="calls={self.calls}"'


class ServerTiming:
    """ASGI middleware: give the request a CountingStore, report it in `Server-Timing`.

    The lifespan puts the store in the request's state (`scope["state"]["store"]`); this
    replaces it, for this request only, by a proxy. The header is added when the response
    starts, which for GraphQL is after execution has finished.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state")
        if scope["type"] != "http" or not state or state.get("store") is None:
            await self.app(scope, receive, send)
            return
        counting = CountingStore(state["store"])
        scope = {**scope, "state": {**state, "store": counting}}

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                timing = (b"server-timing", counting.header_value().encode("latin-1"))
                message = {**message, "headers": [*message.get("headers", ()), timing]}
            await send(message)

        await self.app(scope, receive, send_with_timing)


def server_timing_middleware(env: Mapping[str, str]) -> list[Middleware]:
    """The middleware to add to the app: ServerTiming when `ICN_SERVER_TIMING=1`, else none."""
    return [Middleware(ServerTiming)] if env.get(ENV_VAR, "").strip() == "1" else []
