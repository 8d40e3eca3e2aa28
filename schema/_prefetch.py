"""A node's relationship pages, asked for while the node itself is being fetched.

graphql-core runs the fields below `node(id:)` only once the node is there, so an entity page
(`node(id:) { name relationships(first: 10) { ... other { relationships(first: 5) ... } } }`)
waited for three store calls in turn: the node, its page, the far ends' pages. The first page
needs only the id and the field's arguments, both known when `node` starts. So `node` starts
the pages of the relationship fields selected directly on it (`relationships`, and typed ones
such as `Cluster.members`: those whose metadata names a starter, `schema.node.prefetched_by`),
and each resolver then finds its page in the request's loader under the same key: one round
trip fewer, the same store calls. Guarded fields are not started early.

Everything here is a hint. A field whose arguments cannot be read is left to its resolver,
which reports the error; a page that fails is reported by the resolver that awaits it; the
pages of an id that turns out to be no node are wasted calls (at most `_MAX_STARTED`), made
alongside the node's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
    get_argument_values,
    get_directive_values,
)
from graphql.execution.collect_fields import does_fragment_condition_match
from graphql.execution.values import VariableValues
from strawberry.types import Info
from strawberry.types.arguments import convert_arguments

from graph_store import kind_of_id
from resolvers import Context
from schema._selection import selections_of, selects_any_below
from schema.node import ENDPOINT_FIELDS, page_starter, type_name_of

__all__ = ["prefetch_relationships"]

_MAX_STARTED = 4
"""Pages started early per node at most: each is a store call made before the node is known
to exist, and an entity page lists a few relationship fields; more wait for their resolvers."""
_STARTED: set[asyncio.Task[Any]] = set()
"""Pages being fetched: held here until done, as asyncio asks of a task nothing awaits yet.
Each ends within the store's own time limits, like the resolver's call would."""


def prefetch_relationships(info: Info[Context, None], node_id: str) -> None:
    """Start the pages that the relationship fields selected on node `node_id` will ask for.

    The node's type is told by its id (`cluster/...`), so fragments on other types are left
    out; @skip and @include are honoured. Fields that share a response name are merged by
    graphql-core into one resolver call, so they are asked for once, with the far ends if any
    of them shows them, as the resolver asks.
    """
    try:
        for page in _pages(info, node_id):
            task = asyncio.ensure_future(page)
            _STARTED.add(task)
            task.add_done_callback(_finished)
    except Exception:  # only a hint: the resolvers read the query again and report any error
        return


def _pages(info: Info[Context, None], node_id: str) -> Iterator[Any]:
    """The page coroutines for `node_id`'s selected relationship fields, one per response
    name; a field whose arguments cannot be read is left to its resolver."""
    kind = kind_of_id(node_id)
    if kind is None:
        return
    raw = info._raw_info  # strawberry's Info offers the field nodes only converted
    object_type = raw.schema.get_type(type_name_of(kind))
    if not isinstance(object_type, GraphQLObjectType):
        return
    converter = info.schema.schema_converter  # type: ignore[attr-defined]
    # Strawberry hands resolvers the coerced variables; graphql-core reads them from this.
    variables = VariableValues(sources={}, coerced=raw.variable_values)
    merged: dict[str, list[FieldNode]] = {}
    selections = (s for node in raw.field_nodes for s in selections_of(node))
    for node in _fields(selections, raw.fragments, variables, raw.schema, object_type, set()):
        merged.setdefault(node.alias.value if node.alias else node.name.value, []).append(node)
    started = 0
    for nodes in merged.values():
        if started == _MAX_STARTED:
            return
        field = object_type.fields[nodes[0].name.value]
        definition = field.extensions.get("strawberry-definition")
        starter = page_starter(definition.metadata) if definition is not None else None
        if starter is None or definition.extensions:
            continue
        try:
            arguments = convert_arguments(
                get_argument_values(field, nodes[0], variables),
                definition.arguments,
                scalar_registry=converter.scalar_registry,
                config=info.schema.config,
            )
        except Exception:  # the resolver reads the arguments again and reports the error
            continue
        with_others = selects_any_below(nodes, raw.fragments, ENDPOINT_FIELDS)
        started += 1
        yield starter(info.context, node_id, **arguments, with_others=with_others)


def _finished(task: asyncio.Task[Any]) -> None:
    """Forget a started page, and mark its error as seen: the resolver that awaits the same
    page reports it, and no resolver may (the node did not exist)."""
    _STARTED.discard(task)
    if not task.cancelled():
        task.exception()


def _fields(
    selections: Iterable[SelectionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: VariableValues,
    schema: GraphQLSchema,
    object_type: GraphQLObjectType,
    seen: set[str],
) -> Iterator[FieldNode]:
    """The fields of `object_type` among `selections` (not their sub-selections), through the
    fragments that apply to it (graphql-core's own test of a fragment's type condition)."""
    for selection in selections:
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            if selection.name.value in object_type.fields:
                yield selection
        elif isinstance(selection, InlineFragmentNode):
            if does_fragment_condition_match(schema, selection, object_type):
                inner = selections_of(selection)
                yield from _fields(inner, fragments, variables, schema, object_type, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            seen.add(name)
            if does_fragment_condition_match(schema, fragment, object_type):
                inner = selections_of(fragment)
                yield from _fields(inner, fragments, variables, schema, object_type, seen)


def _included(selection: SelectionNode, variables: VariableValues) -> bool:
    """What @skip and @include say of `selection` (both absent: included)."""
    if not selection.directives:
        return True
    skip = get_directive_values(GraphQLSkipDirective, selection, variables)
    if skip and skip["if"]:
        return False
    include = get_directive_values(GraphQLIncludeDirective, selection, variables)
    return not (include and not include["if"])
