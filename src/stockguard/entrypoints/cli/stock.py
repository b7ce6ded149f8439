"""Stock commands: record movements, show levels, reconcile with the ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import uuid4

import typer
from rich.table import Table
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.domain import commands
from stockguard.entrypoints.cli.context import (
    console,
    fail,
    handles_domain_errors,
    require_known,
    state,
)
from stockguard.services.handlers.reconcile import ReconciliationReport
from stockguard.services.handlers.stock import MovementResult

record_app = typer.Typer(help="Record a stock movement in the ledger.", no_args_is_help=True)

Sku = Annotated[str, typer.Argument(help="Product SKU.")]
Location = Annotated[str, typer.Argument(help="Location code.")]
Quantity = Annotated[int, typer.Argument(help="Units (whole number).")]
Key = Annotated[
    str | None,
    typer.Option("--key", help="Idempotency key; the same key twice records once."),
]
Reference = Annotated[str | None, typer.Option(help="Free reference (order number, reason).")]


def _now() -> datetime:
    return datetime.now(UTC)


def _key(key: str | None) -> str:
    return key or f"cli:{uuid4()}"


def _print_result(result: MovementResult) -> None:
    verb = "Recorded" if result.recorded else "Already recorded (same key), nothing changed:"
    for movement in result.movements:
        console.print(
            f"{verb} {movement.kind.value} of {movement.quantity:+d} x {movement.sku} "
            f"at {movement.location}; on hand now {result.on_hand[movement.location]}."
        )


@record_app.command()
@handles_domain_errors
def sale(
    sku: Sku, location: Location, quantity: Quantity, key: Key = None, reference: Reference = None
) -> None:
    """Record QUANTITY units of SKU sold from LOCATION."""
    cmd = commands.RecordSale(sku, location, quantity, _now(), _key(key), reference)
    _print_result(state.app().bus.handle(cmd))


@record_app.command("return")
@handles_domain_errors
def return_(
    sku: Sku, location: Location, quantity: Quantity, key: Key = None, reference: Reference = None
) -> None:
    """Record QUANTITY units of SKU returned to LOCATION."""
    cmd = commands.RecordReturn(sku, location, quantity, _now(), _key(key), reference)
    _print_result(state.app().bus.handle(cmd))


@record_app.command()
@handles_domain_errors
def adjust(
    sku: Sku,
    location: Location,
    quantity: Annotated[int, typer.Argument(help="Signed units, e.g. -2 for breakage.")],
    key: Key = None,
    reference: Reference = None,
) -> None:
    """Correct on-hand stock of SKU at LOCATION by a signed QUANTITY."""
    cmd = commands.RecordAdjustment(sku, location, quantity, _now(), _key(key), reference)
    _print_result(state.app().bus.handle(cmd))


@record_app.command()
@handles_domain_errors
def count(
    sku: Sku,
    location: Location,
    counted: Annotated[int, typer.Argument(help="Units physically counted.")],
    key: Key = None,
    reference: Reference = None,
) -> None:
    """Record a physical count; the ledger keeps the variance."""
    cmd = commands.RecordStockCount(sku, location, counted, _now(), _key(key), reference)
    _print_result(state.app().bus.handle(cmd))


@record_app.command()
@handles_domain_errors
def transfer(
    sku: Sku,
    source: Location,
    destination: Location,
    quantity: Quantity,
    key: Key = None,
    reference: Reference = None,
) -> None:
    """Move QUANTITY units of SKU from SOURCE to DESTINATION."""
    cmd = commands.TransferStock(sku, source, destination, quantity, _now(), _key(key), reference)
    _print_result(state.app().bus.handle(cmd))


def levels(
    sku: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    location: Annotated[str | None, typer.Option(help="Only this location.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
) -> None:
    """Show stock levels (on hand, allocated, reserved, on order, available)."""
    table = t.table_of(t.StockLevelRow)
    query = select(table).order_by(table.c.sku, table.c.location).limit(limit)
    if sku:
        query = query.where(table.c.sku == sku)
    if location:
        query = query.where(table.c.location == location)
    with state.app().engine.connect() as connection:
        rows = connection.execute(query).all()
    if not rows:
        with state.app().reader() as session:
            require_known(session, sku=sku, location=location)
    out = Table("SKU", "Location", "On hand", "Allocated", "Reserved", "On order", "Available")
    for row in rows:
        available = row.on_hand - row.allocated - row.reserved
        out.add_row(
            row.sku,
            row.location,
            *(str(v) for v in (row.on_hand, row.allocated, row.reserved, row.on_order, available)),
        )
    console.print(out)


@handles_domain_errors
def reconcile(
    repair: Annotated[
        bool, typer.Option(help="Write the ledger's figures over drifted levels.")
    ] = False,
) -> None:
    """Recompute levels from the ledger and open POs; report (and optionally fix) drift."""
    report: ReconciliationReport = state.app().bus.handle(
        commands.ReconcileStockLevels(repair=repair)
    )
    if not report.drifts:
        console.print(f"All {report.levels_checked} stock levels agree with the ledger.")
        return
    out = Table("SKU", "Location", "Field", "Recorded", "Ledger says")
    for drift in report.drifts:
        out.add_row(
            drift.sku, drift.location, drift.field, str(drift.recorded), str(drift.expected)
        )
    console.print(out)
    if repair:
        console.print(f"Repaired {len(report.drifts)} figures.")
    else:
        raise fail(f"{len(report.drifts)} figures drift from the ledger; rerun with --repair.")
