"""`icn-load synthetic`: deterministic, heavy-tailed, valid networks loaded by the same path."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from graph_loader import ExitCode, write_synthetic
from graph_store import Certainty, GraphStore
from tests.graph_loader._support import arun_cli, run_cli


def _records(folder: Path, name: str) -> list[dict[str, object]]:
    with (folder / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path: Path) -> None:
    one = write_synthetic(tmp_path / "one", people=200, seed=7)
    two = write_synthetic(tmp_path / "two", people=200, seed=7)
    other = write_synthetic(tmp_path / "other", people=200, seed=8)

    for name in ("nodes.jsonl", "relationships.jsonl"):
        assert (one.directory / name).read_bytes() == (two.directory / name).read_bytes()
    assert (one.directory / "relationships.jsonl").read_bytes() != (
        other.directory / "relationships.jsonl"
    ).read_bytes()


def test_the_network_looks_like_a_real_one(tmp_path: Path) -> None:
    result = write_synthetic(tmp_path, people=300, seed=1)
    nodes = _records(tmp_path, "nodes.jsonl")
    rels = _records(tmp_path, "relationships.jsonl")

    assert (result.nodes, result.relationships) == (len(nodes), len(rels))
    kinds = Counter(n["kind"] for n in nodes)
    assert kinds["Person"] == 300
    assert {"Network", "Cluster", "Organisation", "Project", "Agreement", "Event"} <= set(kinds)
    assert len({n["country"] for n in nodes if n["kind"] == "Cluster"}) >= 2
    assert {r["certainty"] for r in rels} == {c.value for c in Certainty}
    moved = [r for r in rels if r["type"] == "WORKS_FOR" and "until" in r]
    assert moved, "some people should have changed employer"
    degree = Counter(end for r in rels if r["type"] == "KNOWS" for end in (r["from"], r["to"]))
    mean = sum(degree.values()) / len(degree)
    assert max(degree.values()) >= 4 * mean, "KNOWS degrees should be heavy-tailed"


async def test_a_small_network_is_written_and_loaded_by_the_loader(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    out = tmp_path / "synthetic"

    run = await arun_cli(["synthetic", "--people", "300", "--out", str(out), "--load"], graph_uri)

    assert run.code == ExitCode.OK, run.err
    stats = await store.stats()
    assert sum(stats.nodes_by_kind.values()) == len(_records(out, "nodes.jsonl"))
    assert sum(stats.edges_by_type.values()) == len(_records(out, "relationships.jsonl"))
    assert "Loaded (one transaction)" in run.out


def test_people_must_be_positive(tmp_path: Path) -> None:
    run = run_cli(["synthetic", "--people", "0", "--out", str(tmp_path)], None)

    assert run.code == ExitCode.INVALID
    assert "--people" in run.err
