"""`python -m bench --profile paths`: where one request's time goes, with pyinstrument.

The app is built in this process (`server.create_app`, lifespan run as uvicorn would) and
driven through httpx's ASGI transport, one request at a time, under pyinstrument's async
mode. Socket and HTTP parsing are left out; everything from the middleware down to the store
call is in. The profiles are written next to the results, as text.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from pyinstrument import Profiler

from bench.driver import encode
from bench.scales import ROOT, SCALES, ensure_dataset, shown
from bench.suite import SuiteConfig, embedded_store, say
from bench.workloads import build_requests, draw_sample
from graph_store import open_store
from server import Settings, create_app

__all__ = ["profile_workload", "run_profiles"]

_INTERVAL_S = 0.0002


async def profile_workload(
    uri: str, workload: str, *, duration_s: float, warmup_s: float, seed: int, out: Path
) -> dict[str, Any]:
    """Profile `workload` against the store at `uri`; write the call tree to `<out>.txt`.

    Text only: the HTML view of ten seconds of samples runs to tens of megabytes.
    """
    env = {"GRAPH_URI": uri, "RATE_LIMIT_IP": "0", "RATE_LIMIT_KEY": "0", "ACCESS_LOG": "off"}
    settings = Settings.from_env(env)
    store = await open_store(uri)
    try:
        sample = await draw_sample(store)
        await store.warm()  # the embedded store's traversal index: built before, not profiled
        bodies = encode(build_requests(workload, sample, count=4096, seed=seed))
        app = create_app(settings, store=store)
        async with app.router.lifespan_context(app) as state:

            async def with_state(scope: Any, receive: Any, send: Any) -> None:
                await app({**scope, "state": dict(state or {})}, receive, send)

            transport = httpx.ASGITransport(app=with_state)
            headers = {
                "accept": "application/graphql-response+json",
                "content-type": "application/json",
            }
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers
            ) as client:
                turn = 0

                async def drive(seconds: float) -> int:
                    nonlocal turn
                    end, sent = time.perf_counter() + seconds, 0
                    while time.perf_counter() < end:
                        body = bodies[turn % len(bodies)]
                        turn += 1
                        response = await client.post("/graphql", content=body)
                        if response.status_code != 200 or b'"errors"' in response.content:
                            raise RuntimeError(f"request failed: {response.text[:300]}")
                        sent += 1
                    return sent

                await drive(warmup_s)
                profiler = Profiler(interval=_INTERVAL_S, async_mode="enabled")
                started = time.perf_counter()
                with profiler:
                    sent = await drive(duration_s)
                elapsed = time.perf_counter() - started
    finally:
        await store.aclose()
    out.parent.mkdir(parents=True, exist_ok=True)
    # pyinstrument names files by absolute path; the saved profile names them in the project.
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    text = text.replace(f"{ROOT}/", "")
    out.with_suffix(".txt").write_text(text)
    return {"requests": sent, "mean_ms": round(elapsed * 1000 / max(sent, 1), 3)}


async def run_profiles(cfg: SuiteConfig, workloads: list[str]) -> int:
    """Profile each workload on each scale's embedded store (or the Neo4j of --neo4j-uri)."""
    stamp = time.strftime("%Y-%m-%d")
    cfg = replace(cfg, reuse_store=True)  # profile the loaded store; load only if there is none
    for name in cfg.scales:
        dataset = ensure_dataset(SCALES[name], seed=cfg.seed, cache=cfg.cache)
        for backend in cfg.backends:
            if backend == "sqlite":
                uri, _ = embedded_store(cfg, dataset)
            elif cfg.neo4j_uri:
                uri = cfg.neo4j_uri  # profiled as loaded: run the suite on it first
            else:
                say(f"[{name} neo4j] profiling needs --neo4j-uri of a loaded Neo4j: skipped")
                continue
            for workload in workloads:
                out = cfg.out / f"profile-{stamp}-{name}-{backend}-{workload}"
                figures = await profile_workload(
                    uri,
                    workload,
                    duration_s=cfg.duration_s,
                    warmup_s=cfg.warmup_s,
                    seed=cfg.seed,
                    out=out,
                )
                say(
                    f"[{name} {backend}] {workload}: {figures['requests']} requests, "
                    f"{figures['mean_ms']} ms each under the profiler -> {shown(out)}.txt"
                )
    return 0
