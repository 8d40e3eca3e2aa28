"""One pass over a parsed operation: its depth, aliases and cost, and its size arguments.

Everything is measured before validation and execution, with the request's variables, so a
query that asks for too much is refused before the store is touched. The pass is linear in the
document: each fragment is measured once, in dependency order, and a spread that closes a
fragment cycle counts nothing (NoFragmentCycles refuses such documents anyway). Strawberry's
QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread instead, which takes
seconds for a 400-token document whose fragments each spread the next two; this pass never
recurses along fragments and stops descending past the depth limit.

Cost (docs/security.md, "Limits"):

    cost(leaf field: scalar, enum, __typename)  = 0
    cost(field with a selection)                 = n * (1 + cost of its selection)
                                                   [+ limit * depth for neighbourhood]
    n = `first` or `limit` of the field (literal, variable, or the argument's default)
        * `maxHops` for paths and introductions (a path holds up to maxHops hops)
      | number of `ids` for nodes(ids:)
      | 1 for every other field

Introspection (`__schema`, `__type`) adds no depth or cost: the introspection setting and
graphql-core's MaxIntrospectionDepthRule govern it. Its aliases and fields count.

`fields` counts every field once fragments are expanded, leaves included. Fragments that
each spread the next two double it at every step: graphql-core's validation of such a
document takes time in proportion (a third of a second for 2,000 tokens), so it is capped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Node,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.pyutils import Undefined

from graph_store import MAX_DEPTH, MAX_HOPS, MAX_PATHS
from resolvers import MAX_INTRODUCTIONS, MAX_NEIGHBOURHOOD, MAX_PAGE_SIZE

__all__ = ["INTROSPECTION_FIELDS", "Cap", "Shape", "measure"]

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
BAD_USER_INPUT = "BAD_USER_INPUT"


@dataclass(frozen=True, slots=True)
class Cap:
    """The largest value an argument accepts, and the code its resolver answers past it."""

    largest: int
    code: str


# The same caps, and the same codes, as the resolvers check: refusing here only moves the
# refusal before anything runs. Any other field with a `first` pages at most MAX_PAGE_SIZE.
_CAPS: Mapping[tuple[str, str], Mapping[str, Cap]] = {
    ("Query", "paths"): {
        "maxHops": Cap(MAX_HOPS, LIMIT_EXCEEDED),
        "first": Cap(MAX_PATHS, LIMIT_EXCEEDED),
    },
    ("Query", "introductions"): {
        "maxHops": Cap(MAX_HOPS, LIMIT_EXCEEDED),
        "first": Cap(MAX_INTRODUCTIONS, LIMIT_EXCEEDED),
    },
    ("Query", "neighbourhood"): {
        "depth": Cap(MAX_DEPTH, LIMIT_EXCEEDED),
        "limit": Cap(MAX_NEIGHBOURHOOD, LIMIT_EXCEEDED),
    },
    ("Query", "nodes"): {"ids": Cap(MAX_PAGE_SIZE, BAD_USER_INPUT)},
}
_PAGE_CAP = {"first": Cap(MAX_PAGE_SIZE, BAD_USER_INPUT)}
_PAGE_ARGUMENTS = ("first", "limit")


@dataclass(slots=True)
class Shape:
    """What one selection asks for; depth counts field levels, leaves included."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0
    fields: int = 0
    """Fields selected once fragments are expanded (each use of a fragment counts again)."""
    introspects: bool = False
    errors: list[GraphQLError] = field(default_factory=list)

    def add(self, other: Shape, *, levels: int = 0) -> None:
        """Fold in a sibling selection that starts `levels` below this one."""
        self.depth = max(self.depth, other.depth + levels)
        self.aliases += other.aliases
        self.cost += other.cost
        self.fields += other.fields
        self.introspects = self.introspects or other.introspects


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    *,
    max_depth: int,
) -> Shape:
    """The shape of the operation that will run (of every operation, if that is unclear).

    Argument problems are in `errors`; a depth over `max_depth` is reported as at least
    `max_depth + 1` (the pass stops descending there).
    """
    return _Measure(schema, document, variables or {}, max_depth).run(operation_name)


