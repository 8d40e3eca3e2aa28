"""A thin GraphQL-over-HTTP client for the end-to-end tests (httpx against a real server)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Api", "GraphQLErrors"]


class GraphQLErrors(AssertionError):
    """A response carried errors the test did not expect."""


@dataclass
class Api:
    """One running server: its base URL, backend, admin key and an HTTP client."""

    base: str
    backend: str
    admin_key: str
    http: httpx.Client

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        accept: str = "application/graphql-response+json",
    ) -> httpx.Response:
        """POST one operation and return the raw response."""
        headers = {"Accept": accept}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.http.post(f"{self.base}/graphql", json=body, headers=headers)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """The `data` of a successful operation; raises if there were errors."""
        response = self.post(query, variables, **kw)
        body = response.json()
        if body.get("errors"):
            raise GraphQLErrors(f"{response.status_code}: {body['errors']}")
        assert response.status_code == 200, response.text
        return body["data"]

    def errors(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> list[Any]:
        """The errors of an operation that must fail."""
        body = self.post(query, variables, **kw).json()
        assert body.get("errors"), f"expected errors, got {body}"
        return body["errors"]

    def codes(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> set[str]:
        """The `extensions.code`s of an operation's errors."""
        return {e["extensions"]["code"] for e in self.errors(query, variables, **kw)}

    def get(self, path: str, **kw: Any) -> httpx.Response:
        """A plain GET on the server (health, schema, sources)."""
        return self.http.get(f"{self.base}{path}", **kw)
