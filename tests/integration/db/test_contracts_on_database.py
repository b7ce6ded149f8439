"""Contracts and carriers on SQLite and PostgreSQL: a receipt and its penalty commit
together (a refused receipt writes none), contract files are all or nothing, shipments
keep their tracking and send ShipmentDelayed to the outbox."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_contracts as tc
from stockguard.adapters.db.views import carriers as carrier_views
from stockguard.bootstrap import App
from stockguard.domain import commands, contracts, errors
from stockguard.services.carriers import handlers as carrier_handlers
from stockguard.services.carriers.kpis import carrier_kpis
from stockguard.services.contracts.handlers import SetContractClause
from stockguard.services.importing import service
from stockguard.services.importing.problems import ImportRejected

from builders import a_location, a_product, a_supplier
from conftest import random_sku

D = Decimal


def _shop(app: App) -> dict[str, str]:
    names = {"sku": random_sku("MUG"), "supplier": random_sku("SUP"), "po": random_sku("PO")}
    with app.unit_of_work() as uow:
        uow.products.add(a_product(names["sku"]))
        uow.locations.add(a_location("WH1"))
        uow.suppliers.add(a_supplier(names["supplier"]))
        uow.commit()
    clause = contracts.ContractClause(
        supplier=names["supplier"],
        valid_from=date(2026, 1, 1),
        late_penalty_percent=D("0.5"),
        late_cap_percent=D("10"),
    )
    app.bus.handle(SetContractClause(clause))
    line = commands.PurchaseOrderLineInput(names["sku"], 100, D("10.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            names["po"], names["supplier"], "WH1", (line,),
            ordered_on=date(2026, 3, 1), expected_on=date(2026, 3, 10),
        )
    )  # fmt: skip
    app.bus.handle(commands.ChangePurchaseOrderStatus(names["po"], "sent"))
    return names


def _receive(app: App, shop: dict[str, str], quantity: int, day: int, key: str) -> None:
    at = datetime(2026, 3, day, 10, tzinfo=UTC)
    app.bus.handle(commands.ReceivePurchaseOrderLine(shop["po"], shop["sku"], quantity, at, key))


def _penalties(app: App) -> list[Any]:
    table = t.table_of(tc.SupplierPenaltyRow)
    with app.sessions() as session:
        return list(session.execute(select(table).order_by(table.c.id)).all())


def _outbox(app: App, event_type: str) -> list[dict[str, Any]]:
    table = t.table_of(t.OutboxRow)
    query = select(table.c.payload).where(table.c.event_type == event_type)
    with app.sessions() as session:
        return [row.payload for row in session.execute(query.order_by(table.c.id))]


def test_a_late_receipt_writes_its_penalty_and_event_with_the_receipt(app: App) -> None:
    shop = _shop(app)
    _receive(app, shop, 40, 14, "r-late")  # 4 days late: 2 % of 400.00

    [penalty] = _penalties(app)
    assert (penalty.supplier, penalty.kind, penalty.amount, penalty.days_late) == (
        shop["supplier"], "late", D("8.00"), 4,
    )  # fmt: skip
    assert penalty.key == "r-late:late"
    assert _outbox(app, "PenaltyCharged")[-1]["amount"] == "8.00"


def test_a_refused_receipt_writes_no_penalty(app: App) -> None:
    shop = _shop(app)
    with pytest.raises(errors.OverReceipt):
        _receive(app, shop, 150, 30, "r-over")
    assert _penalties(app) == []
    assert _outbox(app, "PenaltyCharged") == []


def test_a_contract_file_with_a_bad_row_is_refused_whole_naming_line_and_field(
    app: App,
) -> None:
    supplier = random_sku("SUP")
    with app.unit_of_work() as uow:
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()
    text = (
        "supplier,valid_from,late_penalty_percent,late_cap_percent,guaranteed_fill_rate\n"
        f"{supplier},2026-01-01,0.5,10,0.95\n"
        f"{supplier},2026-06-01,0.5,,\n"
        "NOBODY,2026-01-01,,,1.5\n"
    )
    with pytest.raises(ImportRejected) as refused:
        service.import_file("contracts", io.StringIO(text), "contracts.csv", app.unit_of_work())
    problems = [(p.line, p.column) for p in refused.value.problems]
    assert (3, "late_cap_percent") in problems
    assert (4, "guaranteed_fill_rate") in problems
    assert (4, "supplier") in problems
    assert "is needed with a late penalty" in str(refused.value)
    table = t.table_of(tc.ContractClauseRow)
    with app.sessions() as session:
        stored = session.execute(
            select(func.count()).where(table.c.supplier == supplier)
        ).scalar_one()
    assert stored == 0


def test_a_valid_contract_file_stores_each_clause(app: App) -> None:
    supplier = random_sku("SUP")
    with app.unit_of_work() as uow:
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()
    text = (
        "supplier,valid_from,valid_to,max_lead_time_days,quality_threshold,quality_penalty_percent\n"
        f"{supplier},2026-01-01,2026-05-31,14,0.02,5\n"
        f"{supplier},2026-06-01,,10,,\n"
    )
    report = service.import_file("contracts", io.StringIO(text), "c.csv", app.unit_of_work())
    assert report.written == {"contract_clause": 2}
    with app.unit_of_work() as uow:
        clauses = uow.contracts.clauses(supplier)
    assert [(c.valid_to, c.max_lead_time_days) for c in clauses] == [
        (date(2026, 5, 31), 14),
        (None, 10),
    ]


def test_shipments_keep_their_tracking_and_feed_the_carrier_kpis(app: App) -> None:
    with app.unit_of_work() as uow:
        uow.session.execute(t.table_of(t.CarrierRow).insert(), [{"code": "DHL", "name": "DHL"}])
        uow.commit()
    booked = datetime(2026, 5, 1, 9, tzinfo=UTC)
    for reference in ("TRK-1", "TRK-2"):
        app.bus.handle(
            carrier_handlers.BookShipment(reference, "DHL", "CN", "WH1", date(2026, 5, 10), booked)
        )
    at = datetime(2026, 5, 9, 8, tzinfo=UTC)
    app.bus.handle(carrier_handlers.UpdateShipment("TRK-1", "delayed", at, date(2026, 5, 13)))
    app.bus.handle(carrier_handlers.UpdateShipment("TRK-1", "delivered", at.replace(day=14)))
    app.bus.handle(carrier_handlers.UpdateShipment("TRK-2", "delivered", at.replace(day=10)))
    with pytest.raises(errors.InvalidTransition):
        app.bus.handle(carrier_handlers.UpdateShipment("TRK-2", "in_transit", at.replace(day=11)))

    with app.sessions() as session:
        view = carrier_views.shipment(session, "TRK-1")
        [found] = carrier_kpis(carrier_views.delivered(session, "DHL"))
    assert view is not None
    assert [row.status for row in view.tracking] == ["booked", "delayed", "delivered"]
    assert (found.delivered, found.on_time_rate, found.mean_delay_days) == (2, 0.5, 2.0)
    assert _outbox(app, "ShipmentDelayed")[0]["delay_days"] == 3
