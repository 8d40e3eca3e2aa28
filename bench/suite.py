"""One benchmark run: for each scale and backend, load, start the server, drive the workloads.

The order inside one (scale, backend) leg: load the dataset into an empty store (timed, in a
child process), start `python server.py` on it (timed to ready), send one request of each
workload (the cold figures: a walk waits for the traversal index each worker builds as it
starts), then each workload at each concurrency; the paths floor right after paths at the
lowest concurrency, and the fixed costs (`bench.floor`) next to it (after the workloads when
paths is not run); the peer (Neo4j only) last, with our server stopped.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.driver import encode, run_cell
from bench.floor import measure_fixed_costs, measure_floor
from bench.http1 import Http1Error
from bench.loading import load_in_child, remove_sqlite_files
from bench.machine import load_average
from bench.neo4j_proc import Neo4jProcess
from bench.peer import run_peer_cells
from bench.scales import SCALES, Dataset, Scale, ensure_dataset, shown
from bench.server_proc import ServerProcess
from bench.workloads import WORKLOADS, Sample, build_requests, draw_sample, pairs
from graph_store import IcnGraphError, open_store

__all__ = ["SuiteConfig", "embedded_store", "run_suite", "say", "store_path"]

_REQUESTS_PER_WORKLOAD = 4096


@dataclass
class SuiteConfig:
    """What to run (built by bench.cli from the command line)."""

    scales: list[str]
    backends: list[str]
    clients: list[int]
    duration_s: float
    warmup_s: float
    workers: int
    out: Path
    cache: Path
    seed: int = 1
    workloads: list[str] = field(default_factory=lambda: list(WORKLOADS))
    neo4j_uri: str | None = None
    neo4j_port: int = 7710
    neo4j_heap: str | None = None
    reuse_store: bool = False
    peer: bool = True


def say(message: str) -> None:
    """Progress on stderr (stdout is left for the final summary)."""
    print(message, file=sys.stderr, flush=True)


async def _sample(uri: str) -> Sample:
    store = await open_store(uri)
    try:
        return await draw_sample(store)
    finally:
        await store.aclose()


async def _holds(uri: str, dataset: Dataset) -> bool:
    """Whether the store at `uri` holds as many nodes and relationships as `dataset`."""
    if dataset.nodes is None or dataset.relationships is None:
        return False  # the ICN dataset's size is known only once loaded: load it again
    store = await open_store(uri)
    try:
        stats = await store.stats()
    finally:
        await store.aclose()
    nodes, edges = sum(stats.nodes_by_kind.values()), sum(stats.edges_by_type.values())
    return (nodes, edges) == (dataset.nodes, dataset.relationships)


def store_path(cache: Path, scale: str) -> Path:
    """Where the embedded store of `scale` is kept between runs (`--cache`)."""
    return cache / scale / "icn.sqlite3"


def embedded_store(cfg: SuiteConfig, dataset: Dataset) -> tuple[str, dict[str, Any] | None]:
    """The embedded store of `dataset` (loaded now, with the load's figures, or reused)."""
    path = store_path(cfg.cache, dataset.scale)
    stamp = path.parent / "store-stamp.json"
    wanted = {"data": str(dataset.directory), "seed": cfg.seed}
    uri = f"sqlite:///{path}"
    reusable = cfg.reuse_store and path.is_file() and stamp.is_file()
    if reusable and json.loads(stamp.read_text()) == wanted:
        say(f"[{dataset.scale} sqlite] reusing the loaded store {shown(path)}")
        return uri, None
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    remove_sqlite_files(path)
    say(f"[{dataset.scale} sqlite] loading {shown(dataset.directory)} ...")
    figures = asdict(load_in_child(uri, dataset.directory))
    stamp.write_text(json.dumps(wanted))
    return uri, figures


async def _first_requests(base: str, sample: Sample, seed: int, names: list[str]) -> dict:
    """One request of each workload on the fresh server: the cold latencies (ms)."""
    cold: dict[str, Any] = {}
    headers = {"accept": "application/graphql-response+json", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base, timeout=300.0, headers=headers) as client:
        for name in names:
            body = encode(build_requests(name, sample, count=1, seed=seed))[0]
            started = time.perf_counter()
            response = await client.post("/graphql", content=body)
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            ok = response.status_code == 200 and b'"errors"' not in response.content
            cold[name] = {"ms": elapsed, "ok": ok}
    return cold


async def _drive(
    cfg: SuiteConfig, label: str, uri: str, server: ServerProcess, sample: Sample, run: dict
) -> None:
    cells: list[dict[str, Any]] = run["cells"]
    for name in cfg.workloads:
        requests = build_requests(name, sample, count=_REQUESTS_PER_WORKLOAD, seed=cfg.seed)
        for clients in cfg.clients:
            server.mark()
            cell = await run_cell(
                server.base,
                name,
                requests,
                clients=clients,
                duration_s=cfg.duration_s,
                warmup_s=cfg.warmup_s,
            )
            cell.peak_rss_mb = server.mark()
            cells.append(asdict(cell))
            loud = f"  !!! {cell.errors} ERRORS: {cell.error_samples[:1]}" if cell.errors else ""
            say(
                f"[{label}] {name:13} x{clients:<3} {cell.requests:6} req {cell.rps:8.1f}/s "
                f"p50 {cell.p50_ms:8.2f} p95 {cell.p95_ms:8.2f} p99 {cell.p99_ms:8.2f} ms "
                f"calls {cell.store_calls_per_request}{loud}"
            )
            if name == "paths" and clients == min(cfg.clients):
                floor = await measure_floor(
                    uri,
                    pairs(sample, _REQUESTS_PER_WORKLOAD, cfg.seed),
                    duration_s=cfg.duration_s,
                    warmup_s=cfg.warmup_s,
                )
                run["floor"] = {**asdict(floor), "clients": clients}
                say(f"[{label}] paths floor (bare store) p50 {floor.p50_ms:.2f} ms")
                await _fixed_costs(cfg, label, uri, server, run)  # next to the floor it bounds
    if run["fixed_costs"] is None:
        await _fixed_costs(cfg, label, uri, server, run)


async def _fixed_costs(
    cfg: SuiteConfig, label: str, uri: str, server: ServerProcess, run: dict
) -> None:
    """Measure the fixed costs into `run`; a failure is recorded, not raised (a side figure
    must not cost the leg's results)."""
    try:
        fixed = await measure_fixed_costs(
            uri, server.base, duration_s=cfg.duration_s, warmup_s=cfg.warmup_s
        )
    except (RuntimeError, OSError, Http1Error, IcnGraphError) as exc:
        run["fixed_costs"] = {"error": f"{type(exc).__name__}: {exc}"[:400]}
        say(f"[{label}] fixed costs not measured: {exc}")
        return
    run["fixed_costs"] = asdict(fixed)
    say(
        f"[{label}] fixed costs: `{{ __typename }}` p50 {fixed.http_p50_ms:.2f} ms, "
        f"a store round trip p50 {fixed.store_call_p50_ms:.2f} ms"
    )


async def _leg(cfg: SuiteConfig, scale: Scale, dataset: Dataset, backend: str) -> dict[str, Any]:
    label = f"{scale.name} {backend}"
    run: dict[str, Any] = {"scale": scale.name, "backend": backend, "workers": cfg.workers}
    run["started_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    run["load_average"] = {"start": load_average()}
    run.update(cells=[], floor=None, fixed_costs=None, peer=None, neo4j=None)
    neo4j: Neo4jProcess | None = None
    try:
        if backend == "sqlite":
            uri, run["load"] = embedded_store(cfg, dataset)
        else:
            if cfg.neo4j_uri:
                uri = cfg.neo4j_uri
            else:
                heap = cfg.neo4j_heap or scale.neo4j_heap
                neo4j = Neo4jProcess(cfg.neo4j_port, heap, scale.neo4j_pagecache)
                say(f"[{label}] starting Neo4j on {cfg.neo4j_port} (heap {heap}) ...")
                uri = neo4j.start()
            if cfg.reuse_store and neo4j is None and await _holds(uri, dataset):
                say(f"[{label}] reusing the data already in {uri}")
                run["load"] = None
            else:
                say(f"[{label}] loading {shown(dataset.directory)} ...")
                run["load"] = asdict(load_in_child(uri, dataset.directory))
            run["neo4j"] = _neo4j_figures(neo4j, uri)
        if run["load"]:
            load = run["load"]
            say(f"[{label}] loaded {load['relationships']} relationships in {load['total_s']} s")
        sample = await _sample(uri)
        run["dataset"] = {"people_sampled": len(sample.people), "entities": len(sample.entities)}
        gc.freeze()  # the sample lives all run: keep it out of the collector's walks
        server = ServerProcess(uri, workers=cfg.workers, log=cfg.cache / "logs" / f"{label}.log")
        run["startup_s"] = round(server.start(), 3)
        say(f"[{label}] server ready in {run['startup_s']} s")
        try:
            run["cold_ms"] = await _first_requests(server.base, sample, cfg.seed, cfg.workloads)
            await _drive(cfg, label, uri, server, sample, run)
            run["server_peak_rss_mb"] = server.peak_rss_mb
            if backend == "neo4j":
                run["peer"] = await _peer(cfg, label, uri, server.base)
        finally:
            server.stop()
        if neo4j is not None:
            run["neo4j"] = _neo4j_figures(neo4j, uri)
    finally:
        run["load_average"]["end"] = load_average()
        if neo4j is not None:
            neo4j.stop()
    return run


async def _peer(cfg: SuiteConfig, label: str, uri: str, api_url: str) -> dict[str, Any]:
    if not cfg.peer:
        return {"status": "not run", "reason": "--no-peer"}
    say(f"[{label}] the Neo4j GraphQL Library on the same Neo4j ...")
    peer = await run_peer_cells(
        uri, api_url=api_url, clients=cfg.clients, duration_s=cfg.duration_s, warmup_s=cfg.warmup_s
    )
    say(f"[{label}] peer: {peer['status']} {peer.get('reason', '')}")
    return peer


def _neo4j_figures(neo4j: Neo4jProcess | None, uri: str) -> dict[str, Any]:
    if neo4j is None:
        return {"uri": uri, "managed": False}
    return {
        "uri": uri,
        "managed": True,
        "heap_max": neo4j.heap,
        "pagecache": neo4j.pagecache,
        "peak_heap_used_mb": neo4j.peak_heap_used_mb(),
        "peak_rss_mb": neo4j.peak_rss_mb(),
    }


async def run_suite(cfg: SuiteConfig) -> list[dict[str, Any]]:
    """Every (scale, backend) leg of the run, in order; each a dict of raw figures."""
    runs = []
    for name in cfg.scales:
        scale = SCALES[name]
        dataset = ensure_dataset(scale, seed=cfg.seed, cache=cfg.cache)
        if dataset.generate_s is not None:
            say(
                f"[{name}] generated {dataset.relationships} relationships in "
                f"{dataset.generate_s:.1f} s"
            )
        for backend in cfg.backends:
            run = await _leg(cfg, scale, dataset, backend)
            load = run.get("load") or {}
            run["dataset"].update(
                directory=shown(dataset.directory),
                nodes=dataset.nodes or load.get("nodes"),
                relationships=dataset.relationships or load.get("relationships"),
                generate_s=dataset.generate_s,
            )
            runs.append(run)
    return runs
