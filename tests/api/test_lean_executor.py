"""The lean executor (schema/_executor.py) answers exactly as graphql-core's own does.

Same data, same errors with the same paths, same permission refusals: every query below runs
through both executors over the ICN dataset, and a small schema of its own makes plain leaves
fail (null in a non-null field, a value its type refuses, an attribute that raises).
"""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph_store import GraphStore
from resolvers import ANONYMOUS, READ_CONTACTS, HasScopeForTypes, Principal, make_context
from schema import build_schema
from schema._executor import LeanExecutor, executor_for, held_in, is_awaitable, plain_fields
from tests.api.conftest import fill

PERSON = "person/marianna-lubanski"
NODE2 = """query N($id: ID!) { node(id: $id) { id name kind aliases sources description
  ... on Person { country title }
  relationships(first: 10) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id type since until certainty source evidence note role sourceUrl }
      other { id name kind relationships(first: 5) {
        totalCount edges { node { type } other { id } } } } } } } }"""
QUERIES: list[tuple[str, dict[str, Any]]] = [
    (NODE2, {"id": PERSON}),
    (NODE2, {"id": "cluster/copenhagen-cleantech-cluster"}),
    (NODE2, {"id": "network/icn"}),
    (
        """query P($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 3) {
        length summary
        steps { direction from { id name } to { id name __typename }
          relationship { type since until certainty source evidence } } } }""",
        {"a": PERSON, "b": "person/denis-leclerc"},
    ),
    (
        """query S($t: String!) { search(text: $t, first: 10) { totalCount
        edges { score node { id name kind } } } }""",
        {"t": "clean"},
    ),
    (
        """{ neighbourhood(id: "network/icn", depth: 2, limit: 50) { truncated
        nodes { depth node { id name kind } }
        relationships { id type from { id } to { id } } } }""",
        {},
    ),
    (
        """query I($a: ID!, $b: ID!) { introductions(from: $a, to: $b, first: 3) {
        score reason intermediary { id name kind } paths { length summary } } }""",
        {"a": PERSON, "b": "person/ariesta-ningrum"},
    ),
    ('{ node(id: "person/nobody") { id name } }', {}),
    # Guarded fields inside selections that are otherwise all plain.
    (
        PATHS_GUARDED
        := """query P($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 3) {
        steps { from { id ... on Person { title description } }
          relationship { type role } } } }""",
        {"a": PERSON, "b": "person/denis-leclerc"},
    ),
    (
        """{ neighbourhood(id: "organisation/copenhagen-capacity", depth: 1, limit: 50) {
        relationships { type role from { id ... on Person { title } } } } }""",
        {},
    ),
]


def _answer(result: Any) -> str:
    errors = [error.formatted for error in result.errors or ()]
    return json.dumps({"data": result.data, "errors": errors}, sort_keys=True, default=str)


async def _both(
    schema: strawberry.Schema, query: str, variables: dict[str, Any], context: Any
) -> tuple[str, str]:
    """The answers of graphql-core's executor and of the schema's lean one, as JSON."""
    lean = schema.execution_context_class
    answers = []
    for executor in (StrawberryGraphQLCoreExecutionContext, lean):
        schema.execution_context_class = executor
        answers.append(_answer(await schema.execute(query, variables, context_value=context())))
    schema.execution_context_class = lean
    return answers[0], answers[1]


def test_only_plain_fields_are_answered_directly() -> None:
    plain = plain_fields(build_schema()._schema)
    assert {"id", "name", "kind", "country"} <= set(plain["Person"])
    assert {"type", "since", "certainty", "evidence"} <= set(plain["Relationship"])
    # Guarded fields (docs/security.md) carry a permission that can be asked directly: they
    # are answered here when it allows, with the permission's own check.
    role = plain["Relationship"]["role"]
    assert [type(g) for g in role.guards] == [HasScopeForTypes]
    assert all(plain["Person"][f].guards for f in ("title", "description"))
    assert not plain["Relationship"]["type"].guards
    assert "sourceUrl" not in plain["Relationship"]  # a resolver
    assert "relationships" not in plain["Person"]  # arguments and a resolver
    # `from` is a resolver that loads the node only when the relationship does not hold it.
    assert plain["Relationship"]["from"].held and plain["Relationship"]["from"].attr == "src_node"
    assert plain["RelationshipEdge"]["other"].held
    # Objects and lists held as attributes are plain, but not leaves.
    assert plain["PathStep"]["from"].leaf is None and plain["Path"]["steps"].leaf is None
    assert plain["Person"]["aliases"].leaf is None
    assert plain["Person"]["name"].leaf is not None


