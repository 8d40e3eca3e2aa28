"""What a field's selection asks for, so a resolver can fetch it in the same batch."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types import Info
from strawberry.types.nodes import Selection

__all__ = ["selects_any"]


def selects_any(info: Info, names: frozenset[str]) -> bool:
    """Whether a field named in `names` is selected anywhere below the current field.

    Looks through fragments and nested levels alike: a false "yes" costs one batched load
    that is not shown, a false "no" one awaited load per list item.
    """
    return _any(info.selected_fields, names)


def _any(selections: Iterable[Selection], names: frozenset[str]) -> bool:
    for selection in selections:
        if getattr(selection, "name", None) in names or _any(selection.selections, names):
            return True
    return False
