"""The benchmark's data sizes: the ICN dataset, and synthetic networks M and L (fixed seed).

Synthetic files are generated once per scale and seed into `var/bench/<scale>/data/` (ignored
by git) and reused while their stamp matches, since writing 10M relationships takes minutes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from graph_loader import write_synthetic

__all__ = ["ROOT", "SCALES", "Dataset", "Scale", "ensure_dataset", "shown"]

ROOT = Path(__file__).resolve().parent.parent
_STAMP = "data-stamp.json"
"""Beside the data folder, never in it: the loader would read a .json there as records."""


def shown(path: Path | str) -> str:
    """A path as results and logs show it: relative to the project when inside it, so the
    committed results name no folder of the machine they ran on."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else resolved.name


@dataclass(frozen=True, slots=True)
class Scale:
    """A data size: the ICN dataset (people None) or a synthetic network of `people` people."""

    name: str
    people: int | None
    neo4j_heap: str
    """Neo4j's -Xmx for this scale: the loader writes the whole batch in one transaction, whose
    state lives on the heap until the commit (M: about 8 GB in use at the peak, no full GC)."""
    neo4j_pagecache: str
    about: str


SCALES: dict[str, Scale] = {
    "icn": Scale("icn", None, "1g", "128m", "the ICN dataset (data/icn)"),
    "M": Scale("M", 60_000, "10g", "1g", "about 100k nodes and 1M relationships"),
    "L": Scale("L", 600_000, "20g", "4g", "about 1M nodes and 10M relationships"),
}


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset ready to load: its directory, and its size when known before loading."""

    scale: str
    directory: Path
    nodes: int | None
    relationships: int | None
    generate_s: float | None
    """Seconds spent writing the synthetic files in this run (None: reused or not synthetic)."""


def ensure_dataset(scale: Scale, *, seed: int, cache: Path) -> Dataset:
    """The dataset of `scale`, generating the synthetic files if they are not cached yet."""
    if scale.people is None:
        return Dataset(scale.name, ROOT / "data" / "icn", None, None, None)
    directory = cache / scale.name / "data"
    wanted = {"people": scale.people, "seed": seed}
    stamp_file = directory.parent / _STAMP
    if stamp_file.is_file():
        stamp = json.loads(stamp_file.read_text())
        if {k: stamp.get(k) for k in wanted} == wanted:
            return Dataset(
                scale.name, directory, stamp["nodes"], stamp["relationships"], generate_s=None
            )
    stamp_file.unlink(missing_ok=True)
    started = time.perf_counter()
    result = write_synthetic(directory, people=scale.people, seed=seed)
    elapsed = time.perf_counter() - started
    stamp = {**wanted, "nodes": result.nodes, "relationships": result.relationships}
    stamp_file.write_text(json.dumps(stamp))
    return Dataset(scale.name, directory, result.nodes, result.relationships, elapsed)
