"""The MoU template: one row -> an Agreement SIGNED by each party, parties named by name or id."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import ExitCode, load_dataset
from graph_store import GraphStore, NodeKind, PartialDate
from tests.graph_loader._support import (
    BASE,
    DATASET,
    TEMPLATE,
    arun_cli,
    dataset_ready,
    dump,
)

HEADER = "title,kind,date,parties,signed_at,purpose,source,evidence,certainty,note,id\n"


def _csv(tmp_path: Path, *rows: str, name: str = "mou.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


async def test_parties_and_event_named_by_name_resolve_to_their_ids(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await load_dataset(store, BASE)
    csv = _csv(
        tmp_path,
        "Oslo-Copenhagen MoU,MoU,2012-03,oreec; COPENHAGEN cleantech cluster,First ICN meeting,"
        "joint projects,doc.txt,representatives from clusters,,,",
    )

    run = await arun_cli([str(csv)], graph_uri)

    assert run.code == ExitCode.OK, run.err
    agreement = (await store.get_nodes(["agreement/oslo-copenhagen-mou"]))[
        "agreement/oslo-copenhagen-mou"
    ]
    assert agreement.kind is NodeKind.AGREEMENT
    assert agreement.props == {"category": "mou", "date": "2012-03", "purpose": "joint projects"}
    assert agreement.sources == ("doc.txt",)
    ids = [
        "signed~cluster/oreec~agreement/oslo-copenhagen-mou",
        "signed~cluster/copenhagen-cleantech-cluster~agreement/oslo-copenhagen-mou",
        "signed_at~agreement/oslo-copenhagen-mou~event/icn-meeting-1",
    ]
    edges = await store.get_edges(ids)
    assert set(edges) == set(ids)
    signed = edges[ids[0]]
    assert signed.since == PartialDate.parse("2012-03")
    assert signed.props == {"role": "signatory"}
    assert signed.certainty.value == "stated"


async def test_a_party_defined_in_the_same_input_resolves_without_the_store(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    (tmp_path / "a-parties.yaml").write_text(
        "nodes:\n  - id: cluster/green-valley\n    kind: Cluster\n    name: Green Valley\n"
        "    aliases: [Grüne Tal Cluster]\n"
        "  - id: cluster/blue-coast\n    kind: Cluster\n    name: Blue Coast\n",
        encoding="utf-8",
    )
    _csv(
        tmp_path,
        "Valley-Coast MoU,letter of support,,Grune tal cluster; cluster/blue-coast,,,doc.txt,"
        "a quote,uncertain,the letter is mentioned but not shown,agreement/valley-coast",
        name="b-mou.csv",
    )

    run = await arun_cli([str(tmp_path)], graph_uri)

    assert run.code == ExitCode.OK, run.err
    edges = await store.get_edges(
        [
            "signed~cluster/green-valley~agreement/valley-coast",
            "signed~cluster/blue-coast~agreement/valley-coast",
        ]
    )
    assert len(edges) == 2
    assert {e.note for e in edges.values()} == {"the letter is mentioned but not shown"}


async def test_an_ambiguous_party_lists_every_candidate_and_writes_nothing(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await load_dataset(store, BASE)
    before = await dump(store)
    csv = _csv(tmp_path, "CCC MoU,mou,2012,CCC; OREEC,,,doc.txt,a quote,,,")

    run = await arun_cli([str(csv)], graph_uri)

    assert run.code == ExitCode.INVALID
    [problem] = [line for line in run.err.splitlines() if ": parties: " in line]
    assert problem.startswith(f"{csv.name}:2:4: ") or f"/{csv.name}:2:4: " in problem
    assert "cluster/copenhagen-cleantech-cluster (Copenhagen Cleantech Cluster)" in problem
    assert "organisation/ccc-consulting (CCC Consulting)" in problem
    assert await dump(store) == before


async def test_reloading_a_row_keeps_the_fields_the_template_has_no_column_for(
    store: GraphStore, graph_uri: str, tmp_path: Path
) -> None:
    await load_dataset(store, BASE)
    row = "Oslo MoU,mou,2012,OREEC; CCC Consulting,,,doc.txt,a quote,,,agreement/oslo-mou"
    await arun_cli([str(_csv(tmp_path, row))], graph_uri)
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "nodes:\n  - id: agreement/oslo-mou\n    kind: Agreement\n    name: Oslo MoU\n"
        "    aliases: [The Oslo memorandum]\n    sources: [doc.txt]\n    category: mou\n"
        "    date: '2012'\n    description: curated by hand\n",
        encoding="utf-8",
    )
    await arun_cli([str(extra)], graph_uri)

    run = await arun_cli([str(_csv(tmp_path, row))], graph_uri)

    assert run.code == ExitCode.OK, run.err
    assert "0 created, 0 updated" in run.out
    node = (await store.get_nodes(["agreement/oslo-mou"]))["agreement/oslo-mou"]
    assert node.aliases == ("The Oslo memorandum",)
    assert node.props["description"] == "curated by hand"


@pytest.mark.skipif(not dataset_ready(), reason="data/icn has no dataset files yet")
async def test_the_template_sample_validates_against_the_dataset(
    store: GraphStore, graph_uri: str
) -> None:
    await load_dataset(store, DATASET)

    run = await arun_cli(
        [str(TEMPLATE), "--dry-run", "--check-evidence", "--sources", str(DATASET / "sources")],
        graph_uri,
    )

    assert run.code == ExitCode.OK, run.err
    assert "Dry run" in run.out
