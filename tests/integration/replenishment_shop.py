"""A small shop with a stored forecast, for replenishment tests of the API and dashboard.

The forecast run is written directly (no model is fitted), so a proposal takes
milliseconds: one SKU sells 3 a day at two locations and needs stock at both; two
suppliers offer it (ACME 4.00 in packs of 6 in 7 days, BOLT 3.90 by the unit in 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services import ports

from builders import a_location, a_product, a_supplier
from conftest import random_sku

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
HORIZON = 14
DAILY_MEAN = 3.0


@dataclass(frozen=True, slots=True)
class ReplenishmentShop:
    sku: str
    paris: str
    """5 units on hand."""
    lyon: str
    """Nothing on hand."""
    acme: str
    bolt: str


def seed_replenishment_shop(app: App, *, with_offers: bool = True) -> ReplenishmentShop:
    """The shop of the module docstring; every key is random. ``with_offers=False``:
    nobody offers the SKU."""
    shop = ReplenishmentShop(
        sku=random_sku("MUG"),
        paris=random_sku("PAR")[:16],
        lyon=random_sku("LYO")[:16],
        acme=random_sku("ACME"),
        bolt=random_sku("BOLT"),
    )
    with app.unit_of_work() as uow:
        uow.products.add(a_product(shop.sku, price=Decimal("10"), category="Mugs"))
        uow.locations.add(a_location(shop.paris))
        uow.locations.add(a_location(shop.lyon))
        uow.suppliers.add(a_supplier(shop.acme, name="Acme Pottery"))
        uow.suppliers.add(a_supplier(shop.bolt, name="Bolt Ceramics"))
        if with_offers:
            uow.bulk.upsert(ports.Entity.SUPPLIER_OFFER, _offers(shop))
        uow.forecasts.add_run(_run_record(), _forecast_rows(shop))
        uow.commit()
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 5, NOW, f"{shop.sku}-count"))
    return shop


def _offers(shop: ReplenishmentShop) -> list[dict[str, object]]:
    terms = ((shop.acme, Decimal("4.00"), 6, 7), (shop.bolt, Decimal("3.90"), 1, 14))
    return [
        {
            "supplier": supplier,
            "sku": shop.sku,
            "unit_cost": cost,
            "currency": "EUR",
            "minimum_order_quantity": 0,
            "pack_size": pack,
            "lead_time_days": lead,
        }
        for supplier, cost, pack, lead in terms
    ]


def _run_record() -> ports.PlanningRunRecord:
    return ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=HORIZON,
        history_start_on=TODAY - timedelta(days=90),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="e" * 64,
        n_series=2,
        status="completed",
        parameters={},
    )


def _forecast_rows(shop: ReplenishmentShop) -> list[dict[str, object]]:
    quantiles = {"p50": 3.0, "p80": 3.8, "p95": 4.6, "p99": 5.5, "lower_95": 1.0}
    return [
        {
            "sku": shop.sku,
            "location": location,
            "day": TODAY + timedelta(days=step),
            "mean": DAILY_MEAN,
            "lower_80": 1.7,
            "p90": 4.3,
            "upper_95": 5.0,
            "model": "SES",
            **quantiles,
        }
        for location in sorted((shop.paris, shop.lyon))
        for step in range(HORIZON)
    ]
