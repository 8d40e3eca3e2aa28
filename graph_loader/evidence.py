"""`--check-evidence`: every relationship's evidence must be quoted from its cited document."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from graph_loader.raw import ParsedFile
from graph_store import Edge

__all__ = ["check_evidence", "collapse"]


def collapse(text: str) -> str:
    """Text with runs of whitespace (line breaks included) made one space, in NFC form.

    Quotes are copied out of documents whose line breaks and spacing the quote need not keep.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_evidence(
    edges: Sequence[Edge], where: Sequence[tuple[ParsedFile, int]], sources: Path | None
) -> int:
    """Record a problem for each edge whose evidence is not in its source; return how many.

    The document is `sources/<edge.source>` beside the edge's dataset (or in `sources`).
    """
    documents: dict[Path, str | None] = {}
    failures = 0
    for edge, (pf, i) in zip(edges, where, strict=True):
        folder = sources if sources is not None else pf.root / "sources"
        pos = pf.relationships.pos(i, "source")
        if Path(edge.source).name != edge.source:
            pf.problem(pos, edge.id, "source", f"{edge.source!r} must be a plain file name")
            failures += 1
            continue
        path = folder / edge.source
        if path not in documents:
            documents[path] = _read(path)
        text = documents[path]
        if text is None:
            pf.problem(
                pos, edge.id, "source", f"document {edge.source!r} is not in {_shown(folder)}"
            )
            failures += 1
        elif collapse(edge.evidence) not in text:
            pf.problem(
                pf.relationships.pos(i, "evidence"),
                edge.id,
                "evidence",
                f"{_short(edge.evidence)!r} does not occur in {edge.source}",
            )
            failures += 1
    return failures


def _read(path: Path) -> str | None:
    try:
        return collapse(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _shown(folder: Path) -> str:
    """The folder relative to the working directory when inside it (shorter, machine-neutral)."""
    try:
        return folder.resolve().relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return f"{folder}/"


def _short(text: str, limit: int = 80) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
