"""The stock table and the SKU page: levels, offers and open purchase orders per SKU."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.dashboard.common import OPEN_STATUSES, available
from stockguard.adapters.db.views.paging import Slice, matches, page


def stock_table(
    session: Session,
    *,
    search: str | None = None,
    category: str | None = None,
    location: str | None = None,
    out_of_stock: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """One row per SKU x location with the product's title and category.

    ``search`` matches SKU or title case-insensitively; ``out_of_stock`` keeps rows with
    ``available <= 0``. Ordered by SKU, then location.
    """
    levels = t.table_of(t.StockLevelRow)
    products = t.table_of(t.ProductRow)
    query = (
        select(
            levels.c.sku,
            products.c.title,
            products.c.category,
            products.c.status,
            levels.c.location,
            levels.c.on_hand,
            levels.c.allocated,
            levels.c.reserved,
            available(levels).label("available"),
            levels.c.on_order,
        )
        .join(products, products.c.sku == levels.c.sku)
        .order_by(levels.c.sku, levels.c.location)
    )
    if search:
        query = query.where(matches(search, levels.c.sku, products.c.title))
    if category:
        query = query.where(products.c.category == category)
    if location:
        query = query.where(levels.c.location == location)
    if out_of_stock:
        query = query.where(available(levels) <= 0)
    return page(session, query, limit=limit, offset=offset)


def categories(session: Session) -> list[str]:
    products = t.table_of(t.ProductRow)
    query = (
        select(products.c.category)
        .where(products.c.category.is_not(None))
        .distinct()
        .order_by(products.c.category)
    )
    return list(session.execute(query).scalars())


def levels_of(session: Session, sku: str) -> list[Any]:
    """Every location's level for ``sku`` with the location's name and sellability."""
    levels = t.table_of(t.StockLevelRow)
    locations = t.table_of(t.LocationRow)
    query = (
        select(
            levels.c.location,
            locations.c.name.label("location_name"),
            locations.c.sellable,
            levels.c.on_hand,
            levels.c.allocated,
            levels.c.reserved,
            available(levels).label("available"),
            levels.c.on_order,
        )
        .join(locations, locations.c.code == levels.c.location)
        .where(levels.c.sku == sku)
        .order_by(levels.c.location)
    )
    return list(session.execute(query).all())


def offers_of(session: Session, sku: str) -> list[Any]:
    """Suppliers offering ``sku``, cheapest first."""
    offers = t.table_of(t.SupplierOfferRow)
    suppliers = t.table_of(t.SupplierRow)
    query = (
        select(offers, suppliers.c.name.label("supplier_name"))
        .join(suppliers, suppliers.c.code == offers.c.supplier)
        .where(offers.c.sku == sku)
        .order_by(offers.c.unit_cost, offers.c.supplier)
    )
    return list(session.execute(query).all())


def open_purchase_lines_of(session: Session, sku: str) -> list[Any]:
    """Lines of open purchase orders for ``sku``, earliest expected first."""
    orders = t.table_of(t.PurchaseOrderRow)
    lines = t.table_of(t.PurchaseOrderLineRow)
    query = (
        select(
            orders.c.number,
            orders.c.supplier,
            orders.c.location,
            orders.c.status,
            orders.c.expected_on,
            orders.c.currency,
            lines.c.quantity,
            lines.c.received,
            lines.c.unit_cost,
        )
        .join(lines, lines.c.order_number == orders.c.number)
        .where(lines.c.sku == sku, orders.c.status.in_(OPEN_STATUSES))
        .order_by(orders.c.expected_on.asc().nulls_last(), orders.c.number)
    )
    return list(session.execute(query).all())
