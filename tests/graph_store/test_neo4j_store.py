"""Neo4j-specific behaviour the cross-backend contract suite cannot see.

What Neo4j users find in the database (labels, real relationship types, a meta node that is
not an Entity), that every constant query compiles on the server, that bulk writes split into
chunks behave like one write, and that server errors are translated without leaking Cypher.
The few Cypher strings here only inspect the database, as a Neo4j user would.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from neo4j import AsyncDriver, AsyncGraphDatabase, Query

from graph_store import (
    Batch,
    Certainty,
    Direction,
    EdgeFilter,
    GraphStore,
    IcnGraphError,
    InvalidRecord,
    LimitExceeded,
    PathQuery,
    StoreUnavailable,
    _cypher,
    _cypher_write,
    _neo4j_write,
    open_store,
)
from graph_store._neo4j_errors import translate
from tests.contract import _oracle
from tests.contract._build import edge, node, prov, random_graph

# One event loop for the module: the shared store and the inspection driver live in it.
pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def driver(neo4j_uri: str) -> AsyncIterator[AsyncDriver]:
    """A plain driver on the test database, to look at it the way a Neo4j user would."""
    raw = AsyncGraphDatabase.driver(neo4j_uri, notifications_min_severity="OFF")
    try:
        yield raw
    finally:
        await raw.close()


async def _rows(driver: AsyncDriver, text: str, **params: object) -> list[list[object]]:
    result = await driver.execute_query(text, params, database_="neo4j")
    return [list(r.values()) for r in result.records]


def _constant_queries() -> list[tuple[str, str]]:
    """Every query of _cypher and _cypher_write; of the per-type tables (entries differ only in
    the allow-listed type name) the first and last entry, to keep the planning time down."""
    found: list[tuple[str, str]] = []
    for module in (_cypher, _cypher_write):
        found += _queries_of(module)
    return found


def _queries_of(module: object) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in module.__all__:  # type: ignore[attr-defined]
        value = getattr(module, name)
        if isinstance(value, str) and " " in value and name != "AWAIT_INDEXES":
            found.append((name, value))
        elif isinstance(value, dict):
            keys = list(value)
            if len(keys) > len(_cypher.LIST_NODES) and name != "PATHS":
                keys = [keys[0], keys[-1]]
            found += [(f"{name}[{k}]", value[k]) for k in keys]
    return found


async def test_every_constant_query_compiles_on_the_server(
    neo4j_store: GraphStore, driver: AsyncDriver
) -> None:
    failures = []
    for name, text in _constant_queries():
        if text.lstrip().startswith("CREATE") and "IF NOT EXISTS" in text:
            continue  # schema statements ran when the store was opened
        try:
            await driver.execute_query("EXPLAIN " + text, database_="neo4j")
        except Exception as exc:  # collect every failure, not just the first
            failures.append(f"{name}: {exc}")

    assert len(_cypher.PATHS) == 12
    assert not failures, "\n".join(failures)


async def test_typed_queries_name_only_allow_listed_types_and_compile(
    neo4j_store: GraphStore, driver: AsyncDriver
) -> None:
    wanted = frozenset({"MEMBER_OF", "KNOWS", "NOT-A-TYPE", "X) DETACH DELETE (n"})
    for name in ("EDGES_OF", "EDGE_PAGES", "NEIGHBOURS"):
        for direction in Direction:
            floor = EdgeFilter(types=wanted, direction=direction, min_certainty=Certainty.STATED)
            for flt in (EdgeFilter(types=wanted, direction=direction), floor):
                text = _cypher.typed(name, flt)
                assert "[r:KNOWS|MEMBER_OF]" in text, text
                assert "NOT-A-TYPE" not in text and "DELETE" not in text
                await driver.execute_query("EXPLAIN " + text, database_="neo4j")
            # The accept predicate only where it can leave something out: a floor, a date, or
            # types of which none is known (the untyped query's $types test then drops all).
            untyped = getattr(_cypher, name)[direction]
            assert "certainty_rank" in untyped and "certainty_rank" in _cypher.typed(name, floor)
            unknown = EdgeFilter(types=frozenset({"NOPE"}), direction=direction)
            assert _cypher.typed(name, unknown) == untyped
            unfiltered = _cypher.typed(name, EdgeFilter(direction=direction))
            assert "certainty_rank" not in unfiltered and "[r]" in unfiltered
            await driver.execute_query("EXPLAIN " + unfiltered, database_="neo4j")


async def test_nodes_carry_their_kind_and_entity_labels_and_edges_their_real_type(
    neo4j_store: GraphStore, driver: AsyncDriver
) -> None:
    ann, oreec = node("person/ann", "Ann"), node("cluster/oreec", "OREEC")
    member = edge("MEMBER_OF", ann.id, "cluster/oreec", role="board", since="2011-10")
    await neo4j_store.apply(Batch(nodes=(ann, oreec), edges=(member,)))

    rows = await _rows(
        driver,
        "MATCH (a {id: $a})-[r]->(b) RETURN labels(a), type(r), labels(b), r.role, r.since_lo",
        a=ann.id,
    )

    assert len(rows) == 1
    labels_a, rel_type, labels_b, role, since_lo = rows[0]
    assert sorted(labels_a) == ["Entity", "Person"]  # type: ignore[arg-type]
    assert sorted(labels_b) == ["Cluster", "Entity"]  # type: ignore[arg-type]
    assert (rel_type, role, since_lo) == ("MEMBER_OF", "board", "2011-10-01")


async def test_change_seq_lives_on_a_meta_node_that_no_read_sees(
    neo4j_store: GraphStore, driver: AsyncDriver
) -> None:
    before = await neo4j_store.change_seq()
    await neo4j_store.apply(Batch(nodes=(node("person/ann"),)))

    rows = await _rows(driver, "MATCH (m:IcnMeta) RETURN labels(m), m.seq")

    assert rows == [[["IcnMeta"], before + 1]]
    assert sum((await neo4j_store.stats()).nodes_by_kind.values()) == 1


async def test_bulk_writes_split_into_many_chunks_equal_one_write(
    neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_neo4j_write, "CHUNK", 3)
    batch = random_graph(11, nodes=14, edges=30, loops=2)

    first = await neo4j_store.apply(batch)
    again = await neo4j_store.apply(batch)
    trimmed = Batch(edges=batch.edges[:7], delete_edges=tuple(e.id for e in batch.edges[7:]))
    deleted = await neo4j_store.apply(trimmed)

    assert first.count("create") == len(batch.nodes) + len(batch.edges)
    assert again.changes == ()
    assert deleted.count("delete") == len(batch.edges) - 7
    nodes = await neo4j_store.get_nodes([n.id for n in batch.nodes])
    assert [nodes[n.id] for n in batch.nodes] == list(batch.nodes)
    edges = await neo4j_store.get_edges([e.id for e in batch.edges])
    assert list(edges.values()) == list(batch.edges[:7])
    assert sum((await neo4j_store.stats()).edges_by_type.values()) == 7


async def test_a_relationship_given_a_new_type_and_endpoint_keeps_one_copy_of_its_id(
    neo4j_store: GraphStore, driver: AsyncDriver
) -> None:
    ann, bob, cy = node("person/ann"), node("person/bob"), node("person/cy")
    knows = edge("KNOWS", ann.id, bob.id, provenance=prov("b1"))
    await neo4j_store.apply(Batch(nodes=(ann, bob, cy), edges=(knows,)))
    moved = dataclasses.replace(
        edge("COLLABORATED_WITH", ann.id, cy.id, purpose="pilot", provenance=prov("b2")),
        id=knows.id,
    )

    result = await neo4j_store.apply(Batch(edges=(moved,)))

    assert [(c.action, c.id) for c in result.changes] == [("update", knows.id)]
    assert (await neo4j_store.get_edges([knows.id]))[knows.id] == moved
    rows = await _rows(driver, "MATCH ()-[r {id: $id}]->(b) RETURN type(r), b.id", id=knows.id)
    assert rows == [["COLLABORATED_WITH", cy.id]]
    assert (await neo4j_store.stats()).last_loaded_at == prov("b2").loaded_at


async def test_paths_look_past_a_length_whose_trails_all_revisit_a_node(
    neo4j_store: GraphStore,
) -> None:
    # s-a-t is the shortest path. The only trails of length 4 go s-a-b-a-t over the two
    # parallel a-b edges (they revisit a); the next simple path, s-c-d-e-f-t, has length 5.
    s, a, b, t = "person/s", "person/a", "person/b", "person/t"
    detour = ["person/c", "person/d", "person/e", "person/f"]
    ids = [s, a, b, t, *detour]
    chain = [s, *detour, t]
    edges = (
        edge("KNOWS", s, a),
        edge("KNOWS", a, t),
        edge("KNOWS", a, b, key="1"),
        edge("KNOWS", b, a, key="2"),
        *(edge("KNOWS", x, y) for x, y in itertools.pairwise(chain)),
    )
    await neo4j_store.apply(Batch(nodes=tuple(node(i) for i in ids), edges=edges))
    query = PathQuery(max_hops=5, k=3)

    found = await neo4j_store.paths(s, t, query)

    assert [tuple(n.id for n in p.nodes) for p in found] == [(s, a, t), tuple(chain)]
    assert [p.length for p in found] == [2, 5]
    assert len(_oracle.paths(edges, s, t, query)) == 2


async def test_opening_an_initialised_database_again_changes_nothing(
    neo4j_store: GraphStore, neo4j_uri: str
) -> None:
    await neo4j_store.apply(Batch(nodes=(node("person/ann"),)))
    seq = await neo4j_store.change_seq()

    second = await open_store(neo4j_uri)
    try:
        assert await second.change_seq() == seq
        assert set(await second.get_nodes(["person/ann"])) == {"person/ann"}
    finally:
        await second.aclose()


async def test_an_unknown_database_name_is_store_unavailable(neo4j_uri: str) -> None:
    with pytest.raises(StoreUnavailable) as info:
        await open_store(neo4j_uri, database="no-such-database", timeout_s=5)

    assert "no-such-database" not in str(info.value)


async def test_a_cypher_syntax_error_is_internal_and_does_not_quote_the_query(
    driver: AsyncDriver,
) -> None:
    with pytest.raises(Exception) as info:
        await driver.execute_query("RETRUN 1 AS secret_column", database_="neo4j")

    error = translate(info.value)
    assert type(error) is IcnGraphError and error.code == "INTERNAL"
    assert "secret_column" not in str(error) and "RETRUN" not in str(error)


async def test_a_value_neo4j_cannot_store_is_bad_user_input(driver: AsyncDriver) -> None:
    with pytest.raises(Exception) as info:
        await driver.execute_query(
            "CREATE (n:IcnScratch {p: $value})", {"value": {"nested": 1}}, database_="neo4j"
        )

    assert translate(info.value).code == "BAD_USER_INPUT"


async def test_a_query_past_its_time_limit_is_limit_exceeded(driver: AsyncDriver) -> None:
    slow = Query("UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x)", timeout=0.05)
    with pytest.raises(Exception) as info:
        await driver.execute_query(slow, database_="neo4j")

    assert isinstance(translate(info.value), LimitExceeded)


async def test_a_relationship_upserted_and_deleted_by_one_batch_ends_deleted(
    neo4j_store: GraphStore,
) -> None:
    ann, bob = node("person/ann", provenance=prov("b1")), node("person/bob", provenance=prov("b1"))
    knows = edge("KNOWS", ann.id, bob.id, provenance=prov("b1"))
    await neo4j_store.apply(Batch(nodes=(ann, bob), edges=(knows,)))
    later = prov("b2", "2024-06-01T10:00:00+00:00")
    recast = dataclasses.replace(knows, note="met again", provenance=later)

    result = await neo4j_store.apply(Batch(edges=(recast,), delete_edges=(knows.id,)))

    actions = {(c.action, c.id) for c in result.changes}
    assert actions == {("update", knows.id), ("delete", knows.id)}
    assert await neo4j_store.get_edges([knows.id]) == {}
    stats = await neo4j_store.stats()
    assert sum(stats.edges_by_type.values()) == 0
    assert stats.last_loaded_at == prov("b1").loaded_at  # the deleted record's load is gone


async def test_an_id_listed_twice_for_deletion_is_deleted_once(neo4j_store: GraphStore) -> None:
    ann, bob = node("person/ann"), node("person/bob")
    knows = edge("KNOWS", ann.id, bob.id)
    await neo4j_store.apply(Batch(nodes=(ann, bob), edges=(knows,)))

    await neo4j_store.apply(Batch(delete_edges=(knows.id, knows.id)))

    assert await neo4j_store.get_edges([knows.id]) == {}


async def test_a_value_neo4j_cannot_store_in_a_later_chunk_rejects_the_whole_batch(
    neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of 3: the bad relationship's rows are built in a thread while an earlier chunk's
    # statement runs (`_built_ahead`), and its problem alone is reported.
    monkeypatch.setattr(_neo4j_write, "CHUNK", 3)
    people = tuple(node(f"person/p{i}") for i in range(9))
    pairs = [(people[0], other) for other in people[1:]]
    edges = tuple(
        edge("COLLABORATED_WITH", a.id, b.id, purpose=2**70 if i == 7 else "pilot")
        for i, (a, b) in enumerate(pairs)
    )
    before = await neo4j_store.stats()

    with pytest.raises(InvalidRecord) as info:
        await neo4j_store.apply(Batch(nodes=people, edges=edges))

    assert [(p.record, p.field) for p in info.value.problems] == [(edges[7].id, "purpose")]
    assert await neo4j_store.stats() == before
    assert await neo4j_store.get_nodes([p.id for p in people]) == {}
