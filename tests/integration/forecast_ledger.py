"""A small ledger with daily sales for planning-run tests (API, dashboard, database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from stockguard.bootstrap import App
from stockguard.domain import ledger

from builders import a_location, a_product
from conftest import random_sku

TODAY = date(2026, 3, 1)
HISTORY_DAYS = 70
HORIZON = 14
SEED = 11


@dataclass(frozen=True, slots=True)
class ForecastShop:
    steady: str
    """Sells 2 or 3 units a day, never out of stock."""
    intermittent: str
    """Sells 1 unit every third day and is out of stock for the last ten days."""
    location: str


def seed_forecast_shop(app: App, *, today: date = TODAY, days: int = HISTORY_DAYS) -> ForecastShop:
    """Two SKUs at one location with ``days`` days of sales before ``today``."""
    shop = ForecastShop(random_sku("FC"), random_sku("FC"), random_sku("L")[:12])
    first = today - timedelta(days=days)
    moves = [
        _move(shop.steady, shop.location, ledger.MovementKind.RECEIPT, 10_000, first, "in"),
        _move(shop.intermittent, shop.location, ledger.MovementKind.RECEIPT, 100, first, "in"),
    ]
    for offset in range(days):
        day = first + timedelta(days=offset)
        moves.append(_move(shop.steady, shop.location, ledger.MovementKind.SALE,
                           -(2 + offset % 2), day, f"s{offset}"))  # fmt: skip
        if offset % 3 == 0 and offset < days - 10:
            moves.append(
                _move(shop.intermittent, shop.location, ledger.MovementKind.SALE, -1, day,
                      f"s{offset}")
            )  # fmt: skip
    stock_left = 100 - sum(1 for offset in range(days - 10) if offset % 3 == 0)
    out = today - timedelta(days=10)
    moves.append(
        _move(shop.intermittent, shop.location, ledger.MovementKind.ADJUSTMENT, -stock_left,
              out, "out")
    )  # fmt: skip
    with app.unit_of_work() as uow:
        for sku in (shop.steady, shop.intermittent):
            uow.products.add(a_product(sku))
        uow.locations.add(a_location(shop.location))
        uow.commit()
    with app.unit_of_work() as uow:
        uow.bulk.record_movements(moves)
        uow.commit()
    return shop


def _move(
    sku: str, location: str, kind: ledger.MovementKind, quantity: int, day: date, key: str
) -> ledger.StockMovement:
    at = datetime.combine(day, time(12), tzinfo=UTC)
    return ledger.StockMovement(sku, location, kind, quantity, at, f"{sku}-{key}")
