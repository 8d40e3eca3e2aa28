"""The per-request context every resolver receives through `Info[Context, None]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_store import GraphStore
from resolvers.loaders import Loaders
from resolvers.permissions import ANONYMOUS, Principal

__all__ = ["Context", "make_context"]


@dataclass(slots=True)
class Context:
    """The store, fresh DataLoaders and the caller of one GraphQL request."""

    store: GraphStore
    loaders: Loaders
    principal: Principal = ANONYMOUS
    request: Any = None
    """The HTTP request (Starlette), for extensions that need headers or client address."""
    extras: dict[str, Any] = field(default_factory=dict)
    """Room for per-request data added by later middleware (rate limits, cost accounting)."""


def make_context(
    store: GraphStore, principal: Principal = ANONYMOUS, request: Any = None
) -> Context:
    """A context with new DataLoaders: caches never outlive one request."""
    return Context(store=store, loaders=Loaders(store), principal=principal, request=request)
