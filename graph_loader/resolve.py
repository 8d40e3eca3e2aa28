"""Turn nodes named by name or alias (MoU parties, events) into ids: exact and unambiguous.

A name matches a node when its normalised form (accent-folded, lower-case words) equals the
node's normalised name or one of its aliases. Candidates come from the input's own nodes and
from the store (`search`, then the same exact comparison). No match or several matches is a
problem that lists the candidates, so the secretariat can pick an id instead of guessing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph_loader.raw import NO_RECORD, NameRef, ParsedFile
from graph_store import GraphStore, NodeKind, kind_of_id, normalise_text

__all__ = ["Candidate", "resolve_names"]

_SEARCH_DEPTH = 50
_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A node a name may refer to."""

    id: str
    kind: NodeKind
    name: str

    def __str__(self) -> str:
        return f"{self.id} ({self.name})"


async def resolve_names(files: Sequence[ParsedFile], store: GraphStore) -> None:
    """Replace every name reference of `files` by the id it names, or record a problem."""
    refs = [(pf, ref) for pf in files for ref in pf.name_refs]
    if not refs:
        return
    index = _input_index(files)
    cache: dict[tuple[str, frozenset[NodeKind]], tuple[list[Candidate], list[Candidate]]] = {}
    for pf, ref in refs:
        key = (normalise_text(ref.text), ref.kinds)
        if key not in cache:
            cache[key] = await _candidates(ref, key[0], index, store)
        exact, near = cache[key]
        data = pf.relationships.data[ref.index]
        if len(exact) == 1:
            data[ref.field] = exact[0].id
            continue
        pf.relationships.failed.add(ref.index)
        other = data["to" if ref.field == "from" else "from"]
        pos = pf.relationships.pos(ref.index, ref.field)
        pf.problem(pos, str(other or NO_RECORD), ref.label, _message(ref, exact, near))


def _message(ref: NameRef, exact: list[Candidate], near: list[Candidate]) -> str:
    kinds = "/".join(sorted(k.value for k in ref.kinds))
    if exact:
        listed = ", ".join(str(c) for c in exact)
        return (
            f"{ref.text!r} is ambiguous: it names {len(exact)} nodes: {listed}; "
            "write the id of the one you mean"
        )
    hint = f"; candidates: {', '.join(str(c) for c in near)}" if near else ""
    return f"{ref.text!r} names no {kinds} by name, alias or id{hint}"


def _input_index(files: Sequence[ParsedFile]) -> dict[str, list[Candidate]]:
    """The input's nodes by normalised name and alias (raw records: not yet validated)."""
    index: dict[str, list[Candidate]] = defaultdict(list)
    for pf in files:
        for data in pf.nodes.data:
            candidate = _candidate(data)
            if candidate is None:
                continue
            aliases = data.get("aliases")
            labels = [data["name"], *(aliases if isinstance(aliases, list) else ())]
            for norm in {normalise_text(label) for label in labels if isinstance(label, str)}:
                index[norm].append(candidate)
    return index


def _candidate(data: dict[str, Any]) -> Candidate | None:
    node_id, name = data.get("id"), data.get("name")
    if not isinstance(node_id, str) or not isinstance(name, str):
        return None
    kind = kind_of_id(node_id)
    return Candidate(node_id, kind, name) if kind is not None else None


async def _candidates(
    ref: NameRef, norm: str, index: dict[str, list[Candidate]], store: GraphStore
) -> tuple[list[Candidate], list[Candidate]]:
    """(exact matches, near matches to suggest) for a name, input nodes taking precedence."""
    exact: dict[str, Candidate] = {}
    near: dict[str, Candidate] = {}
    if not norm:
        return [], []
    page = await store.search(ref.text, kinds=ref.kinds, first=_SEARCH_DEPTH)
    for hit in page.items:
        node = hit.node
        candidate = Candidate(node.id, node.kind, node.name)
        labels = {normalise_text(label) for label in (node.name, *node.aliases)}
        (exact if norm in labels else near)[node.id] = candidate
    for candidate in index.get(norm, ()):
        if candidate.kind in ref.kinds:
            exact[candidate.id] = candidate
            near.pop(candidate.id, None)
    words = norm.split()
    for label, candidates in index.items():
        label_words = label.split()
        if all(any(t.startswith(w) for t in label_words) for w in words):
            for candidate in candidates:
                if candidate.kind in ref.kinds and candidate.id not in exact:
                    near[candidate.id] = candidate
    return (
        sorted(exact.values(), key=lambda c: c.id),
        list(near.values())[:_SUGGESTIONS],  # store hits first, in rank order
    )
