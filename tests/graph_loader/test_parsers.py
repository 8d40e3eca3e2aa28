"""Each format keeps the line (and CSV column) of every record, so problems can name it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.inputs import InputFile, discover, read_input
from graph_loader.mou_csv import agreement_id
from graph_loader.parse_csv import CsvError, read_csv
from graph_loader.raw import Pos


def _read(tmp_path: Path, name: str, content: str | bytes) -> object:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return read_input(InputFile(path, name, tmp_path))


def test_yaml_keeps_the_line_of_each_record_and_of_each_field(tmp_path: Path) -> None:
    parsed = _read(
        tmp_path,
        "a.yaml",
        "# comment\nnodes:\n  - id: cluster/a\n    kind: Cluster\n\n    name: A\n"
        "relationships:\n  - type: KNOWS\n    from: person/a\n",
    )

    assert parsed.nodes.lines == [3]  # type: ignore[attr-defined]
    assert parsed.nodes.pos(0, "name") == Pos(6)  # type: ignore[attr-defined]
    assert parsed.relationships.pos(0, "from") == Pos(9)  # type: ignore[attr-defined]
    assert parsed.problems == []  # type: ignore[attr-defined]


def test_json_keeps_the_line_each_record_starts_on(tmp_path: Path) -> None:
    parsed = _read(
        tmp_path,
        "a.json",
        '{\n "nodes": [\n  {"id": "cluster/a"},\n\n  {\n   "id": "cluster/b"}\n ],\n'
        ' "relationships": []\n}\n',
    )

    assert parsed.nodes.lines == [3, 5]  # type: ignore[attr-defined]
    assert parsed.problems == []  # type: ignore[attr-defined]


def test_json_lines_skip_blank_lines_and_accept_crlf_and_a_bom(tmp_path: Path) -> None:
    parsed = _read(
        tmp_path,
        "a.jsonl",
        (
            '\ufeff{"record": "node", "id": "a"}\r\n\r\n{"record": "relationship", "type": "X"}\r\n'
        ).encode(),
    )

    assert parsed.nodes.lines == [1]  # type: ignore[attr-defined]
    assert parsed.relationships.lines == [3]  # type: ignore[attr-defined]
    assert parsed.nodes.data == [{"id": "a"}]  # type: ignore[attr-defined]
    assert parsed.problems == []  # type: ignore[attr-defined]


def test_csv_rows_start_where_they_start_even_after_a_multi_line_cell() -> None:
    table = read_csv('Title,Kind\n"two\nlines",mou\n\nnext,contract\n')

    assert table.columns == {"title": 1, "kind": 2}
    assert [(row.line, row.cells["title"]) for row in table.rows] == [
        (2, "two\nlines"),
        (5, "next"),
    ]


def test_csv_with_an_unclosed_quote_names_the_row_it_opened_in() -> None:
    with pytest.raises(CsvError) as info:
        read_csv('title,kind\nok,mou\n"never closed,mou\nmore,mou\n')

    assert info.value.line == 3


def test_a_directory_is_its_record_files_sorted_without_sources_or_hidden_folders(
    tmp_path: Path,
) -> None:
    for name in ("b.yaml", "a.json", "sub/c.csv", "sources/d.yaml", ".git/e.yaml", "notes.txt"):
        path = tmp_path / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")

    found = discover([tmp_path / "data"], cwd=tmp_path)

    assert [f.display for f in found] == ["data/a.json", "data/b.yaml", "data/sub/c.csv"]
    assert {f.root for f in found} == {(tmp_path / "data").resolve()}


def test_agreement_ids_are_readable_slugs_of_the_title() -> None:
    assert agreement_id("Oslo/København MoU (2012)") == "agreement/oslo-kobenhavn-mou-2012"
    assert len(agreement_id("word " * 100)) <= len("agreement/") + 80