@pytest.mark.asyncio
async def test_awaitables_are_known_by_their_type() -> None:
    async def coroutine() -> None:
        return None

    def generator() -> Any:
        yield 1

    pending = coroutine()
    future = asyncio.get_running_loop().create_future()
    assert is_awaitable(pending) and is_awaitable(future)
    assert not is_awaitable(generator())  # a plain generator; only a flag would make it one
    assert not is_awaitable(Thing(name="x", count=1, note=None)) and not is_awaitable(None)
    pending.close()
    future.cancel()


def test_the_schema_executes_with_the_lean_executor() -> None:
    assert issubclass(build_schema().execution_context_class, LeanExecutor)


@pytest.mark.asyncio(loop_scope="session")
async def test_both_executors_answer_the_same(sqlite_store: GraphStore) -> None:
    await fill(sqlite_store)
    schema = build_schema()
    contacts = Principal(name="analyst", scopes=frozenset({READ_CONTACTS}))
    for principal in (ANONYMOUS, contacts):
        for query, variables in QUERIES:
            standard, lean = await _both(
                schema, query, variables, partial(make_context, sqlite_store, principal)
            )
            assert lean == standard, query
    # The corpus exercises what it is meant to: answers with data, and refusals of `role`,
    # `title` and `description`, also where everything else in the selection is plain.
    anonymous, _ = await _both(schema, NODE2, {"id": PERSON}, lambda: make_context(sqlite_store))
    assert '"FORBIDDEN"' in anonymous and "Copenhagen Capacity" in anonymous
    variables = {"a": PERSON, "b": "person/denis-leclerc"}
    for principal in (ANONYMOUS, contacts):
        context = partial(make_context, sqlite_store, principal)
        _, lean = await _both(schema, PATHS_GUARDED, variables, context)
        refused = {tuple(e["path"][-1:]) for e in json.loads(lean)["errors"]}
        guarded = {("title",), ("description",), ("role",)}
        assert refused == (guarded if principal is ANONYMOUS else set())


@strawberry.type
class Thing:
    name: str
    count: int
    note: str | None


class _RaisingThing(Thing):
    """A Thing whose `note` raises when read."""

    @property  # type: ignore[override]
    def note(self) -> str | None:
        raise RuntimeError("note could not be read")


def _raising_thing() -> Thing:
    thing = object.__new__(_RaisingThing)
    object.__setattr__(thing, "name", "raises")
    object.__setattr__(thing, "count", 4)
    return thing


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        broken_count: Any = "not a number"
        missing_name: Any = None
        return [
            Thing(name="plain", count=1, note=None),
            Thing(name=missing_name, count=2, note="x"),
            Thing(name="bad", count=broken_count, note=None),
            _raising_thing(),
        ]


@pytest.mark.asyncio
async def test_leaves_that_fail_fail_as_in_graphql_core() -> None:
    schema = strawberry.Schema(Query)
    schema.execution_context_class = executor_for(schema._schema)
    standard, lean = await _both(schema, "{ things { name count note } }", {}, lambda: None)
    assert lean == standard
    body = json.loads(lean)
    assert body["data"]["things"][0] == {"name": "plain", "count": 1, "note": None}
    assert body["data"]["things"][1:] == [None, None, {"name": "raises", "count": 4, "note": None}]
    assert {tuple(e["path"]) for e in body["errors"]} == {
        ("things", 1, "name"),
        ("things", 2, "count"),
        ("things", 3, "note"),
    }


@strawberry.interface
class Shape:
    name: str


@strawberry.type
class Square(Shape):
    side: int


@strawberry.type
class Circle(Shape):
    radius: float


@strawberry.type
class NotAShape:
    name: str


@strawberry.type
class Box:
    label: str
    shape: Shape
    spare: Shape | None
    things: list[Thing]
    kept: strawberry.Private[Shape | None] = None
    fetched: strawberry.Private[list[str]] = strawberry.field(default_factory=list)

    @strawberry.field(metadata=held_in("kept"))
    def held(self) -> Shape:
        """The kept shape, or (as a loader would) one made on demand; every call is noted."""
        self.fetched.append(self.label)
        if self.kept is not None:
            return self.kept
        return Circle(name=f"made for {self.label}", radius=1.0)


