"""Path summaries: one sentence, each verb in the direction the path walks it."""

from __future__ import annotations

from graph_store import RELATIONSHIP_TYPES, Certainty, Edge, Node, NodeKind, Path, Step
from resolvers import INVERSE_PHRASES, path_summary


def test_every_relationship_type_has_an_inverse_phrase() -> None:
    assert set(INVERSE_PHRASES) == set(RELATIONSHIP_TYPES)
    assert all(phrase.strip() for phrase in INVERSE_PHRASES.values())


def _edge(rel_type: str, src: Node, dst: Node) -> Edge:
    return Edge(
        f"{rel_type}~{src.id}~{dst.id}", rel_type, src.id, dst.id, Certainty.STATED, "s", "e"
    )


def test_summary_reads_forward_and_backward_steps() -> None:
    marianna = Node("person/marianna-lubanski", NodeKind.PERSON, "Marianna Lubanski")
    meeting = Node("event/m4", NodeKind.EVENT, "the 4th ICN Managers Meeting")
    tenerrdis = Node("cluster/tenerrdis", NodeKind.CLUSTER, "Tenerrdis")
    path = Path(
        (marianna, meeting, tenerrdis),
        (
            Step(_edge("ATTENDED", marianna, meeting), forward=True),
            Step(_edge("ATTENDED", tenerrdis, meeting), forward=False),
        ),
    )
    assert path_summary(path) == (
        "Marianna Lubanski attended the 4th ICN Managers Meeting, which was attended by Tenerrdis."
    )


def test_summary_uses_who_after_a_person() -> None:
    org = Node("organisation/o", NodeKind.ORGANISATION, "Copenhagen Capacity")
    person = Node("person/p", NodeKind.PERSON, "Marianna Lubanski")
    other = Node("person/q", NodeKind.PERSON, "Ariesta Ningrum")
    path = Path(
        (org, person, other),
        (
            Step(_edge("WORKS_FOR", person, org), forward=False),
            Step(_edge("KNOWS", person, other), forward=True),
        ),
    )
    assert path_summary(path) == (
        "Copenhagen Capacity employs (or employed) Marianna Lubanski, who knows Ariesta Ningrum."
    )


def test_inverse_phrases_place_the_object_where_marked() -> None:
    icn = Node("network/icn", NodeKind.NETWORK, "International Cleantech Network")
    oreec = Node("cluster/oreec", NodeKind.CLUSTER, "OREEC")
    path = Path((icn, oreec), (Step(_edge("MEMBER_OF", oreec, icn), forward=False),))
    assert path_summary(path) == "International Cleantech Network has (or had) OREEC as a member."


def test_document_titles_are_quoted_and_the_sentence_ends_once() -> None:
    doc = Node("document/d", NodeKind.DOCUMENT, "Clusters Are the Infrastructure. Here Is Why.")
    icn = Node("network/icn", NodeKind.NETWORK, "ICN Inc.")
    path = Path((icn, doc), (Step(_edge("PUBLISHED", icn, doc), forward=True),))
    assert path_summary(path) == (
        "ICN Inc. published \u201cClusters Are the Infrastructure. Here Is Why.\u201d."
    )
    back = Path((doc, icn), (Step(_edge("PUBLISHED", icn, doc), forward=False),))
    assert path_summary(back).endswith("was published by ICN Inc.")
