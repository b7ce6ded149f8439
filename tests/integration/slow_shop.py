"""A shop of slow fasteners and one smooth SKU with a stored forecast, for the pooled
rates of a replenishment run (ADR 0018) through the API and the dashboard.

At one store, in one category: twelve slow fasteners, each received once 120 days ago
with exactly the units it then sold, 1 unit on 1 to 4 of the 91 days the run reads
(intermittent, out of stock now), forecast 0.05 a day; and a smooth SKU selling 3 a day
every day (forecast 3 a day) with 2 units left. A run pools the twelve toward their
category; the smooth SKU keeps its forecast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from stockguard.bootstrap import App
from stockguard.domain import ledger
from stockguard.services import ports

from builders import a_location, a_product, a_supplier
from conftest import random_sku

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
HORIZON = 14
SALE_DAYS = (10, 40, 70, 85)


def _move(sku: str, store: str, kind: ledger.MovementKind, units: int, at: datetime) -> Any:
    return ledger.StockMovement(sku, store, kind, units, at, f"{sku}-{kind.value}-{at}")


def _forecast(sku: str, store: str, mean: float, low: float, high: float) -> list[dict[str, Any]]:
    quantiles = {"p50": mean, "p80": high, "p95": high, "p99": high, "lower_95": low}
    return [
        {"sku": sku, "location": store, "day": TODAY + timedelta(days=step), "mean": mean}
        | {"lower_80": low, "p90": high, "upper_95": high, "model": "test", **quantiles}
        for step in range(HORIZON)
    ]


def _record() -> ports.PlanningRunRecord:
    return ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=HORIZON,
        history_start_on=TODAY - timedelta(days=120),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="a" * 64,
        n_series=13,
        status="completed",
        parameters={},
    )


def seed_slow_shop(app: App) -> tuple[list[str], str, str]:
    """The module docstring's shop: (slow SKUs, smooth SKU, store), random keys."""
    store, supplier = random_sku("STO")[:16], random_sku("SUP")
    category = random_sku("Fasteners")
    slow = [random_sku("SLOW") for _ in range(12)]
    smooth = random_sku("SMOOTH")
    first, window = NOW - timedelta(days=120), NOW - timedelta(days=91)
    receipt, sale = ledger.MovementKind.RECEIPT, ledger.MovementKind.SALE
    moves, rows = [], _forecast(smooth, store, 3.0, 1.7, 4.3)
    for k, sku in enumerate(slow):
        days = SALE_DAYS[: 1 + k % 4]
        moves.append(_move(sku, store, receipt, len(days), first))
        moves += [_move(sku, store, sale, -1, window + timedelta(days=d, hours=3)) for d in days]
        rows += _forecast(sku, store, 0.05, 0.0, 0.15)
    moves.append(_move(smooth, store, receipt, 3 * 91 + 2, first))
    moves += [
        _move(smooth, store, sale, -3, window + timedelta(days=d, hours=3)) for d in range(91)
    ]
    offers = [
        {"supplier": supplier, "sku": sku, "unit_cost": Decimal("1.00"), "currency": "EUR"}
        | {"minimum_order_quantity": 0, "pack_size": 1, "lead_time_days": 7}
        for sku in [*slow, smooth]
    ]
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(store))
        uow.suppliers.add(a_supplier(supplier))
        for sku in [*slow, smooth]:
            uow.products.add(a_product(sku, price=Decimal("3"), category=category))
        uow.bulk.upsert(ports.Entity.SUPPLIER_OFFER, offers)
        uow.bulk.record_movements(moves)
        uow.forecasts.add_run(_record(), rows)
        uow.commit()
    return slow, smooth, store
