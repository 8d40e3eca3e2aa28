"""`load_dataset(store, path)`: what the server calls to fill an empty embedded store."""

from __future__ import annotations

import pytest

from graph_loader import load_dataset
from graph_store import GraphStore, InvalidRecord
from tests.graph_loader._support import BAD_INPUTS, BASE, dump


async def test_a_dataset_is_applied_in_one_transaction(store: GraphStore) -> None:
    seq = await store.change_seq()

    result = await load_dataset(store, BASE)

    assert result.count("create", "node") == 7
    assert result.count("create", "edge") == 2
    assert await store.change_seq() == seq + 1
    assert (await load_dataset(store, str(BASE))).changes == ()


async def test_invalid_input_raises_every_problem_with_its_place(store: GraphStore) -> None:
    await load_dataset(store, BASE)
    before = await dump(store)

    with pytest.raises(InvalidRecord) as info:
        await load_dataset(store, BAD_INPUTS / "wrong_kinds.yaml")

    [problem] = info.value.problems
    assert problem.location is not None
    assert problem.location.endswith("wrong_kinds.yaml:2")
    assert (problem.record, problem.field) == ("works_for~cluster/oreec~person/ann-berg", "type")
    assert await dump(store) == before
