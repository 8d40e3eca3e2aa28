"""Read JSON dataset files (`.json`: one object of sections; `.jsonl`: one record per line)."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable

from pydantic_core import from_json

from graph_loader.parse_yaml import SECTIONS
from graph_loader.raw import NO_RECORD, ParsedFile, Pos

__all__ = ["RECORD_FIELD", "parse_json", "parse_jsonl"]

RECORD_FIELD = "record"
"""The JSON Lines field saying what a line holds: "node" or "relationship"."""

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Syntax(Exception):
    """A structural error at a character offset of the text."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def parse_json(text: str, out: ParsedFile) -> None:
    """Fill `out` from a `.json` file: `{"nodes": [...], "relationships": [...]}`.

    Walks the top-level object and decodes each record separately, so that every record
    keeps the line it starts on (the json module reports no positions of values).
    """
    newlines = [m.start() for m in re.finditer("\n", text)]

    def pos(offset: int) -> Pos:
        line = bisect.bisect_left(newlines, offset)
        start = newlines[line - 1] + 1 if line else 0
        return Pos(line + 1, offset - start + 1)

    try:
        _walk(text, out, lambda offset: pos(offset).line)
    except json.JSONDecodeError as exc:
        out.unreadable(Pos(exc.lineno, exc.colno), "syntax", f"JSON error: {exc.msg}")
    except _Syntax as exc:
        out.unreadable(pos(exc.offset), "syntax", f"JSON error: {exc.message}")


def _skip(text: str, at: int) -> int:
    match = _WS.match(text, at)
    return match.end() if match else at


def _expect(text: str, at: int, chars: str, what: str) -> int:
    at = _skip(text, at)
    if at >= len(text) or text[at] not in chars:
        raise _Syntax(at, f"expected {what}")
    return at


def _walk(text: str, out: ParsedFile, line_of: Callable[[int], int]) -> None:
    at = _expect(
        text, 0, "{", "'{' (a JSON dataset file is an object with 'nodes'/'relationships')"
    )
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        at += 1
    else:
        while True:
            key_at = _expect(text, at, '"', "a quoted section name")
            key, at = _DECODER.raw_decode(text, key_at)
            at = _expect(text, at, ":", "':'") + 1
            at = _skip(text, at)
            if key in SECTIONS:
                at = _read_section(text, at, out, key, line_of)
            else:
                out.problem(
                    Pos(line_of(key_at)),
                    NO_RECORD,
                    str(key),
                    "is not a section of a dataset file (use 'nodes' and 'relationships')",
                )
                _, at = _DECODER.raw_decode(text, at)
            at = _expect(text, at, ",}", "',' or '}'")
            if text[at] == "}":
                at += 1
                break
            at += 1
    at = _skip(text, at)
    if at != len(text):
        raise _Syntax(at, "unexpected text after the top-level object")


def _read_section(
    text: str, at: int, out: ParsedFile, key: str, line_of: Callable[[int], int]
) -> int:
    target = out.nodes if key == "nodes" else out.relationships
    at = _expect(text, at, "[", f"a list of records under {key!r}") + 1
    at = _skip(text, at)
    if text.startswith("]", at):
        return at + 1
    while True:
        item_at = _skip(text, at)
        value, at = _DECODER.raw_decode(text, item_at)
        if isinstance(value, dict):
            target.add(value, line_of(item_at))
        else:
            out.problem(Pos(line_of(item_at)), NO_RECORD, "record", "must be a JSON object")
        at = _expect(text, at, ",]", "',' or ']'")
        if text[at] == "]":
            return at + 1
        at += 1


def parse_jsonl(text: str, out: ParsedFile) -> None:
    """Fill `out` from a JSON Lines file: one object per line with `"record"`; blank lines skip."""
    node_data, node_lines = out.nodes.data, out.nodes.lines
    rel_data, rel_lines = out.relationships.data, out.relationships.lines
    # pydantic-core's parser: twice as fast as json.loads, and this loop runs a million times.
    loads = from_json
    # Split on "\n" only: str.splitlines() would also split on U+2028, which JSON allows
    # unescaped inside strings.
    for number, line in enumerate(text.split("\n"), 1):
        try:
            value = loads(line)
        except ValueError:
            if line.strip():
                _jsonl_syntax(line, number, out)
            continue
        if type(value) is not dict:
            out.problem(Pos(number), NO_RECORD, "record", "each line must be a JSON object")
            continue
        kind = value.pop(RECORD_FIELD, None)
        if kind == "relationship":
            rel_data.append(value)
            rel_lines.append(number)
        elif kind == "node":
            node_data.append(value)
            node_lines.append(number)
        else:
            record = value.get("id")
            out.problem(
                Pos(number),
                record if isinstance(record, str) else NO_RECORD,
                RECORD_FIELD,
                "is required and must be 'node' or 'relationship'"
                if kind is None
                else f"{kind!r} is not 'node' or 'relationship'",
            )


def _jsonl_syntax(line: str, number: int, out: ParsedFile) -> None:
    """Report a line that is not JSON, with the column the json module points at."""
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        out.unreadable(Pos(number, exc.colno), "syntax", f"JSON error: {exc.msg}")
    else:  # the two parsers disagree (e.g. on NaN): trust the stricter one, say so plainly
        out.unreadable(Pos(number), "syntax", "JSON error: not valid JSON")
