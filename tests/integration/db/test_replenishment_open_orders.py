"""The SQL replenishment source: open purchase orders lengthen a supplier x SKU's observed
lead time (right-censored at their age, ``services.replenishment.open_orders``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from integration.replenishment_shop import TODAY, ReplenishmentShop, seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.domain import purchasing
from stockguard.services.replenishment.inputs import gather_inputs


def _order(
    shop: ReplenishmentShop, number: str, days_ago: int, lead: int | None
) -> purchasing.PurchaseOrder:
    """A BOLT order for the shop's SKU placed ``days_ago`` before the forecast's first
    day, received ``lead`` days later (None: shipped, nothing received yet)."""
    ordered = TODAY - timedelta(days=days_ago)
    received = lead is not None
    order = purchasing.PurchaseOrder(
        number=number,
        supplier=shop.bolt,
        location=shop.paris,
        lines=[purchasing.PurchaseOrderLine(shop.sku, 10, Decimal("3.90"), received=10 * received)],
        status=purchasing.PurchaseOrderStatus.RECEIVED
        if received
        else purchasing.PurchaseOrderStatus.SHIPPED,
        ordered_on=ordered,
        expected_on=ordered + timedelta(days=14),
    )
    if lead is not None:
        at = datetime.combine(ordered + timedelta(days=lead), datetime.min.time(), tzinfo=UTC)
        order.receipts.append(purchasing.Receipt(shop.sku, 10, 0, at, f"{number}-r"))
    return order


def _bolt_lead_time(app: App, shop: ReplenishmentShop) -> float:
    with app.unit_of_work() as uow:
        inputs = gather_inputs(uow.replenishment, run_id=None, currency="EUR")
    first = range(int(inputs.offers.indptr[0]), int(inputs.offers.indptr[1]))
    (i,) = [j for j in first if inputs.offer_facts.supplier[j] == shop.bolt]
    return float(inputs.offers.lead_time_mean[i])


def test_open_orders_in_the_database_lengthen_the_observed_lead_time(app: App) -> None:
    shop = seed_replenishment_shop(app)
    with app.unit_of_work() as uow:
        for k in range(8):
            uow.purchase_orders.add(_order(shop, f"{shop.sku}-R{k}", 200 - 20 * k, 16))
        uow.commit()
    receipts_only = _bolt_lead_time(app, shop)
    with app.unit_of_work() as uow:
        uow.purchase_orders.add(_order(shop, f"{shop.sku}-O1", 41, None))
        uow.purchase_orders.add(_order(shop, f"{shop.sku}-O2", 31, None))
        uow.commit()
    # 8 receipts at 16 days; open at ages 40 and 30 (the day before TODAY): at 16 days
    # S = 2/10, kept on the oldest open order's age: 0.8 x 16 + 0.2 x 40
    assert receipts_only == pytest.approx(16.0)
    assert _bolt_lead_time(app, shop) == pytest.approx(0.8 * 16 + 0.2 * 40)
