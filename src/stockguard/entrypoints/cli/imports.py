"""``stockguard import``: load CSV files into the database (all or nothing).

One command per kind of file (``stockguard import products products.csv``); the formats
are documented in docs/data-format.md and come from ``services.importing.service``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stockguard.entrypoints.cli.context import console, domain_errors, err_console, state
from stockguard.services.importing import service
from stockguard.services.importing.problems import (
    ImportRejected,
    ImportReport,
    ProgressCallback,
)

app = typer.Typer(
    help="Import CSV files. A file is checked entirely first; any bad row rejects the whole "
    "file and nothing is written. Re-importing the same file changes nothing. "
    "Column formats: docs/data-format.md.",
    no_args_is_help=True,
)

PROGRESS_FROM_LINES = 2000
"""Files with at least this many lines show a progress bar while they are read."""

CsvFile = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="The CSV file (UTF-8)."),
]


def run_import(entity: str, file: Path) -> ImportReport:
    """Import ``file`` as ``entity``; print the problems and exit 1 when it is rejected."""
    with (
        _progress(file) as progress,
        file.open(encoding="utf-8-sig", newline="") as stream,
        domain_errors(),
    ):
        try:
            report = service.import_file(
                entity, stream, file.name, state.app().unit_of_work(), progress
            )
        except ImportRejected as rejected:
            err_console.print(str(rejected), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from rejected
    _print_report(report)
    return report


@contextmanager
def _progress(file: Path) -> Iterator[ProgressCallback | None]:
    """A rich progress bar over the file's lines, or nothing for short files."""
    with file.open("rb") as raw:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))
    if lines < PROGRESS_FROM_LINES:
        yield None
        return
    columns = (TextColumn("Checking {task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(file.name, total=max(lines - 1, 1))
        yield lambda rows: bar.advance(task, rows)


def _print_report(report: ImportReport) -> None:
    written = ", ".join(f"{count} {table}" for table, count in report.written.items())
    console.print(
        f"Imported {report.file}: {report.rows_read} rows read; written: {written or 'nothing'}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for reason, count in report.skipped.items():
        console.print(f"  Skipped {count} rows: {reason}.", markup=False, highlight=False)


def _command(entity: str) -> Callable[[Path], None]:
    def command(file: CsvFile) -> None:
        run_import(entity, file)

    command.__name__ = f"import_{entity.replace('-', '_')}"
    return command


for _name, _format in service.FORMATS.items():
    app.command(_name, help=f"{_format.summary} Format: docs/data-format.md#{_name}.")(
        _command(_name)
    )
