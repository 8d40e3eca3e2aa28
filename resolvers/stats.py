"""The graph's counts as the caller may see them.

The store counts every relationship. A partner key with a certainty floor must not learn how
many uncertain or planned relationships exist, so for such a caller the relationship counts are
recounted over the relationships it can see. The store has no count-by-certainty operation, so
the recount walks every node's relationships once per (store, floor, change sequence) and is
cached until the data changes; callers without a floor get the store's counts directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from graph_store import Certainty, EdgeFilter, GraphStore, NodeQuery, Stats
from resolvers.context import Context
from resolvers.filters import effective_certainty

__all__ = ["visible_stats"]

_PAGE = 500
_cache: dict[tuple[int, Certainty], tuple[int, Mapping[str, int]]] = {}
"""(id of the store, floor) -> (change sequence, visible counts by type)."""


async def _count(store: GraphStore, floor: Certainty) -> Mapping[str, int]:
    flt = EdgeFilter(min_certainty=floor)
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    after: str | None = None
    while True:
        page = await store.list_nodes(NodeQuery(), first=_PAGE, after=after)
        if not page.items:
            break
        by_node = await store.edges_of([n.id for n in page.items], flt)
        for edges in by_node.values():
            for edge in edges:
                if edge.id not in seen:
                    seen.add(edge.id)
                    counts[edge.type] += 1
        if not page.has_next:
            break
        after = page.items[-1].id
    return counts


async def visible_stats(ctx: Context) -> Stats:
    """The store's stats, with relationship counts limited to what the caller may see."""
    stats = await ctx.store.stats()
    floor = effective_certainty(ctx, None)
    if floor is None:
        return stats
    key = (id(ctx.store), floor)
    cached = _cache.get(key)
    if cached is None or cached[0] != stats.seq:
        cached = (stats.seq, await _count(ctx.store, floor))
        _cache[key] = cached
    visible = cached[1]
    # Every type the store lists stays listed (the store lists all allowed types, 0 or not).
    by_type = {t: visible.get(t, 0) for t in stats.edges_by_type}
    return replace(stats, edges_by_type=by_type)
