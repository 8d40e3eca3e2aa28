"""Full-text matching and ranking shared by both backends.

Each backend uses its own full-text index (FTS5, Lucene) only to find candidates: nodes whose
normalised names or aliases contain a word starting with every query word. The order is then
computed here, so "CCC", "Écotech" or "oreec" rank the same whichever backend answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from graph_store.model import normalise_text
from graph_store.records import Node

__all__ = [
    "MAX_CANDIDATES",
    "label_scorer",
    "query_tokens",
    "score",
    "search_text",
]

MAX_CANDIDATES = 500
"""Most candidates a backend fetches from its index before ranking."""


def search_text(node: Node) -> str:
    """The text a node is indexed under: its normalised name and aliases."""
    return " ".join(normalise_text(t) for t in (node.name, *node.aliases))


def query_tokens(text: str) -> list[str]:
    """The normalised words of a query (at most 8; more add nothing but cost)."""
    return normalise_text(text).split()[:8]


def score(text: str, node: Node) -> float:
    """How well `node` matches the query `text`: 0 for no match, higher is better.

    Tiers, best first: a name or alias equal to the query; one starting with it; every query
    word a whole word of one name or alias; every query word a word prefix. Within a tier,
    the name beats an alias and shorter names come first.
    """
    return label_scorer(text)((node.name, *node.aliases))


def label_scorer(text: str) -> Callable[[Sequence[str]], float]:
    """`score` of the query `text` from a candidate's name and aliases alone (name first), for
    many candidates: a store ranks up to MAX_CANDIDATES of them per search without fetching
    whole nodes, and the query is normalised once, not per candidate."""
    query = normalise_text(text)
    words = query.split()

    def scored(labels: Sequence[str]) -> float:
        if not words:
            return 0.0
        best = 0.0
        for i, label in enumerate(labels):
            norm = normalise_text(label)
            if norm == query:
                tier = 4.0
            elif norm.startswith(query):
                tier = 3.0
            else:
                tokens = norm.split()
                if all(w in tokens for w in words):
                    tier = 2.0
                elif all(any(t.startswith(w) for t in tokens) for w in words):
                    tier = 1.0
                else:
                    continue
            value = tier * 100 + (10 if i == 0 else 0) - min(len(norm), 99) / 10
            best = max(best, value)
        return round(best, 3)

    return scored
