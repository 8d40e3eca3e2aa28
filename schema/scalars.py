"""The `Date` scalar: a partial ISO date ("2011", "2011-10", "2011-10-26") as a PartialDate."""

from __future__ import annotations

import strawberry
from strawberry.types.scalar import ScalarDefinition

from graph_store import PartialDate

__all__ = ["DATE_SCALAR", "SCALAR_MAP"]


def _serialize(value: object) -> str:
    if isinstance(value, PartialDate):
        return value.text
    return str(value)


def _parse(value: object) -> PartialDate:
    if not isinstance(value, str):
        raise ValueError("a Date is a string: YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate.parse(value)


DATE_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Date",
    description=(
        "A partial ISO 8601 date: a year (2011), a month (2011-10) or a day (2011-10-26). "
        "It stands for every day it covers: as of 2011-10-15, a relationship since 2011-10 counts."
    ),
    serialize=_serialize,
    parse_value=_parse,
)

SCALAR_MAP = {PartialDate: DATE_SCALAR}
"""For StrawberryConfig: resolvers and types use PartialDate, GraphQL sees `Date`."""
