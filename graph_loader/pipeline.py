"""The loader's path: read files -> resolve names -> validate -> one Batch -> plan or apply."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from graph_loader.evidence import check_evidence
from graph_loader.inputs import discover, read_input
from graph_loader.mou_csv import keep_stored_fields
from graph_loader.raw import sort_problems
from graph_loader.resolve import resolve_names
from graph_loader.validate import Stamp, check_records
from graph_store import ApplyResult, Batch, GraphStore, InvalidRecord, gc_paused

__all__ = [
    "Prepared",
    "Progress",
    "load_dataset",
    "locate",
    "new_stamp",
    "prepare",
]


class Progress(Protocol):
    """Where the pipeline reports how far it got (a rich progress bar, or nothing)."""

    def stage(self, description: str, total: int | None, records: int) -> None:
        """Start a stage of `total` units (None: unknown) covering about `records` records."""

    def advance(self, units: int) -> None:
        """Count `units` more units of the current stage as done."""


_BYTES_PER_RECORD = 200
"""About how many bytes one record takes in a file: sizes a reading stage in records."""


class _Silent:
    """Progress that reports nothing."""

    def stage(self, description: str, total: int | None, records: int) -> None:
        """Ignore the stage."""

    def advance(self, units: int) -> None:
        """Ignore the advance."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A validated input, ready to plan or apply: one Batch with one provenance stamp."""

    batch: Batch
    stamp: Stamp
    files: int

    @property
    def records(self) -> int:
        """Nodes plus relationships."""
        return len(self.batch.nodes) + len(self.batch.edges)


def new_stamp(now: datetime | None = None) -> Stamp:
    """A fresh load stamp: a batch id (UTC time + random suffix) and the ISO UTC load time."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    batch_id = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    return Stamp(batch_id, now.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


async def prepare(
    paths: Sequence[Path],
    store: GraphStore,
    *,
    evidence: bool = False,
    sources: Path | None = None,
    cwd: Path | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Read, resolve and validate `paths` as ONE batch; raise InvalidRecord with every problem.

    Raises BadUserInput for a path that does not exist or names no record files.
    """
    with gc_paused():
        return await _prepare(paths, store, evidence, sources, cwd, progress or _Silent())


async def _prepare(
    paths: Sequence[Path],
    store: GraphStore,
    evidence: bool,
    sources: Path | None,
    cwd: Path | None,
    progress: Progress,
) -> Prepared:
    inputs = discover(paths, cwd)
    sizes = [inp.path.stat().st_size for inp in inputs]
    progress.stage("Reading (bytes)", sum(sizes), sum(sizes) // _BYTES_PER_RECORD)
    files = []
    for order, (inp, size) in enumerate(zip(inputs, sizes, strict=True)):
        files.append(read_input(inp, order))
        progress.advance(size)
    whole = all(pf.readable for pf in files)
    if whole:
        await resolve_names(files, store)
        await keep_stored_fields(files, store)
    count = sum(len(pf.nodes) + len(pf.relationships) for pf in files)
    progress.stage("Validating", count, count)
    stamp = new_stamp()
    checked = await check_records(files, store, stamp, whole=whole, advance=progress.advance)
    if evidence:
        check_evidence(checked.edges, checked.edge_where, sources)
    problems = sort_problems(files)
    if problems:
        raise InvalidRecord(problems)
    batch = Batch(nodes=tuple(checked.nodes), edges=tuple(checked.edges))
    return Prepared(batch, stamp, len(files))


def locate(exc: InvalidRecord, batch: Batch) -> InvalidRecord:
    """The store's InvalidRecord with each problem placed at its record's file:line."""
    origins = {r.id: r.provenance.origin for r in (*batch.nodes, *batch.edges) if r.provenance}
    return InvalidRecord(
        [p if p.location else replace(p, location=origins.get(p.record)) for p in exc.problems]
    )


async def load_dataset(store: GraphStore, path: Path | str) -> ApplyResult:
    """Load a dataset file or directory into `store` in one transaction (server start-up).

    Raises InvalidRecord (every problem, each with its file:line) and writes nothing then.
    """
    prepared = await prepare([Path(path)], store)
    try:
        return await store.apply(prepared.batch)
    except InvalidRecord as exc:
        raise locate(exc, prepared.batch) from None
