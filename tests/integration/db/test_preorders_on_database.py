"""Pre-orders on SQLite and PostgreSQL: the limit, first come first served by PO ETA,
re-promises when a PO slips or is cancelled, allocation on receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.domain import reservations as r
from stockguard.services.preorders.handlers import CancelPreorder, PlacePreorder, ShipPreorder
from stockguard.services.storefront.ports import PromiseBasis
from stockguard.services.storefront.promise import promise

from builders import a_location, a_product, a_supplier
from conftest import random_sku

TODAY = datetime.now(UTC).date()


def promised(days: int) -> date:
    """The promise for units of a PO expected in ``days`` days from a supplier without
    history: the storefront's 95% restock promise (lateness quantile + handling)."""
    expected = TODAY + timedelta(days=days)
    basis = PromiseBasis("SKU", "LOC", expected_on=expected, purchase_order="PO")
    made = promise([basis], today=TODAY, confidence=0.95)[0].promise_on
    assert made is not None
    assert made > expected  # conservative: later than the bare expected date
    return made


@dataclass(frozen=True, slots=True)
class Shop:
    sku: str
    location: str
    supplier: str
    early: str
    """PO of 3 units expected in 10 days."""
    late: str
    """PO of 5 units expected in 20 days."""


def _po(app: App, shop: Shop, number: str, units: int, days: int) -> None:
    line = commands.PurchaseOrderLineInput(shop.sku, units, Decimal("2.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            number, shop.supplier, shop.location, (line,), TODAY, TODAY + timedelta(days=days)
        )
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))


@pytest.fixture
def shop(app: App) -> Shop:
    s = Shop(random_sku(), random_sku("LOC")[:20], random_sku("SUP"), random_sku("PO"),
             random_sku("PO"))  # fmt: skip
    with app.unit_of_work() as uow:
        uow.products.add(a_product(s.sku))
        uow.locations.add(a_location(s.location))
        uow.suppliers.add(a_supplier(s.supplier))
        uow.commit()
    _po(app, s, s.late, 5, 20)
    _po(app, s, s.early, 3, 10)
    return s


def _place(app: App, shop: Shop, quantity: int, who: str) -> r.Preorder:
    command = PlacePreorder(shop.sku, quantity, f"{who}@example.com", f"{shop.sku}:{who}")
    preorder: r.Preorder = app.bus.handle(command).preorder
    return preorder


def _three(app: App, shop: Shop) -> tuple[r.Preorder, r.Preorder, r.Preorder]:
    """Ada 2 units (early PO), Bob 2 (1 early + 1 late), Cy 4 (late): all 8 promised."""
    return _place(app, shop, 2, "ada"), _place(app, shop, 2, "bob"), _place(app, shop, 4, "cy")


def _state(app: App, preorder_id: str) -> tuple[str, str | None, date | None]:
    with app.unit_of_work() as uow:
        found = uow.reservations.get_preorder(preorder_id)
        assert found is not None
        return found.status.value, found.purchase_order, found.promised_on


def _repromised(app: App, sku: str) -> list[dict[str, object]]:
    outbox = t.table_of(t.OutboxRow)
    with app.reader() as session:
        rows = session.execute(
            select(outbox.c.payload)
            .where(outbox.c.event_type == "PreorderRepromised")
            .order_by(outbox.c.id)
        ).scalars()
        return [p for p in rows if p["sku"] == sku]


def test_first_come_first_served_by_eta_up_to_the_open_quantity(app: App, shop: Shop) -> None:
    first = _place(app, shop, 2, "ada")
    assert (first.purchase_order, first.promised_on) == (shop.early, promised(10))
    assert first.location == shop.location  # the location the open POs deliver to
    second = _place(app, shop, 2, "bob")  # 1 unit left on the early PO, 1 from the late
    assert (second.purchase_order, second.promised_on) == (shop.late, promised(20))
    third = _place(app, shop, 4, "cy")
    assert third.purchase_order == shop.late
    with pytest.raises(r.PreorderRefused) as refused:
        _place(app, shop, 1, "dee")
    assert "only 0 unit(s) arriving on open purchase orders are not yet promised" in str(
        refused.value
    )
    replay = app.bus.handle(
        PlacePreorder(shop.sku, 2, "ada@example.com", f"{shop.sku}:ada")
    ).preorder
    assert replay.id == first.id


