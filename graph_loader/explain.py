"""Turn pydantic's validation errors into the loader's `field: message` problem lines."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from graph_store import MAX_TEXT, NODE_PROPERTIES, RELATIONSHIP_TYPES, Certainty, NodeKind

__all__ = ["explain_all"]

_KIND_NAMES = [kind.value for kind in NodeKind]
_TYPE_NAMES = list(RELATIONSHIP_TYPES)
_CERTAINTIES = ", ".join(c.value for c in Certainty)
_UNION_FIELDS = frozenset(
    {p for props in NODE_PROPERTIES.values() for p in props}
    | {p for spec in RELATIONSHIP_TYPES.values() for p in spec.properties}
)
"""Properties that accept text or numbers: their type errors come from a union."""


def explain_all(
    errors: Sequence[ErrorDetails], record: dict[str, Any], *, is_node: bool
) -> list[tuple[str, str]]:
    """(field path, message) per field of `record` that pydantic complained about."""
    by_field: dict[str, list[ErrorDetails]] = {}
    for error in errors:
        by_field.setdefault(_field_of(error, record, is_node), []).append(error)
    return [
        (field, _explain(_pick(found), field, record, is_node=is_node))
        for field, found in by_field.items()
    ]


def _field_of(error: ErrorDetails, record: dict[str, Any], is_node: bool) -> str:
    loc = list(error["loc"])
    tag = record.get("kind" if is_node else "type")
    if loc and loc[0] == tag:
        loc = loc[1:]  # the union member's tag pydantic puts first
    return _field_path(loc) or ("kind" if is_node else "type")


def _explain(error: ErrorDetails, field: str, record: dict[str, Any], *, is_node: bool) -> str:
    """The message of one pydantic error about `field` of `record`."""
    tag = record.get("kind" if is_node else "type")
    kind = error["type"]
    value = error.get("input")
    if kind == "union_tag_not_found":
        return "is required"
    if kind == "union_tag_invalid":
        return _unknown_tag(tag, is_node)
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return _not_a_property(field, tag, is_node)
    if kind == "string_too_long":
        size = len(value) if isinstance(value, str) else "too many"
        return f"is {size} characters long; the limit is {MAX_TEXT}"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return "must not be empty"
    if kind == "string_type" and field in _UNION_FIELDS:
        return f"must be text or a number, not {_type_name(value)}"
    if kind == "string_type":
        return f"must be text, not {_type_name(value)}"
    if kind == "list_type":
        return f"must be a list, not {_type_name(value)}"
    if kind == "enum" and field == "certainty":
        return f"{value!r} is not a certainty (one of: {_CERTAINTIES})"
    return error["msg"]


def _pick(errors: list[ErrorDetails]) -> ErrorDetails:
    """The error to show for one field: a union reports one per member, and the member that
    fits the value's type (e.g. text too long) says more than "not an integer" does."""
    for error in errors:
        if not error["type"].endswith("_type"):
            return error
    return errors[0]


def _field_path(loc: Iterable[int | str]) -> str:
    """`aliases[0]` from ("aliases", 0); records are flat, so other strings are union members."""
    parts = list(loc)
    if not parts:
        return ""
    path = str(parts[0])
    for part in parts[1:]:
        if isinstance(part, int):
            path += f"[{part}]"
    return path


def _type_name(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a map"}
    return names.get(type(value), type(value).__name__)


def _unknown_tag(tag: object, is_node: bool) -> str:
    names = _KIND_NAMES if is_node else _TYPE_NAMES
    what = "a node kind" if is_node else "an allowed relationship type"
    close = difflib.get_close_matches(str(tag), names, n=1, cutoff=0.6)
    for name in names:  # a case slip is the commonest mistake ("cluster", "member_of")
        if str(tag).lower() == name.lower():
            close = [name]
    hint = f" (did you mean {close[0]!r}?)" if close else f" (one of: {', '.join(names)})"
    return f"{tag!r} is not {what}{hint}"


def _not_a_property(field: str, tag: object, is_node: bool) -> str:
    if is_node:
        allowed = sorted(NODE_PROPERTIES[NodeKind(tag)]) if tag in _KIND_NAMES else []
        owner = f"a {tag} node"
    else:
        spec = RELATIONSHIP_TYPES.get(str(tag))
        allowed = sorted(spec.properties) if spec else []
        owner = f"a {tag} relationship"
    close = difflib.get_close_matches(field, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"is not a field or property of {owner} "
        f"(properties allowed: {', '.join(allowed) or 'none'}){hint}"
    )
