"""Delay notices: who is affected by an event, and one notice per customer x order x date.

The relay hands ``PreorderRepromised`` (a pre-order's promise moved: its PO slipped, was
cancelled or replaced), ``RestockPromiseChanged`` (the storefront's restock date of a SKU
moved) and ``StockedOut`` to ``notify_for``, in the relay's transaction. A notice goes out
only when the customer now waits longer (new date later than the previous one, or no date
any more). Each notice has the idempotency key ``notice:<customer>:<order>:<new date>``:
its delivery, its compensation code and its record are written once even if the event is
relayed again or several events announce the same date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from stockguard.domain import compensation as c
from stockguard.services.compensation.handlers import compensate
from stockguard.services.compensation.model import AffectedOrder, Notice
from stockguard.services.compensation.ports import CompensationStore
from stockguard.services.notices.messages import ProductLink, delay_notice
from stockguard.services.outbox.model import Channel, Delivery, OutboxMessage
from stockguard.services.outbox.ports import DeliveryStore

SOURCE = "notice"
SUBSTITUTES = 3
"""In-stock substitutes a notice offers, for a customer who would rather not wait."""
EVENTS = ("PreorderRepromised", "RestockPromiseChanged", "StockedOut")


def notify_for(
    message: OutboxMessage,
    store: CompensationStore,
    deliveries: DeliveryStore,
    *,
    product_link: ProductLink | None = None,
) -> int:
    """Queue the notices ``message`` implies; returns how many were new. Does not commit."""
    payload, now = message.payload, message.created_at
    today = now.date()
    if message.event_type == "PreorderRepromised":
        new, old = _date(payload.get("promised_on")), _date(payload.get("previous_promised_on"))
        order = store.preorder(str(payload["preorder"]))
        if order is None or not _slipped(new, old):
            return 0
        return int(notify(store, deliveries, order, new, old, "po_slipped", now, today,
                          product_link=product_link))  # fmt: skip
    if message.event_type == "RestockPromiseChanged":
        new, old = _date(payload.get("promised_on")), _date(payload.get("previous_promised_on"))
        if not _slipped(new, old):
            return 0
        reason = "restock_delayed"
    elif message.event_type == "StockedOut":
        old = None
        new = store.promise_of(str(payload["sku"]), str(payload.get("location") or "") or None)
        reason = "stocked_out"
    else:
        return 0
    orders = store.open_orders_with(str(payload["sku"]))
    return sum(
        notify(store, deliveries, o, new, old, reason, now, today, product_link=product_link)
        for o in orders
    )


def notify(
    store: CompensationStore,
    deliveries: DeliveryStore,
    order: AffectedOrder,
    new: date | None,
    previous: date | None,
    reason: str,
    now: datetime,
    today: date,
    *,
    key_prefix: str = "notice",
    product_link: ProductLink | None = None,
) -> bool:
    """Record, compensate and queue one notice about ``order``; False when its key
    (customer x order x new date) was used already. The notice offers up to
    ``SUBSTITUTES`` in-stock substitutes ranked for the customer, linked with
    ``product_link``."""
    key = f"{key_prefix}:{order.customer}:{order.kind}:{order.ref}:{new or 'no-date'}"[:200]
    if store.has_notice(key):
        return False
    late = c.days_late(new, previous, today)
    code = compensate(store, order, days_late=late, reason=reason, idempotency_key=key, now=now)
    contact = store.contact(order.customer)
    offered = store.substitutes(order.sku, order.customer, SUBSTITUTES)
    text = delay_notice(contact, order, new, previous, code, substitutes=offered,
                        product_link=product_link)  # fmt: skip
    store.add_notice(
        Notice(key, order.customer, contact.email, order.kind, order.ref, order.sku, new,
               previous, reason, code.code if code else None, now)
    )  # fmt: skip
    if contact.email:
        deliveries.add(
            Delivery(
                idempotency_key=key,
                source=SOURCE,
                channel=Channel.EMAIL,
                target=contact.email,
                subject=text.subject,
                body=text.body,
                created_at=now,
                payload={"html": text.html} if text.html else {},
            )
        )
    return True


def _slipped(new: date | None, old: date | None) -> bool:
    """The customer now waits longer: a date later than the one given, or no date any
    more (a first date where there was none is not a delay)."""
    return old is not None and (new is None or new > old)


def _date(raw: Any) -> date | None:
    return date.fromisoformat(str(raw)) if raw else None
