"""Delay notices on SQLite and PostgreSQL: a slipped PO tells each affected pre-order
customer once, with the new date and the compensation the rules give; open sales orders
hear of a later restock date."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from integration.alert_receivers import put_event
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_compensation import CompensationCodeRow, CustomerNoticeRow
from stockguard.adapters.notifications.templates import install_default
from stockguard.bootstrap import App
from stockguard.domain import commands, events
from stockguard.entrypoints.worker import build_worker
from stockguard.services.compensation.handlers import set_policy
from stockguard.services.preorders.handlers import PlacePreorder
from stockguard.services.substitutes.ports import NeighbourKind, NeighbourRecord

from builders import (
    a_customer,
    a_location,
    a_product,
    a_supplier,
    an_order,
    out_of_stock_at_paris,
)
from conftest import random_sku

NOW = datetime.now(UTC)
TODAY = NOW.date()
DELIVERIES = t.table_of(NotificationDeliveryRow)
NOTICES = t.table_of(CustomerNoticeRow)
CODES = t.table_of(CompensationCodeRow)
RULES = {
    "tiers": {"silver": 500, "gold": 2000},
    "monthly_budget": 100000,
    "shipping_value": 5,
    "rules": [{"name": "late a week", "kind": "percent", "value": 10, "min_days_late": 7}],
}


def _po(app: App, sku: str, location: str, supplier: str, number: str, days: int) -> None:
    line = commands.PurchaseOrderLineInput(sku, 5, Decimal("2.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            number, supplier, location, (line,), TODAY, TODAY + timedelta(days=days)
        )
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))


def _notice_deliveries(app: App, marker: str) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        rows = session.execute(
            select(DELIVERIES.c.target, DELIVERIES.c.subject, DELIVERIES.c.body)
            .where(DELIVERIES.c.source == "notice", DELIVERIES.c.body.contains(marker))
            .order_by(DELIVERIES.c.target)
        ).all()
    return [(r.target, r.subject, r.body) for r in rows]


def test_a_slipped_po_notifies_each_pre_order_customer_once_with_the_new_date(app: App) -> None:
    sku, location, supplier, po = (
        random_sku(),
        random_sku("L")[:20],
        random_sku("S"),
        random_sku("PO"),
    )
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, price=Decimal("40.00")))
        uow.locations.add(a_location(location))
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), RULES, "rules.yaml", NOW)
    _po(app, sku, location, supplier, po, 10)
    placed = [
        app.bus.handle(PlacePreorder(sku, 2, f"{who}-{sku}@example.com", f"{sku}:{who}")).preorder
        for who in ("ada", "bob")
    ]
    worker = build_worker(app, channel_transports={})
    worker.relay_outbox_job()  # placing pre-orders notifies nobody
    assert _notice_deliveries(app, sku) == []

    app.bus.handle(commands.UpdatePurchaseOrder(po, expected_on=TODAY + timedelta(days=30)))
    worker.relay_outbox_job()
    sent = _notice_deliveries(app, sku)
    with app.unit_of_work() as uow:
        new_dates = {p.id: uow.reservations.get_preorder(p.id).promised_on for p in placed}  # type: ignore[union-attr]
    assert [target for target, _, _ in sent] == [f"ada-{sku}@example.com", f"bob-{sku}@example.com"]
    for preorder, (_, subject, body) in zip(placed, sent, strict=True):
        new = new_dates[preorder.id]
        assert new is not None
        assert preorder.promised_on is not None
        assert new > preorder.promised_on
        assert subject == f"Your pre-order {preorder.id} is delayed"
        assert f"by {new:%A %d %B %Y}" in body
        assert "We are sorry" in body
        assert "10% off your next order" in body
    with app.sessions() as session:
        codes = session.execute(
            select(CODES.c.customer, CODES.c.face_value).where(
                CODES.c.order_ref.in_([p.id for p in placed])
            )
        ).all()
    assert sorted(c.customer for c in codes) == [f"ada-{sku}@example.com", f"bob-{sku}@example.com"]
    assert {Decimal(c.face_value) for c in codes} == {Decimal("8.00")}  # 10% of 2 x 40

    # the same events relayed again (a crash before the relay committed) add nothing
    with app.sessions() as session:
        outbox = t.table_of(t.OutboxRow)
        again = (
            session.execute(
                select(outbox.c.payload).where(outbox.c.event_type == "PreorderRepromised")
            )
            .scalars()
            .all()
        )
    for payload in [p for p in again if p["sku"] == sku]:
        put_event(app, events.PreorderRepromised(**payload), NOW)
    worker.relay_outbox_job()
    assert len(_notice_deliveries(app, sku)) == 2


def _notice_to(app: App, customer: str) -> Any:
    """The one notice delivery queued for ``customer``."""
    with app.sessions() as session:
        return session.execute(
            select(DELIVERIES).where(DELIVERIES.c.source == "notice",
                                     DELIVERIES.c.target == f"{customer}@example.com")
        ).one()  # fmt: skip


def _open_order(app: App, name: str, locale: str) -> tuple[str, str, str]:
    """A customer with an open order of 3 units of a new SKU: (sku, order, customer)."""
    sku, number = random_sku(), random_sku("SO")
    customer = random_sku("C")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, price=Decimal("25.00")))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR"))
        uow.commit()
    with app.sessions() as session:
        a_customer(session, customer, name=name, locale=locale)
        an_order(session, number, customer, sku, 3, Decimal("25.00"), ordered_at=NOW)
        session.commit()  # fmt: skip
    return sku, number, customer


def test_open_orders_hear_of_a_later_restock_date_once(app: App) -> None:
    sku, number, customer = _open_order(app, "Zoé", "fr")
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), RULES, "rules.yaml", NOW)
    old, new = TODAY + timedelta(days=5), TODAY + timedelta(days=12)
    change = events.RestockPromiseChanged(
        sku=sku, location="PAR", promised_on=new.isoformat(), previous_promised_on=old.isoformat(),
        confidence=0.95, state="out_of_stock", reason="po_slipped",
    )  # fmt: skip
    earlier = dataclasses.replace(
        change, promised_on=(TODAY + timedelta(days=3)).isoformat()
    )  # an earlier date is good news: no notice
    for event in (change, change, earlier):
        put_event(app, event, NOW)
    build_worker(app, channel_transports={}).relay_outbox_job()
    sent = _notice_deliveries(app, number)
    assert len(sent) == 1
    target, subject, body = sent[0]
    assert target == f"{customer}@example.com"
    assert subject == f"Your order {number} is delayed"
    assert "Hello Zoé," in body
    assert f"{new:%A %d %B %Y}" in body
    assert "10% off your next order" in body


def test_a_templated_notice_in_the_customers_language_with_an_amount_off(app: App) -> None:
    """With the messaging renderer installed (as ``bootstrap`` does) the notice is the
    ``delay_notice`` template in French, text and HTML, with the amount offered."""
    install_default()
    rules = {"monthly_budget": 1000, "rules": [{"name": "five off", "kind": "amount",
                                                "value": 5, "min_days_late": 1}]}  # fmt: skip
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), rules, "rules.yaml", NOW)
    sku, number, customer = _open_order(app, "Zoé", "fr")
    old, new = date(2026, 12, 1), date(2026, 12, 9)
    put_event(app, events.RestockPromiseChanged(
        sku=sku, location="PAR", promised_on=new.isoformat(), previous_promised_on=old.isoformat(),
        confidence=0.95, state="out_of_stock", reason="po_slipped",
    ), NOW)  # fmt: skip
    build_worker(app, channel_transports={}).relay_outbox_job()
    row = _notice_to(app, customer)
    assert number in row.subject
    assert "Zoé" in row.body
    assert "9 déc" in row.body  # Babel's French date
    assert "5,00" in row.body  # and money
    assert "<p" in row.payload["html"].lower()


def test_a_stock_out_tells_open_orders_the_storefront_date_and_gold_customers_get_more(
    app: App,
) -> None:
    """Tier from 12-month spend: a customer with 2,500 EUR of past orders is gold and gets
    the gold rule; a new customer falls through to free shipping."""
    rules = {
        "tiers": {"silver": 500, "gold": 2000}, "monthly_budget": 1000, "shipping_value": 5,
        "rules": [
            {"name": "gold", "kind": "percent", "value": 15, "min_tier": "gold"},
            {"name": "others", "kind": "free_shipping"},
        ],
    }  # fmt: skip
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), rules, "rules.yaml", NOW)
    sku, gold_order, gold = _open_order(app, "Grace", "en")
    promise = TODAY + timedelta(days=9)
    with app.sessions() as session:
        past = random_sku("SO")
        an_order(session, past, gold, sku, 100, Decimal("25.00"),
                 ordered_at=NOW - timedelta(days=60), status="fulfilled")  # fmt: skip
        other, newcomer = random_sku("SO"), random_sku("C")
        a_customer(session, newcomer)
        an_order(session, other, newcomer, sku, 1, Decimal("25.00"), ordered_at=NOW)
        out_of_stock_at_paris(session, sku, on_order=5, promise=promise, now=NOW)
        session.commit()  # fmt: skip
    put_event(app, events.StockedOut(sku=sku, location="PAR", on_hand=0), NOW)
    build_worker(app, channel_transports={}).relay_outbox_job()

    to_gold = _notice_deliveries(app, gold_order)
    to_newcomer = _notice_deliveries(app, other)
    assert len(to_gold) == 1
    assert len(to_newcomer) == 1
    assert f"{promise:%A %d %B %Y}" in to_gold[0][2]
    assert "15% off your next order" in to_gold[0][2]
    assert "free shipping on your next order" in to_newcomer[0][2]
    with SqlCompensationUnitOfWork(app.sessions) as uow:
        notices = uow.compensation.notices(customer=gold)
    assert [(n.reason, n.promised_on, n.order_ref) for n in notices] == [
        ("stocked_out", promise, gold_order)
    ]


def test_a_templated_notice_offers_the_customers_in_stock_substitutes(app: App) -> None:
    """The notice lists the late product's in-stock substitutes, ranked for the customer
    (``substitutes_for`` with their id), each linked to its product page; an out-of-stock
    neighbour is not offered."""
    install_default()
    sku, _number, customer = _open_order(app, "Zoé", "fr")
    in_stock, out_of_stock = random_sku("ALT"), random_sku("ALT")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(in_stock, title="Tasse verte", price=Decimal("14.50")))
        uow.products.add(a_product(out_of_stock, title="Tasse rouge", price=Decimal("13.00")))
        uow.commit()
    app.bus.handle(commands.RecordAdjustment(in_stock, "PAR", 6, NOW, f"{in_stock}-in"))
    with app.sessions() as session:
        SqlSubstituteRepository(session).replace_neighbours(
            [NeighbourRecord(sku, NeighbourKind.SUBSTITUTE, alt, rank, 0.9, 0.9, 0.0)
             for rank, alt in enumerate((out_of_stock, in_stock), start=1)],
            NOW,
        )  # fmt: skip
        session.commit()
    old, new = TODAY + timedelta(days=2), TODAY + timedelta(days=9)
    put_event(app, events.RestockPromiseChanged(
        sku=sku, location="PAR", promised_on=new.isoformat(), previous_promised_on=old.isoformat(),
        confidence=0.95, state="out_of_stock", reason="po_slipped",
    ), NOW)  # fmt: skip
    build_worker(app, channel_transports={}).relay_outbox_job()
    row = _notice_to(app, customer)
    assert "ces articles sont en stock dès maintenant" in row.body
    page = f"http://localhost:8000/storefront/demo/product/{in_stock}"
    assert f"Tasse verte, 14,50\u00a0€ : {page}" in row.body
    assert "Tasse rouge" not in row.body
    assert "Suivre votre commande" not in row.body  # the shop gave no order page link
    assert f'href="{page}"' in row.payload["html"]