def test_refused_while_in_stock(app: App, shop: Shop) -> None:
    app.bus.handle(
        commands.RecordAdjustment(shop.sku, shop.location, 2, datetime.now(UTC), shop.sku)
    )
    with pytest.raises(r.PreorderRefused, match=r"it is in stock \(2 available\)"):
        _place(app, shop, 1, "ada")


def test_a_late_po_re_promises_in_creation_order(app: App, shop: Shop) -> None:
    ada, bob, cy = (
        _place(app, shop, 2, "ada"),
        _place(app, shop, 2, "bob"),
        _place(app, shop, 4, "cy"),
    )
    app.bus.handle(commands.UpdatePurchaseOrder(shop.early, expected_on=TODAY + timedelta(30)))
    # now the 5 units due in 20 days come first: ada 2 + bob 2 from them, cy 1 + 3 later
    assert _state(app, ada.id) == ("promised", shop.late, promised(20))
    assert _state(app, bob.id) == ("promised", shop.late, promised(20))
    assert _state(app, cy.id) == ("promised", shop.early, promised(30))
    events = _repromised(app, shop.sku)
    assert [e["preorder"] for e in events] == [ada.id, cy.id]  # bob's promise did not move
    assert events[0]["previous_promised_on"] == promised(10).isoformat()
    assert events[0]["promised_on"] == promised(20).isoformat()
    assert events[1]["customer"] == "cy@example.com"


def test_a_cancelled_po_leaves_later_pre_orders_unpromised(app: App, shop: Shop) -> None:
    ada, bob, cy = (
        _place(app, shop, 2, "ada"),
        _place(app, shop, 2, "bob"),
        _place(app, shop, 4, "cy"),
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(shop.late, "cancelled"))
    assert _state(app, ada.id) == ("promised", shop.early, promised(10))
    assert _state(app, bob.id) == ("unpromised", None, None)
    assert _state(app, cy.id) == ("unpromised", None, None)
    events = _repromised(app, shop.sku)
    assert [(e["preorder"], e["promised_on"]) for e in events] == [(bob.id, None), (cy.id, None)]
    app.bus.handle(CancelPreorder(ada.id))  # Ada's 2 units go to Bob, next in line
    assert _state(app, ada.id)[0] == "cancelled"
    assert _state(app, bob.id) == ("promised", shop.early, promised(10))
    assert _repromised(app, shop.sku)[-1]["preorder"] == bob.id
    assert not app.bus.handle(CancelPreorder(ada.id)).created


def test_received_units_become_allocations(app: App, shop: Shop) -> None:
    ada, bob = _place(app, shop, 2, "ada"), _place(app, shop, 2, "bob")
    app.bus.handle(
        commands.ReceivePurchaseOrderLine(shop.early, shop.sku, 3, datetime.now(UTC), shop.early)
    )
    assert _state(app, ada.id)[0] == "allocated"
    assert _state(app, bob.id) == ("promised", shop.late, promised(20))
    levels = t.table_of(t.StockLevelRow)
    with app.reader() as session:
        level = session.execute(
            select(levels.c.on_hand, levels.c.allocated, levels.c.reserved).where(
                levels.c.sku == shop.sku, levels.c.location == shop.location
            )
        ).one()
    assert tuple(level) == (3, 2, 0)  # one unit is free to sell
    with pytest.raises(r.PreorderClosed):
        app.bus.handle(ShipPreorder(bob.id))  # still waiting for its goods
    app.bus.handle(ShipPreorder(ada.id))
    assert _state(app, ada.id)[0] == "shipped"
    moves = t.table_of(t.StockMovementRow)
    with app.reader() as session:
        after = session.execute(
            select(levels.c.on_hand, levels.c.allocated).where(
                levels.c.sku == shop.sku, levels.c.location == shop.location
            )
        ).one()
        sale = session.execute(
            select(moves.c.quantity).where(moves.c.idempotency_key == f"preorder:{ada.id}:sale")
        ).scalar()
    assert (tuple(after), sale) == ((1, 0), -2)
