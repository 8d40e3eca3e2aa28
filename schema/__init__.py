"""The GraphQL schema of ICN Graph: strawberry types, inputs and the assembled Schema."""

from schema._schema import NODE_TYPES, Query, build_schema, sdl
from schema.errors import INTERNAL_MESSAGE, ErrorCodes, classify
from schema.http import GraphQLView
from schema.limits import QueryLimits, RequestTimeout
from schema.mutation import Mutation
from schema.node import Node, Relationship, node_from_record

__all__ = [
    "ErrorCodes",
    "GraphQLView",
    "INTERNAL_MESSAGE",
    "Mutation",
    "NODE_TYPES",
    "Node",
    "Query",
    "QueryLimits",
    "Relationship",
    "RequestTimeout",
    "build_schema",
    "classify",
    "node_from_record",
    "sdl",
]
