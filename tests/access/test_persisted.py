"""The persisted-query rules (APQ and per-key allow-lists) without HTTP around them."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.permissions import ANONYMOUS, READ, Principal
from resolvers.persisted import ApqCache, PersistedQueryError, resolve_persisted, sha256_hex

LISTED = "query Listed { clusters(first: 1) { totalCount } }"
LISTED_SHA = sha256_hex(LISTED)
REGISTRY = {LISTED_SHA: LISTED}
LOCKED = Principal(
    "locked", frozenset({READ}), key_id="0000aaaa", persisted_only=True, operations={LISTED_SHA}
)
OWNER = Principal("owner", frozenset({READ}), key_id="0000bbbb", operations={LISTED_SHA})


def _ext(sha: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


def _code(query: str | None, extensions: Any, principal: Principal = ANONYMOUS) -> str:
    with pytest.raises(PersistedQueryError) as caught:
        resolve_persisted(query, extensions, principal, REGISTRY.get, ApqCache())
    return caught.value.code


def test_plain_requests_pass_through() -> None:
    found = resolve_persisted("{ a }", None, ANONYMOUS, REGISTRY.get, ApqCache())
    assert (found.query, found.sha256) == ("{ a }", None)


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": "abc"},
        _ext(LISTED_SHA, version=2),
        _ext("abc"),
        _ext("g" * 64),
        {"persistedQuery": {"version": 1}},
    ],
)
def test_malformed_persisted_query_extensions_are_bad_requests(extensions: Any) -> None:
    assert _code(None, extensions) == "BAD_REQUEST"


def test_the_hash_must_be_the_texts() -> None:
    assert _code("{ a }", _ext(sha256_hex("{ b }"))) == "BAD_REQUEST"


def test_apq_registers_then_hits_and_accepts_upper_case_hex() -> None:
    cache = ApqCache()
    sha = sha256_hex("{ a }")
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotFound"):
        resolve_persisted(None, _ext(sha), ANONYMOUS, REGISTRY.get, cache)
    resolve_persisted("{ a }", _ext(sha), ANONYMOUS, REGISTRY.get, cache)
    found = resolve_persisted(None, _ext(sha.upper()), ANONYMOUS, REGISTRY.get, cache)
    assert (found.query, found.sha256) == ("{ a }", sha)


def test_registered_operations_serve_only_their_own_keys() -> None:
    found = resolve_persisted(None, _ext(LISTED_SHA), OWNER, REGISTRY.get, ApqCache())
    assert found.query == LISTED
    assert _code(None, _ext(LISTED_SHA)) == "PERSISTED_QUERY_NOT_FOUND"


def test_a_persisted_only_key_runs_its_list_by_hash_or_text_and_nothing_else() -> None:
    cache = ApqCache()
    for query, extensions in ((None, _ext(LISTED_SHA)), (LISTED, None), (LISTED, _ext(LISTED_SHA))):
        found = resolve_persisted(query, extensions, LOCKED, REGISTRY.get, cache)
        assert (found.query, found.sha256) == (LISTED, LISTED_SHA)
    other = "{ b }"
    cache.put(sha256_hex(other), other)
    assert _code(other, None, LOCKED) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert _code(None, _ext(sha256_hex(other)), LOCKED) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert _code(None, None, LOCKED) == "PERSISTED_QUERY_NOT_ALLOWED"


def test_the_apq_cache_keeps_the_most_recently_used() -> None:
    cache = ApqCache(size=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == ("A", None, "C", 2)
