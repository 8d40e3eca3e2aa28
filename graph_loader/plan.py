"""The plan of a load as lines: what is (or was) created, updated in which fields, deleted."""

from __future__ import annotations

from graph_store import ApplyResult, Change

__all__ = ["LIST_LIMIT", "plan_lines"]

LIST_LIMIT = 50
"""Most changes listed per action; a synthetic load would otherwise print a million lines."""

_MARKS = {"create": "+", "update": "~", "delete": "-"}
_RECORDS = {"node": "node", "edge": "relationship"}


def plan_lines(result: ApplyResult, *, written: bool, limit: int = LIST_LIMIT) -> list[str]:
    """Human-readable lines of `result`: a heading, then changes grouped by action."""
    verbs = (
        {"create": "created", "update": "updated", "delete": "deleted"}
        if written
        else {"create": "to create", "update": "to update", "delete": "to delete"}
    )
    counts = ", ".join(f"{result.count(action)} {verb}" for action, verb in verbs.items())
    unchanged = result.unchanged_nodes + result.unchanged_edges
    lines = [f"{'Changes' if written else 'Plan'}: {counts}, {unchanged} unchanged"]
    for action in verbs:
        changes = [c for c in result.changes if c.action == action]
        lines.extend(_line(c) for c in changes[:limit])
        if len(changes) > limit:
            lines.append(f"  {_MARKS[action]} … and {len(changes) - limit} more {verbs[action]}")
    return lines


def _line(change: Change) -> str:
    fields = f": {', '.join(change.fields)}" if change.fields else ""
    record = _RECORDS.get(change.record, change.record)
    return f"  {_MARKS[change.action]} {record} {change.id}{fields}"
