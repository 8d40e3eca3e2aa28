"""Read a CSV file into rows that remember their line, and the column of every header."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

__all__ = ["CsvError", "CsvRow", "CsvTable", "read_csv"]


class CsvError(ValueError):
    """The CSV text cannot be split into rows; `line`/`column` say where."""

    def __init__(self, line: int, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: the line it starts on and its cells by (normalised) header name."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file: header names (lower-cased, trimmed), their 1-based columns, and the rows."""

    columns: dict[str, int]
    rows: list[CsvRow]


def read_csv(text: str) -> CsvTable:
    """Split `text` into a header and rows; raises CsvError naming the line of a broken row.

    Cells are trimmed; blank rows are skipped; a row must have as many cells as the header,
    which catches a stray comma or an unclosed quote that swallowed the next lines.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] = {}
    rows: list[CsvRow] = []
    line = 1  # the line the next row starts on: quoted cells may span lines
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if not columns:
                columns = _header(cells, start)
                continue
            if len(cells) != len(columns):
                raise CsvError(
                    start,
                    None,
                    f"row has {len(cells)} cells but the header has {len(columns)} "
                    "(a stray comma, or an unclosed quote?)",
                )
            rows.append(CsvRow(start, {name: cells[i - 1].strip() for name, i in columns.items()}))
    except csv.Error as exc:
        raise CsvError(line, None, f"CSV error: {exc} (an unclosed quote?)") from None
    if not columns:
        raise CsvError(1, None, "has no header row")
    return CsvTable(columns, rows)


def _header(cells: list[str], line: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells, 1):
        name = cell.strip().lower()
        if not name:
            raise CsvError(line, i, "header cell is empty")
        if name in columns:
            raise CsvError(line, i, f"header {name!r} appears twice")
        columns[name] = i
    return columns
