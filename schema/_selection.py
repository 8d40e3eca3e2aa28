"""What a field's selection asks for, so a resolver can fetch it in the same batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)
from strawberry.types import Info

__all__ = ["selections_of", "selects_any", "selects_any_below"]


def selects_any(info: Info, names: frozenset[str]) -> bool:
    """Whether a field named in `names` is selected anywhere below the current field.

    Looks through fragments and nested levels alike: a false "yes" costs one batched load
    that is not shown, a false "no" one awaited load per list item. Walks the query's syntax
    tree, which the parser cache shares between requests; strawberry's `selected_fields`
    would first convert the whole subtree with its arguments, for every list item.
    """
    raw = info._raw_info  # strawberry's Info offers the field nodes only converted
    return selects_any_below(raw.field_nodes, raw.fragments, names)


def selects_any_below(
    field_nodes: Iterable[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    names: frozenset[str],
) -> bool:
    """`selects_any` for given field nodes: a field that is not being resolved yet."""
    selections = (s for node in field_nodes for s in selections_of(node))
    return _any(selections, fragments, names, set())


def selections_of(
    node: FieldNode | InlineFragmentNode | FragmentDefinitionNode,
) -> Iterable[SelectionNode]:
    """The selections directly inside a field or fragment (none for a leaf)."""
    return node.selection_set.selections if node.selection_set else ()


def _any(
    selections: Iterable[SelectionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    names: frozenset[str],
    seen: set[str],
) -> bool:
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in names or _any(
                selections_of(selection), fragments, names, seen
            ):
                return True
        elif isinstance(selection, InlineFragmentNode):
            if _any(selections_of(selection), fragments, names, seen):
                return True
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                seen.add(name)
                if _any(selections_of(fragment), fragments, names, seen):
                    return True
    return False
