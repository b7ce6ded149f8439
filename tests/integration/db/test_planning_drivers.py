"""The planning run's drivers from the database (SQLite and PostgreSQL): order-line prices,
promotions, and a run that gives a promotion-driven SKU to the drivers model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.adapters.forecasting.sql_drivers import SqlDriverSource
from stockguard.bootstrap import App
from stockguard.domain import ledger, sales
from stockguard.entrypoints.cli.plan import run_planning
from stockguard.services import ports

from builders import a_location, a_product
from conftest import random_sku

TODAY = date(2026, 3, 1)
DAYS, HORIZON = 150, 14
FIRST = TODAY - timedelta(days=DAYS)


@dataclass(frozen=True, slots=True)
class PromotedShop:
    promoted: str
    """Sells 2 a day at 5.00, and 10 a day at 4.00 on its promotion days (every 4th)."""
    steady: str
    """Sells 3 a day at 7.00, no promotion."""
    location: str


def _promotion_days() -> list[date]:
    return [FIRST + timedelta(days=offset) for offset in range(0, DAYS + HORIZON, 4)]


def _seed(app: App) -> PromotedShop:
    shop = PromotedShop(random_sku("PR"), random_sku("ST"), random_sku("L")[:12])
    promoted = set(_promotion_days())
    moves, orders = [], []
    for sku in (shop.promoted, shop.steady):
        at = datetime.combine(FIRST, time(8), tzinfo=UTC)
        moves.append(ledger.StockMovement(sku, shop.location, ledger.MovementKind.RECEIPT,
                                          100_000, at, f"{sku}-in"))  # fmt: skip
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        at = datetime.combine(day, time(12), tzinfo=UTC)
        on_promotion = day in promoted
        lines = [
            (shop.promoted, 10 if on_promotion else 2, Decimal("4.00" if on_promotion else "5.00")),
            (shop.steady, 3, Decimal("7.00")),
        ]
        for sku, quantity, _ in lines:
            moves.append(ledger.StockMovement(sku, shop.location, ledger.MovementKind.SALE,
                                              -quantity, at, f"{sku}-s{offset}"))  # fmt: skip
        orders.append(
            sales.SalesOrder(
                number=f"{shop.location}-{offset}",
                ordered_at=at,
                lines=[sales.SalesOrderLine(sku, q, price) for sku, q, price in lines],
            )
        )
    with app.unit_of_work() as uow:
        uow.products.add(a_product(shop.promoted, price=Decimal("5.00"), category="mugs"))
        uow.products.add(a_product(shop.steady, price=Decimal("7.00"), category="pans"))
        uow.locations.add(a_location(shop.location))
        uow.commit()
    with app.unit_of_work() as uow:
        uow.bulk.record_movements(moves)
        for order in orders:
            uow.sales_orders.add(order)
        uow.bulk.upsert(ports.Entity.PROMOTION, [
            {"code": f"{shop.promoted}-{day}", "kind": "discount", "sku": shop.promoted,
             "category": None, "starts_on": day, "ends_on": day,
             "discount_percent": Decimal("20")}
            for day in _promotion_days()
        ])  # fmt: skip
        uow.commit()
    return shop


def test_prices_are_read_per_utc_day_and_promotions_by_overlap(app: App) -> None:
    shop = _seed(app)
    source = SqlDriverSource(app.sessions)
    first_week = FIRST + timedelta(days=6)
    prices = source.daily_prices(start=FIRST, end=first_week, skus=[shop.promoted])
    by_day = {price.day: price.unit_price for price in prices}
    assert len(by_day) == 7
    assert by_day[FIRST] == 4.0  # day 0 is a promotion day
    assert by_day[FIRST + timedelta(days=1)] == 5.0
    spans = source.promotions(start=TODAY, end=TODAY + timedelta(days=HORIZON - 1))
    assert {span.starts_on for span in spans if span.sku == shop.promoted} == {
        day for day in _promotion_days() if day >= TODAY
    }
    catalog = {entry.sku: entry for entry in source.catalog_prices([shop.promoted])}
    assert catalog[shop.promoted].price == 5.0
    assert catalog[shop.promoted].category == "mugs"


def test_a_run_with_drivers_gives_the_promoted_sku_to_the_drivers_model(app: App) -> None:
    shop = _seed(app)
    summary = run_planning(
        app, today=TODAY, horizon=HORIZON, history_days=DAYS, seed=3, drivers=True
    )
    assert summary.drivers is not None
    assert summary.drivers.skipped is None
    table = t.table_of(t.DemandForecastRow)
    with app.reader() as session:
        rows = session.execute(
            select(table.c.sku, table.c.day, table.c.mean, table.c.model).where(
                table.c.run_id == summary.run_id
            )
        ).all()
        run = session.get(t.PlanningRunRow, summary.run_id)
    assert run is not None
    assert run.parameters["drivers"] is True
    promoted = [row for row in rows if row.sku == shop.promoted]
    assert all(row.model.startswith("GlobalGBM") for row in promoted)
    on = np.mean([row.mean for row in promoted if row.day in set(_promotion_days())])
    off = np.mean([row.mean for row in promoted if row.day not in set(_promotion_days())])
    assert on > 2.0 * off, (on, off)
