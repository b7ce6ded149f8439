"""``stockguard import online-retail`` and ``stockguard import m5``: public data sets.

Both commands read the whole file first (with a progress bar), reject it with every problem
listed when any row cannot be read, and otherwise write it in one transaction (with a step
indicator), then print what was written. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from stockguard.domain import errors
from stockguard.entrypoints.cli.context import console, err_console, fail, state
from stockguard.entrypoints.cli.imports import app
from stockguard.services.importing import m5, online_retail, public_common
from stockguard.services.importing.problems import (
    ImportRejected,
    ImportReport,
    ProgressCallback,
)

ImportWork = Callable[[ProgressCallback, public_common.StepCallback], ImportReport]

DataFile = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, help="The CSV file, plain or gzip (.csv.gz)."
    ),
]

SUMMARY_ROWS = (
    ("sales_orders", "Sales orders"),
    ("sales_order_lines", "Order lines"),
    ("movements", "Stock movements (new)"),
    ("customers", "Customers"),
    ("products", "Products"),
    ("locations", "Locations created"),
)


@app.command("online-retail")
def import_online_retail(
    file: DataFile,
    location: Annotated[
        str, typer.Option(help="Location code the shop's stock is kept at (created if missing).")
    ] = online_retail.DEFAULT_LOCATION,
) -> None:
    """Import the UCI Online Retail file: products, customers, orders and stock movements.

    Postage, fees and vouchers are skipped and counted; see docs/public-data.md.
    """

    def work(progress: ProgressCallback, step: public_common.StepCallback) -> ImportReport:
        return online_retail.import_online_retail(
            file, state.app().unit_of_work(), location=location, progress=progress, on_step=step
        )

    _run(file, work)


@app.command("m5")
def import_m5(file: DataFile) -> None:
    """Import the M5 (Walmart) long format: items, stores and one sale per item, store and day.

    M5 has no orders or customers: only products, locations and sales are written.
    """

    def work(progress: ProgressCallback, step: public_common.StepCallback) -> ImportReport:
        return m5.import_m5(file, state.app().unit_of_work(), progress=progress, on_step=step)

    _run(file, work)


def _run(file: Path, work: ImportWork) -> None:
    """Run an import with a progress display; print its summary or its problems."""
    started = time.perf_counter()
    try:
        report = _with_progress(file, work)
    except ImportRejected as rejected:
        err_console.print(str(rejected), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from rejected
    except errors.StockguardError as error:
        raise fail(str(error)) from error
    print_summary(report, time.perf_counter() - started)


def _with_progress(file: Path, work: ImportWork) -> ImportReport:
    total = public_common.count_data_lines(file)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as display:
        reading = display.add_task(f"Reading {file.name}", total=total)
        steps = _StepIndicator(display, reading, total)
        return work(lambda rows: display.advance(reading, rows), steps)


class _StepIndicator:
    """Turns the write steps into a second progress line ("Writing: order lines")."""

    def __init__(self, display: Progress, reading: TaskID, rows: int) -> None:
        self._display = display
        self._reading = reading
        self._rows = rows
        self._writing: TaskID | None = None

    def __call__(self, name: str) -> None:
        if self._writing is None:
            self._display.update(self._reading, completed=self._rows)
            self._writing = self._display.add_task("Writing", total=None)
        self._display.update(self._writing, description=f"Writing: {name}")


def print_summary(
    report: ImportReport,
    seconds: float,
    rows: tuple[tuple[str, str], ...] = SUMMARY_ROWS,
    skipped_label: str = "Skipped",
) -> None:
    """The summary table: rows read, what was written (``rows``: report key and label, in
    order), what was skipped and why (each reason after ``skipped_label``), time."""
    table = Table(title=f"Imported {report.file} ({report.entity})")
    table.add_column("")
    table.add_column("Count", justify="right")
    table.add_row("Rows read", f"{report.rows_read:,}")
    for key, label in rows:
        if key in report.written:
            table.add_row(label, f"{report.written[key]:,}")
    for reason, count in report.skipped.items():
        table.add_row(f"{skipped_label}: {reason}", f"{count:,}")
    table.add_row("Seconds", f"{seconds:.1f}")
    console.print(table)
