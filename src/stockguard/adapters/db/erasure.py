"""Export and erasure of a contact's customer-communication rows beyond subscriptions:
back-in-stock wave notifications, product views, delay notices, compensation codes,
message events (contact and provider diagnostic cleared, on the events that carry the
contact and on those of messages sent to it), delivery keys and relayed
pre-order events.

A contact (normalised e-mail or phone) is linked to its *customer keys*: the contact
itself (pre-order customers are known by their address), the ids of customers whose
record has that e-mail or phone, and the ids under which the widget reported product
views with that e-mail. Erasure replaces every key and address in those rows by the
erasure's placeholder (``erased:<random>``, suffixed with the row id where a unique
constraint needs it) and rewrites idempotency keys that embed a customer key, so rows,
counts and budgets still add up but nothing names the person. Called by
``adapters.db.consent.SqlConsentRepository`` inside the erasure's transaction.

Not touched: the customer record, sales orders and pre-orders (order records kept
for fulfilment and accounting; the shop's order system erases them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, literal, or_, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.tables_compensation import CompensationCodeRow, CustomerNoticeRow
from stockguard.adapters.db.tables_messaging import MessageEventRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_waves import ProductViewRow, WaveNotificationRow

CUSTOMERS = t.table_of(t.CustomerRow)
OUTBOX = t.table_of(t.OutboxRow)
NOTICES = t.table_of(CustomerNoticeRow)
CODES = t.table_of(CompensationCodeRow)
VIEWS = t.table_of(ProductViewRow)
NOTIFIED = t.table_of(WaveNotificationRow)
EVENTS = t.table_of(MessageEventRow)
SUBSCRIPTIONS = t.table_of(BackInStockSubscriptionRow)
CUSTOMER_EVENTS = ("PreorderRepromised",)
"""Outbox events whose payload names a customer (``payload["customer"]``)."""


def customer_keys(session: Session, contact: str) -> list[str]:
    """The contact and the customer ids linked to it, without duplicates."""
    by_record = select(CUSTOMERS.c.external_id).where(
        or_(func.lower(CUSTOMERS.c.email) == contact, CUSTOMERS.c.phone == contact)
    )
    by_view = select(VIEWS.c.customer).where(func.lower(VIEWS.c.email) == contact)
    keys = [contact, *session.scalars(by_record), *session.scalars(by_view)]
    return list(dict.fromkeys(keys))


def _placeholder(erased_as: str, tag: str, row_id: Any) -> Any:
    """``<erased_as>:<tag><row id>`` as an SQL expression (unique per row)."""
    return literal(f"{erased_as}:{tag}") + cast(row_id, String)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _names_any(column: Any, keys: Sequence[str]) -> ColumnElement[bool]:
    """``column`` holds ``:<key>:`` or ends with ``:<key>`` for one of ``keys`` (how
    idempotency keys embed a customer: ``notice:<customer>:...``, ``wave:<n>:c:<customer>``)."""
    tests = []
    for key in keys:
        text = _escaped(key)
        tests.append(column.like(f"%:{text}:%", escape="\\"))
        tests.append(column.like(f"%:{text}", escape="\\"))
    return or_(*tests)


def _count(session: Session, statement: Any) -> int:
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def erase(session: Session, contact: str, erased_as: str) -> dict[str, int]:
    """Anonymise the rows listed in the module docstring; counts per table."""
    keys = customer_keys(session, contact)
    to_contact = select(DELIVERIES.c.idempotency_key).where(DELIVERIES.c.target == contact)
    return {
        "delivery_keys": _rekey_deliveries(session, keys, erased_as),
        "message_events": _count(
            session,
            update(EVENTS)
            .where(or_(EVENTS.c.contact == contact, EVENTS.c.message_key.in_(to_contact)))
            .values(contact=None, detail=None),
        ),
        "wave_notifications": _count(
            session,
            update(NOTIFIED)
            .where(NOTIFIED.c.customer.in_(keys))
            .values(
                customer=_placeholder(erased_as, "w", NOTIFIED.c.id),
                idempotency_key=_placeholder(erased_as, "w", NOTIFIED.c.id),
            ),
        ),
        "product_views": _count(
            session,
            update(VIEWS)
            .where(or_(VIEWS.c.customer.in_(keys), func.lower(VIEWS.c.email) == contact))
            .values(customer=erased_as, email=erased_as, marketing_consent=False),
        ),
        "delay_notices": _erase_notices(session, contact, keys, erased_as),
        "compensation_codes": _count(
            session,
            update(CODES)
            .where(CODES.c.customer.in_(keys))
            .values(
                customer=erased_as,
                idempotency_key=_placeholder(erased_as, "c", CODES.c.id),
            ),
        ),
        "outbox_events": _erase_outbox(session, keys, erased_as),
    }


def _erase_notices(session: Session, contact: str, keys: Sequence[str], erased_as: str) -> int:
    """Customer and address replaced (a notice recorded without an address keeps none)."""
    address = case((NOTICES.c.contact.is_(None), None), else_=literal(erased_as))
    return _count(
        session,
        update(NOTICES)
        .where(or_(NOTICES.c.customer.in_(keys), NOTICES.c.contact == contact))
        .values(
            customer=erased_as,
            contact=address,
            idempotency_key=_placeholder(erased_as, "n", NOTICES.c.id),
        ),
    )


def _rekey_deliveries(session: Session, keys: Sequence[str], erased_as: str) -> int:
    """Give deliveries whose idempotency key embeds a customer key a placeholder key;
    the message events of each follow its new key (``message_key`` and the provider
    reports' ``dedup_key``, which embeds it)."""
    rows = session.execute(
        select(DELIVERIES.c.id, DELIVERIES.c.idempotency_key).where(
            _names_any(DELIVERIES.c.idempotency_key, keys)
        )
    ).all()
    for row in rows:
        new_key = f"{erased_as}:d{row.id}"
        session.execute(
            update(DELIVERIES).where(DELIVERIES.c.id == row.id).values(idempotency_key=new_key)
        )
        session.execute(
            update(EVENTS)
            .where(EVENTS.c.message_key == row.idempotency_key)
            .values(
                message_key=new_key,
                dedup_key=func.replace(EVENTS.c.dedup_key, row.idempotency_key, new_key),
            )
        )
    return len(rows)


def _erase_outbox(session: Session, keys: Sequence[str], erased_as: str) -> int:
    """Replace ``payload["customer"]`` of the events that name one of ``keys``."""
    rows = session.execute(
        select(OUTBOX.c.id, OUTBOX.c.payload).where(OUTBOX.c.event_type.in_(CUSTOMER_EVENTS))
    ).all()
    wanted = set(keys)
    changed = 0
    for row in rows:
        if row.payload.get("customer") in wanted:
            payload = {**row.payload, "customer": erased_as}
            session.execute(update(OUTBOX).where(OUTBOX.c.id == row.id).values(payload=payload))
            changed += 1
    return changed


def export(session: Session, contact: str) -> dict[str, Any]:
    """The contact's rows of the tables ``erase`` covers, as JSON-ready records."""
    keys = customer_keys(session, contact)
    mine = select(SUBSCRIPTIONS.c.id).where(SUBSCRIPTIONS.c.contact == contact)
    told = session.execute(
        select(NOTIFIED.c.episode_id, NOTIFIED.c.wave, NOTIFIED.c.audience,
               NOTIFIED.c.subscription_id, NOTIFIED.c.notified_at)
        .where(or_(NOTIFIED.c.subscription_id.in_(mine), NOTIFIED.c.customer.in_(keys)))
        .order_by(NOTIFIED.c.id)
    )  # fmt: skip
    views = session.execute(
        select(VIEWS.c.sku, VIEWS.c.customer, VIEWS.c.marketing_consent, VIEWS.c.viewed_at)
        .where(or_(VIEWS.c.customer.in_(keys), func.lower(VIEWS.c.email) == contact))
        .order_by(VIEWS.c.id)
    )
    notices = session.execute(
        select(NOTICES.c.customer, NOTICES.c.order_kind, NOTICES.c.order_ref, NOTICES.c.sku,
               NOTICES.c.previous_promised_on, NOTICES.c.promised_on, NOTICES.c.reason,
               NOTICES.c.code, NOTICES.c.created_at)
        .where(or_(NOTICES.c.customer.in_(keys), NOTICES.c.contact == contact))
        .order_by(NOTICES.c.id)
    )  # fmt: skip
    codes = session.execute(
        select(CODES.c.code, CODES.c.customer, CODES.c.order_ref, CODES.c.kind, CODES.c.value,
               CODES.c.currency, CODES.c.reason, CODES.c.issued_at, CODES.c.redeemed_at)
        .where(CODES.c.customer.in_(keys))
        .order_by(CODES.c.id)
    )  # fmt: skip
    return {
        "customer_ids": [key for key in keys if key != contact],
        "wave_notifications": _records(told),
        "product_views": _records(views),
        "delay_notices": _records(notices),
        "compensation_codes": _records(codes),
    }


def _records(result: Any) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row._mapping.items()} for row in result]


def _json(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)  # Decimal money
    return value
