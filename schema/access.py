"""Who may call, from where, how often, and what they did: one ASGI middleware for partner access.

For every HTTP request, in this order:

1. CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here,
   before authentication, because browsers never send credentials on a preflight;
2. authenticate (`Authorization: Bearer <key>` or `X-API-Key`): an unknown or revoked key, or no
   key while anonymous access is off, answers 401 UNAUTHENTICATED (and costs the client address
   a token, so made-up keys are limited like keyless calls); the principal goes into
   `scope["state"]["principal"]` (Starlette's `request.state.principal`) for the GraphQL view;
3. per-partner CORS: a key bound to origins refuses any other browser origin (403 FORBIDDEN);
   responses echo `Access-Control-Allow-Origin` only for origins the server or a key allows;
4. rate limit: a token bucket per key, or per client address for callers without a key
   (429 RATE_LIMITED with `Retry-After`);
5. run the app, then write one JSON line on logger `icn.access` (never a key, header, query text
   or variables).

Health probes (/healthz, /readyz) skip all of it, so a load balancer is never limited or
logged. The explorer's static pages (/, /explore) skip authentication: they hold no data and
the explorer calls /graphql anonymously. Limits are per process; `AccessPolicy.workers` divides
them so WORKERS processes together allow about the configured rate (docs/security.md).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.permissions import ANONYMOUS, Principal, Unauthenticated, authenticate
from resolvers.rate_limit import RateLimiter, per_worker
from schema.http import error_body, negotiate

__all__ = [
    "ACCESS_LOGGER",
    "ALLOWED_HEADERS",
    "ALLOWED_METHODS",
    "HEALTH_PATHS",
    "PREFLIGHT_MAX_AGE_S",
    "PREFLIGHT_STATUS",
    "Access",
    "AccessPolicy",
    "KeySource",
]

ACCESS_LOGGER = "icn.access"
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
ALLOWED_METHODS = ("GET", "POST")
ALLOWED_HEADERS = ("Authorization", "X-API-Key", "Content-Type", "Accept")
PREFLIGHT_MAX_AGE_S = 600
PREFLIGHT_STATUS = 200
"""Status of an allowed preflight (any 2xx passes the browser's check; 200 as Starlette did)."""

access_log = logging.getLogger(ACCESS_LOGGER)


class KeySource(Protocol):
    """What this middleware needs from the key registry (resolvers.api_keys.KeyRegistry)."""

    def principal_for(self, key: str) -> Principal | None: ...

    def all_origins(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """The settings this middleware applies (built from server.Settings)."""

    admin_key: str | None = None
    anonymous: str = "read"
    cors_origins: tuple[str, ...] = ()
    rate_limit_ip: int = 600
    """Requests per minute per client address without a key, server-wide (0 = no limit)."""
    rate_limit_key: int = 3000
    """Requests per minute per key unless the key sets its own, server-wide (0 = no limit)."""
    workers: int = 1
    """uvicorn worker processes: each enforces its share of every limit."""
    access_log: bool = True


def _is_public(path: str) -> bool:
    """The explorer's static pages: no data, no key needed (the page itself calls /graphql)."""
    return path == "/" or path == "/explore" or path.startswith("/explore/")


def _client(scope: Scope) -> str:
    # uvicorn rewrites `client` from X-Forwarded-For when the peer is a trusted proxy
    # (FORWARDED_ALLOW_IPS), so this is the caller's address behind a reverse proxy too.
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _same_origin(scope: Scope, headers: Headers, origin: str) -> bool:
    """Whether `origin` is this server itself (the GraphQL page at /graphql)."""
    host = headers.get("host")
    return host is not None and origin == f"{scope.get('scheme', 'http')}://{host}"


class Access:
    """Pure ASGI middleware: authentication, per-partner CORS, rate limits and the access log."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: AccessPolicy,
        registry: KeySource,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.policy = policy
        self.registry = registry
        self.limiter = limiter if limiter is not None else RateLimiter()
        # Browsers send origins in lower case; key origins are stored that way too.
        self._server_origins = frozenset(o.lower() for o in policy.cors_origins)

    def _origin_allowed(self, origin: str) -> bool:
        origin = origin.lower()
        return origin in self._server_origins or origin in self.registry.all_origins()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in HEALTH_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin if origin and self._origin_allowed(origin) else None
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500
        sent = 0

        async def tracked_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
                _add_cors_headers(MutableHeaders(scope=message), allowed)
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self._handle(scope, receive, tracked_send, headers, origin, allowed, state)
        finally:
            if self.policy.access_log:
                self._log(scope, state, status, sent, started)

    async def _handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        origin: str | None,
        allowed: str | None,
        state: dict[str, Any],
    ) -> None:
        accept = headers.get("accept")
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            requested = headers["access-control-request-method"].upper()
            await _preflight(origin if allowed else None, requested)(scope, receive, send)
            return
        if _is_public(scope["path"]):
            principal = ANONYMOUS
        else:
            try:
                principal = authenticate(
                    headers, self.policy.admin_key, self.registry, self.policy.anonymous
                )
            except Unauthenticated as exc:
                # Refused keys still cost the address a token: a flood of made-up keys is
                # limited like any other keyless traffic.
                limit = self.policy.rate_limit_ip
                if await self._limited(scope, send, receive, accept, f"ip:{_client(scope)}", limit):
                    return
                body = error_body(str(exc), "UNAUTHENTICATED")
                extra = {"www-authenticate": "Bearer"}
                await _refusal(body, 401, accept, extra)(scope, receive, send)
                return
        state["principal"] = principal
        if (
            origin
            and principal.origins
            and origin.lower() not in principal.origins
            and not _same_origin(scope, headers, origin)
        ):
            body = error_body(f"this key may not be used from {origin}", "FORBIDDEN")
            await _refusal(body, 403, accept)(scope, receive, send)
            return
        bucket, limit = self._bucket(scope, principal)
        if await self._limited(scope, send, receive, accept, bucket, limit):
            return
        await self.app(scope, receive, send)

    async def _limited(
        self,
        scope: Scope,
        send: Send,
        receive: Receive,
        accept: str | None,
        bucket: str,
        limit: int,
    ) -> bool:
        """Take a token from `bucket`; when there is none, answer 429 and return True."""
        decision = self.limiter.take(bucket, per_worker(limit, self.policy.workers))
        if decision.allowed:
            return False
        message = (
            f"rate limit of {limit} requests per minute exceeded: "
            f"retry after {decision.retry_after_s} s"
        )
        extra = {"retry-after": str(decision.retry_after_s)}
        body = error_body(message, "RATE_LIMITED")
        await _refusal(body, 429, accept, extra)(scope, receive, send)
        return True

    def _bucket(self, scope: Scope, principal: Principal) -> tuple[str, int]:
        """The bucket a request draws from, and that bucket's server-wide limit per minute."""
        if principal.key_id is not None:
            name = f"key:{principal.key_id}"
        elif principal != ANONYMOUS:
            name = f"principal:{principal.name}"  # the bootstrap admin key
        else:
            return f"ip:{_client(scope)}", self.policy.rate_limit_ip
        limit = principal.rate_limit
        return name, self.policy.rate_limit_key if limit is None else limit

    def _log(
        self, scope: Scope, state: Mapping[str, Any], status: int, sent: int, started: float
    ) -> None:
        principal: Principal | None = state.get("principal")
        record = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "key_id": principal.key_id if principal else None,
            "partner": principal.name if principal else None,
            "client": _client(scope),
            "operation": state.get("operation"),
            "persisted": state.get("persisted"),
            "bytes": sent,
        }
        access_log.info(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def _add_cors_headers(headers: MutableHeaders, allowed: str | None) -> None:
    """CORS headers of an actual (non-preflight) response; `allowed` is the echoed origin."""
    headers.add_vary_header("Origin")
    if allowed is not None:
        headers["access-control-allow-origin"] = allowed
        headers["access-control-expose-headers"] = "Retry-After"


def _preflight(allowed: str | None, requested_method: str) -> Response:
    if allowed is None:
        body = error_body("this origin may not call the API from a browser", "FORBIDDEN")
        return JSONResponse(body, status_code=403)
    if requested_method not in ALLOWED_METHODS:
        body = error_body(f"method {requested_method} is not allowed", "FORBIDDEN")
        return JSONResponse(body, status_code=403)
    headers = {
        "access-control-allow-methods": ", ".join(ALLOWED_METHODS),
        "access-control-allow-headers": ", ".join(ALLOWED_HEADERS),
        "access-control-max-age": str(PREFLIGHT_MAX_AGE_S),
    }
    return Response(status_code=PREFLIGHT_STATUS, headers=headers)


def _refusal(
    body: dict[str, Any], status: int, accept: str | None, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(body, status_code=status, media_type=negotiate(accept), headers=headers)
