"""Dataset-agnostic look-ups the end-to-end tests build on (no hard-coded answers)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from tests.api._client import Api

__all__ = [
    "PATH",
    "all_ids",
    "connected_pair",
    "dated_relationship",
    "paths",
    "quoted_in",
    "source_text",
]

PATH = """
fragment P on Path {
  length
  summary
  nodes { id name kind }
  steps {
    direction
    from { id }
    to { id }
    relationship {
      id type since until certainty source evidence note
      from { id }
      to { id }
    }
  }
}
"""

PATHS = (
    PATH
    + """
query Paths($from: ID!, $to: ID!, $hops: Int, $first: Int, $types: [String!], $asOf: Date,
            $min: Certainty, $avoid: [ID!]) {
  paths(from: $from, to: $to, maxHops: $hops, first: $first, relationshipTypes: $types,
        asOf: $asOf, minCertainty: $min, avoid: $avoid) { ...P }
}
"""
)


def paths(api: Api, src: str, dst: str, **variables: Any) -> list[dict[str, Any]]:
    """The `paths` answer between two nodes for these variables."""
    return api.data(PATHS, {"from": src, "to": dst, **variables})["paths"]


def all_ids(api: Api, field: str, *, page: int = 100, **filters: Any) -> list[str]:
    """Every id of a root list (`people`, `clusters`, ...), walking all pages."""
    ids: list[str] = []
    after = None
    while True:
        query = f"""
        query L($first: Int, $after: String) {{
          {field}(first: $first, after: $after) {{
            edges {{ node {{ id }} }} pageInfo {{ hasNextPage endCursor }}
          }}
        }}"""
        data = api.data(query, {"first": page, "after": after, **filters})[field]
        ids += [edge["node"]["id"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return ids
        after = data["pageInfo"]["endCursor"]


def connected_pair(api: Api) -> tuple[str, str, list[dict[str, Any]]]:
    """Two people of the dataset with paths between them, and up to 20 of those paths."""
    people = all_ids(api, "people")
    best: tuple[str, str, list[dict[str, Any]]] | None = None
    for src, dst in itertools.combinations(people, 2):
        found = paths(api, src, dst, hops=4, first=20)
        # Prefer pairs with several paths of length >= 2: avoid and filters then mean something.
        if found and found[0]["length"] >= 2 and (best is None or len(found) > len(best[2])):
            best = (src, dst, found)
        if best and len(best[2]) >= 3:
            break
    assert best is not None, "no two people of the dataset are connected within 4 hops"
    return best


SCAN = """
query Scan($after: String) {
  ROOT(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { relationships(first: 100) { edges { node {
      id type since until certainty from { id } to { id } } } } } }
  }
}"""


def dated_relationship(api: Api, field: str) -> dict[str, Any]:
    """A relationship that has `field` ("since" or "until") set, found by scanning the lists.

    Pages of 10 nodes keep each scan query under the default cost limit (MAX_QUERY_COST).
    """
    for root in ("organisations", "clusters"):
        query = SCAN.replace("ROOT", root)
        after = None
        while True:
            page = api.data(query, {"after": after})[root]
            for edge in page["edges"]:
                for rel in edge["node"]["relationships"]["edges"]:
                    if rel["node"][field]:
                        return rel["node"]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    raise AssertionError(f"no relationship of the dataset has {field!r}")


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


def source_text(api: Api, name: str) -> str:
    """The seed document served at /sources/{name}, with whitespace and quotes normalised."""
    response = api.get(f"/sources/{name}")
    assert response.status_code == 200, f"source {name!r} is not served"
    return _flat(response.text)


def quoted_in(evidence: str, text: str) -> bool:
    """Whether `evidence` is a verbatim quote of `text` (modulo whitespace and quote marks)."""
    parts = [p for p in re.split(r"\s*(?:\.\.\.|…)\s*", _flat(evidence)) if p]
    return all(part in text for part in parts)
