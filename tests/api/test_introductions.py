"""Introductions: ranked intermediaries, never the endpoints, scored by the documented formula."""

from __future__ import annotations

from datetime import date

from graph_store import Certainty, Edge, Node, NodeKind, PartialDate, Path, Step
from resolvers import CERTAINTY_WEIGHT, path_weight, recency
from tests.api._client import Api
from tests.api._graph import PATH, connected_pair

INTRODUCTIONS = (
    PATH
    + """
query I($from: ID!, $to: ID!, $first: Int, $min: Certainty) {
  introductions(from: $from, to: $to, first: $first, minCertainty: $min) {
    intermediary { id kind name }
    score
    reason
    paths { ...P }
  }
}
"""
)


def test_introductions_rank_intermediaries_on_the_paths(api: Api) -> None:
    src, dst, _ = connected_pair(api)
    intros = api.data(INTRODUCTIONS, {"from": src, "to": dst, "first": 20})["introductions"]
    assert intros, "connected people must have someone in between"
    scores = [i["score"] for i in intros]
    assert scores == sorted(scores, reverse=True)
    for intro in intros:
        who = intro["intermediary"]
        assert who["id"] not in (src, dst)
        assert who["kind"] in {"PERSON", "ORGANISATION", "CLUSTER"}
        assert intro["score"] > 0
        assert who["name"] in intro["reason"]
        assert intro["paths"]
        for path in intro["paths"]:
            interior = {n["id"] for n in path["nodes"][1:-1]}
            assert who["id"] in interior
            assert path["nodes"][0]["id"] == src and path["nodes"][-1]["id"] == dst


def test_introductions_honour_first(api: Api) -> None:
    src, dst, _ = connected_pair(api)
    one = api.data(INTRODUCTIONS, {"from": src, "to": dst, "first": 1})["introductions"]
    many = api.data(INTRODUCTIONS, {"from": src, "to": dst, "first": 20})["introductions"]
    assert one == many[:1]


def test_introductions_over_the_cap_is_limit_exceeded(api: Api) -> None:
    src, dst, _ = connected_pair(api)
    codes = api.codes(INTRODUCTIONS, {"from": src, "to": dst, "first": 21})
    assert codes == {"LIMIT_EXCEEDED"}


def _path(*certainties: Certainty, since: str | None = None) -> Path:
    nodes = tuple(
        Node(f"person/p{i}", NodeKind.PERSON, f"P{i}") for i in range(len(certainties) + 1)
    )
    steps = tuple(
        Step(
            Edge(
                f"knows~{i}",
                "KNOWS",
                nodes[i].id,
                nodes[i + 1].id,
                c,
                "s.txt",
                "quote",
                since=PartialDate.parse(since) if since else None,
            ),
            forward=True,
        )
        for i, c in enumerate(certainties)
    )
    return Path(nodes, steps)


def test_path_weight_is_inverse_length_times_certainty_times_recency() -> None:
    today = date(2020, 6, 1)
    short = _path(Certainty.STATED, Certainty.INFERRED, since="2020")
    long = _path(Certainty.STATED, Certainty.INFERRED, Certainty.STATED, since="2020")
    expected = (1 / 2) * CERTAINTY_WEIGHT[Certainty.STATED] * CERTAINTY_WEIGHT[Certainty.INFERRED]
    assert path_weight(short, today, today) == expected
    assert path_weight(long, today, today) < path_weight(short, today, today)


def test_recent_relationships_weigh_more_than_old_ones() -> None:
    ref = date(2020, 6, 1)
    fresh, old, undated = (
        _path(Certainty.STATED, since="2020"),
        _path(Certainty.STATED, since="2005"),
        _path(Certainty.STATED),
    )
    assert recency(fresh.steps[0].edge, ref, ref) == 1.0
    assert path_weight(fresh, ref, ref) > path_weight(undated, ref, ref)
    assert path_weight(undated, ref, ref) > path_weight(old, ref, ref)
