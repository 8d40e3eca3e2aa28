"""A graphql-core executor that answers plain fields without the per-field machinery.

Most of an answer is read straight off objects the resolvers built: leaves (`id`, `name`,
`since`) and objects and lists held as attributes (a path's `steps`, a step's `from` and
`relationship`). Strawberry gives those fields its "basic" resolver, and graphql-core still
builds a resolve-info object, calls the resolver and completes the value in several steps
for each of them. This executor answers them directly:

- a plain leaf field is read and serialised in one step (`execute_field`);
- a value whose whole selection is plain fields, however deep (a list of paths with their
  steps, ends and relationships), is completed in one recursive pass (`complete_value`).

Plain: no resolver, strawberry's default attribute read, no arguments, and no field extension
but permissions whose check can be asked directly (`allows(source, context)`, as
resolvers.HasScope can). Such a guarded field is read here when every check allows it; a
refusal is left to graphql-core, which runs the permission and reports FORBIDDEN. A resolver
that only hands back a node its object already holds, and loads it when it holds none (a
relationship's `from`), says where with `held_in`: the held value is read there, and the
resolver is called when it is None.

Everything else goes through graphql-core unchanged, and so does any value that needs more
than one step: null where it must not be, a value its type refuses, an attribute that
raises, an exception or an awaitable held as a value, an abstract type whose object it
cannot tell at once, a list under @stream. graphql-core then completes the value again and
reports the error as it always does, with its path. tests/api/test_lean_executor.py checks
that both executors give the same answers; `python -m bench.executor_ab` measures the CPU they take.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import CoroutineType, GeneratorType
from typing import Any, ClassVar, Protocol, runtime_checkable

from graphql import (
    GraphQLAbstractType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql.pyutils import is_awaitable as graphql_is_awaitable
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import PermissionExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = [
    "LeanExecutor",
    "PlainField",
    "SourceCheck",
    "executor_for",
    "held_in",
    "is_awaitable",
    "plain_fields",
]

_AWAITABLE_BY_TYPE: dict[type, bool] = {}
_SETTLED_BY_TYPE: dict[type, bool] = {}
_MAX_TYPES = 4096
_TYPENAME = "__typename"
_STREAM = "stream"
_HELD = "icn.lean.held"
_REFUSED: Any = object()
"""What `_leaf` answers when a field's permission refuses: graphql-core reports it, and the
selection is taken as not plain for the rest of the request (a list of relationships whose
`role` an anonymous caller may not read would otherwise be tried in one pass at every level)."""
_NOT_PLAIN: Any = object()
"""What `_complete` answers when a selection turns out not to be all plain (under an interface,
for the object type a value is): every selection it was found in is then known as not plain."""


def held_in(attr: str) -> dict[str, str]:
    """Field metadata for a resolver that returns attribute `attr` of its object whenever that
    is not None (and does something else, such as loading, only when it is None)."""
    return {_HELD: attr}


@runtime_checkable
class SourceCheck(Protocol):
    """A field permission that can be asked without strawberry's resolve machinery."""

    def allows(self, source: Any, context: Any) -> bool:
        """Whether the request's `context` may read this field of `source`."""
        ...


@dataclass(frozen=True, slots=True)
class PlainField:
    """A field answered by reading one attribute, and the type its value completes to."""

    attr: str
    type: GraphQLOutputType
    leaf: GraphQLLeafType | None
    """The scalar or enum of a leaf field (None for objects and lists)."""
    non_null: bool
    held: bool = False
    """Read where a resolver holds it (`held_in`): None there means "call the resolver"."""
    guards: tuple[SourceCheck, ...] = ()
    """The field's permissions: read here only when every one allows it."""


def plain_fields(schema: GraphQLSchema) -> dict[str, dict[str, PlainField]]:
    """The plain fields of every object type, by type name and field name (see the module)."""
    plain: dict[str, dict[str, PlainField]] = {}
    for name, gql_type in schema.type_map.items():
        if not isinstance(gql_type, GraphQLObjectType) or name.startswith("__"):
            continue
        fields: dict[str, PlainField] = {}
        for field_name, field in gql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            if definition is None or field.args:
                continue
            guards = _guards(definition.extensions)
            if guards is None:
                continue
            non_null = isinstance(field.type, GraphQLNonNull)
            held = (definition.metadata or {}).get(_HELD)
            if held is not None:
                fields[field_name] = PlainField(held, field.type, None, non_null, True, guards)
                continue
            if definition.base_resolver or definition.default_resolver is not getattr:
                continue
            inner = field.type.of_type if non_null else field.type
            leaf = inner if is_leaf_type(inner) else None
            fields[field_name] = PlainField(
                definition.python_name, field.type, leaf, non_null, guards=guards
            )
        if fields:
            plain[name] = fields
    return plain


