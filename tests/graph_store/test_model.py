"""The model's pure helpers: partial dates, ids, text normalisation, certainty order, filters."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_store import (
    Certainty,
    Edge,
    EdgeFilter,
    NodeKind,
    PartialDate,
    edge_id,
    kind_of_id,
    normalise_text,
)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("2011", "2011-01-01", "2011-12-31"),
        ("2011-10", "2011-10-01", "2011-10-31"),
        ("2012-02", "2012-02-01", "2012-02-29"),
        ("1900-02", "1900-02-01", "1900-02-28"),
        ("2000-02", "2000-02-01", "2000-02-29"),
        ("2011-10-26", "2011-10-26", "2011-10-26"),
    ],
)
def test_partial_date_covers_the_days_it_names(text: str, lo: str, hi: str) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.text, parsed.lo, parsed.hi) == (text, lo, hi)


@pytest.mark.parametrize(
    "text", ["2011-13", "2011-02-30", "2011-00", "11-10-26", "2011/10/26", "", "soon"]
)
def test_malformed_or_impossible_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_ids_name_their_kind() -> None:
    assert kind_of_id("cluster/oreec") is NodeKind.CLUSTER
    assert kind_of_id("person/marianna-lubanski") is NodeKind.PERSON
    assert kind_of_id("planet/earth") is None
    assert kind_of_id("cluster/Has Spaces") is None
    assert kind_of_id("cluster") is None


def test_edge_ids_are_stable_and_readable() -> None:
    assert (
        edge_id("MEMBER_OF", "cluster/oreec", "network/icn")
        == "member_of~cluster/oreec~network/icn"
    )
    assert edge_id("VISITED", "a/b", "c/d", "2014") == "visited~a/b~c/d~2014"


def test_normalised_text_folds_case_and_accents() -> None:
    assert normalise_text("Écotech Québec") == normalise_text("ECOTECH quebec") == "ecotech quebec"
    assert normalise_text("  O.R.E.E.C! ") == "o r e e c"


def _folded_slowly(text: str) -> str:
    """The normal form by its definition: NFKD, combining marks dropped, casefolded, words."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[0-9a-z]+", folded))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    | st.text(max_size=40).map(lambda t: t.encode("ascii", "ignore").decode())
)
def test_the_ascii_shortcut_folds_as_the_definition_does(text: str) -> None:
    assert normalise_text(text) == _folded_slowly(text)


def test_certainty_order_is_stated_inferred_uncertain_planned() -> None:
    ranks = [
        c.rank
        for c in (Certainty.STATED, Certainty.INFERRED, Certainty.UNCERTAIN, Certainty.PLANNED)
    ]
    assert ranks == sorted(ranks, reverse=True)


def _edge(since: str | None = None, until: str | None = None, certainty: str = "stated") -> Edge:
    return Edge(
        id="e",
        type="MEMBER_OF",
        src="cluster/a",
        dst="network/icn",
        certainty=Certainty(certainty),
        source="doc.txt",
        evidence="quote",
        since=PartialDate.parse(since) if since else None,
        until=PartialDate.parse(until) if until else None,
    )


@pytest.mark.parametrize(
    ("since", "until", "as_of", "expected"),
    [
        ("2011-10", None, "2011-10-15", True),
        ("2011-10", None, "2011-09-30", False),
        (None, "2011", "2011-12-31", True),
        (None, "2011", "2012-01-01", False),
        (None, None, "1990-01-01", True),
        ("2011-10-26", "2012-03", "2012", True),
        ("2013", None, "2012", False),
    ],
)
def test_as_of_compares_partial_dates_by_their_bounds(
    since: str | None, until: str | None, as_of: str, expected: bool
) -> None:
    flt = EdgeFilter(as_of=PartialDate.parse(as_of))
    assert flt.accepts(_edge(since, until)) is expected


def test_min_certainty_keeps_that_level_and_above() -> None:
    flt = EdgeFilter(min_certainty=Certainty.INFERRED)
    assert flt.accepts(_edge(certainty="stated"))
    assert flt.accepts(_edge(certainty="inferred"))
    assert not flt.accepts(_edge(certainty="uncertain"))
    assert not flt.accepts(_edge(certainty="planned"))
