"""Upserts are idempotent, report what changed, and move change_seq only when data changed."""

from __future__ import annotations

from graph_store import Batch, Certainty, Change, GraphStore
from tests.contract._build import edge, node, prov, random_graph

ANN = node("person/ann", "Ann Berg", country="Norway", title="CEO", provenance=prov("b1"))
BOB = node("person/bob", "Bob Lund", provenance=prov("b1"))
OREEC = node("cluster/oreec", "OREEC", country="Norway", city="Oslo", provenance=prov("b1"))
KNOWS = edge("KNOWS", ANN.id, BOB.id, since="2011", provenance=prov("b1"))
WORKS = edge("WORKS_FOR", ANN.id, OREEC.id, role="manager", provenance=prov("b1"))
BASE = Batch(nodes=(ANN, BOB, OREEC), edges=(KNOWS, WORKS))


async def test_first_apply_creates_every_record_and_bumps_seq_once(store: GraphStore) -> None:
    before = await store.change_seq()

    result = await store.apply(BASE)

    assert {(c.action, c.record, c.id) for c in result.changes} == {
        ("create", "node", ANN.id),
        ("create", "node", BOB.id),
        ("create", "node", OREEC.id),
        ("create", "edge", KNOWS.id),
        ("create", "edge", WORKS.id),
    }
    assert (result.unchanged_nodes, result.unchanged_edges) == (0, 0)
    assert result.seq == await store.change_seq() == before + 1


async def test_applying_the_same_batch_twice_changes_nothing_the_second_time(
    store: GraphStore,
) -> None:
    batch = random_graph(3)
    first = await store.apply(batch)

    second = await store.apply(batch)

    assert first.count("create") == len(batch.nodes) + len(batch.edges)
    assert (second.count("create"), second.count("update"), second.count("delete")) == (0, 0, 0)
    assert second.changes == ()
    assert (second.unchanged_nodes, second.unchanged_edges) == (len(batch.nodes), len(batch.edges))
    assert second.seq == first.seq == await store.change_seq()


async def test_updates_report_exactly_the_changed_field_names(store: GraphStore) -> None:
    await store.apply(BASE)
    renamed = node("person/ann", "Ann Berg-Lund", country="Norway", email="ann@example.org")
    recast = edge(
        "KNOWS",
        ANN.id,
        BOB.id,
        since="2011-10",
        certainty=Certainty.INFERRED,
        note="met at the 2011 mission",
    )

    result = await store.apply(Batch(nodes=(renamed, BOB), edges=(recast, WORKS)))

    assert set(result.changes) == {
        Change("update", "node", ANN.id, ("email", "name", "title")),
        Change("update", "edge", KNOWS.id, ("certainty", "note", "since")),
    }
    assert (result.unchanged_nodes, result.unchanged_edges) == (1, 1)
    stored = (await store.get_nodes([ANN.id]))[ANN.id]
    assert stored == renamed
    assert "title" not in stored.props  # the new record is the whole content: title is gone
    assert (await store.get_edges([KNOWS.id]))[KNOWS.id] == recast


async def test_change_seq_grows_only_when_an_apply_changes_something(store: GraphStore) -> None:
    start = await store.change_seq()
    seqs = []
    for batch in (BASE, BASE, Batch(nodes=(ANN,)), Batch(nodes=(node(ANN.id, "Ann B."),)), BASE):
        seqs.append((await store.apply(batch)).seq)
        assert seqs[-1] == await store.change_seq()

    assert seqs == [start + 1, start + 1, start + 1, start + 2, start + 3]


async def test_plan_reports_the_diff_without_writing(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(ANN, BOB)))
    seq = await store.change_seq()
    batch = Batch(nodes=(node(ANN.id, "Ann Renamed"), BOB, OREEC), edges=(KNOWS,))

    planned = await store.plan(batch)

    assert await store.change_seq() == seq
    assert await store.get_nodes([OREEC.id]) == {}
    assert (await store.get_nodes([ANN.id]))[ANN.id].name == "Ann Berg"
    applied = await store.apply(batch)
    assert set(planned.changes) == set(applied.changes)
    assert (planned.unchanged_nodes, planned.unchanged_edges) == (1, 0)
    assert applied.seq == seq + 1


async def test_delete_edges_removes_only_stored_listed_edges(store: GraphStore) -> None:
    await store.apply(BASE)

    result = await store.apply(Batch(delete_edges=(KNOWS.id, "knows~person/x~person/y")))

    assert result.changes == (Change("delete", "edge", KNOWS.id),)
    assert await store.get_edges([KNOWS.id, WORKS.id]) == {WORKS.id: WORKS}
    assert set(await store.get_nodes([ANN.id, BOB.id])) == {ANN.id, BOB.id}
    again = await store.apply(Batch(delete_edges=(KNOWS.id,)))
    assert again.changes == () and again.seq == result.seq


async def test_provenance_is_replaced_on_create_and_update_only(store: GraphStore) -> None:
    await store.apply(BASE)
    reload = Batch(
        nodes=(node(ANN.id, ANN.name, country="Norway", title="CEO", provenance=prov("b2")),),
        edges=(edge("KNOWS", ANN.id, BOB.id, since="2011", provenance=prov("b2")),),
    )

    unchanged = await store.apply(reload)
    after_reload = await store.get_nodes([ANN.id])
    changed = await store.apply(
        Batch(nodes=(node(ANN.id, "Ann Berg", title="CTO", provenance=prov("b3")),))
    )
    after_update = await store.get_nodes([ANN.id])

    assert unchanged.changes == ()
    assert after_reload[ANN.id].provenance == prov("b1")
    assert (await store.get_edges([KNOWS.id]))[KNOWS.id].provenance == prov("b1")
    assert changed.count("update") == 1
    assert after_update[ANN.id].provenance == prov("b3")


async def test_edges_may_connect_nodes_stored_by_an_earlier_batch(store: GraphStore) -> None:
    await store.apply(Batch(nodes=(ANN, BOB, OREEC)))

    result = await store.apply(Batch(edges=(KNOWS, WORKS)))

    assert result.count("create", "edge") == 2
    assert set(await store.get_edges([KNOWS.id, WORKS.id])) == {KNOWS.id, WORKS.id}


async def test_clear_removes_everything_and_bumps_seq(store: GraphStore) -> None:
    await store.apply(BASE)
    seq = await store.change_seq()

    await store.clear()

    stats = await store.stats()
    assert await store.get_nodes([ANN.id, BOB.id, OREEC.id]) == {}
    assert await store.get_edges([KNOWS.id, WORKS.id]) == {}
    assert sum(stats.nodes_by_kind.values()) == sum(stats.edges_by_type.values()) == 0
    assert await store.change_seq() > seq
