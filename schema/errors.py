"""Give every GraphQL error a stable `extensions.code` and mask the unexpected ones.

IcnGraphError (from graph_store)   -> its `.code` (InvalidRecord adds `problems`)
document over the token or nesting -> LIMIT_EXCEEDED
  limit of the parser
syntax error in the document       -> GRAPHQL_PARSE_FAILED
error that already carries a code  -> kept (field permissions say FORBIDDEN, query limits
                                      LIMIT_EXCEEDED or FORBIDDEN)
validation error                   -> GRAPHQL_VALIDATION_FAILED
other request error (variables)    -> BAD_USER_INPUT
anything else                      -> INTERNAL, message "Internal server error";
                                      the traceback is logged server-side only
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graph_store import IcnGraphError, InvalidRecord

__all__ = ["INTERNAL_MESSAGE", "ErrorCodes", "classify", "syntax_error_code"]

logger = logging.getLogger("icn.graphql")

INTERNAL_MESSAGE = "Internal server error"
UNAVAILABLE_MESSAGE = "The graph store is unavailable; retry later."
_PARSER_LIMITS = ("tokens. Parsing aborted", "nested too deeply")
"""How graphql-core's parser words the refusals of its max_tokens and nesting limits."""


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    # A new error, never a mutated one: the validation cache shares error objects.
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def syntax_error_code(error: GraphQLError) -> str:
    """LIMIT_EXCEEDED for the parser's token and nesting limits, else GRAPHQL_PARSE_FAILED."""
    limited = any(marker in error.message for marker in _PARSER_LIMITS)
    return "LIMIT_EXCEEDED" if limited else "GRAPHQL_PARSE_FAILED"


def classify(error: GraphQLError, *, validation_errors: frozenset[int]) -> GraphQLError:
    """The client-facing version of `error`, with a code (and masked if unexpected)."""
    original = error.original_error
    if isinstance(original, IcnGraphError) and original.code != "INTERNAL":
        return _expected(error, original)
    if isinstance(error, GraphQLSyntaxError) or isinstance(original, GraphQLSyntaxError):
        return _with(error, error.message, {"code": syntax_error_code(error)})
    if error.extensions and "code" in error.extensions:
        return error
    if id(error) in validation_errors:
        return _with(error, error.message, {"code": "GRAPHQL_VALIDATION_FAILED"})
    if error.path is None and not isinstance(original, IcnGraphError):
        # Errors outside field execution: variable coercion, operation selection.
        return _with(error, error.message, {"code": "BAD_USER_INPUT"})
    logger.error(
        "unexpected error at %s: %s",
        ".".join(str(p) for p in error.path or ()),
        error.message,
        exc_info=original if isinstance(original, BaseException) else None,
    )
    return _with(error, INTERNAL_MESSAGE, {"code": "INTERNAL"})


def _expected(error: GraphQLError, original: IcnGraphError) -> GraphQLError:
    extensions: dict[str, object] = {"code": original.code}
    message = str(original)
    if original.code == "STORE_UNAVAILABLE":
        # Driver messages may name hosts or queries: log them, show a fixed text.
        logger.warning("store unavailable: %s", original)
        message = UNAVAILABLE_MESSAGE
    if isinstance(original, InvalidRecord):
        extensions["problems"] = [
            {"record": p.record, "field": p.field, "message": p.message, "location": p.location}
            for p in original.problems
        ]
    return _with(error, message, extensions)


class ErrorCodes(SchemaExtension):
    """Rewrites the errors of every result once the operation is done (see module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self._validation_errors: frozenset[int] = frozenset()

    def on_validate(self) -> Iterator[None]:
        yield
        errors = self.execution_context.pre_execution_errors or []
        self._validation_errors = frozenset(id(e) for e in errors)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [classify(e, validation_errors=self._validation_errors) for e in errors]
