"""Purchase order and receipt files.

Purchase orders already in stockguard are left unchanged by an import (their status and
receipts move through stockguard itself), so re-importing an old file never undoes a
receipt. Receipts go through the purchase order aggregate, exactly like the
``receive_purchase_order_line`` handler, so over-receipts are refused line by line.
"""

from __future__ import annotations

from typing import Any

from stockguard.domain import errors, purchasing
from stockguard.services.handlers.purchasing import book_receipt
from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.csv_rows import Row
from stockguard.services.importing.formats import FileFormat, ImportJob, plain
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

ALREADY_KNOWN = "purchase order already in stockguard (left unchanged)"
ALREADY_RECEIVED = "receipt already recorded (same idempotency key)"

ORDER_COLUMNS = (
    c.Column("number", c.text(64)),
    c.Column("supplier", c.text(64)),
    c.Column("location", c.text(32)),
    c.optional(
        "status", c.choice(purchasing.PurchaseOrderStatus), purchasing.PurchaseOrderStatus.DRAFT
    ),
    c.optional("ordered_on", c.calendar_date),
    c.optional("expected_on", c.calendar_date),
    c.optional("carrier", c.text(64)),
    c.optional("currency", c.currency, "EUR"),
    c.Column("sku", c.text(64)),
    c.Column("quantity", c.integer(1)),
    c.Column("unit_cost", c.amount("unit cost")),
)
HEADER_COLUMNS: tuple[str, ...] = (
    "supplier",
    "location",
    "status",
    "ordered_on",
    "expected_on",
    "carrier",
    "currency",
)


def _check_orders(job: ImportJob, uow: UnitOfWork) -> None:
    checks.same_header(job, "number", HEADER_COLUMNS, "purchase order")
    for row in job.rows:
        dated = row.has("ordered_on", "expected_on")
        if dated and row.values["expected_on"] < row.values["ordered_on"]:
            job.problem(row, "expected_on", "The order is expected before it was ordered.")
    for column, entity in (
        ("supplier", Entity.SUPPLIER),
        ("location", Entity.LOCATION),
        ("carrier", Entity.CARRIER),
        ("sku", Entity.PRODUCT),
    ):
        checks.references(job, uow, column, entity)


def _write_orders(job: ImportJob, uow: UnitOfWork) -> None:
    heads = checks.first_of_each(job.rows, "number")
    known = uow.bulk.existing_keys(Entity.PURCHASE_ORDER, heads)
    new_rows = [row for row in job.rows if row.values["number"] not in known]
    job.skip(ALREADY_KNOWN, len(job.rows) - len(new_rows))
    orders: list[dict[str, Any]] = [
        {"number": number, **{name: plain(head.values[name]) for name in HEADER_COLUMNS}}
        for number, head in heads.items()
        if number not in known
    ]
    lines = [
        {
            "order_number": row.values["number"],
            "sku": row.values["sku"],
            "quantity": row.values["quantity"],
            "unit_cost": row.values["unit_cost"],
        }
        for row in new_rows
    ]
    job.wrote(Entity.PURCHASE_ORDER.value, uow.bulk.upsert(Entity.PURCHASE_ORDER, orders))
    job.wrote(Entity.PURCHASE_ORDER_LINE.value, uow.bulk.upsert(Entity.PURCHASE_ORDER_LINE, lines))
    uow.bulk.refresh_on_order({row.values["sku"] for row in new_rows})


PURCHASE_ORDERS = FileFormat(
    name="purchase-orders",
    summary="Purchase orders, one row per line; open ones count as stock on order.",
    columns=ORDER_COLUMNS,
    unique=("number", "sku"),
    check=_check_orders,
    write=_write_orders,
)

RECEIPT_COLUMNS = (
    c.Column("po_number", c.text(64)),
    c.Column("sku", c.text(64)),
    c.Column("quantity", c.integer(1)),
    c.optional("rejected", c.integer(0, "rejected quantity"), 0),
    c.Column("received_at", c.timestamp),
    c.Column("idempotency_key", c.text(200)),
)
_NEEDED = tuple(column.name for column in RECEIPT_COLUMNS)


def _check_receipts(job: ImportJob, uow: UnitOfWork) -> None:
    """Receive each row on its order (in memory); refused receipts become problems."""
    for row in job.rows:
        if not row.has(*_NEEDED):
            continue
        order = uow.purchase_orders.get(row.values["po_number"])
        if order is None:
            job.problem(row, "po_number", "There is no purchase order with this number.")
            continue
        key = row.values["idempotency_key"]
        if any(r.idempotency_key == key for r in order.receipts) or uow.ledger.find(key):
            job.skip(ALREADY_RECEIVED)
            continue
        _receive(job, row, order)


def _receive(job: ImportJob, row: Row, order: purchasing.PurchaseOrder) -> None:
    receipt = purchasing.Receipt(
        sku=row.values["sku"],
        quantity=row.values["quantity"],
        rejected=row.values["rejected"],
        received_at=row.values["received_at"],
        idempotency_key=row.values["idempotency_key"],
    )
    try:
        order.receive(receipt)
    except errors.OverReceipt as error:
        job.problem(
            row,
            "quantity",
            f"Only {error.outstanding} units are still expected on this line; "
            f"this receipt brings {error.received}.",
        )
    except errors.UnknownSku:
        job.problem(row, "sku", "This purchase order has no line for this SKU.")
    except errors.InvalidTransition:
        job.problem(
            row,
            "po_number",
            f"This purchase order is {order.status.value}; only sent, confirmed or "
            "shipped orders can be received.",
        )
    except errors.InvalidQuantity:
        job.problem(row, "rejected", "Rejected units cannot exceed the units delivered.")
    else:
        job.staged.append((receipt, order))


def _write_receipts(job: ImportJob, uow: UnitOfWork) -> None:
    """Accepted units enter stock; every delivered unit leaves on_order."""
    movements = 0
    for receipt, order in job.staged:
        if book_receipt(uow, order, receipt) is not None:
            movements += 1
    job.wrote(Entity.PURCHASE_RECEIPT.value, len(job.staged))
    job.wrote("stock_movement", movements)


RECEIPTS = FileFormat(
    name="receipts",
    summary="Deliveries received against purchase orders (accepted units enter stock).",
    columns=RECEIPT_COLUMNS,
    unique=("idempotency_key",),
    check=_check_receipts,
    write=_write_receipts,
)
