"""``stockguard import scms``: the USAID SCMS delivery history as suppliers, POs and receipts.

Like the other public-data commands, the whole file is read and checked first (every
problem listed, nothing written), then written in one transaction.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from stockguard.domain import errors
from stockguard.entrypoints.cli.context import err_console, fail, state
from stockguard.entrypoints.cli.imports import app
from stockguard.entrypoints.cli.public_data import print_summary
from stockguard.services.importing import scms
from stockguard.services.importing.problems import ImportRejected

SUMMARY_ROWS = (
    ("suppliers", "Suppliers (vendors)"),
    ("products", "Products"),
    ("locations", "Locations created"),
    ("purchase_orders", "Purchase orders"),
    ("purchase_order_lines", "Order lines"),
    ("purchase_receipts", "Receipts"),
)


@app.command("scms")
def import_scms(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="The SCMS CSV, plain or gzip."
        ),
    ],
) -> None:
    """Import the USAID SCMS delivery history (Supply Chain Shipment Pricing Data).

    Vendors become suppliers, items products, each shipment row a received purchase
    order with its scheduled and actual delivery dates; see docs/suppliers.md. Then
    `stockguard suppliers kpis` shows on-time rates and lead times."""
    started = time.perf_counter()
    try:
        with err_console.status(f"Importing {file.name}..."):
            report = scms.import_scms(file, state.app().unit_of_work())
    except ImportRejected as rejected:
        err_console.print(str(rejected), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from rejected
    except errors.StockguardError as error:
        raise fail(str(error)) from error
    print_summary(report, time.perf_counter() - started, SUMMARY_ROWS, skipped_label="Note")
