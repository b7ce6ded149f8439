"""Purchase history for the replenishment shop (``integration.replenishment_shop``): each
supplier has 8 receipts of the SKU 16 days after ordering and one order still out, placed
41 days before the forecast's first day (promised in 14), for open-order explanations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from integration.replenishment_shop import TODAY, ReplenishmentShop
from stockguard.bootstrap import App
from stockguard.domain import purchasing
from stockguard.services.importing import scms

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


SCMS_ACME = "ACME-PHARMA-LTD"
"""The supplier code the SCMS import gives vendor "Acme Pharma Ltd"."""


def add_scms_supplier_with_open_order(
    app: App, folder: Path, *, receipts: int, open_age_days: int
) -> None:
    """Acme through the SCMS import: ``receipts`` lines of Drug X to Kenya, ordered 1 Jan
    2014 and received on their promised day in February (after 31, 32, ... days), and one
    shipped order placed ``open_age_days`` ago, promised 14 days after (overdue when older
    than 14 days). ``folder`` receives the CSV file."""
    rows = [
        f"{i},SCMS-{i},Kenya,1/1/14,{i}-Feb-14,{i}-Feb-14,ARV,Adult,Acme Pharma Ltd,Drug X,100,10"
        for i in range(1, receipts + 1)
    ]
    path = folder / "scms.csv"
    path.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    ordered = datetime.now(UTC).date() - timedelta(days=open_age_days)
    with app.unit_of_work() as uow:
        uow.purchase_orders.add(
            purchasing.PurchaseOrder(
                number="OPEN-1", supplier=SCMS_ACME, location=scms.location_code("Kenya"),
                lines=[purchasing.PurchaseOrderLine(scms.product_sku("Drug X"), 5, Decimal("10"))],
                status=purchasing.PurchaseOrderStatus.SHIPPED, ordered_on=ordered,
                expected_on=ordered + timedelta(days=14),
            )
        )  # fmt: skip
        uow.commit()
