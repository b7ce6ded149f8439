"""The ledger and levels on SQLite and PostgreSQL, through the message bus."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands, errors

from builders import NOW, a_location, a_product, a_supplier
from conftest import random_sku


def _seed(app: App, sku: str, location: str = "WH1") -> None:
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        if uow.locations.get(location) is None:
            uow.locations.add(a_location(location))
        if uow.suppliers.get("SUP1") is None:
            uow.suppliers.add(a_supplier("SUP1"))
        uow.commit()


def _ledger_sum(app: App, sku: str) -> int:
    with app.sessions() as session:
        query = select(func.coalesce(func.sum(t.StockMovementRow.quantity), 0)).where(
            t.StockMovementRow.sku == sku
        )
        return int(session.execute(query).scalar_one())


def _on_hand(app: App, sku: str, location: str = "WH1") -> int:
    with app.sessions() as session:
        query = select(t.StockLevelRow.on_hand).where(
            t.StockLevelRow.sku == sku, t.StockLevelRow.location == location
        )
        return int(session.execute(query).scalar_one())


def test_sale_updates_level_and_ledger_in_one_transaction(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    app.bus.handle(commands.RecordAdjustment(sku, "WH1", 10, NOW, f"{sku}-in"))
    app.bus.handle(commands.RecordSale(sku, "WH1", 4, NOW, f"{sku}-s1"))
    assert _on_hand(app, sku) == 6
    assert _ledger_sum(app, sku) == 6


def test_same_idempotency_key_records_once(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    first = app.bus.handle(commands.RecordReturn(sku, "WH1", 2, NOW, f"{sku}-r"))
    again = app.bus.handle(commands.RecordReturn(sku, "WH1", 2, NOW, f"{sku}-r"))
    assert (first.recorded, again.recorded) == (True, False)
    assert _on_hand(app, sku) == 2


def test_reusing_a_key_for_another_movement_is_refused(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    app.bus.handle(commands.RecordReturn(sku, "WH1", 2, NOW, f"{sku}-k"))
    with pytest.raises(errors.IdempotencyKeyReused):
        app.bus.handle(commands.RecordReturn(sku, "WH1", 3, NOW, f"{sku}-k"))


def test_receiving_a_purchase_order_moves_units_from_on_order_to_on_hand(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    line = commands.PurchaseOrderLineInput(sku, 20, Decimal("3.10"))
    number = f"PO-{sku}"
    app.bus.handle(commands.CreatePurchaseOrder(number, "SUP1", "WH1", (line,)))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    app.bus.handle(
        commands.ReceivePurchaseOrderLine(number, sku, 20, NOW, f"{sku}-rcv", rejected=2)
    )
    with app.sessions() as session:
        level = session.execute(
            select(t.StockLevelRow).where(t.StockLevelRow.sku == sku)
        ).scalar_one()
        status = session.execute(
            select(t.PurchaseOrderRow.status).where(t.PurchaseOrderRow.number == number)
        ).scalar_one()
    assert (level.on_hand, level.on_order, status) == (18, 0, "received")


def test_reconcile_reports_and_repairs_drift(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    app.bus.handle(commands.RecordAdjustment(sku, "WH1", 5, NOW, f"{sku}-a"))
    with app.sessions() as session, session.begin():
        session.execute(
            t.table_of(t.StockLevelRow)
            .update()
            .where(t.StockLevelRow.sku == sku)
            .values(on_hand=99)
        )
    report = app.bus.handle(commands.ReconcileStockLevels(skus=(sku,)))
    assert [(d.field, d.recorded, d.expected) for d in report.drifts] == [("on_hand", 99, 5)]
    app.bus.handle(commands.ReconcileStockLevels(repair=True, skus=(sku,)))
    assert _on_hand(app, sku) == 5
