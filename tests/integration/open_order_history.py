"""Purchase history for the replenishment shop (``integration.replenishment_shop``): each
supplier has 8 receipts of the SKU 16 days after ordering and one order still out, placed
41 days before the forecast's first day (promised in 14), for open-order explanations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from integration.replenishment_shop import TODAY, ReplenishmentShop
from stockguard.bootstrap import App
from stockguard.domain import purchasing

OPEN_AGE = 40
"""Days the open order has been out on the day before the forecast's first day."""


def _order(
    shop: ReplenishmentShop, supplier: str, number: str, days_ago: int, lead: int | None
) -> purchasing.PurchaseOrder:
    ordered = TODAY - timedelta(days=days_ago)
    order = purchasing.PurchaseOrder(
        number=number, supplier=supplier, location=shop.paris,
        lines=[purchasing.PurchaseOrderLine(shop.sku, 10, Decimal("3.90"),
                                            received=10 if lead else 0)],
        status=purchasing.PurchaseOrderStatus.RECEIVED if lead else
        purchasing.PurchaseOrderStatus.SHIPPED,
        ordered_on=ordered, expected_on=ordered + timedelta(days=14),
    )  # fmt: skip
    if lead:
        at = datetime.combine(ordered + timedelta(days=lead), datetime.min.time(), tzinfo=UTC)
        order.receipts.append(purchasing.Receipt(shop.sku, 10, 0, at, f"{number}-r"))
    return order


def add_open_order_history(app: App, shop: ReplenishmentShop) -> None:
    """The module docstring's orders, for both suppliers."""
    with app.unit_of_work() as uow:
        for supplier in (shop.acme, shop.bolt):
            for k in range(8):
                number = f"{supplier}-R{k}"[:40]
                uow.purchase_orders.add(_order(shop, supplier, number, 200 - 20 * k, 16))
            uow.purchase_orders.add(
                _order(shop, supplier, f"{supplier}-O"[:40], OPEN_AGE + 1, None)
            )
        uow.commit()
