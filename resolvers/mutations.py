"""The secretariat's writes: build a Batch, apply it through the store's validation, atomically."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from graph_store import (
    ApplyResult,
    Batch,
    Certainty,
    Direction,
    Edge,
    EdgeFilter,
    Forbidden,
    Node,
    NodeKind,
    PartialDate,
    Provenance,
    edge_id,
)
from resolvers.context import Context
from resolvers.permissions import WRITE

__all__ = [
    "Party",
    "apply_batch",
    "delete_relationship",
    "edge_record",
    "node_record",
    "provenance",
    "require_write",
    "upsert_agreement",
]

PropValue = str | int | float | bool | tuple[str, ...] | None


def provenance(ctx: Context) -> Provenance:
    """Where an API write comes from: a batch id, the caller, and the time."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return Provenance(
        batch_id=f"api-{uuid.uuid4().hex[:12]}",
        origin=f"graphql:{ctx.principal.name}",
        loaded_at=now,
    )


def _props(values: Mapping[str, PropValue]) -> dict[str, PropValue]:
    # Absent properties are not stored, so None means "leave out", never "store null".
    return {
        key: (value.text if isinstance(value, PartialDate) else value)
        for key, value in values.items()
        if value is not None
    }


def node_record(
    *,
    node_id: str,
    kind: NodeKind,
    name: str,
    aliases: Sequence[str] = (),
    sources: Sequence[str] = (),
    props: Mapping[str, PropValue] | None = None,
    prov: Provenance | None = None,
) -> Node:
    """A node record as the loader would build it (None-valued properties dropped)."""
    return Node(
        id=node_id,
        kind=kind,
        name=name,
        aliases=tuple(aliases),
        sources=tuple(sources),
        props=_props(props or {}),
        provenance=prov,
    )


def edge_record(
    *,
    rel_type: str,
    src: str,
    dst: str,
    certainty: Certainty,
    source: str,
    evidence: str,
    rel_id: str | None = None,
    key: str | None = None,
    since: PartialDate | None = None,
    until: PartialDate | None = None,
    note: str | None = None,
    props: Mapping[str, PropValue] | None = None,
    prov: Provenance | None = None,
) -> Edge:
    """A relationship record; the id defaults to `edge_id(type, src, dst, key)`, as the loader's."""
    return Edge(
        id=rel_id or edge_id(rel_type, src, dst, key),
        type=rel_type,
        src=src,
        dst=dst,
        certainty=certainty,
        source=source,
        evidence=evidence,
        since=since,
        until=until,
        note=note,
        props=_props(props or {}),
        provenance=prov,
    )


def require_write(ctx: Context) -> None:
    """Raise Forbidden unless the caller may write (the field permission checks first)."""
    if not ctx.principal.can(WRITE):
        raise Forbidden(f"this operation needs the {WRITE!r} scope")


async def apply_batch(ctx: Context, batch: Batch) -> ApplyResult:
    """Validate and write `batch` in one transaction (InvalidRecord lists every problem)."""
    require_write(ctx)
    result = await ctx.store.apply(batch)
    ctx.loaders.clear()
    return result


@dataclass(frozen=True, slots=True)
class Party:
    """One signatory of an agreement, with the evidence that it signed."""

    node_id: str
    role: str | None = None
    certainty: Certainty = Certainty.STATED
    evidence: str | None = None
    note: str | None = None


async def upsert_agreement(
    ctx: Context,
    agreement: Node,
    parties: Sequence[Party],
    *,
    signed_at: str | None,
    source: str,
    evidence: str,
) -> ApplyResult:
    """Write an agreement, its SIGNED parties and SIGNED_AT event in one batch.

    The given parties and event are the whole truth: SIGNED and SIGNED_AT relationships of
    the agreement that the call no longer lists are deleted in the same transaction.
    """
    require_write(ctx)
    prov = agreement.provenance
    date = agreement.props.get("date")
    since = PartialDate.parse(date) if isinstance(date, str) and date else None
    edges = [
        edge_record(
            rel_type="SIGNED",
            src=party.node_id,
            dst=agreement.id,
            certainty=party.certainty,
            source=source,
            evidence=party.evidence or evidence,
            since=since,
            note=party.note,
            props={"role": party.role},
            prov=prov,
        )
        for party in parties
    ]
    if signed_at:
        edges.append(
            edge_record(
                rel_type="SIGNED_AT",
                src=agreement.id,
                dst=signed_at,
                certainty=Certainty.STATED,
                source=source,
                evidence=evidence,
                prov=prov,
            )
        )
    flt = EdgeFilter(types=frozenset({"SIGNED", "SIGNED_AT"}), direction=Direction.BOTH)
    current = (await ctx.store.edges_of([agreement.id], flt)).get(agreement.id, ())
    keep = {edge.id for edge in edges}
    stale = tuple(edge.id for edge in current if edge.id not in keep)
    batch = Batch(nodes=(agreement,), edges=tuple(edges), delete_edges=stale)
    return await apply_batch(ctx, batch)


async def delete_relationship(ctx: Context, rel_id: str) -> ApplyResult:
    """Delete one relationship by id (deleting an unknown id changes nothing)."""
    return await apply_batch(ctx, Batch(delete_edges=(rel_id,)))
