"""Relay pagination: walking a list visits every item once, in order; caps and bad cursors."""

from __future__ import annotations

import pytest

from tests.api._client import Api

LIST = """
query L($first: Int, $after: String) {
  organisations(first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def test_walking_a_list_visits_every_item_once_in_order(api: Api) -> None:
    seen: list[str] = []
    after = None
    totals = set()
    for _ in range(1000):
        page = api.data(LIST, {"first": 7, "after": after})["organisations"]
        totals.add(page["totalCount"])
        seen += [edge["node"]["id"] for edge in page["edges"]]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        if page["edges"]:
            assert info["endCursor"] == page["edges"][-1]["cursor"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert len(totals) == 1
    assert len(seen) == len(set(seen)) == totals.pop()
    assert seen == sorted(seen)
    assert len(seen) > 7, "the walk should take several pages"


def test_relationship_connections_page_without_duplicates(api: Api) -> None:
    query = """
    query R($first: Int, $after: String) {
      node(id: "network/icn") { relationships(first: $first, after: $after) {
        totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }
    }"""
    hub = api.data('{ node(id: "network/icn") { id } }')["node"]
    if hub is None:
        pytest.skip("the dataset has no network/icn")
    seen: list[str] = []
    after = None
    while True:
        rels = api.data(query, {"first": 3, "after": after})["node"]["relationships"]
        seen += [edge["node"]["id"] for edge in rels["edges"]]
        if not rels["pageInfo"]["hasNextPage"]:
            break
        after = rels["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == rels["totalCount"]


def test_page_size_over_100_is_bad_user_input(api: Api) -> None:
    assert api.codes(LIST, {"first": 101}) == {"BAD_USER_INPUT"}


@pytest.mark.parametrize("cursor", ["not-a-cursor", "aGl0OjE="])
def test_foreign_cursor_is_bad_user_input(api: Api, cursor: str) -> None:
    # "aGl0OjE=" is a well-formed cursor of the search list, not of this one.
    assert api.codes(LIST, {"first": 5, "after": cursor}) == {"BAD_USER_INPUT"}


def test_filters_narrow_the_list(api: Api) -> None:
    query = """
    query C($country: String) {
      clusters(country: $country, first: 100) { totalCount edges { node { country } } }
    }"""
    every = api.data(query, {"country": None})["clusters"]
    countries = {e["node"]["country"] for e in every["edges"] if e["node"]["country"]}
    assert countries
    country = sorted(countries)[0]
    some = api.data(query, {"country": country.upper()})["clusters"]
    assert 0 < some["totalCount"] <= every["totalCount"]
    assert {e["node"]["country"] for e in some["edges"]} == {country}
