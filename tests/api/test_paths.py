"""Who-knows-whom paths end to end: real relationships, filters, avoid, caps and errors."""

from __future__ import annotations

from typing import Any

import pytest

from graph_store import PartialDate
from tests.api._client import Api
from tests.api._graph import (
    all_ids,
    connected_pair,
    dated_relationship,
    paths,
    quoted_in,
    source_text,
)

Pair = tuple[str, str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def pair(api: Api) -> Pair:
    """Two connected people and the paths between them (computed once per server)."""
    return connected_pair(api)


def test_paths_between_people_are_real_relationships_with_evidence(api: Api, pair: Pair) -> None:
    src, dst, found = pair
    assert [p["length"] for p in found] == sorted(p["length"] for p in found)
    for path in found:
        assert path["nodes"][0]["id"] == src and path["nodes"][-1]["id"] == dst
        assert len(path["steps"]) == path["length"] == len(path["nodes"]) - 1
        assert len({n["id"] for n in path["nodes"]}) == len(path["nodes"]), "not simple"
        for i, step in enumerate(path["steps"]):
            rel = step["relationship"]
            assert step["from"]["id"] == path["nodes"][i]["id"]
            assert step["to"]["id"] == path["nodes"][i + 1]["id"]
            ends = (rel["from"]["id"], rel["to"]["id"])
            walked = (step["from"]["id"], step["to"]["id"])
            assert ends == (walked if step["direction"] == "FORWARD" else walked[::-1])
            assert rel["source"] and rel["evidence"]
            assert quoted_in(rel["evidence"], source_text(api, rel["source"])), rel["id"]
            stored = api.data(
                "query R($id: ID!, $t: [String!]) { node(id: $id) { relationships(types: $t, "
                "first: 100) { edges { node { id } } } } }",
                {"id": rel["from"]["id"], "t": [rel["type"]]},
            )["node"]["relationships"]["edges"]
            assert rel["id"] in {e["node"]["id"] for e in stored}


def test_path_summary_is_one_sentence_from_start_to_end(pair: Pair) -> None:
    for path in pair[2]:
        summary = path["summary"]
        assert summary.lstrip("\u201c").startswith(path["nodes"][0]["name"])
        assert summary.endswith(".")
        position = 0
        for node in path["nodes"]:  # every node is named, in the order the path visits them
            position = summary.index(node["name"], position)


def _passes(rel: dict[str, Any], as_of: PartialDate) -> bool:
    since = PartialDate.parse(rel["since"]) if rel["since"] else None
    until = PartialDate.parse(rel["until"]) if rel["until"] else None
    return (since is None or since.lo <= as_of.hi) and (until is None or until.hi >= as_of.lo)


def _relationship_ids(api: Api, node_id: str, as_of: str | None) -> list[dict[str, Any]]:
    query = """
    query R($id: ID!, $asOf: Date) {
      node(id: $id) { relationships(asOf: $asOf, first: 100) {
        edges { node { id since until } } } }
    }"""
    data = api.data(query, {"id": node_id, "asOf": as_of})["node"]["relationships"]
    return [edge["node"] for edge in data["edges"]]


@pytest.mark.parametrize("bound", ["since", "until"])
def test_as_of_excludes_relationships_outside_their_dates(api: Api, bound: str) -> None:
    rel = dated_relationship(api, bound)
    date = PartialDate.parse(rel[bound])
    outside = str(int(date.lo[:4]) - 1) if bound == "since" else str(int(date.hi[:4]) + 1)
    owner = rel["from"]["id"]
    before = _relationship_ids(api, owner, outside)
    assert rel["id"] not in {r["id"] for r in before}
    assert all(_passes(r, PartialDate.parse(outside)) for r in before)
    inside = _relationship_ids(api, owner, rel[bound])
    assert rel["id"] in {r["id"] for r in inside}
    # The same filter applies to paths: the direct hop is gone outside its dates.
    direct = paths(api, owner, rel["to"]["id"], hops=1, first=20)
    filtered = paths(api, owner, rel["to"]["id"], hops=1, first=20, asOf=outside)
    assert rel["id"] in {s["relationship"]["id"] for p in direct for s in p["steps"]}
    assert rel["id"] not in {s["relationship"]["id"] for p in filtered for s in p["steps"]}


def test_avoid_keeps_paths_clear_of_a_node(api: Api, pair: Pair) -> None:
    src, dst, found = pair
    avoided = found[0]["nodes"][1]["id"]
    rerouted = paths(api, src, dst, hops=4, first=20, avoid=[avoided])
    assert all(avoided not in {n["id"] for n in p["nodes"]} for p in rerouted)
    # Same canonical order: the unfiltered paths that miss the node lead the new answer.
    kept = [p for p in found if avoided not in {n["id"] for n in p["nodes"]}]
    assert rerouted[: len(kept)] == kept
    assert found[0] not in rerouted


def test_min_certainty_drops_less_certain_steps(api: Api, pair: Pair) -> None:
    src, dst, found = pair
    stated = paths(api, src, dst, hops=4, first=20, min="STATED")
    assert all(s["relationship"]["certainty"] == "STATED" for p in stated for s in p["steps"])
    kept = [p for p in found if all(s["relationship"]["certainty"] == "STATED" for s in p["steps"])]
    assert stated[: len(kept)] == kept


def test_relationship_types_restrict_every_step(api: Api, pair: Pair) -> None:
    src, dst, found = pair
    used = sorted({s["relationship"]["type"] for s in found[0]["steps"]})
    only = paths(api, src, dst, hops=4, first=20, types=used)
    assert found[0] in only
    assert all(s["relationship"]["type"] in used for p in only for s in p["steps"])


def test_paths_from_unknown_id_is_not_found(api: Api) -> None:
    someone = all_ids(api, "people")[0]
    query = 'query($to: ID!) { paths(from: "person/nobody-at-all", to: $to) { length } }'
    errors = api.errors(query, {"to": someone})
    assert {e["extensions"]["code"] for e in errors} == {"NOT_FOUND"}
    assert "person/nobody-at-all" in errors[0]["message"]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ("maxHops: 7", "LIMIT_EXCEEDED"),
        ("first: 21", "LIMIT_EXCEEDED"),
        ("maxHops: 0", "BAD_USER_INPUT"),
        ("first: 0", "BAD_USER_INPUT"),
        ('relationshipTypes: ["NOT_A_TYPE"]', "BAD_USER_INPUT"),
    ],
)
def test_path_caps_and_bad_arguments_have_codes(api: Api, arguments: str, code: str) -> None:
    a, b = all_ids(api, "people")[:2]
    query = f"query($a: ID!, $b: ID!) {{ paths(from: $a, to: $b, {arguments}) {{ length }} }}"
    assert api.codes(query, {"a": a, "b": b}) == {code}


def test_paths_from_a_node_to_itself_are_empty(api: Api) -> None:
    someone = all_ids(api, "people")[0]
    assert paths(api, someone, someone) == []