class _Measure:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        max_depth: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.defaults: dict[str, ValueNode | None] = {}
        self.max_depth = max_depth
        definitions = document.definitions
        self.operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {
            d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.done: dict[str, Shape] = {}
        self.errors: list[GraphQLError] = []
        self.reported: set[tuple[int, str]] = set()  # (field node, argument): once each

    def run(self, operation_name: str | None) -> Shape:
        chosen = [o for o in self.operations if o.name and o.name.value == operation_name]
        if not chosen:
            chosen = self.operations if len(self.operations) != 1 else self.operations[:1]
        total = Shape()
        for operation in chosen:
            self.defaults = {
                v.variable.name.value: v.default_value for v in operation.variable_definitions or ()
            }
            self.done = {}
            for name in _dependency_order(self.fragments):
                fragment = self.fragments[name]
                self.done[name] = self._selection(
                    fragment.selection_set, self._type(fragment.type_condition.name.value), 0
                )
            root = self.schema.get_root_type(operation.operation)
            shape = self._selection(operation.selection_set, root, 0)
            total.depth = max(total.depth, shape.depth)
            total.aliases = max(total.aliases, shape.aliases)
            total.cost = max(total.cost, shape.cost)
            total.fields = max(total.fields, shape.fields)
            total.introspects = total.introspects or shape.introspects
        total.errors = self.errors
        return total

    def _type(self, name: str) -> GraphQLObjectType | GraphQLInterfaceType | None:
        found = self.schema.get_type(name)
        return found if isinstance(found, GraphQLObjectType | GraphQLInterfaceType) else None

    def _selection(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLObjectType | GraphQLInterfaceType | None,
        level: int,
    ) -> Shape:
        """The shape of a selection whose fields sit `level` levels below where it is measured."""
        shape = Shape()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                shape.add(self._field(selection, parent, level))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition else parent
                shape.add(self._selection(selection.selection_set, inner, level))
            elif isinstance(selection, FragmentSpreadNode):
                # Fragments are measured in dependency order: one missing here is unknown or
                # closes a cycle, and counts nothing.
                spread = self.done.get(selection.name.value)
                if spread is not None:
                    shape.add(spread)
        return shape

    def _field(
        self, node: FieldNode, parent: GraphQLObjectType | GraphQLInterfaceType | None, level: int
    ) -> Shape:
        name = node.name.value
        definition = parent.fields.get(name) if parent is not None else None
        if definition is not None and parent is not None:
            self._check_caps(node, parent.name, definition)
        shape = Shape(depth=1, aliases=1 if node.alias else 0, fields=1)
        if node.selection_set is None:
            return shape
        if level + 2 > self.max_depth:
            # Its selection already passes the limit: no need to look further down.
            shape.depth = 2
            return shape
        inner = get_named_type(definition.type) if definition is not None else None
        child = self._selection(
            node.selection_set,
            inner if isinstance(inner, GraphQLObjectType | GraphQLInterfaceType) else None,
            level + 1,
        )
        if name in INTROSPECTION_FIELDS:
            # Only its aliases count: its depth and size are governed elsewhere (module doc).
            return Shape(
                aliases=shape.aliases + child.aliases,
                fields=shape.fields + child.fields,
                introspects=True,
            )
        shape.add(child, levels=1)
        if definition is None:
            return shape
        shape.cost = self._size(node, definition) * (1 + child.cost)
        if "depth" in definition.args and "limit" in definition.args:
            walk = self._int(node, definition, "limit") * self._int(node, definition, "depth")
            shape.cost += walk
        return shape

    def _size(self, node: FieldNode, definition: GraphQLField) -> int:
        """How many times the field's selection may be resolved (see the module doc)."""
        if "ids" in definition.args:
            return self._length(node, definition, "ids")
        n = 1
        for page in _PAGE_ARGUMENTS:
            if page in definition.args:
                n = self._int(node, definition, page)
                break
        if "maxHops" in definition.args:
            n *= max(self._int(node, definition, "maxHops"), 1)
        return n

    def _check_caps(self, node: FieldNode, parent: str, definition: GraphQLField) -> None:
        caps = _CAPS.get((parent, node.name.value))
        if caps is None:
            caps = _PAGE_CAP if "first" in definition.args else {}
        for argument, cap in caps.items():
            if argument not in definition.args:
                continue
            if argument == "ids":
                value = self._length(node, definition, argument)
                message = f"at most {cap.largest} ids per call, not {value}"
            else:
                value = self._int(node, definition, argument)
                message = f"`{argument}` is {value}; the limit is {cap.largest}"
                if cap.code == BAD_USER_INPUT:
                    message = f"`{argument}` is {value}; the largest page is {cap.largest}"
            if value > cap.largest and (id(node), argument) not in self.reported:
                self.reported.add((id(node), argument))
                where: list[Node] = [_argument_node(node, argument) or node]
                self.errors.append(
                    GraphQLError(message, nodes=where, extensions={"code": cap.code})
                )

    def _value(self, node: FieldNode, definition: GraphQLField, argument: str) -> Any:
        """The argument's value: literal, variable (or its default), else the schema default."""
        given = _argument_node(node, argument)
        if isinstance(given, VariableNode):
            name = given.name.value
            if self.variables.get(name) is not None:
                return self.variables[name]
            given = self.defaults.get(name)
        if given is not None and not isinstance(given, NullValueNode):
            return given
        default = definition.args[argument].default_value
        return None if default is Undefined else default

    def _int(self, node: FieldNode, definition: GraphQLField, argument: str) -> int:
        value = self._value(node, definition, argument)
        if isinstance(value, IntValueNode):
            value = int(value.value)
        # Anything else is not a whole number: coercion refuses it later, with its own error.
        return max(value, 0) if isinstance(value, int) and not isinstance(value, bool) else 0

    def _length(self, node: FieldNode, definition: GraphQLField, argument: str) -> int:
        value = self._value(node, definition, argument)
        if isinstance(value, ListValueNode):
            return len(value.values)
        return len(value) if isinstance(value, list) else 1


def _argument_node(node: FieldNode, name: str) -> ValueNode | None:
    for argument in node.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None


def _spreads(selection_set: SelectionSetNode) -> Iterator[str]:
    """Names of the fragments spread anywhere inside a selection (no recursion)."""
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif selection.selection_set is not None:
                stack.append(selection.selection_set)


def _dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads (cycles broken where found)."""
    uses = {name: list(dict.fromkeys(_spreads(f.selection_set))) for name, f in fragments.items()}
    order: list[str] = []
    seen: set[str] = set()
    for root in fragments:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(uses[root]))]
        while stack:
            name, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                order.append(name)
            elif following in fragments and following not in seen:
                seen.add(following)
                stack.append((following, iter(uses[following])))
    return order
