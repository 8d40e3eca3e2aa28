"""The network explorer in a real Chromium against the real server and the ICN dataset.

What the page should show is asked of the same public GraphQL API first (`api` fixture), so the
tests check that the page renders the API's answers faithfully, whatever the dataset holds.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.browser.conftest import OUTPUT, ROOT, Api

pytestmark = pytest.mark.browser

PATHS = """
query ($from: ID!, $to: ID!, $maxHops: Int!, $first: Int!, $types: [String!], $asOf: Date,
       $minCertainty: Certainty) {
  paths(from: $from, to: $to, maxHops: $maxHops, first: $first, relationshipTypes: $types,
        asOf: $asOf, minCertainty: $minCertainty) {
    length summary
    nodes { id name }
    steps { relationship { id type since until source evidence } }
  }
}"""

NEIGHBOURHOOD = """
query ($id: ID!, $depth: Int!) {
  neighbourhood(id: $id, depth: $depth, limit: 80) {
    center { id name } nodes { depth node { id name } } relationships { id type }
  }
}"""


def _all(api: Api, field: str, extra: str = "") -> list[dict[str, Any]]:
    """Every node of a Relay list query (`clusters`, `people`), following the pages."""
    query = f"""query ($after: String) {{ {field}(first: 50, after: $after) {{
        pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id name {extra} }} }}
    }} }}"""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        conn = api.query(query, after=after)[field]
        nodes += [edge["node"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return nodes
        after = conn["pageInfo"]["endCursor"]


def _paths(api: Api, src: str, dst: str, **options: Any) -> list[dict[str, Any]]:
    variables = {"from": src, "to": dst, "maxHops": 4, "first": 3, **options}
    return api.query(PATHS, **{k: v for k, v in variables.items() if v is not None})["paths"]


@pytest.fixture(scope="session")
def pair(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """A person and a cluster joined by at least two paths of two or more hops."""
    people = sorted(_all(api, "people"), key=lambda n: n["id"])
    clusters = sorted(_all(api, "clusters"), key=lambda n: n["id"])
    for person in people:
        for cluster in clusters:
            found = _paths(api, person["id"], cluster["id"])
            if len(found) >= 2 and min(p["length"] for p in found) >= 2:
                return person, cluster
    pytest.fail("the dataset has no person linked to a cluster by two paths of 2+ hops")


def _explore(server: str, **params: Any) -> str:
    return f"{server}/explore/?{urlencode(params, safe='/,')}"


def _wait_view(page: Any, view: str) -> None:
    page.wait_for_selector(f"body[data-ready={view}]")


def _type(page: Any, selector: str, text: str, node_id: str) -> Any:
    """Type into a search box until the suggestion for `node_id` is listed; return the option."""
    box = page.locator(selector)
    box.fill("")
    box.press_sequentially(text, delay=15)
    option = page.locator(f"#{box.get_attribute('aria-controls')} [data-id='{node_id}']")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    return option


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"explorer-{name}.png"))


def _ids(page: Any, selector: str, attribute: str = "data-node-id") -> set[str]:
    return {el.get_attribute(attribute) for el in page.locator(selector).all()}


def _texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_text_contents()]


def test_root_redirects_to_an_overview_of_clusters_by_country(
    page: Any, server: str, api: Api
) -> None:
    clusters = _all(api, "clusters", "country")
    expected = Counter((c["country"] or "Country not stated") for c in clusters)
    page.goto(server + "/")
    _wait_view(page, "overview")
    assert page.url == f"{server}/explore/"
    bars = page.locator("#overview .bar")
    assert bars.count() == len(expected)
    shown = {}
    for i in range(bars.count()):
        label = bars.nth(i).get_attribute("aria-label")
        match = re.match(r"(.+): (\d+) clusters?\.", label or "")
        assert match, label
        shown[match.group(1)] = int(match.group(2))
    assert shown == dict(expected)
    # Countries are sorted by count, largest first; clusters without a country come last.
    order = [b.get_attribute("data-country") for b in bars.all()]
    named = [c for c in order if c != "Country not stated"]
    assert order[: len(named)] == named
    counts = [shown[c] for c in named]
    assert counts == sorted(counts, reverse=True)
    _shot(page, "overview")


def test_paths_between_two_picked_nodes_are_drawn_and_listed(
    page: Any, server: str, api: Api, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    person, cluster = pair
    expected = _paths(api, person["id"], cluster["id"])
    page.goto(server + "/explore/")
    _wait_view(page, "overview")

    # From: picked with the keyboard only (ArrowDown to the option, Enter).
    _type(page, "#from-input", person["name"], person["id"])
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        active = page.locator("#from-input").get_attribute("aria-activedescendant")
        if active and page.locator(f"#{active}").get_attribute("data-id") == person["id"]:
            assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
            break
    else:
        pytest.fail("ArrowDown never reached the person's suggestion")
    page.keyboard.press("Enter")
    assert page.locator("#from-input").get_attribute("aria-expanded") == "false"
    assert page.locator("#from-input").get_attribute("data-id") == person["id"]
    assert page.locator("#from-input").input_value() == person["name"]

    # Escape closes an open list without picking.
    _type(page, "#to-input", cluster["name"], cluster["id"])
    page.keyboard.press("Escape")
    assert page.locator("#to-input").get_attribute("aria-expanded") == "false"
    assert page.locator("#to-input").get_attribute("data-id") in (None, "")

    # To: picked with the mouse.
    _type(page, "#to-input", cluster["name"], cluster["id"]).click()
    assert page.locator("#to-input").get_attribute("data-id") == cluster["id"]

    page.click("#paths-button")
    _wait_view(page, "paths")
    assert f"from={person['id']}" in page.url and f"to={cluster['id']}" in page.url

    # The list: one entry per path, each with the API's summary and its steps.
    assert page.locator(".path-list > li.path").count() == len(expected)
    assert _texts(page, ".path-list .path-summary") == [p["summary"] for p in expected]
    for i, path in enumerate(expected):
        steps = page.locator(f".path-list > li.path >> nth={i}").locator(".step")
        assert steps.count() == path["length"]
        refs = page.locator(f".path-list > li.path >> nth={i} >> .node-ref")
        ids = [el.get_attribute("data-node-id") for el in refs.all()]
        names = [el.inner_text() for el in refs.all()]
        # Each step names its two ends: the path's nodes in order, inner ones twice.
        assert [*ids[0::2], ids[-1]] == [n["id"] for n in path["nodes"]]
        assert all(
            name.endswith(node["name"])
            for name, node in zip([*names[0::2], names[-1]], path["nodes"], strict=True)
        )

    # The drawing: every node of every path, every relationship with its type label.
    drawn = _ids(page, "#graph .node")
    assert drawn == {n["id"] for p in expected for n in p["nodes"]}
    rel_ids = {s["relationship"]["id"] for p in expected for s in p["steps"]}
    drawn_rels = _ids(page, "#graph .edge", "data-rel-id")
    assert drawn_rels == rel_ids
    labels = Counter(_texts(page, "#graph .edge-label .edge-type"))
    assert set(labels) == {s["relationship"]["type"] for p in expected for s in p["steps"]}
    name_text = " ".join(_texts(page, "#graph .node-name"))
    for node_name in {n["name"] for p in expected for n in p["nodes"]}:
        # Long names are wrapped over two lines and may end in an ellipsis.
        assert node_name.split()[0] in name_text
    status = page.locator("#status").inner_text()
    assert f"{len(expected)} paths found" in status
    # The picture for the docs: the drawing with one relationship's evidence in the panel.
    page.locator("#graph .edge").first.focus()
    page.keyboard.press("Enter")
    page.locator("#details .evidence-quote").wait_for()
    _shot(page, "paths")
    if os.environ.get("ICN_UPDATE_DOCS_IMG") == "1":
        shutil.copy(OUTPUT / "explorer-paths.png", ROOT / "docs" / "img" / "explorer.png")


def test_relationship_evidence_and_source_are_shown(
    page: Any, server: str, api: Api, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    person, cluster = pair
    expected = _paths(api, person["id"], cluster["id"])
    rels = {s["relationship"]["id"]: s["relationship"] for p in expected for s in p["steps"]}
    page.goto(_explore(server, view="paths", **{"from": person["id"], "to": cluster["id"]}))
    _wait_view(page, "paths")

    def assert_details_show(rel_id: str) -> None:
        rel = rels[rel_id]
        quote = page.locator("#details .evidence-quote")
        assert quote.inner_text().strip() == rel["evidence"].strip()
        link = page.locator("#details .facts a.source-link")
        assert link.inner_text() == rel["source"]
        href = link.get_attribute("href")
        assert href.endswith(f"/sources/{rel['source']}")
        response = httpx.get(href, timeout=10.0)
        assert response.status_code == 200
        # The quote is verbatim from the document (modulo line breaks).
        flat = " ".join(response.text.split())
        assert " ".join(rel["evidence"].split()) in flat
        assert page.locator("#details .rel-type").inner_text() == rel["type"]
        # Highlighted in the drawing (twice if a node recurs at another hop index).
        assert _ids(page, "#graph .edge.selected", "data-rel-id") == {rel_id}

    # Keyboard: focus a relationship in the drawing and press Enter.
    edge = page.locator("#graph .edge").first
    edge.focus()
    page.keyboard.press("Enter")
    assert_details_show(edge.get_attribute("data-rel-id"))

    # Mouse: click a relationship in the list view (the drawing's accessible twin).
    rel_button = page.locator(".path-list .rel-ref").last
    rel_button.click()
    assert_details_show(rel_button.get_attribute("data-rel-id"))

    # Keyboard in the list: ArrowUp moves to the previous step's relationship and shows it.
    steps = page.locator(".path-list .step")
    if steps.count() > 1:
        page.keyboard.press("ArrowUp")
        focused = page.evaluate("document.activeElement.dataset.relId")
        assert focused in rels
        assert_details_show(focused)
    _shot(page, "evidence")


def test_shared_url_restores_the_view(
    page: Any, server: str, api: Api, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    person, cluster = pair
    base = _paths(api, person["id"], cluster["id"], maxHops=3, first=2)
    rels = [s["relationship"] for p in base for s in p["steps"]]
    types = sorted({r["type"] for r in rels})
    since_years = sorted({r["since"][:4] for r in rels if r["since"]})
    # An as-of date that keeps at least one path (the latest start year on those paths, if any).
    options: dict[str, Any] = {}
    for as_of in ([since_years[-1]] if since_years else []) + [None]:
        options = {"maxHops": 3, "first": 2, "types": types, "asOf": as_of}
        expected = _paths(api, person["id"], cluster["id"], **options)
        if expected:
            break
    assert expected, "no path left to share"
    params = {
        "view": "paths",
        "from": person["id"],
        "to": cluster["id"],
        "hops": 3,
        "k": 2,
        "types": ",".join(types),
        "minCertainty": "PLANNED",
    }
    if options["asOf"]:
        params["asOf"] = options["asOf"]
    page.goto(_explore(server, **params))
    _wait_view(page, "paths")

    assert page.locator("#from-input").input_value() == person["name"]
    assert page.locator("#to-input").input_value() == cluster["name"]
    assert page.locator("#hops").input_value() == "3"
    assert page.locator("#k").input_value() == "2"
    assert page.locator("#min-certainty").input_value() == "PLANNED"
    assert page.locator("#as-of").input_value() == (options["asOf"] or "")
    checked = sorted(
        b.get_attribute("value") for b in page.locator("#types-list input:checked").all()
    )
    assert checked == types
    assert page.locator(".path-list > li.path").count() == len(expected)
    assert _texts(page, ".path-list .path-summary") == [p["summary"] for p in expected]

    # Changing a control updates the URL so the new view can be shared in turn.
    page.select_option("#hops", "2")
    page.wait_for_url(re.compile(r"[?&]hops=2(&|$)"))
    _wait_view(page, "paths")
    _shot(page, "shared-url")


def test_neighbourhood_expands_when_a_node_is_clicked(
    page: Any, server: str, api: Api, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    _, cluster = pair
    hood = api.query(NEIGHBOURHOOD, id=cluster["id"], depth=1)["neighbourhood"]
    first_ids = {n["node"]["id"] for n in hood["nodes"]}
    page.goto(_explore(server, view="neighbourhood", node=cluster["id"]))
    _wait_view(page, "neighbourhood")
    drawn = _ids(page, "#graph .node")
    assert drawn == first_ids
    assert page.locator("#graph .edge").count() == len(hood["relationships"])
    assert page.locator("#details .title-name").inner_text() == cluster["name"]

    # Expand a neighbour whose own neighbourhood brings new nodes, and that is on screen.
    svg_box = page.locator("#graph").bounding_box()
    target = None
    for node in sorted(first_ids - {cluster["id"]}):
        around = api.query(NEIGHBOURHOOD, id=node, depth=1)["neighbourhood"]
        extra = {n["node"]["id"] for n in around["nodes"]} - first_ids
        box = page.locator(f"#graph .node[data-node-id='{node}']").bounding_box()
        inside = (
            box["x"] >= svg_box["x"]
            and box["y"] >= svg_box["y"]
            and box["x"] + box["width"] <= svg_box["x"] + svg_box["width"]
            and box["y"] + box["height"] <= svg_box["y"] + svg_box["height"]
        )
        if extra and inside:
            target = (node, around, extra)
            break
    assert target, "no neighbour on screen has further neighbours"
    node_id, around, extra = target
    page.locator(f"#graph .node[data-node-id='{node_id}']").click()
    page.wait_for_url(re.compile(r"expand=" + re.escape(node_id)))
    union = first_ids | extra
    page.wait_for_function(
        "n => document.querySelectorAll('#graph .node').length === n", arg=len(union)
    )
    drawn = _ids(page, "#graph .node")
    assert drawn == union
    listed = _ids(page, ".depth-list .node-ref")
    assert listed == union
    clicked_name = next(n["node"]["name"] for n in around["nodes"] if n["node"]["id"] == node_id)
    page.wait_for_function(
        "name => document.querySelector('#details .title-name')?.textContent === name",
        arg=clicked_name,
    )
    _shot(page, "neighbourhood")

    # The expansion is part of the URL: reloading it draws the same merged neighbourhood.
    page.reload()
    _wait_view(page, "neighbourhood")
    again = _ids(page, "#graph .node")
    assert again == union

    # Each expansion is a history entry: Back collapses it.
    page.go_back()
    page.wait_for_function(
        "n => document.body.dataset.ready === 'neighbourhood'"
        " && document.querySelectorAll('#graph .node').length === n",
        arg=len(first_ids),
    )
    assert "expand=" not in page.url
    assert _ids(page, "#graph .node") == first_ids


def test_api_errors_are_shown_with_their_code(
    page: Any, server: str, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    _, cluster = pair
    params = {"view": "paths", "from": "person/nobody-at-all", "to": cluster["id"]}
    page.goto(_explore(server, **params))
    _wait_view(page, "paths")
    error = page.locator("#error")
    assert error.is_visible()
    assert error.get_attribute("data-code") == "NOT_FOUND"
    assert "NOT_FOUND" in error.inner_text()
    assert page.locator("#graph .node").count() == 0
