"""Search over names and aliases, end to end: accent- and case-insensitive, ranked."""

from __future__ import annotations

import pytest

from graph_store import normalise_text
from tests.api._client import Api

SEARCH = """
query Search($text: String!, $kinds: [NodeKind!]) {
  search(text: $text, kinds: $kinds, first: 20) {
    totalCount
    edges { score node { id kind name aliases } }
  }
}
"""


def _matches(text: str, node: dict[str, object]) -> bool:
    words = normalise_text(text).split()
    labels = [node["name"], *node["aliases"]]  # type: ignore[misc]
    return any(
        all(any(t.startswith(w) for t in normalise_text(str(label)).split()) for w in words)
        for label in labels
    )


@pytest.mark.parametrize("text", ["CCC", "Écotech", "oreec"])
def test_search_finds_clusters_by_name_or_alias(api: Api, text: str) -> None:
    found = api.data(SEARCH, {"text": text, "kinds": ["CLUSTER"]})["search"]
    hits = [edge["node"] for edge in found["edges"]]
    assert hits, f"no cluster found for {text!r}"
    assert all(hit["kind"] == "CLUSTER" for hit in hits)
    assert all(_matches(text, hit) for hit in hits)
    scores = [edge["score"] for edge in found["edges"]]
    assert scores == sorted(scores, reverse=True)


def test_search_ignores_accents_and_case(api: Api) -> None:
    plain = api.data(SEARCH, {"text": "ecotech"})["search"]
    accented = api.data(SEARCH, {"text": "ÉCOTECH"})["search"]
    assert plain == accented
    assert plain["totalCount"] >= 1


def test_search_without_match_is_empty(api: Api) -> None:
    found = api.data(SEARCH, {"text": "zzqxv nothing like this"})["search"]
    assert found == {"totalCount": 0, "edges": []}
