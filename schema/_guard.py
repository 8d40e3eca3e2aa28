"""Field guards: the strawberry extensions that make a field need a scope.

A guarded field answers null plus one error with code FORBIDDEN for a caller without the scope;
the rest of the operation still answers. Guarded fields are therefore nullable in the schema.
docs/security.md lists every guarded field.
"""

from __future__ import annotations

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import PermissionExtension

from resolvers import PERSON_ROLE_TYPES, READ_CONTACTS, HasScope, HasScopeForTypes

__all__ = ["contacts", "person_roles"]


def contacts() -> list[FieldExtension]:
    """Extensions of a field holding people's roles or personal details (`read:contacts`)."""
    return [PermissionExtension(permissions=[HasScope(READ_CONTACTS)], use_directives=False)]


def person_roles() -> list[FieldExtension]:
    """Extensions of a relationship field that is a person's role on WORKS_FOR/HOLDS_POSITION."""
    permission = HasScopeForTypes(READ_CONTACTS, PERSON_ROLE_TYPES)
    return [PermissionExtension(permissions=[permission], use_directives=False)]
