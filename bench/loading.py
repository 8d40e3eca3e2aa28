"""The loader's figures: records per second into an empty store, in a process of its own.

The load runs in a child process (`python -m bench.loading`) so that its peak memory is its
own, and so the benchmark process does not carry a million records into the HTTP workloads.
It goes through `graph_loader.prepare` and `store.apply`: the path `icn-load` takes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from graph_loader import prepare
from graph_store import open_store

__all__ = ["LoadFigures", "load_in_child", "remove_sqlite_files"]


@dataclass(frozen=True, slots=True)
class LoadFigures:
    """One load of a dataset into an empty store."""

    backend: str
    nodes: int
    relationships: int
    prepare_s: float
    """Read, resolve and validate (graph_loader)."""
    apply_s: float
    """The store's one transaction (checks, diff, writes)."""
    total_s: float
    records_per_s: float
    clear_s: float
    """Emptying the store first (not part of the load)."""
    peak_rss_mb: float
    """Peak memory of the loading process (the Python side; Neo4j's own is reported apart)."""


def remove_sqlite_files(path: Path) -> None:
    """Delete an embedded store file with its WAL and shared-memory companions."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _load(uri: str, data: Path) -> LoadFigures:
    store = await open_store(uri)
    try:
        started = time.perf_counter()
        await store.clear()
        cleared = time.perf_counter()
        prepared = await prepare([data], store)
        prepared_at = time.perf_counter()
        await store.apply(prepared.batch)
        done = time.perf_counter()
    finally:
        await store.aclose()
    total = done - cleared
    return LoadFigures(
        backend=store.backend,
        nodes=len(prepared.batch.nodes),
        relationships=len(prepared.batch.edges),
        prepare_s=round(prepared_at - cleared, 3),
        apply_s=round(done - prepared_at, 3),
        total_s=round(total, 3),
        records_per_s=round(prepared.records / total, 1),
        clear_s=round(cleared - started, 3),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def load_in_child(uri: str, data: Path, *, timeout_s: float = 3600.0) -> LoadFigures:
    """Empty the store at `uri` and load `data` into it, in a child process; its figures.

    Raises RuntimeError with the child's error output when the load fails.
    """
    command = [sys.executable, "-m", "bench.loading", "--uri", uri, "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    if done.returncode != 0:
        raise RuntimeError(f"loading {data} into {uri} failed:\n{done.stderr[-3000:]}")
    return LoadFigures(**json.loads(done.stdout.strip().splitlines()[-1]))


def _main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loading")
    parser.add_argument("--uri", required=True, help="GRAPH_URI of the store to fill")
    parser.add_argument("--data", required=True, type=Path, help="dataset file or folder")
    args = parser.parse_args()
    figures = asyncio.run(_load(args.uri, args.data))
    print(json.dumps(asdict(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
