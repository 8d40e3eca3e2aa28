"""`python -m bench.executor_ab`: the lean executor against graphql-core's, in one process.

Run-to-run speed on a shared two-core machine varies more than the executor changes, so the
two executors are compared inside one process, on the same loaded store and the same
requests: rounds of `ROUND` requests alternate between them (in turn first), each timed on
the main thread's CPU clock (the store's worker threads are the same for both and left out).
The figure is the median of the per-round ratios, lean / graphql-core, with its quartiles.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.scales import ROOT
from bench.suite import store_path
from bench.workloads import Request, build_requests, draw_sample
from graph_store import GraphStore, open_store
from resolvers import make_context
from schema import build_schema

__all__ = ["compare"]

ROUND = 50


async def compare(uri: str, workloads: list[str], rounds: int, seed: int) -> dict[str, list[float]]:
    """Per-round CPU ratios (lean / graphql-core) of each workload, checking equal answers."""
    store = await open_store(uri)
    try:
        sample = await draw_sample(store)
        await store.warm()  # the traversal index: built before anything is timed
        schema = build_schema()
        executors = {"lean": schema.execution_context_class}
        executors["graphql-core"] = StrawberryGraphQLCoreExecutionContext
        ratios: dict[str, list[float]] = {}
        for name in workloads:
            requests = build_requests(name, sample, count=ROUND * 4, seed=seed)
            ratios[name] = []
            for turn in range(rounds):
                start = (turn % 4) * ROUND
                order = ("lean", "graphql-core") if turn % 2 else ("graphql-core", "lean")
                chunk = requests[start : start + ROUND]
                got = {e: await _timed(schema, executors[e], store, chunk) for e in order}
                if got["lean"][1] != got["graphql-core"][1]:
                    raise RuntimeError(f"{name}: the executors answered differently")
                ratios[name].append(got["lean"][0] / got["graphql-core"][0])
            schema.execution_context_class = executors["lean"]
        return ratios
    finally:
        await store.aclose()


async def _timed(
    schema: Any, executor: type, store: GraphStore, requests: Sequence[Request]
) -> tuple[float, list[str]]:
    """Main-thread CPU seconds of `requests` through `executor`, and the answers."""
    schema.execution_context_class = executor
    answers = []
    started = time.thread_time()
    for query, variables in requests:
        result = await schema.execute(query, variables, context_value=make_context(store))
        if result.errors:
            raise RuntimeError(f"{query.split('(')[0]}: {result.errors[0].message}")
        answers.append(repr(result.data))
    return time.thread_time() - started, answers


def main() -> None:
    """Compare on the embedded store a bench run loaded (var/bench/<scale>/icn.sqlite3)."""
    p = argparse.ArgumentParser(prog="python -m bench.executor_ab", description=__doc__)
    p.add_argument("--scale", default="M")
    p.add_argument("--workloads", default="paths,search,node2,neighbourhood,introductions")
    p.add_argument("--rounds", type=int, default=16)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    path = store_path(ROOT / "var" / "bench", args.scale)
    if not path.is_file():
        raise SystemExit(f"no loaded store at var/bench/{args.scale}: run the bench on it first")
    ratios = asyncio.run(
        compare(f"sqlite:///{path}", args.workloads.split(","), args.rounds, args.seed)
    )
    for name, values in ratios.items():
        q1, median, q3 = statistics.quantiles(values, n=4)
        print(f"{name}: lean / graphql-core CPU {median:.2f} (quartiles {q1:.2f} to {q3:.2f})")


if __name__ == "__main__":
    main()
