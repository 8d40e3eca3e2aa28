"""The one place where Neo4j driver exceptions become graph_store errors.

    driver exception                                   graph_store error
    ServiceUnavailable, SessionExpired, pool timeout,  StoreUnavailable   (retry later)
      IncompleteCommit, OSError, TimeoutError,
      DatabaseUnavailable, other TransientError,
      Security.*, Database.DatabaseNotFound
    *MemoryPool* / *MemoryLimit* (tx too big),         LimitExceeded
      Transaction.TransactionTimedOut*
    TransactionTimedOut, LockClientStopped or          DeadlineExceeded   (TIMEOUT)
      Terminated once the request's deadline has
      passed (the server timeout was cut to it)
    other ClientError caused by the values sent        BadUserInput
      (Statement.TypeError/ArgumentError, Schema.*)
    anything else (syntax errors are our bugs)         IcnGraphError      (INTERNAL)

Messages that can reach an API caller (LIMIT_EXCEEDED, BAD_USER_INPUT) name neither Neo4j nor
its status codes; the others carry the status code at most, never the server's message: Neo4j
messages quote the Cypher text, which must not reach a user. The original is logged for operators.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from neo4j.exceptions import (
    ClientError,
    ConnectionPoolError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph_store._deadline import DeadlineExceeded, remaining
from graph_store.errors import (
    BadUserInput,
    IcnGraphError,
    LimitExceeded,
    StoreUnavailable,
)

__all__ = ["translate", "translating"]

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger("graph_store.neo4j")

_INPUT_CODES = (
    "Neo.ClientError.Statement.TypeError",
    "Neo.ClientError.Statement.ArgumentError",
    "Neo.ClientError.Statement.ConstraintVerificationFailed",
    "Neo.ClientError.Schema.ConstraintValidationFailed",
    "Neo.ClientError.Procedure.ProcedureCallFailed",
)
_ENDED_BY_TIMEOUT = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.LockClientStopped",  # timed out while waiting for a lock
    "Neo.ClientError.Transaction.Terminated",
)
_UNAVAILABLE_PREFIXES = (
    "Neo.ClientError.Security.",
    "Neo.ClientError.Database.DatabaseNotFound",
    "Neo.ClientError.Cluster.",
    "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
)


def translate(exc: BaseException) -> IcnGraphError:
    """The graph_store error that stands for `exc` (a driver, socket or timeout error)."""
    if isinstance(exc, IcnGraphError):
        return exc
    if isinstance(exc, ServiceUnavailable | SessionExpired | ConnectionPoolError):
        return _logged(StoreUnavailable("the Neo4j server cannot be reached"), exc)
    if isinstance(exc, TimeoutError):
        return _logged(StoreUnavailable("the Neo4j server did not answer in time"), exc)
    if isinstance(exc, OSError):
        return _logged(StoreUnavailable("the connection to the Neo4j server failed"), exc)
    if isinstance(exc, Neo4jError):
        return _from_server(exc)
    if isinstance(exc, DriverError):
        return _logged(IcnGraphError("the Neo4j driver failed unexpectedly"), exc, internal=True)
    return _logged(IcnGraphError("unexpected error in the Neo4j backend"), exc, internal=True)


def _from_server(exc: Neo4jError) -> IcnGraphError:
    code = exc.code or "Neo.DatabaseError.General.UnknownError"
    if "Memory" in code:
        return _logged(
            LimitExceeded(
                "the request needs more memory than the store allows; "
                "ask for less, or apply smaller batches"
            ),
            exc,
        )
    if code.startswith(_ENDED_BY_TIMEOUT) and (left := remaining()) is not None and left <= 0:
        # The server ended it at the timeout that was cut to the request's deadline.
        return _logged(DeadlineExceeded("the request ran out of time"), exc)
    if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
        return _logged(LimitExceeded("the query ran past the store's time limit"), exc)
    if isinstance(exc, TransientError):
        return _logged(StoreUnavailable(f"the Neo4j server is busy or unavailable ({code})"), exc)
    if isinstance(exc, ClientError):
        if code.startswith(_UNAVAILABLE_PREFIXES):
            return _logged(StoreUnavailable(f"the Neo4j server refused the request ({code})"), exc)
        if code in _INPUT_CODES:
            return _logged(BadUserInput("the store cannot use a value of the request"), exc)
    return _logged(IcnGraphError(f"the Neo4j server failed ({code})"), exc, internal=True)


def _logged(error: IcnGraphError, cause: BaseException, *, internal: bool = False) -> IcnGraphError:
    # Operators need the server's own words; callers get only the stable code and a summary.
    if internal:
        log.error("Neo4j backend error: %s", error, exc_info=cause)
    else:
        log.info("Neo4j backend: %s (%s: %s)", error, type(cause).__name__, cause)
    return error


def translating(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Wrap a coroutine that talks to Neo4j so that whatever it raises is a graph_store error.

    The new error is raised outside the `except` block on purpose: no `__context__` then
    points back at the driver exception (whose message may quote Cypher).
    """

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await fn(*args, **kwargs)
        except IcnGraphError:
            raise
        except Exception as exc:
            error = translate(exc)
        raise error

    return wrapper
