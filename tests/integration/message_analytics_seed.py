"""A small shop's customer messages for the analytics tests (API, CLI, dashboard).

One restock episode of ``sku`` sent a ``back_in_stock`` wave on ``SENT`` to seven
subscribers, and another message went to a subscriber of ``other``:

=====  =======================================  ==================================
who    after the message                        counted as
=====  =======================================  ==================================
ann    buys the SKU 2 days later (Ann@...)      converted (e-mail case ignored)
bob    buys its best substitute 6 days later    converted (substitute; BOB@...)
cat    buys the SKU 8 days later                not converted (7-day window)
dan    buys its 4th substitute next day         not converted (best 3 only)
eve    refused at sending (status failed)       bounced
fay    accepted, then bounced by the provider   bounced (after a provider report)
gus    unsubscribes an hour later               unsubscribed (link)
hal    (``other``) unsubscribes from a page     unsubscribed (latest message)
=====  =======================================  ==================================
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_consent import ConsentLogRow
from stockguard.adapters.db.tables_messaging import MessageEventRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_substitutes import SubstituteNeighbourRow
from stockguard.adapters.db.tables_waves import RestockEpisodeRow

SENT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PEOPLE = ("ann", "bob", "cat", "dan", "eve", "fay", "gus")


@dataclass(frozen=True, slots=True)
class Seeded:
    sku: str
    substitute: str
    far_substitute: str
    other: str
    keys: dict[str, str]
    emails: dict[str, str]


def _product(sku: str) -> dict[str, Any]:
    return {"sku": sku, "title": f"Mug {sku}", "price": Decimal("12.90"), "currency": "EUR",
            "status": "active", "attributes": {}}  # fmt: skip


def _subscription(sku: str, contact: str) -> dict[str, Any]:
    return {"sku": sku, "channel": "email", "contact": contact, "status": "confirmed",
            "locale": "en", "consent_text": "Tell me", "consent_at": SENT - timedelta(days=9),
            "consent_source": "widget", "ip_hash": None, "created_at": SENT - timedelta(days=9),
            "confirmed_at": SENT - timedelta(days=9), "unsubscribed_at": None}  # fmt: skip


def _delivery(key: str, target: str, status: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"idempotency_key": key, "source": "wave" if key.startswith("wave:") else "messaging",
            "channel": "email", "target": target, "subject": "Back in stock", "body": "text",
            "payload": payload, "status": status, "attempts": 1, "next_attempt_at": SENT,
            "lease_until": None, "last_error": None, "created_at": SENT,
            "sent_at": SENT if status == "sent" else None}  # fmt: skip


def _neighbour(sku: str, neighbour: str, rank: int) -> dict[str, Any]:
    return {"sku": sku, "kind": "substitute", "neighbour": neighbour, "rank": rank,
            "score": 0.5, "similarity": 0.5, "copurchase": 0.1, "refreshed_at": SENT}  # fmt: skip


def seed(db: Any) -> Seeded:
    """Insert the story above through ``db`` (a Session or a Connection); returns the names."""
    tag = uuid.uuid4().hex[:6].upper()
    sku, sub, far, other = (f"MA{tag}-{n}" for n in ("MUG", "ALT", "FAR", "OTH"))
    fillers = [f"MA{tag}-F{i}" for i in (2, 3)]
    emails = {who: f"{who}.{tag.lower()}@example.com" for who in (*PEOPLE, "hal")}
    db.execute(
        insert(t.table_of(t.ProductRow)), [_product(s) for s in (sku, sub, far, other, *fillers)]
    )
    ranks = [(sub, 1), (fillers[0], 2), (fillers[1], 3), (far, 4)]
    db.execute(
        insert(t.table_of(SubstituteNeighbourRow)), [_neighbour(sku, n, r) for n, r in ranks]
    )
    db.execute(
        insert(t.table_of(RestockEpisodeRow)),
        [{"sku": sku, "kind": "restock", "status": "open", "opened_at": SENT,
          "available_at_open": 10, "waves": 1, "last_wave_at": SENT, "closed_at": None}],
    )  # fmt: skip
    episode = db.execute(
        select(RestockEpisodeRow.id).where(RestockEpisodeRow.sku == sku)
    ).scalar_one()
    subs = t.table_of(BackInStockSubscriptionRow)
    db.execute(insert(subs), [_subscription(sku, emails[w]) for w in PEOPLE])
    db.execute(insert(subs), [_subscription(other, emails["hal"])])
    ids = dict(
        db.execute(select(subs.c.contact, subs.c.id).where(subs.c.sku.in_([sku, other]))).all()
    )
    keys = {w: f"wave:{episode}:{ids[emails[w]]}" for w in PEOPLE}
    keys["hal"] = f"bis:{other}:{tag}:hal"
    wave = {"sku": sku, "episode": episode, "wave": 1, "html": "<p>back</p>"}
    targets = {**emails, "bob": emails["bob"].upper()}  # as a notice may store it
    rows = [
        _delivery(keys[w], targets[w], "failed" if w == "eve" else "sent", wave) for w in PEOPLE
    ]
    rows.append(_delivery(keys["hal"], emails["hal"], "sent",
                          {"template": "back_in_stock", "sku": other}))  # fmt: skip
    db.execute(insert(t.table_of(NotificationDeliveryRow)), rows)
    _orders(db, tag, sku, sub, far, emails)
    db.execute(
        insert(t.table_of(ConsentLogRow)),
        [{"subscription_id": ids[emails["gus"]], "contact": emails["gus"], "contact_hmac": "x" * 64,
          "event": "unsubscribed", "source": "one_click", "ip_hmac": None, "text": "",
          "at": SENT + timedelta(hours=1)},
         {"subscription_id": None, "contact": emails["hal"], "contact_hmac": "y" * 64,
          "event": "unsubscribed", "source": "link", "ip_hmac": None, "text": "",
          "at": SENT + timedelta(hours=3)}],
    )  # fmt: skip
    db.execute(
        insert(t.table_of(MessageEventRow)),
        [{"message_key": keys["ann"], "kind": "clicked", "template": "back_in_stock", "sku": sku,
          "contact": None, "detail": "https://shop.example/p", "occurred_at": SENT,
          "dedup_key": None}] * 2,
    )  # fmt: skip
    return Seeded(sku, sub, far, other, keys, emails)


def _orders(db: Any, tag: str, sku: str, sub: str, far: str, emails: dict[str, str]) -> None:
    bought = {"ann": (sku, 2), "bob": (sub, 6), "cat": (sku, 8), "dan": (far, 1)}
    db.execute(
        insert(t.table_of(t.CustomerRow)),
        [{"external_id": f"C{tag}-{who}", "email": emails[who].capitalize() if who == "ann"
          else emails[who], "phone": None, "name": who.title(), "locale": "en", "country": None,
          "email_consent_at": None, "sms_consent_at": None} for who in bought],
    )  # fmt: skip
    db.execute(
        insert(t.table_of(t.SalesOrderRow)),
        [{"number": f"SO{tag}-{who}", "customer": f"C{tag}-{who}", "channel": "web",
          "ordered_at": SENT + timedelta(days=days), "currency": "EUR", "status": "open"}
         for who, (_sku, days) in bought.items()],
    )  # fmt: skip
    db.execute(
        insert(t.table_of(t.SalesOrderLineRow)),
        [{"order_number": f"SO{tag}-{who}", "line_no": 1, "sku": item, "quantity": 1,
          "unit_price": Decimal("12.90")} for who, (item, _days) in bought.items()],
    )  # fmt: skip
