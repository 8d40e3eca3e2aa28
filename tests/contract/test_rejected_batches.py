"""A batch with any invalid record is rejected whole: every problem named, nothing written."""

from __future__ import annotations

import pytest

from graph_store import Batch, Edge, GraphStore, InvalidRecord, Node, NodeKind
from tests.contract._build import bad_date, edge, node, prov
from tests.contract._oracle import snapshot

ANN = node("person/ann", "Ann Berg", country="Norway", provenance=prov("b1"))
BOB = node("person/bob", "Bob Lund", provenance=prov("b1"))
OREEC = node("cluster/oreec", "OREEC", country="Norway", provenance=prov("b1"))
KNOWS = edge("KNOWS", ANN.id, BOB.id, since="2011", provenance=prov("b1"))
WORKS = edge("WORKS_FOR", BOB.id, OREEC.id, provenance=prov("b1"))
STORED = Batch(nodes=(ANN, BOB, OREEC), edges=(KNOWS, WORKS))

# Valid changes that ride along with every bad record: a create, an update, a new edge and a
# deletion, so that a backend writing part of a batch is caught.
CAROL = node("person/carol", "Carol", provenance=prov("bad"))
ANN_RENAMED = node(ANN.id, "Ann Renamed", provenance=prov("bad"))
CAROL_KNOWS_ANN = edge("KNOWS", CAROL.id, ANN.id, provenance=prov("bad"))


def _with_valid_changes(nodes: tuple[Node, ...] = (), edges: tuple[Edge, ...] = ()) -> Batch:
    return Batch(
        nodes=(CAROL, ANN_RENAMED, *nodes),
        edges=(CAROL_KNOWS_ANN, *edges),
        delete_edges=(WORKS.id,),
    )


async def _assert_rejected_leaving_nothing(
    store: GraphStore, batch: Batch, expected: set[tuple[str, str]]
) -> InvalidRecord:
    """Apply `batch`, expect InvalidRecord with exactly `expected` (record, field) problems."""
    await store.apply(STORED)
    node_ids = {n.id for n in (*STORED.nodes, *batch.nodes)} | {
        i for e in batch.edges for i in (e.src, e.dst)
    }
    edge_ids = {e.id for e in (*STORED.edges, *batch.edges)}
    before = await snapshot(store, node_ids, edge_ids)

    with pytest.raises(InvalidRecord) as info:
        await store.apply(batch)

    assert await snapshot(store, node_ids, edge_ids) == before
    assert info.value.code == "BAD_USER_INPUT"
    assert {(p.record, p.field) for p in info.value.problems} == expected
    assert all(p.message for p in info.value.problems)
    return info.value


async def test_edge_to_an_unknown_node_is_rejected_naming_the_endpoint(store: GraphStore) -> None:
    ghost = edge("KNOWS", ANN.id, "person/ghost")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(ghost,)), {(ghost.id, "to")}
    )


async def test_edge_from_an_unknown_node_is_rejected_naming_the_endpoint(store: GraphStore) -> None:
    ghost = edge("WORKS_FOR", "person/ghost", OREEC.id)

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(ghost,)), {(ghost.id, "from")}
    )


async def test_relationship_type_not_allowed_between_the_kinds_is_rejected(
    store: GraphStore,
) -> None:
    backwards = edge("WORKS_FOR", OREEC.id, ANN.id)

    error = await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(backwards,)), {(backwards.id, "type")}
    )
    assert "Cluster" in str(error) and "Person" in str(error)


async def test_unknown_relationship_type_is_rejected(store: GraphStore) -> None:
    odd = edge("LIKES", ANN.id, BOB.id)

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(odd,)), {(odd.id, "type")}
    )


async def test_month_13_is_rejected_as_a_since_date(store: GraphStore) -> None:
    dated = edge("KNOWS", BOB.id, ANN.id, since=bad_date("2011-13"))

    error = await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(dated,)), {(dated.id, "since")}
    )
    assert "2011-13" in str(error)


async def test_february_30_is_rejected_as_an_until_date(store: GraphStore) -> None:
    dated = edge("KNOWS", BOB.id, ANN.id, since="2010", until=bad_date("2011-02-30"))

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(dated,)), {(dated.id, "until")}
    )