@strawberry.type
class BoxQuery:
    @strawberry.field
    def boxes(self, info: strawberry.Info) -> list[Box | None]:
        return info.context  # the test's boxes


def _boxes() -> list[Box]:
    wrong: Any = NotAShape(name="not a shape")
    missing: Any = None
    return [
        Box(
            label="plain",
            shape=Square(name="sq", side=2),
            spare=None,
            things=[],
            kept=Square(name="kept", side=1),
        ),
        Box(
            label="deep null",
            shape=Circle(name="c", radius=0.5),
            spare=None,
            things=[Thing(name="ok", count=1, note=None), Thing(name=missing, count=2, note=None)],
        ),
        Box(label="wrong type", shape=Square(name="s", side=3), spare=wrong, things=[]),
        Box(label="not kept", shape=Square(name="s", side=4), spare=None, things=[]),
    ]


BOX_QUERY = """query B($full: Boolean!) { boxes { label
  shape { __typename name ... on Square { side } ... on Circle { r: radius } }
  spare { name }
  things { name count @include(if: $full) note @skip(if: $full) }
  held { __typename name } } }"""


@pytest.mark.asyncio
async def test_nested_values_that_fail_fail_as_in_graphql_core() -> None:
    """Whole selections answered in one pass give graphql-core's answers and errors, deep in
    lists, through interfaces, with fragments, aliases and directives, and for held fields."""
    schema = strawberry.Schema(BoxQuery, types=[Square, Circle, NotAShape])
    schema.execution_context_class = lean_class = executor_for(schema._schema)
    for full in (True, False):
        boxes = _boxes()
        context = partial(list, boxes)  # the same boxes for both executors
        standard, lean = await _both(schema, BOX_QUERY, {"full": full}, context)
        assert lean == standard
    answer = json.loads(lean)
    assert {tuple(e["path"]) for e in answer["errors"]} == {
        ("boxes", 1, "things", 1, "name"),
        ("boxes", 2, "spare"),
    }
    body = answer["data"]["boxes"]
    assert body[0]["shape"] == {"__typename": "Square", "name": "sq", "side": 2}
    assert body[0]["things"] == [] and body[0]["held"]["name"] == "kept"
    assert body[1] is None and body[2]["spare"] is None
    assert body[3]["held"] == {"__typename": "Circle", "name": "made for not kept"}
    # The lean executor calls a held field's resolver only where nothing is held.
    for executor, calls in ((StrawberryGraphQLCoreExecutionContext, ["plain"]), (lean_class, [])):
        boxes = _boxes()
        schema.execution_context_class = executor
        await schema.execute(BOX_QUERY, {"full": True}, context_value=boxes)
        assert boxes[0].fetched == calls and boxes[3].fetched == ["not kept"]


