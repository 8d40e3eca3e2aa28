"""The secretariat's mutations: admin key only, validated like the loader, all-or-nothing."""

from __future__ import annotations

import uuid

from tests.api._client import Api

UPSERT_NODE = """
mutation U($node: NodeInput!) {
  upsertNode(node: $node) {
    node { id name ... on Organisation { country } }
    changes { action record id }
    changeSeq
  }
}
"""
UPSERT_REL = """
mutation R($rel: RelationshipInput!) {
  upsertRelationship(relationship: $rel) {
    relationship { id type role certainty source evidence from { id } to { id } }
    changes { action record id }
  }
}
"""
DELETE_REL = "mutation D($id: ID!) { deleteRelationship(id: $id) { deleted changeSeq } }"
SOURCE = "001_2c97c374e4d0cab0.txt"


def _org(slug: str) -> dict[str, object]:
    return {
        "id": f"organisation/{slug}",
        "kind": "ORGANISATION",
        "name": f"Test Organisation {slug}",
        "country": "Denmark",
        "sources": [SOURCE],
    }


def _a_cluster(api: Api) -> str:
    return api.data("{ clusters(first: 1) { edges { node { id } } } }")["clusters"]["edges"][0][
        "node"
    ]["id"]


def test_mutation_without_key_is_forbidden(api: Api) -> None:
    slug = f"api-test-{uuid.uuid4().hex[:8]}"
    errors = api.errors(UPSERT_NODE, {"node": _org(slug)})
    assert {e["extensions"]["code"] for e in errors} == {"FORBIDDEN"}
    # An unknown key is not silently anonymous: it is refused before anything runs.
    wrong = api.post(UPSERT_NODE, {"node": _org(slug)}, key="not-the-key")
    assert wrong.status_code == 401
    assert {e["extensions"]["code"] for e in wrong.json()["errors"]} == {"UNAUTHENTICATED"}
    assert api.data(f'{{ node(id: "organisation/{slug}") {{ id }} }}')["node"] is None


def test_admin_writes_nodes_and_relationships_and_deletes_them(api: Api) -> None:
    slug = f"api-test-{uuid.uuid4().hex[:8]}"
    key = api.admin_key
    written = api.data(UPSERT_NODE, {"node": _org(slug)}, key=key)["upsertNode"]
    assert written["node"] == {
        "id": f"organisation/{slug}",
        "name": f"Test Organisation {slug}",
        "country": "Denmark",
    }
    assert written["changes"] == [
        {"action": "create", "record": "node", "id": f"organisation/{slug}"}
    ]
    again = api.data(UPSERT_NODE, {"node": _org(slug)}, key=key)["upsertNode"]
    assert again["changes"] == [] and again["changeSeq"] == written["changeSeq"]

    cluster = _a_cluster(api)
    rel = {
        "type": "MEMBER_OF",
        "from": f"organisation/{slug}",
        "to": cluster,
        "source": SOURCE,
        "evidence": "Cleantech companies from Singapore and Italy signed a commercial contract",
        "role": "member",
    }
    made = api.data(UPSERT_REL, {"rel": rel}, key=key)["upsertRelationship"]["relationship"]
    assert (made["from"]["id"], made["to"]["id"], made["role"]) == (rel["from"], cluster, "member")
    members = api.data(
        "query M($c: ID!) { organisations(cluster: $c, first: 100) { edges { node { id } } } }",
        {"c": cluster},
    )["organisations"]["edges"]
    assert f"organisation/{slug}" in {e["node"]["id"] for e in members}

    gone = api.data(DELETE_REL, {"id": made["id"]}, key=key)["deleteRelationship"]
    assert gone["deleted"] is True
    clusters = api.data(
        "query O($id: ID!) { node(id: $id) { ... on Organisation { clusters { totalCount } } } }",
        {"id": f"organisation/{slug}"},
    )["node"]["clusters"]
    assert clusters == {"totalCount": 0}


def test_invalid_relationship_is_bad_user_input_listing_every_problem(api: Api) -> None:
    rel = {
        "type": "MEMBER_OF",
        "from": _a_cluster(api),
        "to": "network/no-such-network",
        "source": SOURCE,
        "evidence": "",
        "purpose": "not a MEMBER_OF property",
    }
    errors = api.errors(UPSERT_REL, {"rel": rel}, key=api.admin_key)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    fields = {p["field"] for p in errors[0]["extensions"]["problems"]}
    assert {"to", "evidence", "purpose"} <= fields


def test_agreement_with_a_bad_party_writes_nothing(api: Api) -> None:
    slug = f"api-test-{uuid.uuid4().hex[:8]}"
    agreement = {
        "id": f"agreement/{slug}",
        "name": f"Test MoU {slug}",
        "category": "MoU",
        "date": "2012-10",
        "source": SOURCE,
        "evidence": "Cleantech companies from Singapore and Italy signed a commercial contract",
        "parties": [{"id": _a_cluster(api)}, {"id": "organisation/no-such-party"}],
    }
    mutation = """
    mutation A($a: AgreementInput!) {
      upsertAgreement(agreement: $a) { agreement { id parties { totalCount } } }
    }"""
    errors = api.errors(mutation, {"a": agreement}, key=api.admin_key)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert api.data(f'{{ node(id: "agreement/{slug}") {{ id }} }}')["node"] is None
    agreement["parties"] = agreement["parties"][:1]  # type: ignore[index]
    done = api.data(mutation, {"a": agreement}, key=api.admin_key)["upsertAgreement"]
    assert done["agreement"] == {"id": f"agreement/{slug}", "parties": {"totalCount": 1}}


def test_get_cannot_mutate(api: Api) -> None:
    slug = f"api-test-{uuid.uuid4().hex[:8]}"
    mutation = (
        f'mutation {{ upsertNode(node: {{id: "organisation/{slug}", kind: ORGANISATION, '
        f'name: "x"}}) {{ changeSeq }} }}'
    )
    response = api.get(
        "/graphql",
        params={"query": mutation},
        headers={"Authorization": f"Bearer {api.admin_key}", "Accept": "application/json"},
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert api.data(f'{{ node(id: "organisation/{slug}") {{ id }} }}')["node"] is None


def test_inputs_cover_every_model_property_except_contact_details() -> None:
    from graph_store import NODE_PROPERTIES, RELATIONSHIP_TYPES
    from schema.inputs import _EDGE_PROPS, _NODE_PROPS

    assert set(_NODE_PROPS) == set().union(*NODE_PROPERTIES.values()) - {"email"}
    assert set(_EDGE_PROPS) == set().union(*(s.properties for s in RELATIONSHIP_TYPES.values()))
