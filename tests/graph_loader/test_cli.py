"""`icn-load PATH...`: one-go loads, twice is a no-op, dry runs write nothing, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from graph_loader import ExitCode
from graph_store import GraphStore, PartialDate
from tests.graph_loader._support import BASE, arun_cli, dump, run_cli

BATCH = re.compile(r"batch (\d{8}T\d{6}Z-[0-9a-f]{6})")


def _counts(out: str) -> dict[str, list[int]]:
    """The summary table's rows: label -> [created, updated, deleted, unchanged]."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line) if c.strip()]
        if len(cells) == 5 and cells[0] in ("nodes", "relationships"):
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


async def test_loading_the_same_input_twice_creates_and_updates_nothing(
    store: GraphStore, graph_uri: str
) -> None:
    first = await arun_cli([str(BASE)], graph_uri)
    after_first = await dump(store)
    second = await arun_cli([str(BASE)], graph_uri)

    assert first.code == ExitCode.OK, first.err
    assert _counts(first.out) == {"nodes": [7, 0, 0, 0], "relationships": [2, 0, 0, 0]}
    assert second.code == ExitCode.OK, second.err
    assert _counts(second.out) == {"nodes": [0, 0, 0, 7], "relationships": [0, 0, 0, 2]}
    assert await dump(store) == after_first


async def test_dry_run_plans_the_changes_but_writes_nothing(
    store: GraphStore, graph_uri: str
) -> None:
    before = await dump(store)

    run = await arun_cli([str(BASE), "--dry-run"], graph_uri)

    assert run.code == ExitCode.OK, run.err
    assert "Dry run: nothing was written" in run.out
    assert "+ node cluster/oreec" in run.out
    assert _counts(run.out)["relationships"] == [2, 0, 0, 0]
    assert await dump(store) == before


