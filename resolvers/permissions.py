"""Who is calling and what they may do: the principal, and the scope check for fields."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from strawberry.permission import BasePermission

from graph_store import Certainty, Unauthenticated

__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "BOOTSTRAP_ADMIN",
    "PERSON_ROLE_TYPES",
    "READ",
    "READ_CONTACTS",
    "SCOPES",
    "WRITE",
    "HasScope",
    "HasScopeForTypes",
    "KeyLookup",
    "Principal",
    "Unauthenticated",
    "authenticate",
    "presented_key",
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
PERSON_ROLE_TYPES = frozenset({"WORKS_FOR", "HOLDS_POSITION"})
"""Relationship types whose `role` is a person's role, guarded by READ_CONTACTS."""


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
BOOTSTRAP_ADMIN = Principal("admin", frozenset({ADMIN}))
"""The holder of ICN_ADMIN_KEY: every scope, before any API key exists."""


class KeyLookup(Protocol):
    """What `authenticate` needs of a key registry (resolvers.api_keys.KeyRegistry)."""

    def principal_for(self, key: str) -> Principal | None: ...


def _header(headers: Mapping[str, str], name: str) -> str:
    # Starlette's Headers are case-insensitive already; a plain dict may use any case.
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return (value or "").strip()


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key of `Authorization: Bearer <key>` or `X-API-Key: <key>`, None if neither is sent.

    Another Authorization scheme (e.g. Basic, added by a proxy) is not an API key and is
    ignored. Two different keys in one request are refused as ambiguous.
    """
    scheme, _, bearer = _header(headers, "authorization").partition(" ")
    bearer = bearer.strip() if scheme.lower() == "bearer" else ""
    header = _header(headers, "x-api-key")
    if bearer and header and not hmac.compare_digest(bearer.encode(), header.encode()):
        raise Unauthenticated("two different API keys were sent (Authorization and X-API-Key)")
    return bearer or header or None


def authenticate(
    headers: Mapping[str, str],
    admin_key: str | None,
    registry: KeyLookup | None,
    anonymous: str = "read",
) -> Principal:
    """The principal behind a request's key; `Unauthenticated` (HTTP 401) when refused.

    No key: the anonymous reader, or Unauthenticated when `anonymous` is "off". The bootstrap
    ICN_ADMIN_KEY: every scope. Any other key must be a live key of `registry`; an unknown,
    revoked or malformed key is refused rather than served as anonymous, so a partner whose key
    was revoked sees the failure at once instead of silently getting less data.
    """
    key = presented_key(headers)
    if key is None:
        if anonymous == "off":
            raise Unauthenticated(
                "this API needs a key: send Authorization: Bearer <key> or X-API-Key: <key>"
            )
        return ANONYMOUS
    # Constant-time comparison: the key must not leak through response timing.
    if admin_key and hmac.compare_digest(key.encode(), admin_key.encode()):
        return BOOTSTRAP_ADMIN
    principal = registry.principal_for(key) if registry is not None else None
    if principal is None:
        raise Unauthenticated("the API key is unknown or has been revoked")
    return principal


class HasScope(BasePermission):
    """Field permission: the caller's principal must hold `scope` (else code FORBIDDEN)."""

    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - strawberry reads it per class

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.message = f"this operation needs the {scope!r} scope (send an authorised API key)"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        """Check the principal that `get_context` put on the request."""
        return self.allows(source, info.context)

    def allows(self, source: Any, context: Any) -> bool:
        """The check itself, from the request's context alone. The lean executor
        (schema/_executor.py) asks it before it reads a guarded field directly, and leaves a
        refusal to strawberry, which asks `has_permission` and reports FORBIDDEN."""
        return bool(context.principal.can(self.scope))


class HasScopeForTypes(HasScope):
    """Field permission on a relationship's field that only some relationship types need.

    E.g. `Relationship.role` of a WORKS_FOR edge is a person's job title (READ_CONTACTS), while
    the role of a cluster's MEMBER_OF edge ("founding member") is public.
    """

    def __init__(self, scope: str, types: frozenset[str]) -> None:
        super().__init__(scope)
        self.types = types
        kinds = "/".join(sorted(types))
        self.message = f"this field of a {kinds} relationship needs the {scope!r} scope"

    def allows(self, source: Any, context: Any) -> bool:
        """Free for other relationship types; otherwise the scope check of HasScope."""
        if getattr(source, "type", None) not in self.types:
            return True
        return super().allows(source, context)
