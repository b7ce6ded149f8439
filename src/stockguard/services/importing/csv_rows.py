"""Read a CSV text stream into typed rows, collecting every problem instead of stopping.

The header must name each required column once and nothing else (a misspelt column is
an error, not a silently ignored one). Line numbers are physical lines of the file, the
header being line 1, so a merchant can find the cell in a text editor or a spreadsheet.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from stockguard.services.importing.columns import Column, InvalidCell
from stockguard.services.importing.problems import (
    ImportProblem,
    ImportRejected,
    ProgressCallback,
)

PROGRESS_STEP = 500
"""Rows read between two progress reports."""

OTHER_SEPARATORS = {";": "semicolons (;)", "\t": "tabs"}
"""Separators spreadsheet programs often save with, and how a message names them."""


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: the values that could be read, and the raw text of every cell."""

    line: int
    values: dict[str, Any]
    cells: dict[str, str]

    def has(self, *names: str) -> bool:
        """True when every named cell was read and is not empty."""
        return all(self.values.get(name) is not None for name in names)


@dataclass(slots=True)
class ParsedFile:
    """A file read against its columns: rows, problems so far, and its content hash."""

    file: str
    sha256: str
    rows: list[Row] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def problem(self, row: Row, column: str | None, reason: str) -> None:
        """Record a problem about ``column`` of ``row`` (the cell's text is quoted)."""
        value = row.cells.get(column) if column is not None else None
        self.problems.append(ImportProblem(self.file, row.line, column, value or None, reason))


def read_file(
    stream: TextIO,
    file_name: str,
    columns: Sequence[Column],
    progress: ProgressCallback | None = None,
) -> ParsedFile:
    """Read every row of ``stream``; header problems reject the file straight away."""
    content = _read_text(stream, file_name)
    parsed = ParsedFile(file_name, hashlib.sha256(content.encode("utf-8")).hexdigest())
    records = _records(content, file_name)
    header = _header(next(records, None), file_name, columns)
    known = {column.name: column for column in columns}
    pending = 0
    for line, cells in records:
        _read_row(parsed, line, cells, header, known)
        pending += 1
        if progress is not None and pending == PROGRESS_STEP:
            progress(pending)
            pending = 0
    if progress is not None and pending:
        progress(pending)
    return parsed


def _read_text(stream: TextIO, file_name: str) -> str:
    try:
        content = stream.read()
    except UnicodeDecodeError as error:
        reason = "The file is not UTF-8 text; save it as 'CSV UTF-8' and import it again."
        problem = ImportProblem(file_name, None, None, None, reason)
        raise ImportRejected(file_name, [problem]) from error
    content = content.removeprefix("\ufeff")
    if not content.strip():
        reason = "The file is empty; it needs a header line naming the columns, then one row each."
        raise ImportRejected(file_name, [ImportProblem(file_name, None, None, None, reason)])
    return content


def _records(content: str, file_name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, cells) for each CSV record, skipping blank lines."""
    reader = csv.reader(io.StringIO(content, newline=""))
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportRejected(
            file_name,
            [
                ImportProblem(
                    file_name,
                    start,
                    None,
                    None,
                    f"This line cannot be read as CSV ({error}); check its quotes.",
                )
            ],
        ) from error


def _header(
    record: tuple[int, list[str]] | None, file_name: str, columns: Sequence[Column]
) -> list[str]:
    names = [name.strip().lower() for name in record[1]] if record is not None else []
    wrong_separator = separator_problem(file_name, names)
    if wrong_separator is not None:
        raise ImportRejected(file_name, [wrong_separator])
    expected = describe_columns(columns)
    problems = [
        ImportProblem(file_name, 1, None, None, f"The column {name!r} appears twice.")
        for index, name in enumerate(names)
        if name in names[:index]
    ]
    known = {column.name for column in columns}
    problems += [
        ImportProblem(file_name, 1, name, None, f"Unknown column; {expected}")
        for name in dict.fromkeys(names)
        if name not in known
    ]
    problems += [
        ImportProblem(
            file_name, 1, None, None, f"The required column {column.name!r} is missing; {expected}"
        )
        for column in columns
        if column.required and column.name not in names
    ]
    if problems:
        raise ImportRejected(file_name, problems)
    return names


def separator_problem(file_name: str, names: Sequence[str]) -> ImportProblem | None:
    """The problem of a header read as one column that holds semicolons or tabs, else None.

    Such a file was saved with another separator than the comma; naming that is clearer
    than reporting one unknown column and every required column as missing.
    """
    if len(names) != 1:
        return None
    for separator, described in OTHER_SEPARATORS.items():
        if separator in names[0]:
            reason = (
                f"The columns are separated by {described}, not commas; save the file as "
                "'CSV UTF-8 (comma delimited)' and try again."
            )
            return ImportProblem(file_name, 1, None, None, reason)
    return None


def describe_columns(columns: Sequence[Column]) -> str:
    """'expected columns are a, b (required) and c (optional).' for problem messages."""
    required = ", ".join(column.name for column in columns if column.required)
    optional = ", ".join(column.name for column in columns if not column.required)
    described = f"expected columns are {required} (required)"
    return f"{described} and {optional} (optional)." if optional else f"{described}."


def _read_row(
    parsed: ParsedFile, line: int, cells: list[str], header: list[str], known: dict[str, Column]
) -> None:
    texts = dict(zip(header, (cell.strip() for cell in cells), strict=False))
    row = Row(line, {}, texts)
    parsed.rows.append(row)
    if len(cells) != len(header):
        parsed.problem(
            row,
            None,
            f"This line has {len(cells)} values but the header names {len(header)} columns; "
            "look for a missing comma, or a comma inside a value that is not in quotes.",
        )
        return
    for name, column in known.items():
        cell = texts.get(name, "")
        if not cell:
            if column.required:
                parsed.problem(row, name, "This column must not be empty.")
            row.values[name] = column.default
            continue
        try:
            row.values[name] = column.parse(cell)
        except InvalidCell as error:
            parsed.problem(row, name, str(error))
