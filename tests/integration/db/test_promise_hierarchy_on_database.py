"""The storefront's promise and the pre-orders' promise read the two-level supplier
records on SQLite and PostgreSQL (ADR 0029): a punctual supplier among many punctual
suppliers is promised on its expected day (+ the handling day); alone, the shop's law
is mostly the wide default and the promise keeps a margin."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.domain.reservations import Supply
from stockguard.services.importing import scms
from stockguard.services.preorders.promises import promise_supplies
from stockguard.services.risk.refresh import refresh_risk
from stockguard.services.storefront.refresh import refresh_availability

MAIN_RECEIPTS = 100


def _history(app: App, tmp_path: Path, other_suppliers: int) -> str:
    """MAIN: 100 receipts on the scheduled day; ``other_suppliers`` more vendors with one
    on-time receipt each (the shop's suppliers: S = 1 + other_suppliers). Returns MAIN's
    supplier code."""
    tag = uuid.uuid4().hex[:8].upper()
    main = f"Main {tag}"
    vendors = [main] * MAIN_RECEIPTS + [f"Other {k} {tag}" for k in range(other_suppliers)]
    lines = [",".join(scms.COLUMNS)]
    start = date(2010, 1, 4)
    for i, vendor in enumerate(vendors):
        due = start + timedelta(days=7 * i)
        lines.append(
            f"{len(lines)},SO-{tag}-{len(lines)},Vietnam,N/A - From RDC,"
            f"{due:%d-%b-%y},{due:%d-%b-%y},ARV,Adult,{vendor},Drug {tag},5,3"
        )
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    return scms.supplier_code(main)


def _promise_on(app: App, tmp_path: Path, other_suppliers: int) -> tuple[date, date, date]:
    """(expected day, the storefront row's promise, the pre-order's promise) of a PO
    from MAIN for an out-of-stock SKU."""
    main = _history(app, tmp_path, other_suppliers)
    shop = seed_replenishment_shop(app)  # Lyon has nothing on hand
    due = NOW.date() + timedelta(days=10)
    number = f"PO-{shop.sku}"
    line = commands.PurchaseOrderLineInput(shop.sku, 12, Decimal("4.00"))
    app.bus.handle(commands.CreatePurchaseOrder(number, main, shop.lyon, (line,), expected_on=due))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    refresh_risk(app.unit_of_work(), now=NOW)
    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)
    table = t.table_of(StorefrontAvailabilityRow)
    with app.sessions() as session:
        row = session.execute(
            select(table).where(table.c.sku == shop.sku, table.c.location == shop.lyon)
        ).one()
    with app.unit_of_work() as uow:
        (dated,) = promise_supplies(
            uow, shop.sku, shop.lyon, [Supply(number, 12, due, None)], today=NOW.date()
        )
    assert row.promise_basis == f"purchase_order:{number}"
    assert dated.promised_on is not None
    return due, row.promise_on, dated.promised_on


def test_a_punctual_supplier_among_many_is_promised_its_expected_day(
    app: App, tmp_path: Path
) -> None:
    due, storefront, preorder = _promise_on(app, tmp_path, other_suppliers=14)

    # S = 15 punctual suppliers: the shop's law is on time with (15 + 20 x 0.5) / 35;
    # MAIN's (100 + 20 x 25/35) / 120 = 95.2% on time: its expected day + handling
    # (the rule before ADR 0029 kept 20 / 120 of the wide default: due + 3 + 1)
    assert storefront == preorder == due + timedelta(days=1)


def test_a_shop_with_one_supplier_keeps_the_wide_default_margin(app: App, tmp_path: Path) -> None:
    due, storefront, preorder = _promise_on(app, tmp_path, other_suppliers=0)

    # S = 1: the shop's law is 20 / 21 the wide default; MAIN is 92% on time, 95% by
    # 3 days late: due + 3 + the handling day
    assert storefront == preorder == due + timedelta(days=4)
