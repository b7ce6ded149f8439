"""``stockguard po``: create, update, move along and receive purchase orders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated
from uuid import uuid4

import typer
from rich.table import Table
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.domain import commands
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state

app = typer.Typer(help="Purchase orders: create, update, send, receive.", no_args_is_help=True)

Number = Annotated[str, typer.Argument(help="Purchase order number.")]
Lines = Annotated[
    list[str] | None,
    typer.Option("--line", help="SKU:QUANTITY:UNIT_COST, repeat for each line."),
]
Expected = Annotated[
    str | None, typer.Option("--expected", help="Expected delivery date, YYYY-MM-DD.")
]


def parse_line(text: str) -> commands.PurchaseOrderLineInput:
    """Parse ``SKU:QUANTITY:UNIT_COST`` into a line, with a clear message when it is off."""
    parts = text.split(":")
    if len(parts) != 3:
        raise fail(f"--line {text!r} must look like SKU:QUANTITY:UNIT_COST, e.g. MUG-01:24:3.10")
    sku, quantity, cost = parts
    if not quantity.isdigit() or int(quantity) <= 0:
        raise fail(f"--line {text!r}: quantity {quantity!r} must be a whole number above 0")
    try:
        unit_cost = Decimal(cost)
    except InvalidOperation:
        raise fail(f"--line {text!r}: unit cost {cost!r} is not a number") from None
    if unit_cost < 0 or not unit_cost.is_finite():
        raise fail(f"--line {text!r}: unit cost {cost!r} cannot be negative")
    return commands.PurchaseOrderLineInput(sku.strip(), int(quantity), unit_cost)


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--expected {text!r} is not a date in the form YYYY-MM-DD") from None


@app.command()
@handles_domain_errors
def create(
    number: Number,
    supplier: Annotated[str, typer.Argument(help="Supplier code.")],
    location: Annotated[str, typer.Argument(help="Location code receiving the goods.")],
    line: Lines = None,
    expected: Expected = None,
    carrier: Annotated[str | None, typer.Option(help="Carrier code.")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 currency.")] = "EUR",
) -> None:
    """Create a draft purchase order."""
    if not line:
        raise fail("a purchase order needs at least one --line SKU:QUANTITY:UNIT_COST")
    cmd = commands.CreatePurchaseOrder(
        number=number,
        supplier=supplier,
        location=location,
        lines=tuple(parse_line(x) for x in line),
        ordered_on=datetime.now(UTC).date(),
        expected_on=parse_date(expected),
        carrier=carrier,
        currency=currency,
    )
    state.app().bus.handle(cmd)
    console.print(f"Created draft purchase order {number} with {len(line)} line(s).")


@app.command()
@handles_domain_errors
def update(
    number: Number,
    line: Lines = None,
    expected: Expected = None,
    carrier: Annotated[str | None, typer.Option(help="Carrier code.")] = None,
) -> None:
    """Change the expected date or carrier; replace lines while the PO is a draft."""
    lines = tuple(parse_line(x) for x in line) if line else None
    cmd = commands.UpdatePurchaseOrder(number, parse_date(expected), carrier, lines)
    state.app().bus.handle(cmd)
    console.print(f"Updated purchase order {number}.")


def _status_command(status: str, help_text: str) -> None:
    @handles_domain_errors
    def change(number: Number) -> None:
        new = state.app().bus.handle(commands.ChangePurchaseOrderStatus(number, status))
        console.print(f"Purchase order {number} is now {new}.")

    change.__doc__ = help_text
    app.command(_verb(status))(change)


def _verb(status: str) -> str:
    return {"sent": "send", "confirmed": "confirm", "shipped": "ship", "cancelled": "cancel"}[
        status
    ]


for _status, _help in (
    ("sent", "Mark the PO as sent to the supplier; its units count as on order."),
    ("confirmed", "Record the supplier's confirmation."),
    ("shipped", "Record that the goods have left the supplier."),
    ("cancelled", "Cancel the PO; outstanding units leave on order."),
):
    _status_command(_status, _help)


@app.command()
@handles_domain_errors
def receive(
    number: Number,
    sku: Annotated[str, typer.Argument(help="SKU of the line received.")],
    quantity: Annotated[int, typer.Argument(help="Units delivered.")],
    rejected: Annotated[int, typer.Option(help="Units that failed inspection.")] = 0,
    key: Annotated[str | None, typer.Option(help="Idempotency key.")] = None,
) -> None:
    """Receive units of one PO line; accepted units enter stock."""
    cmd = commands.ReceivePurchaseOrderLine(
        number, sku, quantity, datetime.now(UTC), key or f"cli:{uuid4()}", rejected
    )
    result = state.app().bus.handle(cmd)
    verb = "Received" if result.recorded else "Already received (same key):"
    on_hand = ", ".join(f"{loc} {qty}" for loc, qty in result.on_hand.items())
    console.print(f"{verb} {quantity} x {sku} on {number}; on hand now {on_hand}.")


@app.command()
def show(number: Number) -> None:
    """Show a purchase order and its lines."""
    orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
    with state.app().engine.connect() as connection:
        order = connection.execute(select(orders).where(orders.c.number == number)).first()
        rows = connection.execute(select(lines).where(lines.c.order_number == number)).all()
    if order is None:
        raise fail(f"There is no purchase order numbered {number!r}.")
    console.print(
        f"[bold]{order.number}[/] from {order.supplier} to {order.location}: {order.status}, "
        f"expected {order.expected_on or 'not set'}"
    )
    table = Table("SKU", "Ordered", "Received", "Rejected", "Unit cost")
    for row in rows:
        table.add_row(
            row.sku, str(row.quantity), str(row.received), str(row.rejected), f"{row.unit_cost:.2f}"
        )
    console.print(table)
