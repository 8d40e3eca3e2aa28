"""`python -m bench.executor_ab` runs on a real store and checks both executors answer alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.executor_ab import compare
from graph_store import open_store
from tests.api.conftest import fill


@pytest.mark.asyncio
async def test_the_comparison_runs_and_compares_answers(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path / 'icn.sqlite3'}"
    store = await open_store(uri)
    try:
        await fill(store)
    finally:
        await store.aclose()

    ratios = await compare(uri, ["paths", "search", "node2"], rounds=2, seed=1)

    assert sorted(ratios) == ["node2", "paths", "search"]
    assert all(len(values) == 2 and all(v > 0 for v in values) for values in ratios.values())
