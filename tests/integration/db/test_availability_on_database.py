"""Storefront availability on SQLite and PostgreSQL: a refresh stores one row per SKU x
sellable location with its restock promise, each movement updates its row in the
movement's transaction, a PO slip re-promises (with an outbox event), and a refused
movement leaves the rows as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.bootstrap import App
from stockguard.domain import commands, errors
from stockguard.services import ports
from stockguard.services.carriers import handlers as carriers
from stockguard.services.risk.refresh import refresh_risk
from stockguard.services.storefront.refresh import refresh_availability

LATER = NOW + timedelta(hours=1)


def _rows(app: App, sku: str) -> dict[str, Any]:
    table = t.table_of(StorefrontAvailabilityRow)
    with app.sessions() as session:
        found = session.execute(select(table).where(table.c.sku == sku)).all()
    return {row.location: row for row in found}


def _outbox(app: App, event_type: str) -> list[dict[str, Any]]:
    table = t.table_of(t.OutboxRow)
    query = select(table.c.payload).where(table.c.event_type == event_type)
    with app.sessions() as session:
        return [row.payload for row in session.execute(query.order_by(table.c.id))]


def _refreshed(app: App) -> ReplenishmentShop:
    shop = seed_replenishment_shop(app)  # Paris: 5 on hand; Lyon: nothing
    refresh_risk(app.unit_of_work(), now=NOW)
    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)
    return shop


def _sell(app: App, shop: ReplenishmentShop, quantity: int, key: str) -> None:
    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, quantity, LATER, key))


def test_a_refresh_stores_states_and_a_conservative_promise_per_location(app: App) -> None:
    shop = _refreshed(app)

    rows = _rows(app, shop.sku)

    paris, lyon = rows[shop.paris], rows[shop.lyon]
    assert (paris.state, paris.available) == ("low_stock", 5)
    assert lyon.state == "out_of_stock"
    # no purchase order: ordered today, back after the 95% lead time plus a day's handling
    assert lyon.promise_basis == "policy"
    assert lyon.promise_confidence == pytest.approx(0.95)
    assert lyon.promise_on > NOW.date() + timedelta(days=7)


def test_a_sale_to_zero_flips_the_row_to_out_of_stock_in_the_same_transaction(
    app: App,
) -> None:
    shop = _refreshed(app)

    _sell(app, shop, 5, f"{shop.sku}-sale")

    paris = _rows(app, shop.sku)[shop.paris]
    assert (paris.state, paris.on_hand, paris.available) == ("out_of_stock", 0, 0)
    assert paris.updated_at > NOW  # written by the movement's unit of work


def test_a_refused_movement_leaves_the_rows_unchanged(app: App) -> None:
    shop = _refreshed(app)
    before = _rows(app, shop.sku)

    with pytest.raises(errors.InvalidQuantity):
        _sell(app, shop, 0, f"{shop.sku}-zero")
    with pytest.raises(errors.IdempotencyKeyReused):  # the seeding count's key
        _sell(app, shop, 5, f"{shop.sku}-count")

    assert _rows(app, shop.sku) == before


def test_a_purchase_order_slip_re_promises_and_writes_the_event(app: App) -> None:
    shop = _refreshed(app)
    _sell(app, shop, 5, f"{shop.sku}-sale")
    number = f"PO-{shop.sku}"
    line = commands.PurchaseOrderLineInput(shop.sku, 24, Decimal("4.00"))
    expected = datetime.now(UTC).date() + timedelta(days=10)  # the unit of work's clock
    app.bus.handle(
        commands.CreatePurchaseOrder(number, shop.acme, shop.paris, (line,), expected_on=expected)
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    first = _rows(app, shop.sku)[shop.paris]
    assert first.state == "preorder"
    assert first.promise_basis == f"purchase_order:{number}"
    assert first.promise_on > expected  # the supplier's 95% lateness and a day to receive

    app.bus.handle(commands.UpdatePurchaseOrder(number, expected_on=expected + timedelta(days=14)))

    slipped = _rows(app, shop.sku)[shop.paris]
    assert slipped.promise_on == first.promise_on + timedelta(days=14)
    events = [e for e in _outbox(app, "RestockPromiseChanged") if e["sku"] == shop.sku]
    assert events[-1]["promised_on"] == slipped.promise_on.isoformat()
    assert events[-1]["previous_promised_on"] == first.promise_on.isoformat()
    assert events[-1]["reason"] == "purchase_order"
    assert events[-1]["confidence"] == pytest.approx(0.95)


def test_a_shipment_reported_late_re_promises_its_purchase_order(app: App) -> None:
    shop = _refreshed(app)
    _sell(app, shop, 5, f"{shop.sku}-sale")
    number, carrier = f"PO-{shop.sku}", f"CAR-{shop.sku}"[:32]
    today = datetime.now(UTC).date()
    line = commands.PurchaseOrderLineInput(shop.sku, 24, Decimal("4.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            number, shop.acme, shop.paris, (line,), expected_on=today + timedelta(days=5)
        )
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    with app.unit_of_work() as uow:
        uow.bulk.upsert(ports.Entity.CARRIER, [{"code": carrier, "name": "Road"}])
        uow.commit()
    reference = f"SH-{shop.sku}"
    app.bus.handle(
        carriers.BookShipment(
            reference, carrier, "ACME", shop.paris, today + timedelta(days=5), LATER,
            purchase_order=number,
        )
    )  # fmt: skip
    first = _rows(app, shop.sku)[shop.paris]

    app.bus.handle(
        carriers.UpdateShipment(reference, "delayed", LATER, expected_on=today + timedelta(days=12))
    )

    later = _rows(app, shop.sku)[shop.paris]
    assert later.promise_on == first.promise_on + timedelta(days=7)
    event = [e for e in _outbox(app, "RestockPromiseChanged") if e["sku"] == shop.sku][-1]
    assert (event["reason"], event["promised_on"]) == (
        "shipment_delayed",
        later.promise_on.isoformat(),
    )


def test_a_second_open_order_brings_the_promise_in_the_earliest_arrival_of_both(
    app: App,
) -> None:
    shop = _refreshed(app)
    _sell(app, shop, 5, f"{shop.sku}-sale-2")
    expected = datetime.now(UTC).date() + timedelta(days=10)  # the unit of work's clock
    for number in (f"PO-A-{shop.sku}", f"PO-B-{shop.sku}"):
        line = commands.PurchaseOrderLineInput(shop.sku, 12, Decimal("4.00"))
        app.bus.handle(
            commands.CreatePurchaseOrder(
                number, shop.acme, shop.paris, (line,), expected_on=expected
            )
        )
        app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
        if number.startswith("PO-A"):
            alone = _rows(app, shop.sku)[shop.paris]

    both = _rows(app, shop.sku)[shop.paris]
    assert both.promise_basis == f"purchase_order:PO-A-{shop.sku}"
    # either order restocks: P(by t) = 1 - (1 - F(t))^2, an earlier 95% date, never
    # before the expected date's day of handling
    assert expected < both.promise_on < alone.promise_on
