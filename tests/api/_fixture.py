"""A small slice of the ICN, built as a real Batch, for tests that must not depend on data/icn/."""

from __future__ import annotations

from graph_store import Batch, Certainty, Edge, Node, NodeKind, PartialDate, edge_id

__all__ = ["fixture_batch"]

S000 = "000_2591355d800d36a4.txt"
S001 = "001_2c97c374e4d0cab0.txt"
S002 = "002_7297e39df4935131.txt"

_NODES = [
    Node("network/icn", NodeKind.NETWORK, "International Cleantech Network", ("ICN",), (S002,)),
    Node(
        "cluster/ccc",
        NodeKind.CLUSTER,
        "Copenhagen Cleantech Cluster",
        ("CCC", "CLEAN"),
        (S002,),
        {"country": "Denmark", "city": "Copenhagen"},
    ),
    Node(
        "cluster/oreec",
        NodeKind.CLUSTER,
        "OREEC",
        ("Oslo Renewable Energy and Environment Cluster",),
        (S001,),
        {"country": "Norway", "city": "Oslo"},
    ),
    Node(
        "cluster/tenerrdis",
        NodeKind.CLUSTER,
        "Tenerrdis",
        (),
        (S000,),
        {"country": "France"},
    ),
    Node(
        "cluster/ecotech-quebec",
        NodeKind.CLUSTER,
        "Écotech Québec",
        (),
        (S001,),
        {"country": "Canada"},
    ),
    Node(
        "organisation/copenhagen-capacity",
        NodeKind.ORGANISATION,
        "Copenhagen Capacity",
        (),
        (S000,),
        {"country": "Denmark"},
    ),
    Node(
        "person/marianna-lubanski",
        NodeKind.PERSON,
        "Marianna Lubanski",
        (),
        (S000,),
        {"title": "Business Development Director"},
    ),
    Node(
        "person/anne-example",
        NodeKind.PERSON,
        "Anne Example",
        (),
        (S000,),
    ),
    Node(
        "event/icn-managers-meeting-4",
        NodeKind.EVENT,
        "4th ICN Managers Meeting",
        (),
        (S000,),
        {"date": "2011-10-26", "end_date": "2011-10-27", "country": "USA"},
    ),
    Node(
        "event/icn-meeting-2010",
        NodeKind.EVENT,
        "First ICN meeting",
        (),
        (S002,),
        {"date": "2010-10-01", "city": "Copenhagen"},
    ),
]


def _edge(
    rel_type: str,
    src: str,
    dst: str,
    source: str,
    evidence: str,
    *,
    certainty: Certainty = Certainty.STATED,
    since: str | None = None,
    until: str | None = None,
    note: str | None = None,
    **props: str,
) -> Edge:
    return Edge(
        id=edge_id(rel_type, src, dst),
        type=rel_type,
        src=src,
        dst=dst,
        certainty=certainty,
        source=source,
        evidence=evidence,
        since=PartialDate.parse(since) if since else None,
        until=PartialDate.parse(until) if until else None,
        note=note,
        props=props,
    )


_EDGES = [
    _edge(
        "MEMBER_OF",
        "cluster/ccc",
        "network/icn",
        S002,
        "CCC has launched a new network",
        since="2010-10-01",
        role="founding member",
    ),
    _edge(
        "MEMBER_OF",
        "cluster/oreec",
        "network/icn",
        S002,
        "representatives from clusters in Colorado, Oslo and North Carolina",
        since="2010-10",
    ),
    _edge(
        "MEMBER_OF",
        "cluster/tenerrdis",
        "network/icn",
        S000,
        "the French cluster Tenerrdis and the German cluster Renewable Energy Hamburg were "
        "welcomed into the group",
        since="2011-10-26",
    ),
    _edge(
        "WORKS_FOR",
        "person/marianna-lubanski",
        "organisation/copenhagen-capacity",
        S000,
        "Marianna Lubanski, Business Development Director at Copenhagen Capacity",
        since="2011",
        until="2012",
        role="Business Development Director",
    ),
    _edge(
        "ATTENDED",
        "person/marianna-lubanski",
        "event/icn-managers-meeting-4",
        S000,
        "Marianna Lubanski, Business Development Director at Copenhagen Capacity and moderator "
        "at the ICN meeting",
        since="2011-10-26",
        role="moderator",
    ),
    _edge(
        "ATTENDED",
        "cluster/tenerrdis",
        "event/icn-managers-meeting-4",
        S000,
        "the French cluster Tenerrdis and the German cluster Renewable Energy Hamburg were "
        "welcomed into the group",
        certainty=Certainty.INFERRED,
        note="welcomed into the group at the meeting, so represented there",
        since="2011-10-26",
    ),
    _edge(
        "HOSTED",
        "organisation/copenhagen-capacity",
        "event/icn-meeting-2010",
        S002,
        "On 1 October 2010, Copenhagen Capacity hosted the first International Cleantech "
        "Network meeting in Copenhagen.",
        since="2010-10-01",
    ),
    _edge(
        "WORKS_FOR",
        "person/anne-example",
        "cluster/tenerrdis",
        S000,
        "the French cluster Tenerrdis",
        certainty=Certainty.UNCERTAIN,
        note="test fixture: a person at Tenerrdis",
    ),
    _edge(
        "ATTENDED",
        "person/anne-example",
        "event/icn-meeting-2010",
        S002,
        "the first International Cleantech Network meeting in Copenhagen",
        certainty=Certainty.PLANNED,
        since="2010-10-01",
    ),
]


def fixture_batch() -> Batch:
    """The slice as one batch: apply it to an empty store."""
    return Batch(nodes=tuple(_NODES), edges=tuple(_EDGES))
