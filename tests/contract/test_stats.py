"""stats, change_seq and health: complete counts, freshness, and a probe that never raises."""

from __future__ import annotations

from graph_store import RELATIONSHIP_TYPES, Batch, GraphStore, NodeKind, open_store
from tests.contract._build import node, one_edge_per_type, prov


async def test_an_empty_store_counts_zero_for_every_kind_and_type(store: GraphStore) -> None:
    stats = await store.stats()

    assert dict(stats.nodes_by_kind) == {k.value: 0 for k in NodeKind}
    assert dict(stats.edges_by_type) == dict.fromkeys(RELATIONSHIP_TYPES, 0)
    assert stats.last_loaded_at is None
    assert stats.seq == await store.change_seq()


async def test_stats_count_nodes_by_kind_and_relationships_by_type(store: GraphStore) -> None:
    nodes, edges = one_edge_per_type()
    extra = node("person/extra")
    await store.apply(Batch(nodes=(*nodes, extra), edges=edges))

    stats = await store.stats()

    expected_kinds = {k.value: 2 for k in NodeKind}
    expected_kinds["Person"] = 3
    assert dict(stats.nodes_by_kind) == expected_kinds
    assert dict(stats.edges_by_type) == dict.fromkeys(RELATIONSHIP_TYPES, 1)
    assert stats.seq == await store.change_seq()


async def test_last_loaded_at_is_the_latest_provenance_time(store: GraphStore) -> None:
    nodes, edges = one_edge_per_type()
    await store.apply(Batch(nodes=nodes, edges=edges))
    latest = max(r.provenance.loaded_at for r in (*nodes, *edges) if r.provenance)

    first = await store.stats()
    await store.apply(
        Batch(nodes=(node("person/late", provenance=prov("b9", "2030-01-01T00:00:00+00:00")),))
    )
    second = await store.stats()

    assert first.last_loaded_at == latest
    assert second.last_loaded_at == "2030-01-01T00:00:00+00:00"
    assert second.seq == first.seq + 1


async def test_reads_leave_change_seq_alone(store: GraphStore) -> None:
    nodes, edges = one_edge_per_type()
    await store.apply(Batch(nodes=nodes, edges=edges))
    seq = await store.change_seq()

    await store.stats()
    await store.get_nodes([n.id for n in nodes])
    await store.search("alpha")

    assert await store.change_seq() == seq


async def test_health_is_ok_and_names_the_backend(store: GraphStore, backend: str) -> None:
    health = await store.health()

    assert health.ok is True
    assert health.backend == store.backend == backend
    assert health.latency_ms >= 0
    assert isinstance(health.detail, str)


async def test_health_of_a_closed_store_reports_not_ok_instead_of_raising(graph_uri: str) -> None:
    store = await open_store(graph_uri)
    await store.aclose()

    health = await store.health()

    assert health.ok is False
