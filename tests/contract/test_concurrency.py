"""Concurrent use: another process's write becomes visible; concurrent calls stay consistent."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path

import pytest

from graph_store import (
    Batch,
    EdgeFilter,
    GraphStore,
    InvalidRecord,
    NodeQuery,
    PathQuery,
)
from tests.conftest import sqlite_uri
from tests.contract._build import edge, node, random_graph

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = 200
_WRITER = """
import asyncio, sys
from graph_store import Batch, Certainty, Edge, Node, NodeKind, edge_id, open_store

async def main(uri: str, count: int) -> None:
    store = await open_store(uri)
    try:
        nodes = tuple(
            Node(f"person/w{i:03d}", NodeKind.PERSON, f"Writer {i}") for i in range(count)
        )
        edges = tuple(
            Edge(edge_id("KNOWS", a.id, b.id), "KNOWS", a.id, b.id, Certainty.STATED, "s.txt", "q")
            for a, b in zip(nodes, nodes[1:])
        )
        await store.apply(Batch(nodes=nodes, edges=edges))
    finally:
        await store.aclose()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def test_a_write_from_another_process_is_seen_by_an_open_reader_within_a_second(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("the cross-process file store is the embedded backend's concern")
    await store.apply(Batch(nodes=(node("person/reader"),)))
    seq = await store.change_seq()
    ids = [f"person/w{i:03d}" for i in range(WRITTEN)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WRITER, sqlite_uri(tmp_path), str(WRITTEN), cwd=ROOT, env=env,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip

    reads = 0
    while writer.returncode is None:
        seen = await store.get_nodes(ids)
        assert len(seen) in (0, WRITTEN)  # a batch is visible whole or not at all
        reads += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(writer.wait(), 0.01)
    assert writer.returncode == 0, (await writer.stderr.read()).decode()  # type: ignore[union-attr]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 1.0
    while len(await store.get_nodes(ids)) < WRITTEN and loop.time() < deadline:
        await asyncio.sleep(0.02)

    assert len(await store.get_nodes(ids)) == WRITTEN
    assert await store.change_seq() == seq + 1
    assert len((await store.edges_of(["person/w001"], EdgeFilter()))["person/w001"]) == 2
    assert reads > 0


async def test_concurrent_reads_give_the_same_answers_as_sequential_ones(
    store: GraphStore,
) -> None:
    graph = random_graph(31, nodes=24, edges=40)
    await store.apply(graph)
    ids = sorted(n.id for n in graph.nodes)

    def calls() -> list:
        return [
            store.get_nodes(ids),
            store.edges_of(ids, EdgeFilter()),
            store.paths(ids[0], ids[-1], PathQuery(max_hops=4, k=5)),
            store.paths(ids[3], ids[10], PathQuery(max_hops=4, k=5)),
            store.neighbourhood(ids[5], depth=2, flt=EdgeFilter(), limit=50),
            store.search("clean"),
            store.list_nodes(NodeQuery(), first=10, after=ids[4]),
            store.stats(),
        ]

    sequential = [await c for c in calls()]
    concurrent = await asyncio.gather(*calls(), *calls(), *calls())

    assert list(concurrent) == sequential * 3


async def test_concurrent_applies_each_commit_whole(store: GraphStore) -> None:
    people = [node(f"person/c{i}") for i in range(4)]
    await store.apply(Batch(nodes=tuple(people)))
    seq = await store.change_seq()
    first = Batch(nodes=(node("person/x1"),), edges=(edge("KNOWS", people[0].id, people[1].id),))
    second = Batch(nodes=(node("person/x2"),), edges=(edge("KNOWS", people[2].id, people[3].id),))
    broken = Batch(nodes=(node("person/x3"),), edges=(edge("KNOWS", people[0].id, "person/no"),))

    results = await asyncio.gather(
        store.apply(first), store.apply(broken), store.apply(second), return_exceptions=True
    )

    assert isinstance(results[1], InvalidRecord)
    assert sorted(r.seq for r in (results[0], results[2])) == [seq + 1, seq + 2]  # type: ignore[union-attr]
    assert sorted(await store.get_nodes(["person/x1", "person/x2", "person/x3"])) == [
        "person/x1",
        "person/x2",
    ]
    assert await store.change_seq() == seq + 2
