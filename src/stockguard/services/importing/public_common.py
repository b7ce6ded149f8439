"""Shared plumbing of the public-data readers (UCI Online Retail, M5): open, check, convert.

The readers validate a whole file before writing anything, so problems are collected in a
``ProblemLog`` and raised together as one ``ImportRejected``. Conversions that would repeat
for every row (timestamps, prices) are cached, because both files repeat the same few
thousand values hundreds of thousands of times.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, TextIO
from zoneinfo import ZoneInfo

from stockguard.services.importing.problems import (
    ImportProblem,
    ImportRejected,
    ProgressCallback,
)
from stockguard.services.ports import BulkWriter, Entity


class CsvRows(Iterator[list[str]], Protocol):
    """What ``csv.reader`` returns: rows, and the physical line number of the last one read."""

    line_num: int


Columns = dict[str, int] | None
RowHandler = Callable[[tuple[str, ...], int], None]
"""Takes one row's required fields (in the order asked for) and its physical line number."""

StepCallback = Callable[[str], None]
"""Called with a short description of the write step that starts (e.g. "order lines")."""

PROGRESS_EVERY = 10_000
SKIPPED_BLANK = "blank line"
_GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """True when ``path`` starts with the gzip magic bytes (whatever its name says)."""
    with path.open("rb") as raw:
        return raw.read(2) == _GZIP_MAGIC


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """Open a UTF-8 CSV file for ``csv.reader``, decompressing it when it is gzip."""
    if is_gzip(path):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
            yield text
    else:
        with path.open(encoding="utf-8", newline="") as text:
            yield text


def count_data_lines(path: Path) -> int:
    """Physical lines after the header, for a progress bar's total (fast, bytes only)."""
    lines = 0
    last = b"\n"
    with gzip.open(path, "rb") if is_gzip(path) else path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)


class ProblemLog:
    """Every problem found in one file; ``raise_if_any`` rejects the file with all of them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[ImportProblem] = []

    def add(self, line: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.problems.append(ImportProblem(self.file, line, column, value, reason))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportRejected(self.file, self.problems)


def read_header(reader: Iterator[list[str]], required: Sequence[str], log: ProblemLog) -> Columns:
    """Read the header row; returns each required column's index, or None (problem logged)."""
    header = next(reader, None)
    if header is None:
        log.add(None, None, None, "The file is empty; it needs a header line naming the columns.")
        return None
    names = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in required if name not in names]
    if missing:
        found = ", ".join(names)
        log.add(1, None, None, f"Missing column(s) {', '.join(missing)}; the header has {found}.")
        return None
    return {name: names.index(name) for name in required}


def read_rows(
    text: TextIO,
    required: Sequence[str],
    take: RowHandler,
    *,
    log: ProblemLog,
    skipped: dict[str, int],
    progress: ProgressCallback | None,
) -> int:
    """Feed every data row's ``required`` fields, in that order, to ``take(fields, line)``.

    Returns the number of data rows read. Blank lines are counted in ``skipped``; short
    rows, bytes that are not UTF-8 and broken quoting are logged as problems. ``line`` is
    the first physical line of the row (the header is line 1).
    """
    rows: CsvRows = csv.reader(text)
    try:
        columns = read_header(rows, required, log)
        if columns is None:
            return 0
        return _read_data(rows, required, columns, take, log, skipped, progress)
    except UnicodeDecodeError as error:
        log.add(
            rows.line_num + 1,
            None,
            None,
            f"The file is not UTF-8 text (unreadable byte at position {error.start} of the "
            "block being read); save it as 'CSV UTF-8' and import it again.",
        )
    except csv.Error as error:
        log.add(rows.line_num, None, None, f"The CSV layout is broken here ({error}).")
    return 0


def _read_data(
    rows: CsvRows,
    required: Sequence[str],
    columns: dict[str, int],
    take: RowHandler,
    log: ProblemLog,
    skipped: dict[str, int],
    progress: ProgressCallback | None,
) -> int:
    pick = itemgetter(*(columns[name] for name in required))
    width = max(columns.values()) + 1
    count = 0
    previous_end = rows.line_num
    for row in rows:
        line = previous_end + 1
        previous_end = rows.line_num
        count += 1
        if len(row) >= width:
            take(pick(row), line)
        elif not any(cell.strip() for cell in row):
            bump(skipped, SKIPPED_BLANK)
        else:
            log.add(line, None, None, f"The row has {len(row)} fields; {width} are needed.")
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress is not None:
        progress(count % PROGRESS_EVERY)
    return count


class LocalTimestamps:
    """``YYYY-MM-DD HH:MM[:SS]`` in a local time zone -> aware UTC datetimes, cached.

    An ambiguous time (the repeated hour when clocks go back) is read as the first one
    (``fold=0``); a time that does not exist (clocks go forward) keeps the offset in force
    before the change. A timestamp that carries its own offset is converted as given.
    """

    def __init__(self, zone: str) -> None:
        self._zone = ZoneInfo(zone)
        self._cache: dict[str, datetime] = {}

    def __call__(self, text: str) -> datetime:
        """The UTC instant of ``text``; raises ValueError when it is not a timestamp."""
        found = self._cache.get(text)
        if found is None:
            parsed = datetime.fromisoformat(text.strip())
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=self._zone)
            found = self._cache[text] = parsed.astimezone(UTC)
        return found


class Prices:
    """Decimal prices, cached by their text; raises ValueError for text that is no number."""

    def __init__(self) -> None:
        self._cache: dict[str, Decimal] = {}

    def __call__(self, text: str) -> Decimal:
        found = self._cache.get(text)
        if found is None:
            try:
                found = Decimal(text.strip())
            except InvalidOperation:
                raise ValueError(text) from None
            if not found.is_finite():
                raise ValueError(text)
            self._cache[text] = found
        return found


def bump(counter: dict[str, int], reason: str, by: int = 1) -> None:
    counter[reason] = counter.get(reason, 0) + by


def create_missing_locations(bulk: BulkWriter, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the locations whose code is new; existing ones are left as the merchant set them."""
    existing = bulk.existing_keys(Entity.LOCATION, (row["code"] for row in rows))
    return bulk.upsert(Entity.LOCATION, [row for row in rows if row["code"] not in existing])


class _Batch(Protocol):
    rows_read: int
    skipped: dict[str, int]


class FileReader(Protocol):
    """A reader that collects rows into ``batch`` and problems into ``log``."""

    log: ProblemLog

    @property
    def batch(self) -> _Batch: ...

    def take(self, fields: tuple[str, ...], line: int) -> None: ...


def read_whole_file(
    path: Path, columns: Sequence[str], reader: FileReader, progress: ProgressCallback | None
) -> None:
    """Read every row of ``path`` into ``reader``; raises ImportRejected listing every problem."""
    with open_text(path) as text:
        reader.batch.rows_read = read_rows(
            text, columns, reader.take, log=reader.log, skipped=reader.batch.skipped,
            progress=progress,
        )  # fmt: skip
    reader.log.raise_if_any()
