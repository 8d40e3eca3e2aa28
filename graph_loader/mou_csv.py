"""The secretariat's MoU template: one CSV row -> an Agreement, SIGNED by each party, SIGNED_AT.

Columns (any order, header names case-insensitive; docs/loader.md documents them):
title, kind, date, parties, signed_at, purpose, source, evidence, certainty, note, id.
Parties and the event may be named by id or by name/alias; `resolve.py` turns names into ids.
A row names only some of an Agreement's fields: the others (aliases, description, status) are
kept from the stored agreement, so re-loading a row never erases what a dataset file added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_loader.models import parse_partial_date
from graph_loader.parse_csv import CsvError, CsvRow, read_csv
from graph_loader.raw import NO_RECORD, NameRef, ParsedFile, Pos
from graph_store import RELATIONSHIP_TYPES, GraphStore, NodeKind, kind_of_id, normalise_text

__all__ = [
    "AGREEMENT_KINDS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SIGNED_ROLE",
    "agreement_id",
    "keep_stored_fields",
    "parse_mou_csv",
]

REQUIRED_COLUMNS = ("title", "kind", "parties", "source", "evidence")
OPTIONAL_COLUMNS = ("date", "signed_at", "purpose", "certainty", "note", "id")
AGREEMENT_KINDS = ("mou", "contract", "letter of support", "cooperation agreement")
"""Allowed values of the `kind` column, stored as the Agreement's `category`."""
SIGNED_ROLE = "signatory"
"""The `role` of every SIGNED relationship a row makes."""

_PARTY_KINDS = RELATIONSHIP_TYPES["SIGNED"].sources
_EVENT_KINDS = frozenset({NodeKind.EVENT})
_MAX_SLUG = 80
_UNFOLDED = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d",
     "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe"}
)  # fmt: skip
"""Letters that accent folding leaves alone but that have a plain spelling (København)."""


def agreement_id(title: str) -> str:
    """The default id of an agreement: `agreement/` + the slug of its title."""
    words = normalise_text(title.translate(_UNFOLDED)).split()
    slug = ""
    for word in words:  # cut at a word boundary, so ids stay readable
        if slug and len(slug) + 1 + len(word) > _MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word[:_MAX_SLUG]
    return f"agreement/{slug}"


def parse_mou_csv(text: str, out: ParsedFile) -> None:
    """Fill `out` with the Agreement node and relationships of every row of a MoU CSV."""
    try:
        table = read_csv(text)
    except CsvError as exc:
        out.unreadable(Pos(exc.line, exc.column), "syntax", exc.message)
        return
    out.partial = True
    columns = table.columns
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    for name in unknown:
        out.problem(
            Pos(1, columns[name]),
            NO_RECORD,
            name,
            "is not a column of the MoU template "
            f"(columns: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})",
        )
    if missing:
        out.unreadable(Pos(1), "header", f"misses the column(s) {', '.join(missing)}")
        return
    if not table.rows:
        out.unreadable(Pos(1), "file", "has a header but no rows")
        return
    for row in table.rows:
        _read_row(row, columns, out)


def _read_row(row: CsvRow, columns: dict[str, int], out: ParsedFile) -> None:
    cells = row.cells
    get = cells.get

    def at(column: str) -> Pos:
        return Pos(row.line, columns.get(column))

    title = cells["title"]
    node_id = get("id") or (agreement_id(title) if title else "")
    record = node_id or NO_RECORD
    kind = " ".join(cells["kind"].lower().split())
    if kind not in AGREEMENT_KINDS:
        message = f"{cells['kind']!r} is not one of" if kind else "is required: one of"
        out.problem(at("kind"), record, "kind", f"{message} {', '.join(AGREEMENT_KINDS)}")
    node: dict[str, Any] = {"id": node_id, "kind": NodeKind.AGREEMENT.value, "name": title}
    node_fields = {"id": at("id" if get("id") else "title"), "name": at("title")}
    for prop, column, value in (
        ("category", "kind", kind),
        ("date", "date", get("date")),
        ("purpose", "purpose", get("purpose")),
    ):
        if value:
            node[prop] = value
            node_fields[prop] = at(column)
    if cells["source"]:
        node["sources"] = [cells["source"]]
        node_fields["sources"] = at("source")
    out.nodes.add(node, row.line, node_fields)

    shared: dict[str, Any] = {"source": cells["source"], "evidence": cells["evidence"]}
    shared_fields = {"source": at("source"), "evidence": at("evidence"), "to": at("title")}
    for column in ("certainty", "note"):
        if get(column):
            shared[column] = cells[column]
            shared_fields[column] = at(column)
    if get("date") and _is_date(cells["date"]):
        # The agreement binds its parties from the day signed. A bad date is reported once,
        # on the agreement, not again on every SIGNED relationship.
        shared["since"] = cells["date"]
        shared_fields["since"] = at("date")

    parties = [p.strip() for p in cells["parties"].split(";") if p.strip()]
    if not parties:
        out.problem(at("parties"), record, "parties", "is required (ids or names, separated by ;)")
    for party in parties:
        rel = {"type": "SIGNED", "from": party, "to": node_id, "role": SIGNED_ROLE, **shared}
        index = out.relationships.add(rel, row.line, {**shared_fields, "from": at("parties")})
        if kind_of_id(party) is None:
            out.name_refs.append(NameRef(index, "from", party, _PARTY_KINDS, "parties"))

    event = get("signed_at")
    if event:
        rel = {"type": "SIGNED_AT", "from": node_id, "to": event, **shared}
        fields = {**shared_fields, "from": at("title"), "to": at("signed_at")}
        index = out.relationships.add(rel, row.line, fields)
        if kind_of_id(event) is None:
            out.name_refs.append(NameRef(index, "to", event, _EVENT_KINDS, "signed_at"))


def _is_date(text: str) -> bool:
    try:
        parse_partial_date(text)
    except ValueError:
        return False
    return True


async def keep_stored_fields(files: Sequence[ParsedFile], store: GraphStore) -> None:
    """Fill the fields a row leaves out from the stored node of the same id (one store call)."""
    partial = [pf for pf in files if pf.partial]
    ids = {d["id"] for pf in partial for d in pf.nodes.data if isinstance(d.get("id"), str)}
    stored = await store.get_nodes(sorted(ids)) if ids else {}
    for pf in partial:
        for data in pf.nodes.data:
            old = stored.get(data.get("id"))  # type: ignore[arg-type]
            if old is None or old.kind is not NodeKind.AGREEMENT:
                continue
            if old.aliases:
                data.setdefault("aliases", list(old.aliases))
            sources = data.get("sources", [])
            data["sources"] = list(dict.fromkeys([*old.sources, *sources]))
            for key, value in old.props.items():
                data.setdefault(key, list(value) if isinstance(value, tuple) else value)
