"""Helpers of the loader tests: run `icn-load` in-process, dump a store, find the test data."""

from __future__ import annotations

import asyncio
import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from graph_loader import main
from graph_store import Edge, EdgeFilter, GraphStore, Node, NodeQuery, Provenance

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
"""A small stored graph the malformed inputs are loaded against."""
SOURCES = BASE / "sources"
BAD_INPUTS = HERE / "bad_inputs"
REPO = HERE.parent.parent
DATASET = REPO / "data" / "icn"
TEMPLATE = REPO / "data" / "templates" / "mou.csv"


@dataclass(frozen=True)
class Run:
    """What one `icn-load` run returned and printed."""

    code: int
    out: str
    err: str


def run_cli(argv: list[str], uri: str | None) -> Run:
    """Run `icn-load argv` with GRAPH_URI=`uri`, capturing stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    env = {"GRAPH_URI": uri} if uri else {}
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv, env)
    return Run(code, out.getvalue(), err.getvalue())


async def arun_cli(argv: list[str], uri: str | None) -> Run:
    """`run_cli` from inside an event loop (the CLI runs its own loop, so in a thread)."""
    return await asyncio.to_thread(run_cli, argv, uri)


Dump = tuple[list[tuple[Node, Provenance | None]], list[tuple[Edge, Provenance | None]], int]


async def dump(store: GraphStore) -> Dump:
    """Everything in the store: nodes and edges with provenance (which `==` ignores), and seq."""
    nodes: list[Node] = []
    after: str | None = None
    while True:
        page = await store.list_nodes(NodeQuery(), first=1000, after=after)
        nodes.extend(page.items)
        if not page.has_next:
            break
        after = page.items[-1].id
    by_node = await store.edges_of([n.id for n in nodes], EdgeFilter())
    edges = {e.id: e for found in by_node.values() for e in found}
    return (
        [(n, n.provenance) for n in nodes],
        [(edges[i], edges[i].provenance) for i in sorted(edges)],
        await store.change_seq(),
    )


def dataset_ready() -> bool:
    """Whether data/icn holds dataset files yet (a colleague writes them)."""
    return any(DATASET.glob("*.yaml"))