async def test_until_before_since_is_rejected(store: GraphStore) -> None:
    dated = edge("KNOWS", BOB.id, ANN.id, since="2012-03", until="2011")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(dated,)), {(dated.id, "until")}
    )


async def test_malformed_node_date_property_is_rejected(store: GraphStore) -> None:
    mou = node("agreement/mou", "MoU", date="2011-13")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(nodes=(mou,)), {(mou.id, "date")}
    )


async def test_duplicate_node_ids_in_one_batch_are_rejected(store: GraphStore) -> None:
    twin = node("person/dan", "Dan")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(nodes=(twin, node("person/dan", "Daniel"))), {(twin.id, "id")}
    )


async def test_duplicate_edge_ids_in_one_batch_are_rejected(store: GraphStore) -> None:
    first = edge("KNOWS", BOB.id, ANN.id)
    second = edge("KNOWS", BOB.id, ANN.id, since="2012")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(first, second)), {(first.id, "id")}
    )


async def test_relationship_without_evidence_is_rejected(store: GraphStore) -> None:
    unsupported = edge("KNOWS", BOB.id, ANN.id, evidence="")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(edges=(unsupported,)), {(unsupported.id, "evidence")}
    )


async def test_properties_outside_the_allow_list_are_rejected(store: GraphStore) -> None:
    person = node("person/eve", "Eve", sector="energy")
    knows = edge("KNOWS", BOB.id, ANN.id, amount="5 EUR")

    await _assert_rejected_leaving_nothing(
        store,
        _with_valid_changes(nodes=(person,), edges=(knows,)),
        {(person.id, "sector"), (knows.id, "amount")},
    )


async def test_id_prefix_must_match_the_node_kind(store: GraphStore) -> None:
    wrong = Node("cluster/frank", NodeKind.PERSON, "Frank")

    await _assert_rejected_leaving_nothing(
        store, _with_valid_changes(nodes=(wrong,)), {(wrong.id, "id")}
    )


async def test_every_problem_of_a_batch_is_reported_at_once(store: GraphStore) -> None:
    bad_nodes = (node("agreement/mou", "MoU", date="2011-02-30"), node("person/gus", ""))
    bad_edges = (
        edge("KNOWS", ANN.id, "person/ghost"),
        edge("WORKS_FOR", OREEC.id, ANN.id, evidence=""),
        edge("KNOWS", BOB.id, ANN.id, since=bad_date("2011-13")),
    )

    error = await _assert_rejected_leaving_nothing(
        store,
        _with_valid_changes(nodes=bad_nodes, edges=bad_edges),
        {
            ("agreement/mou", "date"),
            ("person/gus", "name"),
            (bad_edges[0].id, "to"),
            (bad_edges[1].id, "type"),
            (bad_edges[1].id, "evidence"),
            (bad_edges[2].id, "since"),
        },
    )
    assert str(error).startswith("6 invalid record(s)")


async def test_plan_rejects_an_invalid_batch_like_apply(store: GraphStore) -> None:
    await store.apply(STORED)
    seq = await store.change_seq()
    ghost = edge("KNOWS", ANN.id, "person/ghost")

    with pytest.raises(InvalidRecord) as info:
        await store.plan(_with_valid_changes(edges=(ghost,)))

    assert [(p.record, p.field) for p in info.value.problems] == [(ghost.id, "to")]
    assert await store.change_seq() == seq
    assert await store.get_nodes([CAROL.id]) == {}


async def test_a_valid_batch_after_a_rejected_one_is_written_normally(store: GraphStore) -> None:
    await store.apply(STORED)
    with pytest.raises(InvalidRecord):
        await store.apply(_with_valid_changes(edges=(edge("KNOWS", ANN.id, "person/ghost"),)))

    result = await store.apply(_with_valid_changes())

    assert result.count("create") == 2 and result.count("update") == 1
    assert result.count("delete") == 1
    assert (await store.get_nodes([ANN.id]))[ANN.id].name == "Ann Renamed"
