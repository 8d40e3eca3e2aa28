"""`icn-load synthetic`: large, realistic, deterministic ICN-like networks for benchmarks.

Clusters in many countries, organisations as their members, people employed by organisations
(some moving on: time-bounded WORKS_FOR), projects with partner consortia, agreements between
clusters, events with attendees, and KNOWS between people. Degrees are heavy-tailed: employers
and events are drawn from Zipf weights, KNOWS and collaborations grow by preferential
attachment. `--people 60000` gives about 100k nodes and 1M relationships, written as JSON Lines
in the loader format so that they are loaded by the same code path as any dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from graph_loader._synthetic_edges import relationships
from graph_loader._synthetic_world import SOURCE, World

__all__ = ["SOURCE", "SyntheticResult", "write_synthetic"]

NODES_FILE = "nodes.jsonl"
RELATIONSHIPS_FILE = "relationships.jsonl"


@dataclass(frozen=True, slots=True)
class SyntheticResult:
    """What was written: the dataset directory (two .jsonl files) and the record counts."""

    directory: Path
    nodes: int
    relationships: int


def write_synthetic(out: Path, *, people: int, seed: int = 1) -> SyntheticResult:
    """Generate a network of `people` people (everything else scaled to it) into `out`.

    The same `people` and `seed` give byte-identical files.
    """
    out.mkdir(parents=True, exist_ok=True)
    world = World(max(people, 10), seed)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    counts = []
    for name, records in ((NODES_FILE, world.nodes()), (RELATIONSHIPS_FILE, relationships(world))):
        count = 0
        with (out / name).open("w", encoding="utf-8", newline="\n") as f:
            for record in records:
                f.write(encode(record))
                f.write("\n")
                count += 1
        counts.append(count)
    return SyntheticResult(out, counts[0], counts[1])
