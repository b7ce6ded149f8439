"""What an import reports: every problem found, or what it wrote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from stockguard.domain import errors

MAX_PROBLEMS_SHOWN = 50

ProgressCallback = Callable[[int], None]
"""Called with the number of rows processed since the last call."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One reason a file was rejected, pointing at the exact cell.

    ``line`` is the 1-based physical line in the file (the header is line 1);
    ``column`` and ``value`` are None for file-level problems (missing column, empty file).
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        if self.value is not None:
            where += f" (value {self.value!r})"
        return f"{where}: {self.reason}"


class ImportRejected(errors.DomainError):
    """The file was rejected as a whole; nothing was written."""

    code = "import_rejected"

    def __init__(self, file: str, problems: list[ImportProblem]) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more problems" if more > 0 else ""
        super().__init__(
            f"{file} was not imported: {len(problems)} problem(s) found, "
            f"nothing was written.\n{shown}{tail}"
        )


@dataclass(slots=True)
class ImportReport:
    """What an accepted import wrote. ``skipped`` counts rows left out on purpose, by reason."""

    file: str
    entity: str
    rows_read: int = 0
    written: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
