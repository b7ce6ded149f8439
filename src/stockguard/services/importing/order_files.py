"""Sales order files: one row per order line; each line also records a sale movement."""

from __future__ import annotations

from typing import Any

from stockguard.domain import ledger, sales
from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.csv_rows import Row
from stockguard.services.importing.formats import FileFormat, ImportJob
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

ORDER_COLUMNS = (
    c.Column("order_number", c.text(64)),
    c.Column("line_no", c.integer(1, "line number")),
    c.Column("ordered_at", c.timestamp),
    c.optional("customer", c.text(64)),
    c.Column("sku", c.text(64)),
    c.Column("quantity", c.integer(1)),
    c.Column("unit_price", c.amount("unit price")),
    c.optional("currency", c.currency, "EUR"),
    c.optional("channel", c.text(32), "web"),
    c.Column("location", c.text(32)),
)
HEADER_COLUMNS = ("ordered_at", "customer", "currency", "channel")


def _check_orders(job: ImportJob, uow: UnitOfWork) -> None:
    checks.same_header(job, "order_number", HEADER_COLUMNS, "order")
    checks.references(job, uow, "customer", Entity.CUSTOMER)
    checks.references(job, uow, "sku", Entity.PRODUCT)
    checks.references(job, uow, "location", Entity.LOCATION)


def sale_key(order_number: str, line_no: int) -> str:
    """Idempotency key of the sale movement of one order line."""
    return f"order:{order_number}:{line_no}"


def _write_orders(job: ImportJob, uow: UnitOfWork) -> None:
    heads = checks.first_of_each(job.rows, "order_number")
    orders: list[dict[str, Any]] = [
        {
            "number": number,
            "customer": head.values["customer"],
            "ordered_at": head.values["ordered_at"],
            "channel": head.values["channel"],
            "currency": head.values["currency"],
            "status": sales.SalesOrderStatus.FULFILLED.value,
        }
        for number, head in heads.items()
    ]
    lines = [
        {
            "order_number": row.values["order_number"],
            "line_no": row.values["line_no"],
            "sku": row.values["sku"],
            "quantity": row.values["quantity"],
            "unit_price": row.values["unit_price"],
        }
        for row in job.rows
    ]
    job.wrote(Entity.SALES_ORDER.value, uow.bulk.upsert(Entity.SALES_ORDER, orders))
    job.wrote(Entity.SALES_ORDER_LINE.value, uow.bulk.upsert(Entity.SALES_ORDER_LINE, lines))
    movements = _sales(job.rows)
    recorded = uow.bulk.record_movements(movements)
    job.wrote("stock_movement", recorded)
    job.skip("sale already in the ledger", len(movements) - recorded)


def _sales(rows: list[Row]) -> list[ledger.StockMovement]:
    """One sale movement per order line, taking its units out of its location."""
    return [
        ledger.StockMovement(
            sku=row.values["sku"],
            location=row.values["location"],
            kind=ledger.MovementKind.SALE,
            quantity=-row.values["quantity"],
            occurred_at=row.values["ordered_at"],
            idempotency_key=sale_key(row.values["order_number"], row.values["line_no"]),
            reference=row.values["order_number"],
        )
        for row in rows
    ]


ORDERS = FileFormat(
    name="orders",
    summary="Sales orders, one row per line; each line records a sale in the ledger.",
    columns=ORDER_COLUMNS,
    unique=("order_number", "line_no"),
    check=_check_orders,
    write=_write_orders,
)
