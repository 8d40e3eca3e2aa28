"""Query and mutation logic behind the GraphQL schema: loaders, permissions, paging, scoring.

Resolvers speak graph_store records, never strawberry types, so the schema can change shape
without touching the logic and the logic can be tested without GraphQL.
"""

from resolvers.context import Context, make_context
from resolvers.filters import edge_filter, relationship_types
from resolvers.introductions import (
    CERTAINTY_WEIGHT,
    INTERMEDIARY_KINDS,
    INTRODUCTION_FORMULA,
    MAX_INTRODUCTIONS,
    Introduction,
    introductions,
    path_weight,
    recency,
)
from resolvers.lists import NodePage, list_nodes, list_related_nodes
from resolvers.loaders import EdgeKey, Loaders
from resolvers.mutations import (
    Party,
    apply_batch,
    delete_relationship,
    edge_record,
    node_record,
    provenance,
    require_write,
    upsert_agreement,
)
from resolvers.pagination import (
    MAX_PAGE_SIZE,
    check_first,
    decode_cursor,
    decode_offset,
    encode_cursor,
)
from resolvers.paths import MAX_NEIGHBOURHOOD, find_paths, neighbourhood, path_query, require_nodes
from resolvers.permissions import (
    ADMIN,
    ANONYMOUS,
    READ,
    READ_CONTACTS,
    SCOPES,
    WRITE,
    HasScope,
    Principal,
    authenticate,
)
from resolvers.relationships import RelationshipPage, relationships_of
from resolvers.search import SearchPage, search
from resolvers.summary import INVERSE_PHRASES, path_summary, step_phrase

__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "CERTAINTY_WEIGHT",
    "Context",
    "EdgeKey",
    "HasScope",
    "INTERMEDIARY_KINDS",
    "INTRODUCTION_FORMULA",
    "INVERSE_PHRASES",
    "Introduction",
    "Loaders",
    "MAX_INTRODUCTIONS",
    "MAX_NEIGHBOURHOOD",
    "MAX_PAGE_SIZE",
    "NodePage",
    "Party",
    "Principal",
    "READ",
    "READ_CONTACTS",
    "RelationshipPage",
    "SCOPES",
    "SearchPage",
    "WRITE",
    "apply_batch",
    "authenticate",
    "check_first",
    "decode_cursor",
    "decode_offset",
    "delete_relationship",
    "edge_filter",
    "edge_record",
    "encode_cursor",
    "find_paths",
    "introductions",
    "list_nodes",
    "list_related_nodes",
    "make_context",
    "neighbourhood",
    "node_record",
    "path_query",
    "path_summary",
    "path_weight",
    "provenance",
    "recency",
    "relationship_types",
    "relationships_of",
    "require_nodes",
    "require_write",
    "search",
    "step_phrase",
    "upsert_agreement",
]