@pytest.mark.asyncio(loop_scope="session")
async def test_a_plain_answer_takes_one_pass(
    sqlite_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paths answer is all plain below its resolver: graphql-core executes one field."""
    await fill(sqlite_store)
    calls: list[str] = []
    standard = StrawberryGraphQLCoreExecutionContext.execute_field

    def counted(self: Any, parent: Any, source: Any, details: Any, *rest: Any) -> Any:
        calls.append(details[0].node.name.value)
        return standard(self, parent, source, details, *rest)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_field", counted)
    query, variables = QUERIES[3]
    result = await build_schema().execute(
        query, variables, context_value=make_context(sqlite_store)
    )
    assert result.errors is None and result.data is not None and result.data["paths"]
    assert calls == ["paths"]


class Secret(Exception):
    """An exception a resolver hands back as a value: graphql-core raises it as the error."""


@strawberry.type
class Pending:
    label: str
    shape: Shape


@strawberry.type
class OddQuery:
    @strawberry.field
    def message(self) -> str | None:
        error: Any = Secret("internal detail")
        return error

    @strawberry.field
    def names(self) -> list[str | None]:
        item: Any = Secret("item failed")
        return ["a", item]

    @strawberry.field
    def thing(self) -> Thing | None:
        error: Any = Secret("no thing")
        return error

    @strawberry.field
    async def pending(self) -> Pending:
        loop = asyncio.get_running_loop()
        label: Any = loop.create_future()
        label.set_result("resolved later")
        shape: Any = loop.create_future()
        shape.set_result(Square(name="later", side=5))
        return Pending(label=label, shape=shape)


@pytest.mark.asyncio
async def test_exceptions_and_awaitables_held_as_values_are_left_to_graphql_core() -> None:
    """An exception returned as a value is the field's error, an awaitable is awaited: never
    serialised as data by the one-pass completion."""
    schema = strawberry.Schema(OddQuery, types=[Square, Circle])
    schema.execution_context_class = executor_for(schema._schema)
    query = """{ message names thing { __typename name }
        pending { label shape { __typename name } } }"""
    standard, lean = await _both(schema, query, {}, lambda: None)
    assert lean == standard
    answer = json.loads(lean)
    assert answer["data"]["message"] is None and answer["data"]["names"] == ["a", None]
    assert answer["data"]["thing"] is None
    assert answer["data"]["pending"] == {
        "label": "resolved later",
        "shape": {"__typename": "Square", "name": "later"},
    }
    assert {tuple(e["path"]) for e in answer["errors"]} == {("message",), ("names", 1), ("thing",)}


class _Allows(BasePermission):
    """Lets a request read a card's field when the context (a set of words) holds the card's
    colour; raises for a card whose colour is "broken"."""

    message = "not for you"

    def allows(self, source: Any, context: Any) -> bool:
        if source.colour == "broken":
            raise RuntimeError("the check failed")
        return source.colour in context

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return self.allows(source, info.context)


class _Stricter(_Allows):
    """Checks more in `has_permission` than its inherited `allows` says."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


class _AsksOnlyInfo(BasePermission):
    """A permission that strawberry alone can ask (no `allows`)."""

    message = "never"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return True


@strawberry.type
class Card:
    colour: str
    secret: str | None = strawberry.field(
        extensions=[PermissionExtension(permissions=[_Allows()], use_directives=False)]
    )
    quiet: str | None = strawberry.field(
        extensions=[
            PermissionExtension(permissions=[_Allows()], use_directives=False, fail_silently=True)
        ]
    )
    other: str | None = strawberry.field(
        extensions=[PermissionExtension(permissions=[_AsksOnlyInfo()], use_directives=False)]
    )
    stricter: str | None = strawberry.field(
        extensions=[PermissionExtension(permissions=[_Stricter()], use_directives=False)]
    )
    inner: Thing | None = strawberry.field(
        extensions=[PermissionExtension(permissions=[_Allows()], use_directives=False)]
    )


@strawberry.type
class CardQuery:
    @strawberry.field
    def cards(self) -> list[Card]:
        return [
            Card(
                colour=c,
                secret=f"s-{c}",
                quiet=f"q-{c}",
                other="o",
                stricter="x",
                inner=Thing(name=c, count=1, note=None),
            )
            for c in ("red", "blue", "broken")
        ]


@pytest.mark.asyncio
async def test_guarded_fields_are_read_directly_only_when_allowed() -> None:
    """A permission with `allows` keeps its field plain: read in one pass where it allows,
    refused by graphql-core (with the permission's error) where it does not or raises."""
    schema = strawberry.Schema(CardQuery)
    schema.execution_context_class = executor_for(schema._schema)
    plain = plain_fields(schema._schema)["Card"]
    assert [type(g) for g in plain["secret"].guards] == [_Allows]
    assert plain["inner"].guards and plain["inner"].leaf is None
    assert "quiet" not in plain and "other" not in plain  # fails silently; no `allows`
    assert "stricter" not in plain  # its has_permission checks more than its allows
    query = "{ cards { colour secret quiet other stricter inner { name } } }"
    for context in (set(), {"red"}, {"red", "blue"}):
        standard, lean = await _both(schema, query, {}, partial(set, context))
        assert lean == standard
    answer = json.loads(lean)
    assert [c["secret"] for c in answer["data"]["cards"]] == ["s-red", "s-blue", None]
    assert [c["inner"] for c in answer["data"]["cards"]] == [
        {"name": "red"},
        {"name": "blue"},
        None,
    ]
    # The check raises for the broken card: an error for each of its guarded fields.
    assert [c["stricter"] for c in answer["data"]["cards"]] == [None, None, None]
    assert {tuple(e["path"]) for e in answer["errors"]} == {
        ("cards", 2, "secret"),
        ("cards", 2, "quiet"),
        ("cards", 2, "inner"),
        *(("cards", i, "stricter") for i in range(3)),
    }