def _guards(extensions: list[FieldExtension]) -> tuple[SourceCheck, ...] | None:
    """The checks of a field whose extensions only check permissions that can be asked
    directly; None when one does anything else (a permission that fails silently answers
    null instead of an error, which only its extension does)."""
    checks: list[SourceCheck] = []
    for extension in extensions:
        if type(extension) is not PermissionExtension or extension.fail_silently:
            return None
        for permission in extension.permissions:
            if not isinstance(permission, SourceCheck) or not _allows_decides(type(permission)):
                return None
            checks.append(permission)
    return tuple(checks)


def _allows_decides(cls: type) -> bool:
    """Whether `allows` says all that `has_permission` checks: `has_permission` is defined on
    the class that defines `allows` or on one of its bases. A subclass that overrides only
    `has_permission` may check more than `allows` says; its field is left to strawberry."""

    def owner(name: str) -> type:
        return next(c for c in cls.__mro__ if name in vars(c))

    return issubclass(owner("allows"), owner("has_permission"))


class LeanExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with plain fields answered directly (see the module)."""

    plain: ClassVar[dict[str, dict[str, PlainField]]] = {}
    """Set on the subclass that executor_for makes for a schema."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]
        manager = self.middleware_manager
        # A middleware wraps every resolver, the basic ones too: then graphql-core answers all.
        self._lean = manager is None or not manager.middlewares
        self._verdicts: dict[tuple[Any, int], tuple[Any, bool]] = {}

    def execute_field(  # type: ignore[override]
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """The field's value, in one step when it is a plain leaf and its value is plain."""
        if self._lean:
            fields = self.plain.get(parent_type.name)
            if fields is not None:
                field = fields.get(field_details_list[0].node.name.value)
                if field is not None and field.leaf is not None:
                    value = _leaf(source, field, self.context_value)
                    if value is not Undefined and value is not _REFUSED:
                        return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_value(  # type: ignore[override]
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        """The completed value, in one pass when its whole selection is plain fields."""
        if self._lean and _settled(result) and self._plannable(return_type, field_details_list):
            value = self._complete(return_type, field_details_list, info, result)
            if value is not Undefined and value is not _NOT_PLAIN:
                return value
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plannable(self, return_type: GraphQLOutputType, field_details_list: Any) -> bool:
        """Whether every field selected under `return_type` is plain, at any depth.

        Known once per request for each selection (graphql-core hands the same field list to
        every item of a list); the list is kept alive with the answer so its id stays its own.
        Under an interface the answer is the object type's, known when a value shows which it
        is (`_complete`): checking every possible type up front cost more than the answers.
        """
        named = get_named_type(return_type)
        key = (named, id(field_details_list))
        known = self._verdicts.get(key)
        if known is None:
            directives = (d for fd in field_details_list for d in fd.node.directives or ())
            if any(d.name.value == _STREAM for d in directives):
                plain = False  # @stream: graphql-core delivers the list in parts
            elif is_leaf_type(named) or is_abstract_type(named):
                plain = True
            else:
                plain = self._plain_selection(named, field_details_list)  # type: ignore[arg-type]
            known = self._verdicts[key] = (field_details_list, plain)
        return known[1]

    def _plain_selection(self, object_type: GraphQLObjectType, field_details_list: Any) -> bool:
        grouped, defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if defer_usages:
            return False
        fields = self.plain.get(object_type.name, {})
        for sub in grouped.values():
            name = sub[0].node.name.value
            if name == _TYPENAME:
                continue
            field = fields.get(name)
            if field is None or not self._plannable(field.type, sub):
                return False
        return True

    def _complete(
        self, return_type: GraphQLOutputType, field_details_list: Any, info: Any, value: Any
    ) -> Any:
        """`value` completed as `return_type`; Undefined when graphql-core must complete it (the
        value needs more than one step), _NOT_PLAIN when it must complete the selection."""
        if isinstance(return_type, GraphQLNonNull):
            completed = self._complete(return_type.of_type, field_details_list, info, value)
            return Undefined if completed is None else completed
        if value is None:
            return None
        if not _settled(value):
            return Undefined
        if isinstance(return_type, GraphQLList):
            if not isinstance(value, list | tuple):
                return Undefined
            item_type = return_type.of_type
            items = []
            for item in value:
                completed = self._complete(item_type, field_details_list, info, item)
                if completed is Undefined or completed is _NOT_PLAIN:
                    return completed
                items.append(completed)
            return items
        if is_leaf_type(return_type):
            return _coerced(return_type, value)  # type: ignore[arg-type]
        object_type = self._object_type(return_type, field_details_list, info, value)
        if object_type is None:
            return Undefined
        if object_type is not return_type and not self._plannable(object_type, field_details_list):
            # Not all plain for this object type: graphql-core completes this selection, and
            # those around it, from now on in this request rather than try it value by value.
            return self._not_plain(return_type, field_details_list)
        grouped = self.collect_subfields(object_type, field_details_list)[0]
        fields = self.plain.get(object_type.name, {})
        answer: dict[str, Any] = {}
        for response_name, sub in grouped.items():
            name = sub[0].node.name.value
            if name == _TYPENAME:
                answer[response_name] = object_type.name
                continue
            field = fields[name]
            if field.leaf is not None:
                completed = _leaf(value, field, self.context_value)
                if completed is _REFUSED:
                    return self._not_plain(object_type, field_details_list)
            else:
                if field.guards and not _allowed(field.guards, value, self.context_value):
                    return self._not_plain(object_type, field_details_list)
                try:
                    raw = getattr(value, field.attr)
                except Exception:  # graphql-core reads it again and reports it
                    return Undefined
                if raw is None and field.held:
                    return Undefined  # not held: the resolver fetches it
                completed = self._complete(field.type, sub, info, raw)
                if completed is _NOT_PLAIN:
                    return self._not_plain(object_type, field_details_list)
            if completed is Undefined:
                return Undefined
            answer[response_name] = completed
        return answer

    def _not_plain(self, named: GraphQLNamedType, field_details_list: Any) -> Any:
        """Remember that this selection is not all plain, and say so (`_NOT_PLAIN`)."""
        self._verdicts[(named, id(field_details_list))] = (field_details_list, False)
        return _NOT_PLAIN

    def _object_type(
        self, return_type: GraphQLOutputType, field_details_list: Any, info: Any, value: Any
    ) -> GraphQLObjectType | None:
        """The object type `value` completes as, when it is told at once; else None.

        `resolve_type` and `is_type_of` get the info of the field being completed in one pass,
        not of the nested field: strawberry's use it only for the message of an error, and an
        error sends the value back to graphql-core, which asks again with the right info.
        """
        try:
            if isinstance(return_type, GraphQLObjectType):
                object_type = return_type
            else:
                abstract: GraphQLAbstractType = return_type  # type: ignore[assignment]
                if abstract.resolve_type is None:
                    return None
                name = abstract.resolve_type(value, info, abstract)
                if isinstance(name, CoroutineType):
                    name.close()
                    return None
                object_type = self.ensure_valid_runtime_type(
                    name, abstract, field_details_list, info, value
                )
            check = object_type.is_type_of
            if check is not None:
                verdict = check(value, info)
                if verdict is not True:
                    if isinstance(verdict, CoroutineType):
                        verdict.close()
                    return None
        except Exception:  # graphql-core tells the type again and reports it
            return None
        return object_type


def _leaf(source: Any, field: PlainField, context: Any) -> Any:
    """The serialised value of a plain leaf, or Undefined when graphql-core must answer
    (_REFUSED when it must because the field's permission refuses)."""
    if field.guards and not _allowed(field.guards, source, context):
        return _REFUSED
    try:
        value = getattr(source, field.attr)
    except Exception:  # graphql-core reads it again and reports it
        return Undefined
    if value is None:
        return Undefined if field.non_null else None
    if not _settled(value):
        return Undefined
    return _coerced(field.leaf, value)  # type: ignore[arg-type]


def _allowed(guards: tuple[SourceCheck, ...], source: Any, context: Any) -> bool:
    """Whether every check lets the request read the field of `source`. Only True allows, as
    in strawberry; a check that raises counts as a refusal, and graphql-core asks again."""
    try:
        return all(guard.allows(source, context) is True for guard in guards)
    except Exception:
        return False


def _coerced(leaf: GraphQLLeafType, value: Any) -> Any:
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:  # graphql-core coerces it again and reports it
        return Undefined
    return Undefined if coerced is None else coerced


def _settled(value: Any) -> bool:
    """Whether `value` is a value as it stands, known per type: not something to await (a
    coroutine, a future) and not an exception, which graphql-core raises as the field's error.
    Generators are never taken as settled (one can be awaitable, by a flag on it)."""
    cls = type(value)
    known = _SETTLED_BY_TYPE.get(cls)
    if known is None:
        known = not (issubclass(cls, GeneratorType | BaseException) or is_awaitable(value))
        if len(_SETTLED_BY_TYPE) < _MAX_TYPES:
            _SETTLED_BY_TYPE[cls] = known
    return known


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
    """A LeanExecutor class that knows the plain fields of `schema`."""
    return type("LeanExecutor", (LeanExecutor,), {"plain": plain_fields(schema)})
