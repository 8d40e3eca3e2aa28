"""The assembled Schema: query, mutation, every node type, caches, error codes and limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.graphql import OperationType

from graph_store import deadline
from schema._executor import executor_for
from schema.agreement import Agreement
from schema.cluster import Cluster
from schema.document import Document
from schema.errors import ErrorCodes, syntax_error_code
from schema.event import Event
from schema.limits import QueryLimits, RequestTimeout, surely_over
from schema.lists import ListQuery
from schema.mutation import Mutation
from schema.network import Network
from schema.organisation import Organisation
from schema.person import Person
from schema.project import Programme, Project
from schema.query import GraphQuery
from schema.scalars import SCALAR_MAP

__all__ = ["NODE_TYPES", "Query", "build_schema", "sdl"]

NODE_TYPES = (
    Agreement,
    Cluster,
    Document,
    Event,
    Network,
    Organisation,
    Person,
    Programme,
    Project,
)

CACHE_SIZE = 512
"""Distinct documents whose parse and validation results are kept (per process)."""


class _ParserCache(ParserCache):
    """ParserCache that answers a syntax error at once, with its code."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        max_tokens = context.parse_options.get("max_tokens")
        if max_tokens is not None and context.query and surely_over(context.query, max_tokens):
            raise GraphQLError(
                f"Syntax Error: Document contains more than {max_tokens} tokens. Parsing aborted.",
                extensions={"code": "LIMIT_EXCEEDED"},
            )
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLSyntaxError as error:
            # Left unset, the document would be parsed a second time by strawberry: twice the
            # work for a hostile document. Raised here, the error becomes the request's result
            # without passing ErrorCodes, hence the code given now (on this fresh error
            # itself: a copy would locate it in the source again, slow for a huge one-liner).
            error.extensions = {"code": syntax_error_code(error)}
            raise
        yield


class _ValidationCache(ValidationCache):
    """ValidationCache that leaves a request alone once the query limits have refused it."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is None:
            yield from super().on_validate()
        else:
            yield


class _ArgumentNames(NameConverter):
    """NameConverter that remembers argument names: strawberry asks for the GraphQL name of
    every argument of a resolver on every call (six for each `relationships` field)."""

    def __init__(self) -> None:
        super().__init__()
        # By id, holding the argument too: while it is held, no other object can take its id.
        self._arguments: dict[int, tuple[StrawberryArgument, str]] = {}

    def from_argument(self, argument: StrawberryArgument) -> str:
        known = self._arguments.get(id(argument))
        if known is None:
            known = self._arguments[id(argument)] = (argument, super().from_argument(argument))
        return known[1]


@strawberry.type(description="Read the ICN graph.")
class Query(GraphQuery, ListQuery):
    pass


class _Schema(strawberry.Schema):
    limits: QueryLimits

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Run one operation within the request timeout; RequestTimeout when it runs over.

        The store sees the same deadline (graph_store.deadline), so the operation's queries
        stop with it instead of running on after the caller has been answered.
        """
        run = super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        timeout_ms = self.limits.timeout_ms
        if timeout_ms is None:
            return await run
        seconds = timeout_ms / 1000
        with deadline(seconds):
            timer = asyncio.timeout(seconds)
            try:
                async with timer:
                    return await run
            except TimeoutError:
                if timer.expired():
                    raise RequestTimeout(timeout_ms) from None
                raise

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Do not log here: ErrorCodes logs the unexpected errors (expected ones are routine)."""


def build_schema(*, limits: QueryLimits | None = None, **extra: Any) -> strawberry.Schema:
    """A new Schema with `limits` (defaults: QueryLimits()); `extra` extensions run inside
    the error mapping and the limits."""
    limits = limits if limits is not None else QueryLimits()
    extensions: list[Any] = [
        ErrorCodes,
        *limits.extensions(),  # before the caches: see QueryLimits.extensions
        lambda: _ParserCache(maxsize=CACHE_SIZE),
        lambda: _ValidationCache(maxsize=CACHE_SIZE),
        *extra.pop("extensions", ()),
    ]
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        types=list(NODE_TYPES),
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP, name_converter=_ArgumentNames()),
        **extra,
    )
    schema.limits = limits
    schema.execution_context_class = executor_for(schema._schema)
    return schema


def sdl() -> str:
    """The schema in SDL, as served at /schema.graphql."""
    return build_schema().as_str()
