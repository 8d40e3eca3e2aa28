"""Looking nodes up by id: null for unknown ids, typed fields for known ones."""

from __future__ import annotations

from tests.api._client import Api

FIRST_CLUSTER = "{ clusters(first: 1) { edges { node { id name country } } } }"


def _a_cluster(api: Api) -> dict[str, str]:
    return api.data(FIRST_CLUSTER)["clusters"]["edges"][0]["node"]


def test_unknown_id_returns_null(api: Api) -> None:
    data = api.data('{ node(id: "cluster/no-such-cluster") { id } bad: node(id: "??") { id } }')
    assert data == {"node": None, "bad": None}


def test_node_returns_the_typed_node(api: Api) -> None:
    cluster = _a_cluster(api)
    query = """
    query One($id: ID!) {
      node(id: $id) { __typename id kind name ... on Cluster { country } }
    }
    """
    node = api.data(query, {"id": cluster["id"]})["node"]
    assert node["__typename"] == "Cluster"
    assert node["kind"] == "CLUSTER"
    assert (node["id"], node["name"], node["country"]) == (
        cluster["id"],
        cluster["name"],
        cluster["country"],
    )


def test_nodes_keeps_order_and_nulls_unknown_ids(api: Api) -> None:
    cluster = _a_cluster(api)
    ids = ["cluster/no-such-cluster", cluster["id"]]
    nodes = api.data("query N($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})["nodes"]
    assert nodes == [None, {"id": cluster["id"]}]


def test_more_than_a_page_of_ids_is_bad_user_input(api: Api) -> None:
    ids = [f"cluster/c{i}" for i in range(101)]
    codes = api.codes("query N($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert codes == {"BAD_USER_INPUT"}
