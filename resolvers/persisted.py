"""Persisted queries: Apollo's automatic persisted queries (APQ) and per-key allow-lists.

A request may carry `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`:

- hash only: the text comes from the caller's own registered operations (the key's allow-list,
  stored in the key registry) or else from a process-local APQ cache; a miss answers
  PERSISTED_QUERY_NOT_FOUND so that Apollo clients retry with the full text;
- hash and text: the hash must be the text's sha256, and the text is cached for later hashes.

Registered operations are looked up only for hashes on the caller's own allow-list, so one
partner's operations never run under another's hash; the APQ cache is shared by every caller
because it only holds texts somebody has already sent in full (and could send again).

A key marked `persisted_only` runs nothing but its allow-listed operations, whichever way
they are sent. Pure logic: the HTTP view turns `PersistedQueryError` into a response.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.permissions import Principal

__all__ = [
    "APQ_CACHE_SIZE",
    "ApqCache",
    "PersistedQuery",
    "PersistedQueryError",
    "resolve_persisted",
    "sha256_hex",
]

APQ_CACHE_SIZE = 1000
"""Operations the APQ cache keeps per process (least recently used are dropped first)."""

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(text: str) -> str:
    """The hash APQ clients send: sha256 of the UTF-8 text, lower-case hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run; `code` is the GraphQL error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ApqCache:
    """A bounded LRU map from sha256 hash to operation text (one per process)."""

    def __init__(self, size: int = APQ_CACHE_SIZE) -> None:
        if size < 1:
            raise ValueError("the APQ cache needs room for at least one operation")
        self._size = size
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, sha: str) -> str | None:
        """The text cached under `sha`, marked as recently used; None on a miss."""
        text = self._texts.get(sha)
        if text is not None:
            self._texts.move_to_end(sha)
        return text

    def put(self, sha: str, text: str) -> None:
        """Cache `text` under `sha` (the caller has checked that it is the text's hash)."""
        self._texts[sha] = text
        self._texts.move_to_end(sha)
        while len(self._texts) > self._size:
            self._texts.popitem(last=False)


@dataclass(frozen=True, slots=True)
class PersistedQuery:
    """What to run: the operation text and, when the request named one, its hash."""

    query: str | None
    sha256: str | None = None


def _requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    if not extensions or "persistedQuery" not in extensions:
        return None
    spec = extensions["persistedQuery"]
    if not isinstance(spec, Mapping):
        raise PersistedQueryError("BAD_REQUEST", "extensions.persistedQuery must be an object")
    if spec.get("version") != 1:
        raise PersistedQueryError(
            "BAD_REQUEST", "unsupported persistedQuery version: only version 1 is supported"
        )
    sha = spec.get("sha256Hash")
    if not isinstance(sha, str) or not _SHA256.match(sha.lower()):
        raise PersistedQueryError(
            "BAD_REQUEST", "persistedQuery.sha256Hash must be 64 hexadecimal digits"
        )
    return sha.lower()


def _not_allowed() -> PersistedQueryError:
    return PersistedQueryError(
        "PERSISTED_QUERY_NOT_ALLOWED",
        "this key may run only its registered persisted operations",
    )


def resolve_persisted(
    query: str | None,
    extensions: Mapping[str, Any] | None,
    principal: Principal,
    registered: Callable[[str], str | None],
    cache: ApqCache,
) -> PersistedQuery:
    """The operation a request asks for, after the APQ and allow-list rules above.

    `registered(sha)` returns a registered operation's text (the key registry's `operation`).
    Raises PersistedQueryError with code BAD_REQUEST, PERSISTED_QUERY_NOT_FOUND or
    PERSISTED_QUERY_NOT_ALLOWED.
    """
    sha = _requested_hash(extensions)
    if sha is None:
        if principal.persisted_only:
            # Sending an allow-listed operation's full text is the same operation.
            if query is None or sha256_hex(query) not in principal.operations:
                raise _not_allowed()
            return PersistedQuery(query, sha256_hex(query))
        return PersistedQuery(query)
    own = sha in principal.operations
    if principal.persisted_only and not own:
        raise _not_allowed()
    if query is not None:
        if sha256_hex(query) != sha:
            raise PersistedQueryError("BAD_REQUEST", "provided sha does not match query")
        cache.put(sha, query)
        return PersistedQuery(query, sha)
    text = registered(sha) if own else None
    if text is None:
        text = cache.get(sha)
    if text is None:
        raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
    return PersistedQuery(text, sha)
