"""Reading kind-specific properties off a store node into typed GraphQL fields."""

from __future__ import annotations

from graph_store import Node as NodeRecord
from graph_store import PartialDate

__all__ = ["date_prop", "int_prop", "text_prop"]


def text_prop(record: NodeRecord, key: str) -> str | None:
    """A property as text (numbers such as amounts are shown as written), or None."""
    value = record.props.get(key)
    if value is None:
        return None
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def date_prop(record: NodeRecord, key: str) -> PartialDate | None:
    """A date property; stored values were validated, so a bad one is a store bug."""
    value = record.props.get(key)
    return PartialDate.parse(str(value)) if value is not None else None


def int_prop(record: NodeRecord, key: str) -> int | None:
    """An integer property (e.g. an event's ordinal), or None if absent or not a number."""
    value = record.props.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
