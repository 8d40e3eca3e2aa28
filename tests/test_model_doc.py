"""docs/model.md must show the model exactly as graph_store.model enforces it."""

from __future__ import annotations

from pathlib import Path

from graph_store import NODE_PROPERTIES, RELATIONSHIP_TYPES, NodeKind

DOC = Path(__file__).resolve().parent.parent / "docs" / "model.md"


def _node_rows() -> list[str]:
    return [
        f"| {kind.value} | `{kind.prefix}/` | {', '.join(sorted(NODE_PROPERTIES[kind]))} |"
        for kind in NodeKind
    ]


def _relationship_rows() -> list[str]:
    rows = []
    for name, spec in RELATIONSHIP_TYPES.items():
        src = ", ".join(k.value for k in NodeKind if k in spec.sources)
        dst = ", ".join(k.value for k in NodeKind if k in spec.targets)
        props = ", ".join(sorted(spec.properties)) or "-"
        rows.append(f"| `{name}` | {spec.description} | {src} | {dst} | {props} |")
    return rows


def test_model_doc_lists_every_node_kind_with_its_properties() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [row for row in _node_rows() if row not in text]
    assert not missing, f"docs/model.md is out of date: {missing}"


def test_model_doc_lists_every_relationship_type_with_its_endpoints() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [row for row in _relationship_rows() if row not in text]
    assert not missing, f"docs/model.md is out of date: {missing}"


def test_issue_required_relationship_types_are_allowed() -> None:
    required = [
        "MEMBER_OF",
        "JOINED",
        "FOUNDED",
        "WORKS_FOR",
        "HOLDS_POSITION",
        "AFFILIATED_WITH",
        "KNOWS",
        "SIGNED",
        "SIGNED_AT",
        "CONCERNS",
        "PARTNER_IN",
        "COLLABORATED_WITH",
        "FUNDED_BY",
        "APPLIED_FOR_FUNDING",
        "UNDER_PROGRAMME",
        "HOSTED",
        "ORGANISED",
        "ATTENDED",
        "HELD_IN_CONNECTION_WITH",
        "PART_OF",
        "VISITED",
        "REQUESTED_PASSPORT",
        "PUBLISHED",
        "MENTIONS",
        "SUCCEEDED_BY",
        "POSSIBLY_SAME_AS",
    ]
    assert set(required) <= set(RELATIONSHIP_TYPES)
