"""What an importable file looks like (its columns) and how it is checked and written.

Each entity module declares one ``FileFormat`` per file kind; ``service`` runs them the
same way: read every row, check everything, and only then write, in one unit of work.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stockguard.services.importing.columns import Column
from stockguard.services.importing.csv_rows import ParsedFile, Row
from stockguard.services.importing.problems import ImportReport
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(slots=True)
class ImportJob:
    """One file on its way in: its rows, the report being filled, and the time of import.

    ``staged`` carries what ``check`` prepared for ``write`` (receipts use it).
    """

    parsed: ParsedFile
    report: ImportReport
    now: datetime
    staged: list[Any] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return self.parsed.rows

    def problem(self, row: Row, column: str | None, reason: str) -> None:
        self.parsed.problem(row, column, reason)

    def skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` rows left out on purpose for ``reason``."""
        if count > 0:
            self.report.skipped[reason] = self.report.skipped.get(reason, 0) + count

    def wrote(self, table: str, count: int) -> None:
        self.report.written[table] = self.report.written.get(table, 0) + count


Step = Callable[[ImportJob, UnitOfWork], None]


def no_check(job: ImportJob, uow: UnitOfWork) -> None:
    """For files whose rows refer to nothing else."""


@dataclass(frozen=True, slots=True)
class FileFormat:
    """A kind of CSV file: its command name, columns, unique key, checks and writes.

    ``unique`` names the columns whose values together may appear on one row only.
    ``check`` adds problems (references, rules across columns or rows) without writing;
    ``write`` runs only when no problem was found.
    """

    name: str
    summary: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...]
    check: Step
    write: Step


def plain(value: Any) -> Any:
    """A value as the database stores it (enums as their text)."""
    return value.value if isinstance(value, enum.Enum) else value


def upsert_rows(entity: Entity, columns: Sequence[Column]) -> Step:
    """A write step that upserts each row, its CSV columns being the table's columns."""
    names = [column.name for column in columns]

    def write(job: ImportJob, uow: UnitOfWork) -> None:
        rows = [{name: plain(row.values[name]) for name in names} for row in job.rows]
        job.wrote(entity.value, uow.bulk.upsert(entity, rows))

    return write
