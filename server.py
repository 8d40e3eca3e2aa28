"""ICN Graph over HTTP: the Starlette app (GraphQL, health, schema, sources) and `python server.py`.

One `Settings` is built from the environment, `create_app(settings)` wires routes and middleware,
and the lifespan opens the store once (seeding an empty embedded store with data/icn/) and
closes it on shutdown. Later features slot into the lists built by `_routes` and `_middleware`,
and into `Context` (principal, extras) for field-level checks.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import logging
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_store import GraphStore, StoreUnavailable, open_store
from resolvers.api_keys import KeyRegistry
from schema import GraphQLView, QueryLimits, build_schema
from schema.access import ACCESS_LOGGER, Access, AccessPolicy
from schema.http import error_body
from server_workers import run_workers

__all__ = ["ExitCode", "Settings", "access_policy", "app_from_env", "create_app", "main"]

logger = logging.getLogger("icn.server")

ROOT = Path(__file__).resolve().parent
_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


class ExitCode(enum.IntEnum):
    """Exit codes of `python server.py` (the team's CLI convention)."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    STORE_UNAVAILABLE = 4
    INTERRUPTED = 130


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ValueError(f"{name}={value} is below the minimum of {minimum}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server is configured with; built once, from the environment."""

    graph_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    admin_key: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 1_000_000
    data_dir: Path = ROOT / "data" / "icn"
    log_level: str = "info"
    # Partner access (docs/security.md): API keys, anonymous callers, rate limits, logs.
    keys_file: Path = ROOT / "var" / "api-keys.json"
    anonymous: str = "read"
    """ICN_ANONYMOUS: "read" (public fields without a key) or "off" (every request needs a key)."""
    introspection: str = "on"
    """ICN_INTROSPECTION: "on" (everyone), "keys" (callers with a key only) or "off"."""
    rate_limit_ip: int = 600
    """RATE_LIMIT_IP: requests per minute per client address without a key (0 = no limit)."""
    rate_limit_key: int = 3000
    """RATE_LIMIT_KEY: requests per minute per API key unless the key sets its own (0 = none)."""
    access_log: bool = True
    # Query limits (schema/limits.py): every rejection happens before the store is touched.
    request_timeout_ms: int = 10_000
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2_000
    max_cost: int = 10_000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read GRAPH_URI, NEO4J_*, HOST, PORT, WORKERS, ICN_ADMIN_KEY, CORS_ORIGINS, ...

        Raises ValueError naming the variable when a value cannot be used.
        """
        origins = tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
        data_dir = env.get("ICN_DATA_DIR", "").strip()
        return cls(
            graph_uri=env.get("GRAPH_URI", "").strip() or None,
            neo4j_user=env.get("NEO4J_USER") or None,
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", "").strip() or "neo4j",
            host=env.get("HOST", "").strip() or "127.0.0.1",
            port=_int(env, "PORT", 8000, minimum=0),
            workers=_int(env, "WORKERS", 1, minimum=1),
            admin_key=env.get("ICN_ADMIN_KEY") or None,
            cors_origins=origins,
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 1_000_000, minimum=1024),
            data_dir=Path(data_dir) if data_dir else ROOT / "data" / "icn",
            log_level=(env.get("LOG_LEVEL", "").strip() or "info").lower(),
            keys_file=Path(keys)
            if (keys := env.get("ICN_KEYS_FILE", "").strip())
            else ROOT / "var" / "api-keys.json",
            anonymous=_choice(env, "ICN_ANONYMOUS", "read", ("read", "off")),
            introspection=_choice(env, "ICN_INTROSPECTION", "on", ("on", "keys", "off")),
            rate_limit_ip=_int(env, "RATE_LIMIT_IP", 600, minimum=0),
            rate_limit_key=_int(env, "RATE_LIMIT_KEY", 3000, minimum=0),
            access_log=_choice(env, "ACCESS_LOG", "on", ("on", "off")) == "on",
            request_timeout_ms=_int(env, "REQUEST_TIMEOUT_MS", 10_000, minimum=10),
            max_depth=_int(env, "MAX_QUERY_DEPTH", 12, minimum=2),
            max_aliases=_int(env, "MAX_ALIASES", 30, minimum=1),
            max_tokens=_int(env, "MAX_TOKENS", 2_000, minimum=100),
            max_cost=_int(env, "MAX_QUERY_COST", 10_000, minimum=1),
        )


async def open_configured_store(settings: Settings) -> GraphStore:
    """Open the store GRAPH_URI names (one driver for the whole process)."""
    return await open_store(
        settings.graph_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=settings.neo4j_database,
    )


async def seed_if_empty(store: GraphStore, settings: Settings) -> None:
    """Load data/icn/ into an EMPTY embedded store, so a fresh checkout answers at once."""
    if store.backend != "sqlite":
        return
    stats = await store.stats()
    if any(stats.nodes_by_kind.values()) or not settings.data_dir.is_dir():
        return
    # >>> SEED CALL SITE: graph_loader.load_dataset(store, path) applies the dataset in one batch.
    try:
        from graph_loader import load_dataset  # type: ignore[attr-defined]
    except ImportError:
        logger.warning("graph_loader.load_dataset is not available: starting with an empty store")
        return
    await load_dataset(store, settings.data_dir)
    logger.info("seeded the empty store from %s", settings.data_dir)


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, whether announced or streamed."""

    class _TooLarge(Exception):
        pass

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise self._TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except self._TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than {self.max_bytes} bytes"
        response = JSONResponse(error_body(message, "LIMIT_EXCEEDED"), status_code=413)
        await response(scope, receive, send)


async def healthz(request: Request) -> Response:
    """Liveness: the process answers (says nothing about the store)."""
    return JSONResponse({"status": "ok"})


READYZ_TIMEOUT_S = 3.0


async def readyz(request: Request) -> Response:
    """Readiness: 200 when the store answers its health probe, 503 otherwise.

    The probe has READYZ_TIMEOUT_S: a load balancer must hear "not ready" from a server whose
    store hangs (a frozen Neo4j), not wait on it.
    """
    store: GraphStore | None = getattr(request.state, "store", None)
    if store is None:
        return JSONResponse({"ok": False, "detail": "store not open"}, status_code=503)
    try:
        health = await asyncio.wait_for(store.health(), READYZ_TIMEOUT_S)
    except TimeoutError:
        detail = f"STORE_UNAVAILABLE: no answer to the health probe in {READYZ_TIMEOUT_S:g} s"
        return JSONResponse({"ok": False, "detail": detail}, status_code=503)
    body = {
        "ok": health.ok,
        "backend": health.backend,
        "detail": health.detail,
        "latencyMs": round(health.latency_ms, 2),
    }
    return JSONResponse(body, status_code=200 if health.ok else 503)


def _source_route(sources_dir: Path) -> Route:
    root = sources_dir.resolve()

    async def source(request: Request) -> Response:
        """A seed document as text/plain; names are plain file names, never paths."""
        name = request.path_params["name"]
        path = (root / name).resolve() if _SOURCE_NAME.match(name) else None
        if path is None or path.parent != root or not path.is_file():
            return PlainTextResponse("no such source document", status_code=404)
        return FileResponse(path, media_type="text/plain; charset=utf-8")

    return Route("/sources/{name}", source, methods=["GET", "HEAD"])


def _routes(settings: Settings, view: GraphQLView, sdl: str) -> list[BaseRoute]:
    async def schema_sdl(request: Request) -> Response:
        """The schema in SDL, for codegen and partner tooling."""
        return PlainTextResponse(sdl)

    async def home(request: Request) -> Response:
        """The site's front page is the explorer (relative, so a path prefix keeps working)."""
        return RedirectResponse("explore/")

    return [
        Route("/", home, methods=["GET", "HEAD"]),
        Mount("/explore", app=StaticFiles(directory=ROOT / "explorer", html=True), name="explorer"),
        Route("/graphql", view, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/schema.graphql", schema_sdl, methods=["GET", "HEAD"]),
        _source_route(settings.data_dir / "sources"),
    ]


def access_policy(settings: Settings) -> AccessPolicy:
    """What schema.access enforces: keys, anonymous mode, CORS, rate limits, the access log."""
    return AccessPolicy(
        admin_key=settings.admin_key,
        anonymous=settings.anonymous,
        cors_origins=settings.cors_origins,
        rate_limit_ip=settings.rate_limit_ip,
        rate_limit_key=settings.rate_limit_key,
        workers=settings.workers,
        access_log=settings.access_log,
    )


def _middleware(settings: Settings, registry: KeyRegistry) -> list[Middleware]:
    # Outermost first: refuse unknown keys, foreign origins and floods before any body is read.
    middleware = [Middleware(Access, policy=access_policy(settings), registry=registry)]
    # zlib's default level, not Starlette's 9: a 34 KB neighbourhood answer compresses in
    # 0.27 ms instead of 0.55 ms, 1% larger (docs/performance.md).
    middleware.append(Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6))
    middleware.append(Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes))
    # Benchmarks only (ICN_SERVER_TIMING=1): store calls per request in a Server-Timing header.
    from schema.server_timing import server_timing_middleware

    middleware.extend(server_timing_middleware(os.environ))
    return middleware


async def _warm(store: GraphStore) -> None:
    """Build the store's traversal structures while the server already answers (readiness
    is not held back: requests that need them meanwhile wait for the build, as before)."""
    started = time.perf_counter()
    try:
        await store.warm()
    except Exception:  # the first walk builds it then, and reports what fails
        logger.warning("warming the store failed; the first walk builds its index", exc_info=True)
        return
    logger.info("store warm in %.1f s", time.perf_counter() - started)


def create_app(settings: Settings, *, store: GraphStore | None = None) -> Starlette:
    """The ASGI app. With `store`, the caller owns it (tests); otherwise the lifespan opens it."""
    graphql_schema = build_schema(
        limits=QueryLimits(
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_cost=settings.max_cost,
            introspection=settings.introspection,
            timeout_ms=settings.request_timeout_ms,
        )
    )
    registry = KeyRegistry(settings.keys_file)
    view = GraphQLView(graphql_schema, operations=registry.operation)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        if store is not None:
            yield {"store": store}
            return
        opened = await open_configured_store(settings)
        warming: asyncio.Task[None] | None = None
        try:
            await seed_if_empty(opened, settings)
            logger.info("store open: %s", opened.backend)
            warming = asyncio.create_task(_warm(opened))
            yield {"store": opened}
        finally:
            if warming is not None:
                warming.cancel()
                with suppress(asyncio.CancelledError):
                    await warming
            await opened.aclose()
            logger.info("store closed")

    app = Starlette(
        routes=_routes(settings, view, graphql_schema.as_str()),
        middleware=_middleware(settings, registry),
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The access log is bare JSON lines on stderr, on whatever LOG_LEVEL says (ACCESS_LOG
    # alone turns it off), so a log shipper can parse every line as it is.
    access = logging.getLogger(ACCESS_LOGGER)
    access.setLevel(logging.INFO)
    access.propagate = False
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)


def app_from_env() -> Starlette:
    """The app configured from os.environ (uvicorn's factory when WORKERS > 1)."""
    settings = Settings.from_env(os.environ)
    _configure_logging(settings)  # each worker is a fresh process
    return create_app(settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="server.py", description="Serve the ICN Graph API.")
    parser.add_argument("--host", help="address to bind (env HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (env PORT, default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (env WORKERS, default 1)")
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run uvicorn until interrupted; the lifespan closes the store on shutdown."""
    env = os.environ if env is None else env
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(env)
    except ValueError as exc:
        print(f"server.py: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    overrides = {k: v for k in ("host", "port", "workers") if (v := getattr(args, k)) is not None}
    settings = replace(settings, **overrides)
    if settings.workers < 1:
        print("server.py: --workers must be at least 1", file=sys.stderr)
        return ExitCode.USAGE
    _configure_logging(settings)
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
        # schema.access writes the access log; uvicorn's would print query strings (GET
        # operations and their variables), which must never reach a log.
        "access_log": False,
    }
    try:
        if settings.workers > 1:
            # Seed once here, so the workers do not race to fill an empty embedded store.
            asyncio.run(_seed_once(settings))
            # Workers rebuild Settings from the environment: pass --workers on, because each
            # worker enforces its share (1/WORKERS) of every rate limit.
            os.environ["WORKERS"] = str(settings.workers)
            config = uvicorn.Config("server:app_from_env", factory=True, **options)
            return run_workers(config, settings.workers)
        else:
            uvicorn.run(create_app(settings), **options)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except StoreUnavailable as exc:
        print(f"server.py: the graph store is unavailable: {exc}", file=sys.stderr)
        return ExitCode.STORE_UNAVAILABLE
    return ExitCode.OK


async def _seed_once(settings: Settings) -> None:
    store = await open_configured_store(settings)
    try:
        await seed_if_empty(store, settings)
    finally:
        await store.aclose()


if __name__ == "__main__":
    sys.exit(main())
