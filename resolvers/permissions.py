"""Who is calling and what they may do: the principal, and the scope check for fields."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strawberry.permission import BasePermission

__all__ = [
    "ANONYMOUS",
    "READ",
    "WRITE",
    "HasScope",
    "Principal",
    "authenticate",
]

READ = "graph:read"
"""Scope to read the graph; every caller has it for now."""
WRITE = "graph:write"
"""Scope to change the graph (the secretariat's mutations)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as the API sees it: a name for logs and the scopes it holds."""

    name: str
    scopes: frozenset[str]

    def can(self, scope: str) -> bool:
        """Whether this caller holds `scope`."""
        return scope in self.scopes


ANONYMOUS = Principal("anonymous", frozenset({READ}))


def authenticate(headers: Mapping[str, str], admin_key: str | None) -> Principal:
    """The principal behind a request's `Authorization: Bearer <key>` header.

    Only the configured admin key is known today; an API-key registry can replace this
    function without touching resolvers, which only ever ask `principal.can(scope)`.
    """
    auth = headers.get("authorization", "")
    scheme, _, key = auth.partition(" ")
    if not admin_key or scheme.lower() != "bearer" or not key:
        return ANONYMOUS
    # Constant-time comparison: the key must not leak through response timing.
    if hmac.compare_digest(key.strip().encode(), admin_key.encode()):
        return Principal("admin", frozenset({READ, WRITE}))
    return ANONYMOUS


class HasScope(BasePermission):
    """Field permission: the caller's principal must hold `scope` (else code FORBIDDEN)."""

    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - strawberry reads it per class

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.message = f"this operation needs the {scope!r} scope (send an authorised API key)"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        """Check the principal that `get_context` put on the request."""
        return bool(info.context.principal.can(self.scope))
