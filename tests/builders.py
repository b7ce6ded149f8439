"""Plain builder functions with defaults, as in Cosmic Python's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.domain import catalog, parties

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def a_product(sku: str, **overrides: Any) -> catalog.Product:
    values: dict[str, Any] = {"title": f"Product {sku}", "price": Decimal("9.90")}
    values.update(overrides)
    return catalog.Product(sku=sku, **values)


def a_location(code: str = "WH1", **overrides: Any) -> catalog.Location:
    values: dict[str, Any] = {"name": f"Warehouse {code}"}
    values.update(overrides)
    return catalog.Location(code=code, **values)


def a_supplier(code: str = "SUP1", **overrides: Any) -> parties.Supplier:
    values: dict[str, Any] = {"name": f"Supplier {code}"}
    values.update(overrides)
    return parties.Supplier(code=code, **values)


def an_order(
    session: Any,
    number: str,
    customer: str,
    sku: str,
    quantity: int,
    unit_price: Decimal,
    *,
    ordered_at: datetime,
    status: str = "open",
) -> None:
    """A web order of one line, written straight into the order tables (what an order
    import leaves behind); the caller commits."""
    session.execute(insert(t.table_of(t.SalesOrderRow)).values(
        number=number, customer=customer, ordered_at=ordered_at, channel="web", currency="EUR",
        status=status,
    ))  # fmt: skip
    session.execute(insert(t.table_of(t.SalesOrderLineRow)).values(
        order_number=number, line_no=1, sku=sku, quantity=quantity, unit_price=unit_price
    ))  # fmt: skip


def a_customer(
    session: Any,
    customer: str,
    *,
    name: str | None = None,
    locale: str = "en",
    email: str | None = None,
    email_consent_at: datetime | None = None,
) -> None:
    """A customer reachable at ``email`` (default ``{customer}@example.com``), with e-mail
    marketing consent given at ``email_consent_at`` (default none); the caller commits."""
    session.execute(insert(t.table_of(t.CustomerRow)).values(
        external_id=customer, email=email or f"{customer}@example.com", name=name,
        locale=locale, email_consent_at=email_consent_at,
    ))  # fmt: skip


def out_of_stock_at_paris(
    session: Any, sku: str, *, on_order: int, promise: Any, now: datetime
) -> None:
    """The storefront's availability row of an out-of-stock SKU at PAR with its restock
    promise; the caller commits."""
    session.execute(insert(t.table_of(StorefrontAvailabilityRow)).values(
        sku=sku, location="PAR", on_hand=0, available=0, on_order=on_order, preorder_open=0,
        discontinued=False, low_stock_threshold=3, state="out_of_stock", promise_on=promise,
        updated_at=now,
    ))  # fmt: skip
