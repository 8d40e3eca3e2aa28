"""The peer's search check tells a ranking difference from a real mismatch.

`bench.peer_workload.search_differences` is pure: these tests feed it answers shaped as the two
APIs return them (our kinds as GraphQL enum names, the peer's as stored), built from a small
synthetic network written by the loader's own generator, ranked the two different ways the
two APIs rank them. No server runs here; the live check runs in `python -m bench`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pytest

from bench.peer_workload import SEARCH_CHECK_PAGE, SearchAnswers, search_differences
from graph_loader import write_synthetic
from graph_store.ranking import MAX_CANDIDATES

Node = Mapping[str, Any]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> list[Node]:
    """The nodes of a synthetic network of 5000 people, as our store holds them."""
    out = tmp_path_factory.mktemp("synthetic")
    write_synthetic(out, people=5000, seed=1)
    lines = (out / "nodes.jsonl").read_text().splitlines()
    return [
        {"id": r["id"], "name": r["name"], "kind": r["kind"], "aliases": r.get("aliases", [])}
        for r in map(json.loads, lines)
    ]


def _ours(node: Node) -> Node:
    return {**node, "kind": node["kind"].upper()}  # our API: the GraphQL enum's name


def _words(node: Node) -> list[str]:
    return [w.lower() for label in (node["name"], *node["aliases"]) for w in label.split()]


def _starting(stored: list[Node], prefix: str) -> list[Node]:
    """Nodes with a word of their name or an alias starting with `prefix` (one-word texts)."""
    return [n for n in stored if any(w.startswith(prefix) for w in _words(n))]


def _answers(
    text: str,
    stored: list[Node],
    ours: Sequence[Node],
    peer_matches: Sequence[Node],
    **changes: Any,
) -> SearchAnswers:
    """Both sides agreeing on the data: ours as given, the peer's matches in its own order."""
    by_id = {n["id"]: n for n in stored}
    page = sorted(peer_matches, key=lambda n: n["id"], reverse=True)[:SEARCH_CHECK_PAGE]
    answers = SearchAnswers(
        text=text,
        ours=[_ours(n) for n in ours],
        ours_total=len(ours),
        peer=page,
        peer_total=len(peer_matches),
        peer_finds=frozenset(n["id"] for n in ours),
        looked_up={n["id"]: _ours(by_id[n["id"]]) for n in page},
    )
    return replace(answers, **changes)


def _ranked(nodes: list[Node]) -> list[Node]:
    """Our order: shorter names first (our tiers), then id."""
    return sorted(nodes, key=lambda n: (len(n["name"]), n["id"]))


def test_different_pages_of_a_broad_text_are_accepted(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    assert len(matches) > SEARCH_CHECK_PAGE  # more matches than a page: the case at issue
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    first_pages = ({n["id"] for n in answers.ours[:SEARCH_CHECK_PAGE]}, answers.peer)
    assert first_pages[0] != {n["id"] for n in first_pages[1]}
    assert search_differences(answers) == []


def test_a_small_set_must_be_the_same_on_both_sides(stored: list[Node]) -> None:
    matches = _starting(stored, "bilbao")
    assert 1 < len(matches) <= SEARCH_CHECK_PAGE
    assert search_differences(_answers("Bilbao", stored, _ranked(matches), matches)) == []
    dropped = _answers("Bilbao", stored, _ranked(matches)[1:], matches)
    (problem,) = search_differences(dropped)
    assert "we miss" in problem and _ranked(matches)[0]["id"] in problem


def test_a_match_missing_beyond_our_candidates_is_not_a_mismatch(stored: list[Node]) -> None:
    matches = _starting(stored, "a")
    assert len(matches) > MAX_CANDIDATES  # our index read stops at MAX_CANDIDATES
    ours = sorted(matches, key=lambda n: n["id"])[:MAX_CANDIDATES]  # the index's first ones
    answers = _answers("a", stored, _ranked(ours), matches)
    assert not {n["id"] for n in answers.peer} & {n["id"] for n in ours}
    assert search_differences(answers) == []


def test_wrong_data_in_a_peer_hit_is_caught(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    renamed = [*answers.peer]
    renamed[3] = {**renamed[3], "name": renamed[3]["name"] + " Ltd"}
    (problem,) = search_differences(replace(answers, peer=renamed))
    assert "differ from ours" in problem and renamed[3]["id"] in problem
    rekinded = [{**answers.peer[0], "kind": "Person"}, *answers.peer[1:]]
    assert search_differences(replace(answers, peer=rekinded)) != []


def test_a_peer_hit_we_do_not_have_is_caught(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    ghost = {**answers.peer[0], "id": "organisation/aqua-ghost"}
    problems = search_differences(replace(answers, peer=[ghost, *answers.peer[1:]]))
    assert any("does not have" in p and "aqua-ghost" in p for p in problems)


def test_a_hit_of_ours_the_peer_does_not_find_is_caught(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    lost = answers.ours[-1]["id"]
    (problem,) = search_differences(replace(answers, peer_finds=answers.peer_finds - {lost}))
    assert "does not find" in problem and lost in problem


def test_a_peer_hit_that_does_not_match_is_caught(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    other = next(n for n in stored if not _starting([n], "aqu"))
    peer = [*answers.peer[:-1], other]
    looked_up = {**answers.looked_up, other["id"]: _ours(other)}
    (problem,) = search_differences(replace(answers, peer=peer, looked_up=looked_up))
    assert "do not match" in problem and other["id"] in problem


def test_words_spread_over_a_name_and_an_alias_are_the_peer_finding_more(
    stored: list[Node],
) -> None:
    node = next(n for n in stored if n["aliases"] and len(n["name"].split()) > 1)
    text = f"{node['name'].split()[0]} {node['aliases'][0]}"
    assert search_differences(_answers(text, stored, [], [node])) == []
    # The same node as a hit of ours is wrong: our rule wants every word in one label.
    (problem,) = search_differences(_answers(text, stored, [node], [node]))
    assert "our hits that do not match" in problem


def test_counts_must_fit(stored: list[Node]) -> None:
    matches = _starting(stored, "aqu")
    answers = _answers("Aqu", stored, _ranked(matches), matches)
    problems = search_differences(replace(answers, peer_total=len(matches) - 1))
    assert any("exceeds the peer's" in p for p in problems)
    problems = search_differences(replace(answers, ours_total=len(matches) + 1))
    assert any("distinct hits" in p for p in problems)
