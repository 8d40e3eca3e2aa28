"""Full-text search over names and aliases, paged by position."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_store import NodeKind, SearchHit
from resolvers.context import Context
from resolvers.pagination import check_first, decode_offset, encode_cursor

__all__ = ["CURSOR_TAG", "SearchPage", "search"]

CURSOR_TAG = "hit"


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of ranked hits; `offset` is the rank of the first one."""

    hits: tuple[SearchHit, ...]
    offset: int
    has_next: bool
    total: int

    def cursor(self, index: int) -> str:
        """The cursor of the `index`-th hit of this page."""
        return encode_cursor(CURSOR_TAG, self.offset + index)


async def search(
    ctx: Context,
    text: str,
    *,
    kinds: Iterable[NodeKind] | None = None,
    country: str | None = None,
    first: int = 10,
    after: str | None = None,
) -> SearchPage:
    """Nodes whose names or aliases match `text` (accent- and case-insensitive), best first."""
    check_first(first)
    offset = decode_offset(after, CURSOR_TAG)
    page = await ctx.store.search(
        text,
        kinds=list(kinds) if kinds is not None else None,
        country=country,
        first=max(first, 1),
        offset=offset,
    )
    hits = page.items[:first]
    ctx.loaders.prime(hit.node for hit in page.items)
    return SearchPage(
        hits=tuple(hits),
        offset=offset,
        has_next=offset + len(hits) < page.total,
        total=page.total,
    )
