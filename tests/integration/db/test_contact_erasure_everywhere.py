"""Export and erasure of a contact cover the whole of customer communication (SQLite + PG):
the contact subscribed and was told in a wave, viewed another product and was told of
its restock as a viewer, pre-ordered and received a delay notice with a compensation
code. After erasure no row of those areas names the contact or its customer id, while
the counts (subscriptions per SKU, contacts told, notices, budget used) are unchanged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Table, func, select

from integration.web.messaging_shop import NOW, Shop, a_shop, consenting_viewer
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.messaging_analytics import SqlCallbackStore
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_compensation import CompensationCodeRow, CustomerNoticeRow
from stockguard.adapters.db.tables_consent import ConsentLogRow, SubscriptionRequestRow
from stockguard.adapters.db.tables_messaging import MessageEventRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_waves import (
    ProductViewRow,
    RestockEpisodeRow,
    WaveNotificationRow,
)
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.consent.handlers import EraseContact, ExportContact
from stockguard.services.messaging.analytics_callbacks import (
    Outcome,
    ProviderKind,
    ProviderReport,
    record_provider_report,
)
from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.waves import advance

COMMUNICATION_TABLES = [
    t.table_of(row)
    for row in (
        BackInStockSubscriptionRow, ConsentLogRow, SubscriptionRequestRow, WaveNotificationRow,
        ProductViewRow, CustomerNoticeRow, CompensationCodeRow, MessageEventRow,
        t.OutboxRow,
    )
] + [DELIVERIES]  # fmt: skip
NOTIFIED = t.table_of(WaveNotificationRow)
EPISODES = t.table_of(RestockEpisodeRow)
CODES = t.table_of(CompensationCodeRow)
NOTICES = t.table_of(CustomerNoticeRow)
VIEWS = t.table_of(ProductViewRow)


def _viewer_told(app: App, shop: Shop) -> None:
    """``other_sku`` comes back; its viewers (with consent) are told after subscribers."""
    at = NOW - timedelta(minutes=30)
    app.bus.handle(commands.RecordAdjustment(shop.other_sku, shop.location, 3, at, "cup-in"))
    with SqlRelayUnitOfWork(app.sessions) as uow:
        outcome = advance(uow, shop.other_sku, at, WaveSettings(include_viewers=True))
        uow.commit()
    assert (outcome.action, outcome.told) == ("wave", 1)


def _provider_reports_a_bounce(app: App, contact: str) -> None:
    """The delay notice to ``contact`` bounces, with the address in the diagnostic."""
    with app.sessions() as session:
        key = session.execute(
            select(DELIVERIES.c.idempotency_key).where(
                DELIVERIES.c.target == contact, DELIVERIES.c.source == "notice"
            )
        ).scalar_one()
        report = ProviderReport(
            ProviderKind.BOUNCED, NOW, message_key=key, reason=f"550 {contact}: no such user"
        )
        assert record_provider_report(SqlCallbackStore(session), report) is Outcome.RECORDED
        session.commit()


def _rows_naming(app: App, *needles: str) -> list[tuple[str, Any]]:
    """(table, row) of every communication row whose text holds one of ``needles``."""
    found = []
    with app.reader() as session:
        for table in COMMUNICATION_TABLES:
            for row in session.execute(select(table)).all():
                text = repr(tuple(row)).lower()
                found += [(table.name, row) for n in needles if n.lower() in text]
    return found


def _counts(app: App, shop: Shop) -> tuple[int, ...]:
    subs = t.table_of(BackInStockSubscriptionRow)
    with app.reader() as session:

        def count(table: Table, *where: Any) -> int:
            return int(session.execute(select(func.count()).select_from(table).where(*where))
                       .scalar_one())  # fmt: skip

        used = session.execute(
            select(func.sum(CODES.c.face_value)).where(CODES.c.order_ref.in_(shop.preorders))
        ).scalar_one()
        episodes = select(EPISODES.c.id).where(EPISODES.c.sku.in_([shop.sku, shop.other_sku]))
        return (
            count(subs, subs.c.sku == shop.sku),
            count(NOTIFIED, NOTIFIED.c.episode_id.in_(episodes)),
            count(NOTICES, NOTICES.c.sku == shop.sku),
            count(VIEWS, VIEWS.c.sku == shop.other_sku),
            int(used * 100),
        )


def test_erasure_leaves_no_communication_row_naming_the_contact(app: App) -> None:
    shop = a_shop(app)
    contact = shop.contacts[0]  # first in the queue (told in the wave) and a pre-order customer
    viewer_id = f"cust-{contact.split('@')[0]}"
    consenting_viewer(app, viewer_id, contact, shop.other_sku, NOW - timedelta(hours=1))
    _viewer_told(app, shop)
    _provider_reports_a_bounce(app, contact)

    exported = app.bus.handle(ExportContact(contact.upper(), NOW))
    assert [s["status"] for s in exported["subscriptions"]] == ["confirmed"]
    assert exported["customer_ids"] == [viewer_id]
    assert sorted(w["audience"] for w in exported["wave_notifications"]) == [
        "subscriber", "viewer",
    ]  # fmt: skip
    assert [v["sku"] for v in exported["product_views"]] == [shop.other_sku]
    assert [n["reason"] for n in exported["delay_notices"]] == ["po_slipped"]
    assert [c["order_ref"] for c in exported["compensation_codes"]] == [shop.preorders[0]]
    assert _rows_naming(app, contact, viewer_id)  # the contact is everywhere before
    before = _counts(app, shop)

    counts = app.bus.handle(EraseContact(contact, NOW))

    assert _rows_naming(app, contact, viewer_id) == []
    assert _counts(app, shop) == before
    assert counts["wave_notifications"] == 1  # the viewer row (the subscriber's names nobody)
    assert counts["product_views"] == 1
    assert counts["delay_notices"] == 1
    assert counts["compensation_codes"] == 1
    assert counts["outbox_events"] >= 1  # PreorderRepromised names the pre-order customer
    assert counts["delivery_keys"] >= 2  # the notice's and the viewer wave's keys
    assert counts["message_events"] == 1  # the bounce report
    with app.reader() as session:
        consent = session.execute(select(VIEWS.c.marketing_consent).where(
            VIEWS.c.sku == shop.other_sku)).scalar_one()  # fmt: skip
    assert consent is False  # an erased viewer is never told again
    with app.reader() as session:  # keys keep their shape, and a notice its delivery's key
        notice_key = session.execute(
            select(NOTICES.c.idempotency_key).where(NOTICES.c.order_ref == shop.preorders[0])
        ).scalar_one()
        keys = set(session.execute(select(DELIVERIES.c.idempotency_key)).scalars())
        viewer_keys = session.execute(
            select(NOTIFIED.c.idempotency_key).where(NOTIFIED.c.audience == "viewer")
        ).scalars().all()  # fmt: skip
    assert notice_key.startswith("notice:erased:")
    assert notice_key in keys
    assert any(k.startswith("wave:") and ":c:erased:" in k and k in keys for k in viewer_keys)
    again = app.bus.handle(ExportContact(contact, NOW))
    assert again["wave_notifications"] == again["delay_notices"] == []
    assert again["compensation_codes"] == again["product_views"] == []
