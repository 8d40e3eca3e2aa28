"""Every ```graphql block of docs/api.md runs against the server without errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.api._client import Api

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
_BLOCK = re.compile(
    r"```graphql\n(?P<query>.*?)```(?:\s*```json variables\n(?P<variables>.*?)```)?", re.DOTALL
)


def examples() -> list[tuple[int, str, dict[str, Any] | None]]:
    """(line, query, variables) of each example, in document order."""
    text = DOC.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        variables = json.loads(match["variables"]) if match["variables"] else None
        found.append((text.count("\n", 0, match.start()) + 1, match["query"], variables))
    return found


def test_docs_have_examples_of_every_root_field() -> None:
    text = " ".join(query for _, query, _ in examples())
    for field in (
        "search",
        "node(",
        "paths(",
        "introductions(",
        "neighbourhood(",
        "clusters(",
        "organisations(",
        "people(",
        "agreements(",
        "events(",
        "projects(",
        "stats",
        "upsertNode",
        "upsertRelationship",
        "upsertAgreement",
        "deleteRelationship",
    ):
        assert field in text, f"docs/api.md has no example of {field}"


def test_every_docs_example_runs_without_errors(api: Api) -> None:
    failures = []
    # In document order: the mutation examples build on each other.
    for line, query, variables in examples():
        response = api.post(query, variables, key=api.admin_key)
        body = response.json()
        if response.status_code != 200 or body.get("errors") or not body.get("data"):
            failures.append(f"docs/api.md:{line}: {response.status_code} {body.get('errors')}")
    assert not failures, "\n".join(failures)
