"""A graphql-core executor that answers plain leaf fields without the per-field machinery.

Most fields of an answer are leaves read straight off an object (`id`, `name`, `since`).
Strawberry gives them its "basic" resolver, and graphql-core still builds a resolve-info
object, calls the resolver and completes the value in three steps for each of them. For
those fields this executor reads the attribute and serialises it in one step (main-thread
CPU per answer at scale M: paths 0.83x, search 0.94x, node2 0.96x of graphql-core's executor;
`python -m bench.executor_ab`, docs/performance.md).

Every other field goes through graphql-core unchanged, and so does any leaf whose value
needs more than one step: null in a non-null field, a value its type refuses, an attribute
that raises. graphql-core then reads it again and reports the error as it always does, with
its path. tests/api/test_lean_executor.py checks that both executors give the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import CoroutineType, GeneratorType
from typing import Any, ClassVar

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import is_awaitable as graphql_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = ["LeafPlan", "LeanExecutor", "executor_for", "is_awaitable", "leaf_plans"]

_AWAITABLE_BY_TYPE: dict[type, bool] = {}
_MAX_TYPES = 4096


@dataclass(frozen=True, slots=True)
class LeafPlan:
    """How to answer one plain leaf field: the attribute to read and the type to serialise."""

    attr: str
    type: GraphQLLeafType
    non_null: bool


def leaf_plans(schema: GraphQLSchema) -> dict[str, dict[str, LeafPlan]]:
    """Plans of the plain leaf fields of every object type, by type name and field name.

    Plain: no resolver and no field extension (a permission is one: `Relationship.role` is
    never planned), strawberry's default attribute read, no arguments, and a scalar or enum
    type. Lists of leaves are left to graphql-core.
    """
    plans: ClassVar[dict[str, dict[str, LeafPlan]]] = {}
    for name, gql_type in schema.type_map.items():
        if not isinstance(gql_type, GraphQLObjectType) or name.startswith("__"):
            continue
        fields: dict[str, LeafPlan] = {}
        for field_name, field in gql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            if (
                definition is None
                or not definition.is_basic_field
                or definition.default_resolver is not getattr
                or field.args
            ):
                continue
            non_null = isinstance(field.type, GraphQLNonNull)
            inner = field.type.of_type if non_null else field.type
            if is_leaf_type(inner):
                fields[field_name] = LeafPlan(definition.python_name, inner, non_null)
        if fields:
            plans[name] = fields
    return plans


class LeanExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with plain leaf fields answered directly (see the module)."""

    plans: ClassVar[dict[str, dict[str, LeafPlan]]] = {}
    """Set on the subclass that executor_for makes for a schema."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]

    def execute_field(  # type: ignore[override]
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """The field's value, in one step when it is planned and its value is plain."""
        fields = self.plans.get(parent_type.name)
        if fields is not None:
            plan = fields.get(field_details_list[0].node.name.value)
            manager = self.middleware_manager
            if plan is not None and (manager is None or not manager.middlewares):
                value = _plain(source, plan)
                if value is not Undefined:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _plain(source: Any, plan: LeafPlan) -> Any:
    """The serialised value, or Undefined when graphql-core must answer the field itself."""
    try:
        value = getattr(source, plan.attr)
        if value is None:
            return Undefined if plan.non_null else None
        coerced = plan.type.coerce_output_value(value)
    except Exception:  # graphql-core reads it again and reports it
        return Undefined
    return Undefined if coerced is None else coerced


def is_awaitable(value: Any) -> bool:
    """Whether `value` can be awaited, remembered per type.

    graphql-core asks this of every field value and list item. Strawberry's check answers
    builtins at once but, for an object such as a Relationship, tries two isinstance tests and
    a failing `hasattr(value, "__await__")` each time. `await` looks `__await__` up on the type,
    so the answer is the type's; generators are the exception (a flag on each generator).
    """
    cls = type(value)
    known = _AWAITABLE_BY_TYPE.get(cls)
    if known is None:
        if issubclass(cls, GeneratorType):
            return graphql_is_awaitable(value)
        known = issubclass(cls, CoroutineType) or hasattr(cls, "__await__")
        if len(_AWAITABLE_BY_TYPE) < _MAX_TYPES:
            _AWAITABLE_BY_TYPE[cls] = known
    return known


def executor_for(schema: GraphQLSchema) -> type[LeanExecutor]:
    """A LeanExecutor class that knows the plain leaf fields of `schema`."""
    return type("LeanExecutor", (LeanExecutor,), {"plans": leaf_plans(schema)})
