"""`--check-evidence`: each relationship's quote must occur in the document it cites."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import ExitCode
from graph_loader.evidence import collapse
from graph_store import GraphStore
from tests.graph_loader._support import BASE, DATASET, SOURCES, arun_cli, dataset_ready, dump


def test_collapse_makes_every_run_of_whitespace_one_space() -> None:
    assert collapse("  Oslo and\n\tNorth   Carolina \r\n") == "Oslo and North Carolina"


@pytest.mark.skipif(not dataset_ready(), reason="data/icn has no dataset files yet")
async def test_the_dataset_quotes_its_sources_verbatim(store: GraphStore, graph_uri: str) -> None:
    run = await arun_cli([str(DATASET), "--check-evidence", "--dry-run"], graph_uri)

    assert run.code == ExitCode.OK, run.err


async def test_a_quote_broken_across_lines_in_the_document_still_matches(
    store: GraphStore, graph_uri: str
) -> None:
    # base.yaml quotes "... Colorado, Oslo and North Carolina", which doc.txt breaks over lines.
    run = await arun_cli([str(BASE), "--check-evidence"], graph_uri)

    assert run.code == ExitCode.OK, run.err


async def test_every_unquoted_relationship_is_listed_at_once(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await arun_cli([str(BASE)], graph_uri)
    before = await dump(store)
    data = tmp_path / "quotes.yaml"
    rel = (
        "  - {{type: KNOWS, from: person/{a}, to: person/{b}, source: doc.txt, "
        "evidence: '{quote}'}}\n"
    )
    data.write_text(
        "relationships:\n"
        + rel.format(a="bo-lund", b="ann-berg", quote="Bo Lund knows Ann Berg")
        + rel.format(a="ann-berg", b="bo-lund", quote="Ann Berg admires Bo Lund")
        + rel.format(a="bo-lund", b="bo-lund", quote="never said"),
        encoding="utf-8",
    )

    run = await arun_cli([str(data), "--check-evidence", "--sources", str(SOURCES)], graph_uri)

    assert run.code == ExitCode.INVALID
    failed = [line for line in run.err.splitlines() if ": evidence: " in line]
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in failed] == ["3", "4"]
    assert await dump(store) == before
