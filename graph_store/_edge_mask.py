"""Relationship filters compiled for the traversal index's columns.

Hot loops test millions of relationships; `EdgeFilter.accepts` on Edge objects would need the
objects. Instead each relationship carries one small integer for its type and certainty (`tc`)
and two day numbers, and a filter becomes a byte table over `tc` plus two compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_store.records import EdgeFilter

__all__ = [
    "DEAD",
    "NO_SINCE",
    "RANKS",
    "NO_UNTIL",
    "EdgeMask",
    "compile_mask",
    "day_number",
    "tc_code",
]

NO_SINCE = 0
"""Day number stored for a relationship without `since`: before every date."""
NO_UNTIL = 99_999_999
"""Day number stored for a relationship without `until`: after every date."""
DEAD = 0
"""Type-and-certainty code of an eid that holds no relationship (never accepted)."""

RANKS = 8
"""Room for every Certainty.rank (1..4) per type code: `tc // RANKS` is the type code."""


def day_number(iso_day: str) -> int:
    """`2011-10-26` -> 20111026: ordered like the ISO text, but 4 bytes in an array."""
    return int(iso_day[:4]) * 10_000 + int(iso_day[5:7]) * 100 + int(iso_day[8:10])


def tc_code(type_code: int, rank: int) -> int:
    """The one-number type-and-certainty code of a relationship (type codes start at 1)."""
    return type_code * RANKS + rank


@dataclass(frozen=True, slots=True)
class EdgeMask:
    """An EdgeFilter compiled against one index: one table lookup for type and certainty.

    `tc_ok[code]` says whether a relationship with that type-and-certainty code passes;
    `dated` is False when no as-of date is set, so hot loops can skip the date compares.
    """

    tc_ok: bytes
    as_of_lo: int
    as_of_hi: int
    dated: bool


def compile_mask(flt: EdgeFilter, type_codes: Mapping[str, int]) -> EdgeMask | None:
    """`flt` (types, certainty, as-of; not direction) as a mask; None when it accepts all.

    Equal to `EdgeFilter.accepts`: as of a date, `since.lo` must not be after the date's
    last day and `until.hi` not before its first day.
    """
    if flt.types is None and flt.min_certainty is None and flt.as_of is None:
        return None
    ok = bytearray((max(type_codes.values(), default=0) + 1) * RANKS)
    low = flt.min_certainty.rank if flt.min_certainty is not None else 1
    for rel_type, code in type_codes.items():
        if flt.types is None or rel_type in flt.types:
            for rank in range(max(low, 1), 5):
                ok[tc_code(code, rank)] = 1
    if flt.as_of is None:
        return EdgeMask(bytes(ok), NO_SINCE, NO_UNTIL, dated=False)
    return EdgeMask(bytes(ok), day_number(flt.as_of.lo), day_number(flt.as_of.hi), dated=True)
