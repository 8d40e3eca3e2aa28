"""Root list queries: clusters, organisations, people, agreements, events, projects."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_store import Direction, PartialDate
from graph_store import NodeKind as K
from resolvers import Context, list_nodes, list_related_nodes
from schema.agreement import Agreement
from schema.cluster import Cluster
from schema.connection import Connection
from schema.event import Event
from schema.organisation import Organisation
from schema.person import Person
from schema.project import Project

__all__ = ["ListQuery"]

First = Annotated[int | None, strawberry.argument(description="Page size, at most 100.")]
After = Annotated[
    str | None, strawberry.argument(description="`pageInfo.endCursor` of the page before.")
]
Eq = Annotated[str | None, strawberry.argument(description="Exact value, case-insensitive.")]


def _page(first: int | None) -> int:
    return 20 if first is None else first


_PEOPLE_LINKS = ("WORKS_FOR", "HOLDS_POSITION", "MEMBER_OF", "AFFILIATED_WITH")


@strawberry.type
class ListQuery:
    @strawberry.field(description="Clusters, ordered by id.")
    async def clusters(
        self,
        info: Info[Context, None],
        country: Eq = None,
        sector: Eq = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Cluster]:
        where = {"country": country, "sector": sector}
        page = await list_nodes(
            info.context, K.CLUSTER, where=where, first=_page(first), after=after
        )
        return Connection.from_page(page, Cluster.from_record, after=after)

    @strawberry.field(
        description="Organisations, ordered by id; `cluster` keeps the members of that cluster."
    )
    async def organisations(
        self,
        info: Info[Context, None],
        country: Eq = None,
        category: Eq = None,
        cluster: strawberry.ID | None = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Organisation]:
        where = {"country": country, "category": category}
        if cluster is None:
            page = await list_nodes(
                info.context, K.ORGANISATION, where=where, first=_page(first), after=after
            )
        else:
            page = await list_related_nodes(
                info.context,
                K.ORGANISATION,
                str(cluster),
                types=("MEMBER_OF",),
                direction=Direction.IN,
                where=where,
                first=_page(first),
                after=after,
            )
        return Connection.from_page(page, Organisation.from_record, after=after)

    @strawberry.field(
        description=(
            "People, ordered by id; `organisation` keeps those who work for, hold a position "
            "in, are members of or are affiliated with that organisation (or cluster)."
        )
    )
    async def people(
        self,
        info: Info[Context, None],
        organisation: strawberry.ID | None = None,
        country: Eq = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Person]:
        where = {"country": country}
        if organisation is None:
            page = await list_nodes(
                info.context, K.PERSON, where=where, first=_page(first), after=after
            )
        else:
            page = await list_related_nodes(
                info.context,
                K.PERSON,
                str(organisation),
                types=_PEOPLE_LINKS,
                direction=Direction.IN,
                where=where,
                first=_page(first),
                after=after,
            )
        return Connection.from_page(page, Person.from_record, after=after)

    @strawberry.field(
        description=(
            "Agreements, ordered by id; `kind` is the category (e.g. MoU) and "
            "signedFrom/signedTo bound the signing `date`."
        )
    )
    async def agreements(
        self,
        info: Info[Context, None],
        kind: Eq = None,
        signed_from: PartialDate | None = None,
        signed_to: PartialDate | None = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Agreement]:
        page = await list_nodes(
            info.context,
            K.AGREEMENT,
            where={"category": kind},
            date_from=signed_from,
            date_to=signed_to,
            first=_page(first),
            after=after,
        )
        return Connection.from_page(page, Agreement.from_record, after=after)

    @strawberry.field(description="Events, ordered by id; `from`/`to` bound the event's date.")
    async def events(
        self,
        info: Info[Context, None],
        status: Eq = None,
        category: Eq = None,
        from_: Annotated[PartialDate | None, strawberry.argument(name="from")] = None,
        to: PartialDate | None = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Event]:
        page = await list_nodes(
            info.context,
            K.EVENT,
            where={"status": status, "category": category},
            date_from=from_,
            date_to=to,
            first=_page(first),
            after=after,
        )
        return Connection.from_page(page, Event.from_record, after=after)

    @strawberry.field(description="Projects, ordered by id.")
    async def projects(
        self,
        info: Info[Context, None],
        category: Eq = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Project]:
        page = await list_nodes(
            info.context, K.PROJECT, where={"category": category}, first=_page(first), after=after
        )
        return Connection.from_page(page, Project.from_record, after=after)
