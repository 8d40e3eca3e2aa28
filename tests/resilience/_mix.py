"""The load test's query mix: what portals and analysts ask, with arguments from the dataset.

Weights follow the explorer and the documented use: mostly search and node pages, a steady
share of path and introduction questions (the costly ones), neighbourhoods, list pages.
Arguments are drawn from the ids and names the API itself lists, so the mix follows the data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Dataset", "Operation", "Request", "discover", "mix"]

Request = tuple[str, dict[str, Any]]
"""One operation to send: (document, variables)."""

SEARCH = """
query Search($text: String!) {
  search(text: $text, first: 10) { totalCount edges { score node { id name kind } } }
}
"""
NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id name kind aliases sources
    relationships(first: 20) {
      totalCount
      edges {
        node { type since until certainty evidence sourceUrl }
        other {
          id name kind
          relationships(first: 10) { totalCount edges { node { type } other { id name } } }
        }
      }
    }
  }
}
"""
RELATIONSHIPS = """
query Relationships($id: ID!, $direction: Direction, $first: Int) {
  node(id: $id) {
    relationships(direction: $direction, first: $first) {
      totalCount
      edges { cursor node { type since until certainty evidence } other { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
PATHS = """
query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 4, first: 3) {
    length summary
    steps { direction from { id name } to { id name } relationship { type certainty evidence } }
  }
}
"""
INTRODUCTIONS = """
query Introductions($from: ID!, $to: ID!) {
  introductions(from: $from, to: $to, first: 3) {
    score reason intermediary { id name kind } paths { length summary }
  }
}
"""
NEIGHBOURHOOD = """
query Neighbourhood($id: ID!) {
  neighbourhood(id: $id, depth: 2, limit: 100) {
    center { id name }
    truncated
    nodes { depth node { id name kind } }
    relationships { id type from { id } to { id } }
  }
}
"""
CLUSTERS = """
query Clusters($first: Int) {
  clusters(first: $first) {
    totalCount
    edges { cursor node { id name city country sector } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
_DISCOVER = """
{
  people(first: 100) { edges { node { id name } } }
  clusters(first: 100) { edges { node { id name } } }
  organisations(first: 100) { edges { node { id name } } }
}
"""


@dataclass(frozen=True)
class Dataset:
    """What the mix draws its arguments from."""

    people: list[str]
    places: list[str]
    """Cluster and organisation ids: node pages and neighbourhoods."""
    words: list[str]
    """Prefixes of words in names: search texts."""


@dataclass(frozen=True)
class Operation:
    """One kind of request in the mix, its share, and how to make an instance of it."""

    name: str
    weight: int
    make: Callable[[random.Random], Request]


def discover(base: str) -> Dataset:
    """Ask the server for the people, clusters and organisations the mix will use."""
    response = httpx.post(f"{base}/graphql", json={"query": _DISCOVER}, timeout=30.0)
    data = response.json()["data"]
    people = [edge["node"] for edge in data["people"]["edges"]]
    places = [
        edge["node"] for kind in ("clusters", "organisations") for edge in data[kind]["edges"]
    ]
    words = sorted(
        {
            word[: max(3, len(word) // 2)].lower()
            for item in people + places
            for word in item["name"].split()
            if len(word) >= 3 and word.isalpha()
        }
    )
    return Dataset([p["id"] for p in people], [p["id"] for p in places], words)


def mix(data: Dataset) -> list[Operation]:
    """The operations and their weights (they sum to 100)."""
    ids = data.people + data.places
    places = data.places

    def pair(rng: random.Random) -> dict[str, Any]:
        a, b = rng.sample(data.people, 2)
        return {"from": a, "to": b}

    return [
        Operation("search", 25, lambda rng: (SEARCH, {"text": rng.choice(data.words)})),
        Operation("node", 20, lambda rng: (NODE, {"id": rng.choice(ids)})),
        Operation(
            "relationships",
            15,
            lambda rng: (
                RELATIONSHIPS,
                {
                    "id": rng.choice(ids),
                    "direction": rng.choice(["OUT", "IN", "BOTH"]),
                    "first": rng.choice([5, 10, 25]),
                },
            ),
        ),
        Operation("paths", 15, lambda rng: (PATHS, pair(rng))),
        Operation("introductions", 10, lambda rng: (INTRODUCTIONS, pair(rng))),
        Operation("neighbourhood", 10, lambda rng: (NEIGHBOURHOOD, {"id": rng.choice(places)})),
        Operation("clusters", 5, lambda rng: (CLUSTERS, {"first": rng.choice([10, 20, 50])})),
    ]
