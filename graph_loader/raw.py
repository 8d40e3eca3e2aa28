"""Records as read from one file, before validation: the raw data and where each piece is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_store import NodeKind, Problem

__all__ = ["NO_RECORD", "NameRef", "ParsedFile", "Pos", "RecordSet", "sort_problems"]

NO_RECORD = "-"
"""The record id printed for problems that belong to a file rather than to one record."""


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in a file: 1-based line and, for CSV, 1-based column."""

    line: int
    column: int | None = None


@dataclass(slots=True)
class RecordSet:
    """The raw records of one kind (nodes or relationships) of one file, each with its line.

    Parallel lists rather than one object per record: a synthetic file holds a million of
    them, and the loader's per-record cost is what bounds its speed.
    """

    data: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    fields: dict[int, dict[str, Pos]] = field(default_factory=dict)
    """Per record index, where each field is, when the format says (YAML keys, CSV columns)."""
    failed: set[int] = field(default_factory=set)
    """Records already reported as wrong (e.g. an unresolved name), left out of later checks."""

    def add(self, data: dict[str, Any], line: int, fields: dict[str, Pos] | None = None) -> int:
        """Append a record and return its index."""
        self.data.append(data)
        self.lines.append(line)
        index = len(self.data) - 1
        if fields:
            self.fields[index] = fields
        return index

    def pos(self, index: int, field_name: str | None = None) -> Pos:
        """Where record `index` (or, if known, its field `field_name`) is."""
        if field_name is not None:
            found = self.fields.get(index, {}).get(field_name)
            if found is not None:
                return found
        return Pos(self.lines[index])

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class NameRef:
    """A relationship endpoint given by name or alias (MoU CSV), to be resolved to an id."""

    index: int
    field: str
    text: str
    kinds: frozenset[NodeKind]
    label: str
    """The input field to name in a problem (the CSV column, e.g. `parties`)."""


@dataclass(slots=True)
class ParsedFile:
    """Everything read from one input file: records, name references and problems."""

    display: str
    """The path as shown in messages and stored in provenance (relative, machine-neutral)."""
    root: Path
    """The dataset directory this file belongs to; its `sources/` holds the cited documents."""
    order: int = 0
    nodes: RecordSet = field(default_factory=RecordSet)
    relationships: RecordSet = field(default_factory=RecordSet)
    name_refs: list[NameRef] = field(default_factory=list)
    problems: list[tuple[Pos, Problem]] = field(default_factory=list)
    partial: bool = False
    """True when node records name only some fields (MoU CSV): the rest are kept from the
    stored node of the same id instead of being erased."""
    readable: bool = True
    """False when the file could not be read as a whole (encoding, syntax): its records are
    incomplete, so checks that need the whole input (endpoints, names) are skipped."""

    def where(self, pos: Pos) -> str:
        """`FILE:LINE[:COL]` of a place in this file."""
        col = f":{pos.column}" if pos.column is not None else ""
        return f"{self.display}:{pos.line}{col}"

    def problem(self, pos: Pos, record: str, field_name: str, message: str) -> None:
        """Record one problem at `pos`."""
        self.problems.append((pos, Problem(record, field_name, message, self.where(pos))))

    def unreadable(self, pos: Pos, field_name: str, message: str) -> None:
        """Record that the file as a whole cannot be read, and why."""
        self.readable = False
        self.problem(pos, NO_RECORD, field_name, message)


def sort_problems(files: list[ParsedFile]) -> list[Problem]:
    """Every problem of every file, in file order, then by line and column."""
    keyed = [
        (pf.order, pos.line, pos.column or 0, i, problem)
        for pf in files
        for i, (pos, problem) in enumerate(pf.problems)
    ]
    keyed.sort(key=lambda k: k[:4])
    return [k[4] for k in keyed]
