"""Restock promises on SQLite and PostgreSQL from each open purchase order's SUPPLIER
record (its receipts, imported from an SCMS-format file) and, without a purchase order,
from the stored policy's next order date (a periodic rule's review day); pre-orders on
each purchase order are promised from that order's supplier too."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.domain import replenishment as r
from stockguard.domain.reservations import Supply
from stockguard.services.importing import scms
from stockguard.services.preorders.promises import promise_supplies
from stockguard.services.risk.refresh import refresh_risk
from stockguard.services.storefront.refresh import refresh_availability

PUNCTUAL_RECEIPTS, SLOW_RECEIPTS = 200, 40
"""Receipts per supplier: above the 20 a supplier needs for its own record."""


def _rows(app: App, sku: str) -> dict[str, Any]:
    table = t.table_of(StorefrontAvailabilityRow)
    with app.sessions() as session:
        found = session.execute(select(table).where(table.c.sku == sku)).all()
    return {row.location: row for row in found}


def _history(app: App, tmp_path: Path) -> tuple[str, str]:
    """PUNCTUAL: 200 receipts, always on the scheduled day; SLOW: 40 receipts, 30 days
    late on one in four. Returns their supplier codes."""
    tag = uuid.uuid4().hex[:8].upper()
    punctual, slow = f"Punctual {tag}", f"Slow {tag}"
    lines = [",".join(scms.COLUMNS)]
    start = date(2010, 1, 4)
    for i in range(PUNCTUAL_RECEIPTS):
        due = start + timedelta(days=7 * i)
        for vendor, late in ((punctual, 0), (slow, 30 if i % 4 == 0 else 0)):
            if vendor == slow and i >= SLOW_RECEIPTS:
                continue
            arrived = due + timedelta(days=late)
            lines.append(
                f"{len(lines)},SO-{tag}-{len(lines)},Vietnam,N/A - From RDC,"
                f"{due:%d-%b-%y},{arrived:%d-%b-%y},ARV,Adult,{vendor},Drug {tag},5,3"
            )
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    return scms.supplier_code(punctual), scms.supplier_code(slow)


def _order(app: App, number: str, supplier: str, sku: str, location: str, due: date) -> None:
    line = commands.PurchaseOrderLineInput(sku, 12, Decimal("4.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(number, supplier, location, (line,), expected_on=due)
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))


def test_each_purchase_order_is_promised_from_its_own_supplier_record(
    app: App, tmp_path: Path
) -> None:
    punctual, slow = _history(app, tmp_path)
    shop = seed_replenishment_shop(app)  # Lyon has nothing on hand
    other = seed_replenishment_shop(app)
    due = NOW.date() + timedelta(days=10)
    _order(app, f"PO-{shop.sku}", slow, shop.sku, shop.lyon, due)
    _order(app, f"PO-{other.sku}", punctual, other.sku, other.lyon, due)
    refresh_risk(app.unit_of_work(), now=NOW)

    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)

    from_slow = _rows(app, shop.sku)[shop.lyon]
    from_punctual = _rows(app, other.sku)[other.lyon]
    assert from_slow.promise_basis == f"purchase_order:PO-{shop.sku}"
    # SLOW: one receipt in four 30 days late (well above 5% even shrunk towards the
    # pooled record by 20 pseudo-receipts): at least due + 30 + a day of handling
    assert from_slow.promise_on >= due + timedelta(days=31)
    assert due < from_punctual.promise_on < from_slow.promise_on


def test_a_later_order_from_a_punctual_supplier_brings_the_promise_in(
    app: App, tmp_path: Path
) -> None:
    punctual, slow = _history(app, tmp_path)
    shop = seed_replenishment_shop(app)
    slow_due, punctual_due = NOW.date() + timedelta(days=10), NOW.date() + timedelta(days=12)
    _order(app, f"PO-S-{shop.sku}", slow, shop.sku, shop.lyon, slow_due)
    _order(app, f"PO-P-{shop.sku}", punctual, shop.sku, shop.lyon, punctual_due)
    refresh_risk(app.unit_of_work(), now=NOW)

    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)

    row = _rows(app, shop.sku)[shop.lyon]
    assert row.promise_basis == f"purchase_order:PO-S-{shop.sku}"  # expected first
    # promised from the SLOW record for both orders (the SKU's row), the earliest of
    # two arrivals is not 95% sure before slow_due + 30; the PUNCTUAL order's own
    # record makes day punctual_due nearly sure
    assert punctual_due < row.promise_on < slow_due + timedelta(days=30)


def test_without_a_purchase_order_the_promise_waits_for_the_periodic_review(app: App) -> None:
    shop = seed_replenishment_shop(app)  # Lyon: nothing on hand, no purchase order
    refresh_risk(app.unit_of_work(), now=NOW)
    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)
    continuous = _rows(app, shop.sku)[shop.lyon]
    with app.unit_of_work() as uow:
        uow.rules.put(
            r.ReplenishmentRule(
                scope=r.RuleScope.SKU_LOCATION, sku=shop.sku, location=shop.lyon,
                policy=r.PolicyName.PERIODIC, review_period_days=21,
            )
        )  # fmt: skip
        uow.commit()
    refresh_risk(app.unit_of_work(), now=NOW)

    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)

    periodic = _rows(app, shop.sku)[shop.lyon]
    assert continuous.promise_basis == periodic.promise_basis == "policy"
    # below its reorder point the continuous policy orders today; never ordered, the
    # periodic review may be a whole 21-day period away; same supplier lead time after
    assert periodic.promise_on == continuous.promise_on + timedelta(days=21)


def test_pre_orders_on_each_purchase_order_are_promised_from_its_supplier(
    app: App, tmp_path: Path
) -> None:
    punctual, slow = _history(app, tmp_path)
    shop = seed_replenishment_shop(app)
    today = NOW.date()
    due = today + timedelta(days=10)
    _order(app, f"PO-S-{shop.sku}", slow, shop.sku, shop.lyon, due)
    _order(app, f"PO-P-{shop.sku}", punctual, shop.sku, shop.lyon, due)
    supplies = [
        Supply(f"PO-S-{shop.sku}", 12, due, None),
        Supply(f"PO-P-{shop.sku}", 12, due, None),
    ]

    with app.unit_of_work() as uow:
        dated = promise_supplies(uow, shop.sku, shop.lyon, supplies, today=today)

    from_slow, from_punctual = (s.promised_on for s in dated)
    assert from_slow is not None
    assert from_punctual is not None
    assert from_slow >= due + timedelta(days=31)  # SLOW's 30-day tail, and handling
    assert due < from_punctual < from_slow  # the same date, each its own supplier
