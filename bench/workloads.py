"""The GraphQL workloads: fixed queries, and request lists drawn from the data with a fixed seed.

Every workload is a list of (query, variables) requests generated up front from a seeded
random generator, so two runs on the same data send the same requests in the same order;
clients take them in turn. `paths` and `introductions` use random pairs of people; the
paths floor (bench/floor.py) calls the store for the same pairs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph_store import GraphStore, NodeKind, NodeQuery

__all__ = [
    "MIX",
    "QUERIES",
    "WORKLOADS",
    "Request",
    "Sample",
    "build_requests",
    "draw_sample",
    "pairs",
]

Request = tuple[str, dict[str, Any]]
"""A GraphQL document and its variables."""

PATHS_MAX_HOPS = 4
PATHS_FIRST = 3

QUERIES: dict[str, str] = {
    "paths": """query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 4, first: 3) {
    length summary
    steps { direction from { id name } to { id name }
      relationship { type since until certainty source evidence } }
  }
}""",
    "introductions": """query Introductions($from: ID!, $to: ID!) {
  introductions(from: $from, to: $to, first: 3) {
    score reason intermediary { id name kind } paths { length summary }
  }
}""",
    "search": """query Search($text: String!) {
  search(text: $text, first: 10) {
    totalCount edges { score node { id name kind } }
  }
}""",
    # Two levels of relationships, 50 items: 10 relationships, and 5 of each far end's.
    "node2": """query Node2($id: ID!) {
  node(id: $id) {
    id name kind
    relationships(first: 10) {
      totalCount
      edges { node { type since until certainty evidence }
        other { id name kind
          relationships(first: 5) { totalCount edges { node { type } other { id name } } } } }
    }
  }
}""",
    "neighbourhood": """query Neighbourhood($id: ID!) {
  neighbourhood(id: $id, depth: 2, limit: 100) {
    truncated
    nodes { depth node { id name kind } }
    relationships { id type from { id } to { id } }
  }
}""",
}

MIX: dict[str, int] = {
    "search": 35,
    "node2": 35,
    "paths": 15,
    "neighbourhood": 10,
    "introductions": 5,
}
"""The portal mix: mostly search and entity pages, some who-knows-whom (weights, percent)."""

WORKLOADS: tuple[str, ...] = ("paths", "introductions", "search", "node2", "neighbourhood", "mixed")

_PAGE = 5000


@dataclass(frozen=True, slots=True)
class Sample:
    """What the requests are drawn from: people, entities (people, organisations, clusters)."""

    people: tuple[str, ...]
    entities: tuple[tuple[str, str], ...]
    """(id, name) of people, organisations and clusters."""


async def _all_of(store: GraphStore, kind: NodeKind) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    after: str | None = None
    while True:
        page = await store.list_nodes(NodeQuery(kind=kind), first=_PAGE, after=after)
        found.extend((node.id, node.name) for node in page.items)
        if not page.has_next or not page.items:
            return found
        after = page.items[-1].id


async def draw_sample(store: GraphStore) -> Sample:
    """Every person, organisation and cluster of the loaded data (ids in id order)."""
    people = await _all_of(store, NodeKind.PERSON)
    others = await _all_of(store, NodeKind.ORGANISATION) + await _all_of(store, NodeKind.CLUSTER)
    if len(people) < 2:
        raise RuntimeError("the dataset has fewer than two people: no paths to ask for")
    return Sample(tuple(p for p, _ in people), tuple(people + others))


def pairs(sample: Sample, count: int, seed: int) -> list[tuple[str, str]]:
    """`count` random pairs of distinct people (the paths and introductions requests)."""
    rng = random.Random(f"pairs-{seed}")
    drawn = []
    while len(drawn) < count:
        src, dst = rng.sample(sample.people, 2)
        drawn.append((src, dst))
    return drawn


def _search_text(name: str, rng: random.Random) -> str:
    words = name.split()
    style = rng.randrange(3)
    if style == 0 or len(words) == 1:
        return name  # the whole name, as pasted
    if style == 1:
        return words[0][: max(3, len(words[0]) - 2)]  # a prefix being typed
    return f"{words[0]} {words[1][:3]}"  # a first word and the start of the next


def _requests(name: str, sample: Sample, count: int, seed: int) -> list[Request]:
    rng = random.Random(f"{name}-{seed}")
    query = QUERIES[name]
    if name in ("paths", "introductions"):
        return [(query, {"from": a, "to": b}) for a, b in pairs(sample, count, seed)]
    if name == "search":
        return [
            (query, {"text": _search_text(rng.choice(sample.entities)[1], rng)})
            for _ in range(count)
        ]
    if name == "node2":
        return [(query, {"id": rng.choice(sample.entities)[0]}) for _ in range(count)]
    if name == "neighbourhood":
        return [(query, {"id": rng.choice(sample.people)}) for _ in range(count)]
    raise ValueError(f"unknown workload {name!r}")


def build_requests(name: str, sample: Sample, *, count: int, seed: int) -> Sequence[Request]:
    """The request list of workload `name` (the mixed one interleaves the others by MIX)."""
    if name != "mixed":
        return _requests(name, sample, count, seed)
    rng = random.Random(f"mixed-{seed}")
    parts = {n: _requests(n, sample, count, seed + 1) for n in MIX}
    order = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    return [parts[n][i] for i, n in enumerate(order)]
