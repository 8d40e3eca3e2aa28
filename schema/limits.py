"""Query limits: what one GraphQL request may ask for, refused before the store is touched.

Per request, in this order (docs/security.md, "Limits"):

1. tokens: the parser stops after `max_tokens` tokens (strawberry's MaxTokensLimiter sets the
   parse option in `on_operation`, before any parsing, and the parser cache's key includes it),
   so a document with 10,000 aliases or a huge fragment cycle never becomes a syntax tree. A
   document over twice the limit is refused before the parser even starts (`surely_over`, a
   regular-expression count). graphql-core also refuses documents nested over 200 levels. All
   answer LIMIT_EXCEEDED.
2. `RequestLimits.on_validate`, before graphql-core's validation: one linear pass over the
   operation with the request's variables (schema._measure): depth, aliases, cost and fields
   once fragments are expanded against the limits (LIMIT_EXCEEDED), size arguments against the
   resolvers' caps (maxHops, first, limit, depth, ids: the resolvers' own codes), and
   introspection against the setting (FORBIDDEN).
3. graphql-core's validation (cached). Its rules include two guards against hostile documents:
   MaxIntrospectionDepthRule refuses introspection that nests `fields`, `interfaces`,
   `possibleTypes` or `inputFields` lists three deep, and fragments spread too deeply inside
   each other abort validation. Both answer GRAPHQL_VALIDATION_FAILED.
4. execution, within `timeout_ms`: the schema cancels it and raises RequestTimeout (the HTTP
   layer answers code TIMEOUT, status 504), and the store stops the request's queries (the
   deadline of graph_store.deadline: Neo4j's transaction timeout, SQLite's progress handler
   and the walks' checks).

Introspection: "on" (anyone), "keys" (only callers who sent an API key or the admin key; an
anonymous caller gets FORBIDDEN), "off" (nobody). `__typename` is always allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, SchemaExtension

from resolvers import ADMIN, Principal
from schema._measure import measure

__all__ = [
    "INTROSPECTION_MODES",
    "QueryLimits",
    "RequestLimits",
    "RequestTimeout",
    "anonymous",
    "surely_over",
]

INTROSPECTION_MODES = ("on", "keys", "off")
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
FORBIDDEN = "FORBIDDEN"
TIMEOUT = "TIMEOUT"


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """The limits of one server (server.Settings builds them from the environment)."""

    max_depth: int = 12
    """MAX_QUERY_DEPTH: nested field levels, leaves included (`{ a { b } }` is 2)."""
    max_aliases: int = 30
    """MAX_ALIASES: aliased fields in the operation, counted once per use of a fragment."""
    max_tokens: int = 2_000
    """MAX_TOKENS: lexical tokens of the document (names, punctuation, values); also the most
    fields the operation may select once its fragments are expanded."""
    max_cost: int = 10_000
    """MAX_QUERY_COST: the cost formula of schema._measure."""
    introspection: str = "on"
    """ICN_INTROSPECTION: "on", "keys" or "off"."""
    timeout_ms: int | None = 10_000
    """REQUEST_TIMEOUT_MS: the longest one operation may run (None: no limit)."""

    def __post_init__(self) -> None:
        if self.introspection not in INTROSPECTION_MODES:
            raise ValueError(f"introspection must be one of {INTROSPECTION_MODES}")

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        """The schema extensions enforcing these limits, as per-request factories.

        They must come before the parser and validation caches in the schema's list: the
        token limit sets the parse option the parser cache parses with (in `on_operation`,
        which runs before any parsing), and the request checks must refuse a request before
        the validation cache looks at it (it then leaves their errors alone).
        """
        return [
            lambda: MaxTokensLimiter(max_token_count=self.max_tokens),
            lambda: RequestLimits(self),
        ]


class RequestTimeout(Exception):
    """The operation ran longer than the request timeout and was cancelled (code TIMEOUT)."""

    code = TIMEOUT

    def __init__(self, timeout_ms: int) -> None:
        super().__init__(
            f"the request took longer than {timeout_ms} ms and was stopped; ask for less "
            "(fewer hops, smaller pages) or retry later"
        )


_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # block string
    r'|"(?:[^"\\\n]|\\.)*"'  # string
    r"|#[^\n]*"  # comment (not a token)
    r"|[_A-Za-z][_0-9A-Za-z]*|-?[0-9][0-9.eE+-]*|\.\.\.|[!$&()\[\]{}:=@|]"
)


def surely_over(text: str, max_tokens: int) -> bool:
    """Whether `text` has more than twice `max_tokens` tokens, by a regular expression.

    A shortcut for huge documents (a 10,000-alias query is refused in about a millisecond
    instead of the ~15 ms the parser takes to reach its limit). The margin of two keeps a
    miscount from ever refusing a document the parser would accept: between one and two
    times the limit, the parser decides.
    """
    if len(text) <= 2 * max_tokens:
        return False  # every token is at least one character long
    found = (m for m in _TOKEN.finditer(text) if not m.group().startswith("#"))
    return sum(1 for _ in islice(found, 2 * max_tokens + 1)) > 2 * max_tokens


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def anonymous(principal: Principal | None) -> bool:
    """Whether the caller sent no key: neither an API key (key_id) nor the admin key."""
    return principal is None or (principal.key_id is None and not principal.can(ADMIN))


class RequestLimits(SchemaExtension):
    """Depth, aliases, cost, size arguments and introspection of one request (module doc)."""

    def __init__(self, limits: QueryLimits) -> None:
        super().__init__()
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            errors = self.check(context)
            if errors:
                # Set before the validation cache runs, which then leaves them alone.
                context.pre_execution_errors = errors
        yield

    def check(self, context: Any) -> list[GraphQLError]:
        """Every limit the request passes, as coded errors (empty when within the limits)."""
        limits = self.limits
        shape = measure(
            context.schema._schema,
            context.graphql_document,
            context.variables,
            context.operation_name,
            max_depth=limits.max_depth,
        )
        errors = list(shape.errors)
        if shape.depth > limits.max_depth:
            errors.append(
                _error(
                    f"the query nests fields more than {limits.max_depth} levels deep (the limit)",
                    LIMIT_EXCEEDED,
                )
            )
        if shape.aliases > limits.max_aliases:
            errors.append(
                _error(
                    f"the query uses {shape.aliases} aliases; the limit is {limits.max_aliases}",
                    LIMIT_EXCEEDED,
                )
            )
        if shape.fields > limits.max_tokens:
            errors.append(
                _error(
                    f"the query selects {shape.fields} fields once its fragments are expanded; "
                    f"the limit is {limits.max_tokens}",
                    LIMIT_EXCEEDED,
                )
            )
        if shape.cost > limits.max_cost and not shape.errors:
            # (an argument over its cap is the clearer message, and inflates the cost)
            errors.append(
                _error(
                    f"the query costs {shape.cost}; the limit is {limits.max_cost} (ask for "
                    "smaller pages or fewer nested lists: docs/security.md explains the cost)",
                    LIMIT_EXCEEDED,
                )
            )
        if shape.introspects:
            refusal = self._introspection_refusal(context)
            if refusal is not None:
                errors.append(refusal)
        return errors

    def _introspection_refusal(self, context: Any) -> GraphQLError | None:
        mode = self.limits.introspection
        if mode == "on":
            return None
        if mode == "keys" and not anonymous(getattr(context.context, "principal", None)):
            return None
        reason = "needs an API key" if mode == "keys" else "is turned off on this server"
        return _error(f"introspection {reason}", FORBIDDEN)
