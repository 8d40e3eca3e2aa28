"""Root mutations for the secretariat, validated exactly like the loader and all-or-nothing."""

from __future__ import annotations

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from graph_store import ApplyResult, Batch, NodeKind, PartialDate
from resolvers import (
    WRITE,
    Context,
    HasScope,
    Party,
    apply_batch,
    delete_relationship,
    edge_record,
    node_record,
    provenance,
    upsert_agreement,
)
from schema.agreement import Agreement
from schema.inputs import AgreementInput, NodeInput, RelationshipInput
from schema.node import Node, Relationship, load_node

__all__ = ["Mutation"]


@strawberry.type(description="One record the write created, updated or deleted.")
class RecordChange:
    action: str = strawberry.field(description="create, update or delete.")
    record: str = strawberry.field(description="node or edge.")
    id: strawberry.ID
    fields: list[str] = strawberry.field(description="Fields an update changed.")


def _changes(result: ApplyResult) -> list[RecordChange]:
    return [
        RecordChange(
            action=c.action, record=c.record, id=strawberry.ID(c.id), fields=list(c.fields)
        )
        for c in result.changes
    ]


@strawberry.type
class UpsertNodePayload:
    node: Node
    changes: list[RecordChange]
    change_seq: int


@strawberry.type
class UpsertRelationshipPayload:
    relationship: Relationship
    changes: list[RecordChange]
    change_seq: int


@strawberry.type
class UpsertAgreementPayload:
    agreement: Agreement
    changes: list[RecordChange]
    change_seq: int


@strawberry.type
class DeleteRelationshipPayload:
    deleted: bool
    changes: list[RecordChange]
    change_seq: int


def _write() -> list[PermissionExtension]:
    return [PermissionExtension(permissions=[HasScope(WRITE)], use_directives=False)]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create or replace a node. Needs an admin key; problems -> BAD_USER_INPUT.",
        extensions=_write(),
    )
    async def upsert_node(self, info: Info[Context, None], node: NodeInput) -> UpsertNodePayload:
        ctx = info.context
        record = node_record(
            node_id=str(node.id),
            kind=node.kind.model(),
            name=node.name,
            aliases=node.aliases,
            sources=node.sources,
            props=node.props(),  # type: ignore[arg-type]
            prov=provenance(ctx),
        )
        result = await apply_batch(ctx, Batch(nodes=(record,)))
        return UpsertNodePayload(
            node=await load_node(info, record.id), changes=_changes(result), change_seq=result.seq
        )

    @strawberry.mutation(
        description="Create or replace a relationship. Needs an admin key.", extensions=_write()
    )
    async def upsert_relationship(
        self, info: Info[Context, None], relationship: RelationshipInput
    ) -> UpsertRelationshipPayload:
        ctx = info.context
        r = relationship
        edge = edge_record(
            rel_type=r.type,
            src=str(r.from_),
            dst=str(r.to),
            certainty=r.certainty.model(),
            source=r.source,
            evidence=r.evidence,
            rel_id=str(r.id) if r.id else None,
            key=r.key,
            since=r.since,
            until=r.until,
            note=r.note,
            props=r.props(),  # type: ignore[arg-type]
            prov=provenance(ctx),
        )
        result = await apply_batch(ctx, Batch(edges=(edge,)))
        stored = (await ctx.store.get_edges([edge.id]))[edge.id]
        return UpsertRelationshipPayload(
            relationship=Relationship.from_record(stored),
            changes=_changes(result),
            change_seq=result.seq,
        )

    @strawberry.mutation(
        description=(
            "Create or replace an agreement with its parties (SIGNED) and signing event "
            "(SIGNED_AT) in one transaction; parties no longer listed are removed. "
            "Needs an admin key."
        ),
        extensions=_write(),
    )
    async def upsert_agreement(
        self, info: Info[Context, None], agreement: AgreementInput
    ) -> UpsertAgreementPayload:
        ctx = info.context
        a = agreement
        date: PartialDate | None = a.date
        record = node_record(
            node_id=str(a.id),
            kind=NodeKind.AGREEMENT,
            name=a.name,
            aliases=a.aliases,
            sources=a.sources or [a.source],
            props={
                "category": a.category,
                "date": date,
                "purpose": a.purpose,
                "status": a.status,
                "description": a.description,
            },
            prov=provenance(ctx),
        )
        parties = [
            Party(
                node_id=str(p.id),
                role=p.role,
                certainty=p.certainty.model(),
                evidence=p.evidence,
                note=p.note,
            )
            for p in a.parties
        ]
        result = await upsert_agreement(
            ctx,
            record,
            parties,
            signed_at=str(a.signed_at) if a.signed_at else None,
            source=a.source,
            evidence=a.evidence,
        )
        stored = await ctx.loaders.node(record.id)
        assert stored is not None  # just written
        return UpsertAgreementPayload(
            agreement=Agreement.from_record(stored), changes=_changes(result), change_seq=result.seq
        )

    @strawberry.mutation(
        description="Delete a relationship by id (unknown ids change nothing). Needs an admin key.",
        extensions=_write(),
    )
    async def delete_relationship(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
    ) -> DeleteRelationshipPayload:
        result = await delete_relationship(info.context, str(id))
        return DeleteRelationshipPayload(
            deleted=result.count("delete") > 0, changes=_changes(result), change_seq=result.seq
        )
