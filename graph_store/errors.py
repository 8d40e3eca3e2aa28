"""Errors of the ICN graph, each with a stable `code`.

    IcnGraphError                 INTERNAL
     +-- BadUserInput             BAD_USER_INPUT     input that can never succeed as given
     |    +-- InvalidRecord       BAD_USER_INPUT     one or more records of a batch are invalid
     +-- NotFound                 NOT_FOUND          an operation needs a node that does not exist
     +-- Unauthenticated          UNAUTHENTICATED    missing (when required), unknown or revoked key
     +-- Forbidden                FORBIDDEN          the caller lacks the scope
     +-- LimitExceeded            LIMIT_EXCEEDED     a hop, page, depth or size cap was passed
     +-- StoreUnavailable         STORE_UNAVAILABLE  the database cannot be reached (retry later)

The codes are public (GraphQL `extensions.code`, loader exit codes) and listed in
docs/errors.md; the class names are not. Backends translate driver exceptions into these in one
place each, so nothing above `graph_store` ever sees a driver or sqlite3 exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BadUserInput",
    "Forbidden",
    "IcnGraphError",
    "InvalidRecord",
    "LimitExceeded",
    "NotFound",
    "Problem",
    "StoreUnavailable",
    "Unauthenticated",
]


class IcnGraphError(Exception):
    """Base of every expected error; `code` is stable and safe to show to callers."""

    code = "INTERNAL"


class BadUserInput(IcnGraphError):
    """The input is malformed or refers to something the model does not allow."""

    code = "BAD_USER_INPUT"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one record: where (`record` id or position), which field, what."""

    record: str
    field: str
    message: str
    location: str | None = None  # e.g. "data/icn/relationships.yaml:41"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.record}: {self.field}: {self.message}"


class InvalidRecord(BadUserInput):
    """A batch holds invalid records; `problems` lists every one of them, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} invalid record(s): {lines}{more}")


class NotFound(IcnGraphError):
    """A node that the operation cannot do without does not exist."""

    code = "NOT_FOUND"


class Forbidden(IcnGraphError):
    """The caller is not allowed to do this."""

    code = "FORBIDDEN"


class Unauthenticated(IcnGraphError):
    """The request's API key is unknown or revoked, or a key is required and none was sent."""

    code = "UNAUTHENTICATED"


class LimitExceeded(IcnGraphError):
    """A request passed a hard cap (hops, paths, depth, page size, result size)."""

    code = "LIMIT_EXCEEDED"


class StoreUnavailable(IcnGraphError):
    """The database did not answer; the request may succeed later."""

    code = "STORE_UNAVAILABLE"
