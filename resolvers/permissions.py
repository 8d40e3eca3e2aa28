"""Who is calling and what they may do: the principal, and the scope check for fields."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strawberry.permission import BasePermission

from graph_store import Certainty

__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "READ",
    "READ_CONTACTS",
    "SCOPES",
    "WRITE",
    "HasScope",
    "Principal",
    "authenticate",
]

READ = "read"
"""Scope to read the public fields of the graph."""
READ_CONTACTS = "read:contacts"
"""Scope to read people's roles and personal details."""
WRITE = "write"
"""Scope to change the graph (the secretariat's mutations)."""
ADMIN = "admin"
"""Every scope, and key management."""
SCOPES = (READ, READ_CONTACTS, WRITE, ADMIN)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as the API sees it: who (for logs), what it may do, and its partner settings.

    Resolvers only ever ask `can(scope)` and read `min_certainty`; the HTTP layer reads the
    rest (persisted operations, origins, rate limit).
    """

    name: str
    scopes: frozenset[str]
    key_id: str | None = None
    """The API key's public id (None for anonymous and the bootstrap admin key)."""
    min_certainty: Certainty | None = None
    """Relationships less certain than this are hidden from this caller everywhere."""
    persisted_only: bool = False
    """Whether this caller may run only the persisted operations in `operations`."""
    operations: frozenset[str] = frozenset()
    """sha256 hashes of the persisted operations allow-listed for this caller."""
    origins: tuple[str, ...] = ()
    """Browser origins this caller's key may be used from (empty = any allowed origin)."""
    rate_limit: int | None = None
    """Requests per minute for this caller (None = the server's default)."""

    def can(self, scope: str) -> bool:
        """Whether this caller holds `scope` (`admin` holds every scope)."""
        return scope in self.scopes or ADMIN in self.scopes


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
        return Principal("admin", frozenset({ADMIN}))
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
