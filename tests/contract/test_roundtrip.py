"""Every node kind and relationship type comes back exactly as written, provenance included."""

from __future__ import annotations

import dataclasses

import pytest

from graph_store import Batch, Certainty, GraphStore, NodeKind, PartialDate
from tests.contract._build import edge, full_node, node, one_edge_per_type, prov


async def test_every_node_kind_round_trips_with_props_aliases_sources_and_provenance(
    store: GraphStore,
) -> None:
    nodes = tuple(full_node(kind) for kind in NodeKind)
    await store.apply(Batch(nodes=nodes))

    got = await store.get_nodes([n.id for n in nodes])

    assert set(got) == {n.id for n in nodes}
    for expected in nodes:
        stored = got[expected.id]
        assert stored == expected
        assert isinstance(stored.kind, NodeKind)
        assert stored.provenance == expected.provenance
        assert dict(stored.props) == dict(expected.props)


async def test_node_property_values_keep_their_python_types(store: GraphStore) -> None:
    expected = {
        "event/alpha": {"ordinal": int, "country": str},
        "project/alpha": {"amount": float, "start": str},
        "cluster/alpha": {"sector": tuple},
    }
    await store.apply(
        Batch(nodes=tuple(full_node(NodeKind(k.split("/")[0].title())) for k in expected))
    )

    got = await store.get_nodes(expected)

    for node_id, types in expected.items():
        for prop, kind in types.items():
            value = got[node_id].props[prop]
            assert type(value) is kind, (node_id, prop, value)
    assert got["cluster/alpha"].props["sector"] == ("energy", "water")
    assert got["event/alpha"].props["ordinal"] == 7


async def test_every_relationship_type_round_trips_with_dates_certainty_evidence_and_props(
    store: GraphStore,
) -> None:
    nodes, edges = one_edge_per_type()
    await store.apply(Batch(nodes=nodes, edges=edges))

    got = await store.get_edges([e.id for e in edges])

    assert set(got) == {e.id for e in edges}
    for expected in edges:
        stored = got[expected.id]
        assert stored == expected
        assert isinstance(stored.certainty, Certainty)
        assert stored.provenance == expected.provenance
        for bound in (stored.since, stored.until):
            assert bound is None or isinstance(bound, PartialDate)
    assert {e.certainty for e in got.values()} == set(Certainty)
    assert {e.since.text for e in got.values() if e.since} >= {"2009", "2010-03", "2011-10-26"}


async def test_relationship_without_optional_fields_reads_back_as_none_and_empty_props(
    store: GraphStore,
) -> None:
    bare = edge("KNOWS", "person/ann", "person/bob")
    await store.apply(Batch(nodes=(node("person/ann"), node("person/bob")), edges=(bare,)))

    stored = (await store.get_edges([bare.id]))[bare.id]

    assert (stored.since, stored.until, stored.note) == (None, None, None)
    assert dict(stored.props) == {}
    assert stored.provenance is None


async def test_unset_node_properties_are_absent_not_none(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(node("cluster/oreec", "OREEC", country="Norway"),)))

    stored = (await store.get_nodes(["cluster/oreec"]))["cluster/oreec"]

    assert dict(stored.props) == {"country": "Norway"}
    assert (stored.aliases, stored.provenance) == ((), None)


async def test_get_nodes_leaves_unknown_ids_out(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(node("person/ann"), node("person/bob"))))

    got = await store.get_nodes(["person/ann", "person/nobody", "cluster/ann", "person/bob"])

    assert sorted(got) == ["person/ann", "person/bob"]
    assert await store.get_nodes([]) == {}


async def test_get_edges_leaves_unknown_ids_out(store: GraphStore) -> None:
    known = edge("KNOWS", "person/ann", "person/bob")
    await store.apply(Batch(nodes=(node("person/ann"), node("person/bob")), edges=(known,)))

    got = await store.get_edges([known.id, "knows~person/bob~person/ann", "nonsense"])

    assert list(got) == [known.id]
    assert await store.get_edges([]) == {}


async def test_reads_return_fresh_frozen_records(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(node("person/ann", country="Norway", provenance=prov()),)))
    first = (await store.get_nodes(["person/ann"]))["person/ann"]

    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "changed"  # type: ignore[misc]
    if isinstance(first.props, dict):
        first.props["country"] = "changed by a caller"
    again = (await store.get_nodes(["person/ann"]))["person/ann"]

    assert again.props["country"] == "Norway"
