"""Every malformed input exits 2, names file:line and the field, and leaves the store untouched."""

from __future__ import annotations

import re

import pytest

from graph_loader import ExitCode, load_dataset
from graph_store import GraphStore
from tests.graph_loader._support import BAD_INPUTS, BASE, SOURCES, arun_cli, dump

# file -> the (line, field) of every problem it must be reported with.
CASES: dict[str, list[tuple[int, str]]] = {
    "aliases_not_a_list.yaml": [(5, "aliases")],
    "bad_certainty.yaml": [(5, "certainty")],
    "bad_month.yaml": [(5, "since")],
    "bad_node_date.yaml": [(5, "date")],
    "csv_ambiguous_party.csv": [(2, "parties")],
    "csv_bad_date.csv": [(2, "date")],
    "csv_bad_kind.csv": [(2, "kind")],
    "csv_missing_column.csv": [(1, "header")],
    "csv_unclosed_quote.csv": [(2, "syntax")],
    "csv_unknown_event.csv": [(2, "signed_at")],
    "csv_unknown_party.csv": [(2, "parties")],
    "date_with_time.yaml": [(5, "date")],
    "duplicate_node_id.yaml": [(5, "id")],
    "duplicate_relationship.yaml": [(7, "id")],
    "empty.yaml": [(1, "file")],
    "empty_evidence.yaml": [(6, "evidence")],
    "evidence_document_missing.yaml": [(5, "source")],
    "evidence_not_in_document.yaml": [(6, "evidence")],
    "huge_field.yaml": [(5, "description")],
    "id_not_a_slug.yaml": [(2, "id")],
    "id_prefix_mismatch.yaml": [(2, "id")],
    "impossible_day.yaml": [(7, "since")],
    "inferred_without_note.yaml": [(5, "note")],
    "json_missing_field.json": [(4, "name")],
    "json_trailing_comma.json": [(4, "syntax")],
    "jsonl_broken_line.jsonl": [(3, "syntax")],
    "jsonl_missing_record.jsonl": [(2, "record")],
    "latin1_encoding.yaml": [(4, "encoding")],
    "missing_evidence.yaml": [(2, "evidence")],
    "missing_name.yaml": [(2, "name")],
    "name_not_text.yaml": [(4, "name")],
    "unknown_endpoint.yaml": [(4, "to")],
    "unknown_kind.yaml": [(3, "kind")],
    "unknown_node_property.yaml": [(5, "colour")],
    "unknown_relationship_property.yaml": [(7, "role")],
    "unknown_type.yaml": [(2, "type")],
    "until_before_since.yaml": [(6, "until")],
    "wrong_kinds.yaml": [(2, "type")],
    "yaml_duplicate_key.yaml": [(5, "name")],
    "yaml_syntax.yaml": [(5, "syntax")],
    "yaml_top_level_list.yaml": [(1, "file")],
    "yaml_unknown_section.yaml": [(5, "edges")],
}

# Extra words the message must hold, where the words are the point of the case.
MESSAGES: dict[str, list[str]] = {
    "csv_ambiguous_party.csv": [
        "cluster/copenhagen-cleantech-cluster",
        "organisation/ccc-consulting",
    ],
    "csv_unclosed_quote.csv": ["unclosed quote"],
    "huge_field.yaml": ["12000 characters", "10000"],
    "impossible_day.yaml": ["2011-02-30"],
    "bad_month.yaml": ["2011-13"],
    "latin1_encoding.yaml": ["UTF-8"],
    "wrong_kinds.yaml": ["Cluster", "Person"],
    "evidence_not_in_document.yaml": ["doc.txt"],
}


def test_the_corpus_and_the_table_name_the_same_files() -> None:
    on_disk = {p.name for p in BAD_INPUTS.iterdir() if p.is_file()}
    assert on_disk == set(CASES)
    assert len(CASES) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
async def test_malformed_input_is_rejected_whole_naming_its_place(
    name: str, store: GraphStore, graph_uri: str
) -> None:
    await load_dataset(store, BASE)
    before = await dump(store)
    argv = [str(BAD_INPUTS / name)]
    if name.startswith("evidence_"):
        argv += ["--check-evidence", "--sources", str(SOURCES)]

    run = await arun_cli(argv, graph_uri)

    assert run.code == ExitCode.INVALID, run.err
    lines = run.err.splitlines()
    for line_no, field in CASES[name]:
        pattern = re.compile(rf"(^|/){re.escape(name)}:{line_no}(:\d+)?: [^:]+: {field}: \S")
        assert any(pattern.search(line) for line in lines), f"no {name}:{line_no} {field}: {lines}"
    for words in MESSAGES.get(name, []):
        assert words in run.err
    assert "nothing was written" in lines[-1]
    assert "Traceback" not in run.err
    assert run.out == ""
    assert await dump(store) == before
