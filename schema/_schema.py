"""The assembled Schema: query, mutation, every node type, caches and error codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.agreement import Agreement
from schema.cluster import Cluster
from schema.document import Document
from schema.errors import ErrorCodes
from schema.event import Event
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
    """ParserCache that lets a syntax error surface where the error codes can see it."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        # On a syntax error leave the document unset: strawberry parses again inside the
        # operation and reports the error as a result, which ErrorCodes then codes.
        with suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


@strawberry.type(description="Read the ICN graph.")
class Query(GraphQuery, ListQuery):
    pass


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Do not log here: ErrorCodes logs the unexpected errors (expected ones are routine)."""


def build_schema(**extra: Any) -> strawberry.Schema:
    """A new Schema; `extra` extensions (e.g. complexity limits) run inside the error mapping."""
    extensions: list[Any] = [
        ErrorCodes,
        lambda: _ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        *extra.pop("extensions", ()),
    ]
    return _Schema(
        query=Query,
        mutation=Mutation,
        types=list(NODE_TYPES),
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        **extra,
    )


def sdl() -> str:
    """The schema in SDL, as served at /schema.graphql."""
    return build_schema().as_str()
