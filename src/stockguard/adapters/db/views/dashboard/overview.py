"""The overview page: catalogue size, stock value, stock-outs, open purchase orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.dashboard.common import (
    OPEN_STATUSES,
    Amount,
    amounts,
    available,
    money_sum,
)


@dataclass(frozen=True, slots=True)
class Overview:
    skus: int
    active_skus: int
    units_on_hand: int
    stock_value: list[Amount]
    out_of_stock_skus: int
    open_purchase_orders: int
    open_purchase_value: list[Amount]


def overview(session: Session) -> Overview:
    """Headline figures; stock value counts positive ``on_hand`` at its product's cost."""
    products = t.table_of(t.ProductRow)
    levels = t.table_of(t.StockLevelRow)
    skus, active = session.execute(
        select(func.count(), func.sum(case((products.c.status == "active", 1), else_=0)))
    ).one()
    on_hand = (
        select(products.c.currency, money_sum(levels.c.on_hand * products.c.unit_cost))
        .join(products, products.c.sku == levels.c.sku)
        .where(levels.c.on_hand > 0)
        .group_by(products.c.currency)
    )
    units = select(func.coalesce(func.sum(levels.c.on_hand), 0)).where(levels.c.on_hand > 0)
    orders, order_value = _open_purchase_orders(session)
    return Overview(
        skus=int(skus),
        active_skus=int(active or 0),
        units_on_hand=int(session.execute(units).scalar_one()),
        stock_value=amounts(list(session.execute(on_hand).all())),
        out_of_stock_skus=_out_of_stock_skus(session),
        open_purchase_orders=orders,
        open_purchase_value=order_value,
    )


def _out_of_stock_skus(session: Session) -> int:
    """SKUs with ``available <= 0`` at one sellable location or more."""
    levels = t.table_of(t.StockLevelRow)
    locations = t.table_of(t.LocationRow)
    query = (
        select(func.count(distinct(levels.c.sku)))
        .join(locations, locations.c.code == levels.c.location)
        .where(locations.c.sellable.is_(True), available(levels) <= 0)
    )
    return int(session.execute(query).scalar_one())


def _open_purchase_orders(session: Session) -> tuple[int, list[Amount]]:
    orders = t.table_of(t.PurchaseOrderRow)
    lines = t.table_of(t.PurchaseOrderLineRow)
    is_open = orders.c.status.in_(OPEN_STATUSES)
    count = session.execute(select(func.count()).where(is_open)).scalar_one()
    value = (
        select(orders.c.currency, money_sum(lines.c.quantity * lines.c.unit_cost))
        .join(lines, lines.c.order_number == orders.c.number)
        .where(is_open)
        .group_by(orders.c.currency)
    )
    return int(count), amounts(list(session.execute(value).all()))


def recent_stockouts(session: Session, *, limit: int = 10) -> list[Any]:
    """SKU x sellable location now at ``available <= 0``, latest movement first.

    The latest movement is usually the sale that emptied the shelf, so the list reads
    as "most recently out of stock". Each row: sku, title, location, available,
    on_order, last_movement_at.
    """
    levels = t.table_of(t.StockLevelRow)
    products = t.table_of(t.ProductRow)
    locations = t.table_of(t.LocationRow)
    moves = t.table_of(t.StockMovementRow)
    last_movement = (
        select(func.max(moves.c.occurred_at))
        .where(moves.c.sku == levels.c.sku, moves.c.location == levels.c.location)
        .scalar_subquery()
        .label("last_movement_at")
    )
    query = (
        select(
            levels.c.sku,
            products.c.title,
            levels.c.location,
            available(levels).label("available"),
            levels.c.on_order,
            last_movement,
        )
        .join(products, products.c.sku == levels.c.sku)
        .join(locations, locations.c.code == levels.c.location)
        .where(locations.c.sellable.is_(True), available(levels) <= 0)
        .order_by(last_movement.desc().nulls_last(), levels.c.sku, levels.c.location)
        .limit(limit)
    )
    return list(session.execute(query).all())
