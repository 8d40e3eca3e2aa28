"""Which files `icn-load PATH...` names, and how each is read: strict UTF-8, parser by suffix."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from graph_loader.mou_csv import parse_mou_csv
from graph_loader.parse_json import parse_json, parse_jsonl
from graph_loader.parse_yaml import parse_yaml
from graph_loader.raw import ParsedFile, Pos
from graph_store import BadUserInput

__all__ = ["SOURCES_DIR", "SUFFIXES", "InputFile", "discover", "read_input"]

SOURCES_DIR = "sources"
"""The dataset subdirectory holding the cited documents; never read as records."""

_PARSERS: dict[str, Callable[[str, ParsedFile], None]] = {
    ".yaml": parse_yaml,
    ".yml": parse_yaml,
    ".json": parse_json,
    ".jsonl": parse_jsonl,
    ".csv": parse_mou_csv,
}
SUFFIXES = frozenset(_PARSERS)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how to name it, and the dataset it belongs to."""

    path: Path
    display: str
    root: Path


def discover(paths: Iterable[Path], cwd: Path | None = None) -> list[InputFile]:
    """The record files that `paths` name, in order: a directory gives all of its files sorted.

    Raises BadUserInput for a missing path, an unsupported file or a directory without records.
    """
    base = (cwd or Path.cwd()).resolve()
    found: list[InputFile] = []
    seen: set[Path] = set()
    for given in paths:
        path = given.resolve()
        if path.is_dir():
            files = sorted(
                (f for f in path.rglob("*") if _is_record_file(f, path)),
                key=lambda f: f.relative_to(path).parts,
            )
            if not files:
                raise BadUserInput(f"{given}: holds no {'/'.join(sorted(SUFFIXES))} files to load")
            root = path
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise BadUserInput(
                    f"{given}: cannot load a {path.suffix or 'suffix-less'} file "
                    f"(expected {', '.join(sorted(SUFFIXES))})"
                )
            files, root = [path], path.parent
        else:
            raise BadUserInput(f"{given}: no such file or directory")
        for file in files:
            if file not in seen:
                seen.add(file)
                found.append(InputFile(file, _display(file, base, root), root))
    return found


def _is_record_file(file: Path, top: Path) -> bool:
    relative = file.relative_to(top).parts
    # sources/ holds documents, and hidden folders hold editor or VCS state, not records.
    hidden = any(part.startswith(".") for part in relative)
    return (
        file.suffix.lower() in SUFFIXES
        and file.is_file()
        and not hidden
        and SOURCES_DIR not in relative[:-1]
    )


def _display(file: Path, cwd: Path, root: Path) -> str:
    """A relative path for messages and provenance: to the working directory when inside it."""
    for base in (cwd, root.parent):
        if file.is_relative_to(base):
            return file.relative_to(base).as_posix()
    return file.name


def read_input(inp: InputFile, order: int = 0) -> ParsedFile:
    """Read and parse one file; every problem is recorded in the result, nothing is raised."""
    parsed = ParsedFile(display=inp.display, root=inp.root, order=order)
    try:
        raw = inp.path.read_bytes()
    except OSError as exc:
        parsed.unreadable(Pos(1), "file", f"cannot be read: {exc.strerror or exc}")
        return parsed
    text = _decode(raw, parsed)
    if text is None:
        return parsed
    if not text or text.isspace():
        parsed.unreadable(Pos(1), "file", "is empty: it holds no records")
        return parsed
    _PARSERS[inp.path.suffix.lower()](text, parsed)
    return parsed


def _decode(raw: bytes, parsed: ParsedFile) -> str | None:
    """The file's text as strict UTF-8 (a leading BOM is dropped), or None after a problem."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        parsed.unreadable(
            Pos(line, column),
            "encoding",
            f"is not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return None
