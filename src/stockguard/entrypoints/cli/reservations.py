"""``stockguard reservations`` and ``stockguard preorders``: checkout holds and pre-orders."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from stockguard.domain import reservations as r
from stockguard.entrypoints.cli.context import console, handles_domain_errors, state
from stockguard.services.reservations.handlers import ReleaseExpired

app = typer.Typer(
    help="Checkout reservations: stock held for carts until they expire, confirmed into "
    "order allocations.",
    no_args_is_help=True,
)
preorders_app = typer.Typer(
    help="Pre-orders of out-of-stock SKUs against open purchase orders, with their promised dates.",
    no_args_is_help=True,
)

ID_CHARS = 8
"""Leading characters of an id shown in tables (ids are 32 hex characters)."""

Sku = Annotated[str | None, typer.Option(help="Only this SKU.")]
Limit = Annotated[int, typer.Option(min=1, max=10_000, help="Rows to show at most.")]


@app.command("list")
@handles_domain_errors
def list_reservations(
    status: Annotated[
        str | None,
        typer.Option(help="Only this status: held, released, expired, confirmed, shipped."),
    ] = None,
    sku: Sku = None,
    limit: Limit = 100,
) -> None:
    """Reservations, newest first: id (first characters), SKU, location, quantity in
    units, cart, status, expiry (month-day hour:minute, UTC) and order."""
    if status is not None and status not in {s.value for s in r.ReservationStatus}:
        raise typer.BadParameter(f"unknown status {status!r}", param_hint="--status")
    with state.app().unit_of_work() as uow:
        rows = uow.reservations.list_reservations(status=status, sku=sku, limit=limit)
    if not rows:
        console.print("No reservation matches.", markup=False, highlight=False)
        return
    table = _table("id", "sku", "loc", "qty", "cart", "status", "expires UTC", "order")
    for x in rows:
        table.add_row(
            x.id[:ID_CHARS], x.sku, x.location, str(x.quantity), x.cart_id, x.status.value,
            x.expires_at.strftime("%m-%d %H:%M"), x.order_number or "",
        )  # fmt: skip
    console.print(table)


@app.command("release-expired")
@handles_domain_errors
def release_expired() -> None:
    """Release every hold past its expiry now (the worker also does it periodically)."""
    bus, total = state.app().bus, 0
    while released := bus.handle(ReleaseExpired()):
        total += int(released)
    console.print(f"Released {total} expired reservation(s).", markup=False, highlight=False)


@preorders_app.command("list")
@handles_domain_errors
def list_preorders(sku: Sku = None, limit: Limit = 100) -> None:
    """Pre-orders, oldest first, with the purchase order that brings them and the date
    promised to the customer."""
    with state.app().unit_of_work() as uow:
        rows = uow.reservations.list_preorders(sku=sku, limit=limit)
    if not rows:
        console.print("No pre-order matches.", markup=False, highlight=False)
        return
    table = _table("id", "sku", "loc", "qty", "customer", "status", "PO", "promised")
    for p in rows:
        table.add_row(
            p.id[:ID_CHARS], p.sku, p.location, str(p.quantity), p.customer, p.status.value,
            p.purchase_order or "", p.promised_on.isoformat() if p.promised_on else "",
        )  # fmt: skip
    console.print(table)


def _table(*columns: str) -> Table:
    table = Table()
    for column in columns:
        table.add_column(column, no_wrap=True)
    return table
