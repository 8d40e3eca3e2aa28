"""Read a YAML dataset file into raw records, keeping the line of every record and field."""

from __future__ import annotations

from typing import Any

import yaml

from graph_loader.raw import NO_RECORD, ParsedFile, Pos, RecordSet

__all__ = ["SECTIONS", "parse_yaml"]

SECTIONS = ("nodes", "relationships")
"""The top-level keys of a dataset file (YAML or JSON)."""

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that keeps dates as the text written, so that `2011-02-30` is reported
    by the model's date check (with the record's place) instead of failing the whole file."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),
)


def parse_yaml(text: str, out: ParsedFile) -> None:
    """Fill `out` with the records of a YAML file (composed first, so marks give lines)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            out.unreadable(Pos(1), "file", "holds no YAML document")
            return
        _read_root(loader, root, out)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        out.unreadable(pos, "syntax", f"YAML error: {what}")
    except yaml.YAMLError as exc:
        out.unreadable(Pos(1), "syntax", f"YAML error: {exc}")
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _read_root(loader: Any, root: yaml.Node, out: ParsedFile) -> None:
    if not isinstance(root, yaml.MappingNode):
        out.unreadable(
            Pos(_line(root)), "file", "must be a mapping with 'nodes:' and/or 'relationships:'"
        )
        return
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in SECTIONS:
            out.problem(
                Pos(_line(key_node)),
                NO_RECORD,
                str(key),
                "is not a section of a dataset file (use 'nodes' and 'relationships')",
            )
            continue
        target = out.nodes if key == "nodes" else out.relationships
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            continue  # `nodes:` with nothing under it: an empty section
        if not isinstance(value_node, yaml.SequenceNode):
            out.problem(Pos(_line(value_node)), NO_RECORD, key, "must be a list of records")
            continue
        for item in value_node.value:
            _read_record(loader, item, target, out)


def _read_record(loader: Any, item: yaml.Node, target: RecordSet, out: ParsedFile) -> None:
    line = _line(item)
    if not isinstance(item, yaml.MappingNode):
        out.problem(Pos(line), NO_RECORD, "record", "must be a mapping of field: value")
        return
    fields: dict[str, Pos] = {}
    twice: list[tuple[str, Pos]] = []
    for key_node, _ in item.value:
        name = str(key_node.value)
        if name in fields:
            twice.append((name, Pos(_line(key_node))))
        fields.setdefault(name, Pos(_line(key_node)))
    try:
        data = loader.construct_object(item, deep=True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        out.problem(
            Pos(mark.line + 1) if mark else Pos(line), NO_RECORD, "record", f"{exc.problem}"
        )
        return
    record = data.get("id") if isinstance(data.get("id"), str) else NO_RECORD
    for name, pos in twice:
        message = f"appears twice in this record (first on line {fields[name].line})"
        out.problem(pos, record, name, message)
    target.add(data, line, fields)