async def test_changed_fields_are_listed_in_the_plan(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await arun_cli([str(BASE)], graph_uri)
    renamed = tmp_path / "rename.yaml"
    renamed.write_text(
        "nodes:\n  - id: person/bo-lund\n    kind: Person\n    name: Bo Lundqvist\n"
        "    country: Sweden\n",
        encoding="utf-8",
    )

    run = await arun_cli([str(renamed), "--dry-run"], graph_uri)

    assert run.code == ExitCode.OK, run.err
    assert "~ node person/bo-lund: country, name" in run.out
    assert _counts(run.out)["nodes"] == [0, 1, 0, 0]


async def test_every_record_carries_the_runs_batch_origin_and_load_time(
    store: GraphStore, graph_uri: str
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    run = await arun_cli([str(BASE)], graph_uri)
    batch = BATCH.search(run.out)
    assert batch is not None, run.out

    nodes = await store.get_nodes(["cluster/oreec", "person/ann-berg"])
    edges = await store.get_edges(["works_for~person/ann-berg~cluster/oreec"])

    oreec, ann = nodes["cluster/oreec"], nodes["person/ann-berg"]
    works = edges["works_for~person/ann-berg~cluster/oreec"]
    for record, line in ((oreec, 8), (ann, 23), (works, 41)):
        prov = record.provenance
        assert prov is not None
        assert prov.batch_id == batch.group(1)
        assert prov.origin.endswith(f"base/base.yaml:{line}")
        assert not Path(prov.origin).is_absolute()
        loaded = datetime.fromisoformat(prov.loaded_at.replace("Z", "+00:00"))
        assert started <= loaded <= datetime.now(UTC)


async def test_yaml_years_and_dates_are_stored_as_partial_date_text(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    data = tmp_path / "dates.yaml"
    data.write_text(
        "nodes:\n"
        "  - {id: cluster/dated, kind: Cluster, name: Dated, founded: 2011}\n"
        "  - {id: event/dated, kind: Event, name: Dated Event, date: 2011-10-26}\n"
        "relationships:\n"
        "  - {type: HOSTED, from: cluster/dated, to: event/dated, since: 2011-10-26,\n"
        "     until: 2012, source: doc.txt, evidence: hosted}\n",
        encoding="utf-8",
    )

    run = await arun_cli([str(data)], graph_uri)

    assert run.code == ExitCode.OK, run.err
    nodes = await store.get_nodes(["cluster/dated", "event/dated"])
    assert nodes["cluster/dated"].props["founded"] == "2011"
    assert nodes["event/dated"].props["date"] == "2011-10-26"
    edge = (await store.get_edges(["hosted~cluster/dated~event/dated"]))[
        "hosted~cluster/dated~event/dated"
    ]
    assert edge.since == PartialDate.parse("2011-10-26")
    assert edge.until == PartialDate.parse("2012")


async def test_json_and_json_lines_files_load_like_yaml(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.json").write_text(
        json.dumps({"nodes": [{"id": "person/eva", "kind": "Person", "name": "Eva"}]}),
        encoding="utf-8",
    )
    rel = {
        "record": "relationship",
        "type": "KNOWS",
        "from": "person/eva",
        "to": "person/ivo",
        "source": "doc.txt",
        "evidence": "Eva knows Ivo",
    }
    node = {"record": "node", "id": "person/ivo", "kind": "Person", "name": "Ivo"}
    (folder / "b.jsonl").write_text(f"{json.dumps(rel)}\n\n{json.dumps(node)}\n", "utf-8")
    (folder / "sources").mkdir()
    (folder / "sources" / "ignored.json").write_text("not records", encoding="utf-8")

    run = await arun_cli([str(folder)], graph_uri)

    assert run.code == ExitCode.OK, run.err
    assert _counts(run.out) == {"nodes": [2, 0, 0, 0], "relationships": [1, 0, 0, 0]}
    assert "knows~person/eva~person/ivo" in await store.get_edges(["knows~person/eva~person/ivo"])


def test_an_unreachable_store_exits_4_with_one_line() -> None:
    run = run_cli([str(BASE)], "bolt://127.0.0.1:9")

    assert run.code == ExitCode.STORE_UNAVAILABLE
    assert len(run.err.strip().splitlines()) == 1
    assert "store unavailable" in run.err
    assert "Traceback" not in run.err


def test_an_unsupported_store_uri_is_a_usage_error() -> None:
    run = run_cli([str(BASE)], "mysql://localhost/icn")

    assert run.code == ExitCode.INVALID
    assert "mysql" in run.err


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli([str(tmp_path / "nowhere.yaml")], str(tmp_path / "icn.sqlite3"))

    assert run.code == ExitCode.INVALID
    assert "no such file or directory" in run.err


def test_no_path_at_all_prints_usage_and_exits_2() -> None:
    run = run_cli([], None)

    assert run.code == ExitCode.INVALID
    assert "usage: icn-load" in run.err


def test_help_exits_0_and_names_the_options() -> None:
    run = run_cli(["--help"], None)

    assert run.code == ExitCode.OK
    for option in ("--dry-run", "--check-evidence", "--sources", "--graph-uri", "--traceback"):
        assert option in run.out


def test_the_console_script_loads_in_a_subprocess(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("icn-load")
    if not script.exists():
        pytest.skip("icn-load is not installed in this environment (pip install -e .)")
    uri = f"sqlite:///{tmp_path / 'icn.sqlite3'}"

    done = subprocess.run(
        [str(script), str(BASE), "--graph-uri", uri],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    again = subprocess.run(
        [str(script), str(BASE), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"GRAPH_URI": uri, "PATH": ""},
    )

    assert done.returncode == ExitCode.OK, done.stderr
    assert _counts(done.stdout)["nodes"] == [7, 0, 0, 0]
    assert again.returncode == ExitCode.OK, again.stderr
    assert _counts(again.stdout)["nodes"] == [0, 0, 0, 7]
