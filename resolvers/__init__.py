"""Query and mutation logic behind the GraphQL schema: loaders, permissions, paging, scoring.

Resolvers speak graph_store records, never strawberry types, so the schema can change shape
without touching the logic and the logic can be tested without GraphQL.
"""

from resolvers.api_keys import KeyRecord, KeyRegistry
from resolvers.context import Context, make_context
from resolvers.filters import caller_filter, edge_filter, effective_certainty, relationship_types
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
from resolvers.loaders import Loaders, PageKey
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
from resolvers.paths import MAX_NEIGHBOURHOOD, find_paths, neighbourhood, path_query
from resolvers.permissions import (
    ADMIN,
    ANONYMOUS,
    BOOTSTRAP_ADMIN,
    PERSON_ROLE_TYPES,
    READ,
    READ_CONTACTS,
    SCOPES,
    WRITE,
    HasScope,
    HasScopeForTypes,
    KeyLookup,
    Principal,
    Unauthenticated,
    authenticate,
    presented_key,
)
from resolvers.relationships import RelationshipPage, relationships_of
from resolvers.search import SearchPage, search
from resolvers.stats import visible_stats
from resolvers.summary import INVERSE_PHRASES, path_summary, step_phrase

__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "BOOTSTRAP_ADMIN",
    "CERTAINTY_WEIGHT",
    "Context",
    "HasScope",
    "HasScopeForTypes",
    "INTERMEDIARY_KINDS",
    "INTRODUCTION_FORMULA",
    "INVERSE_PHRASES",
    "Introduction",
    "KeyLookup",
    "KeyRecord",
    "KeyRegistry",
    "Loaders",
    "MAX_INTRODUCTIONS",
    "MAX_NEIGHBOURHOOD",
    "MAX_PAGE_SIZE",
    "NodePage",
    "PERSON_ROLE_TYPES",
    "PageKey",
    "Party",
    "Principal",
    "READ",
    "READ_CONTACTS",
    "RelationshipPage",
    "SCOPES",
    "SearchPage",
    "Unauthenticated",
    "WRITE",
    "apply_batch",
    "authenticate",
    "caller_filter",
    "check_first",
    "decode_cursor",
    "decode_offset",
    "delete_relationship",
    "edge_filter",
    "edge_record",
    "effective_certainty",
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
    "presented_key",
    "provenance",
    "recency",
    "relationship_types",
    "relationships_of",
    "require_write",
    "search",
    "step_phrase",
    "upsert_agreement",
    "visible_stats",
]
