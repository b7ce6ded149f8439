"""Export and erasure of a contact's customer-communication rows beyond subscriptions:
back-in-stock wave notifications, product views, delay notices, compensation codes,
message events (contact and provider diagnostic cleared, on the events that carry the
contact and on those of messages sent to it), delivery keys and relayed
pre-order events.

A contact (normalised e-mail or phone) is linked to its *customer keys*: the contact
itself (pre-order customers are known by their address), the ids of customers whose
record has that e-mail or phone, and the ids under which the widget reported product
views with that e-mail. Erasure replaces every key and address in those rows by the
erasure's placeholder (``erased:<random>``) and rewrites idempotency keys that embed
a customer key the same way in every table, so rows,
counts, budgets and joins on keys still work but nothing names the person (see
``Pseudonyms``). Called by
``adapters.db.consent.SqlConsentRepository`` inside the erasure's transaction.

Not touched: the customer record, sales orders and pre-orders (order records kept
for fulfilment and accounting; the shop's order system erases them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, func, or_, select, update
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
    by_subscription = select(SUBSCRIPTIONS.c.customer).where(
        SUBSCRIPTIONS.c.contact == contact, SUBSCRIPTIONS.c.customer.is_not(None)
    )
    keys = [
        contact,
        *session.scalars(by_record),
        *session.scalars(by_view),
        *session.scalars(by_subscription),
    ]
    return list(dict.fromkeys(keys))


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


class Pseudonyms:
    """The placeholder of each customer key of one erasure: the first key (the contact)
    gets ``erased_as``, the i-th other key ``erased_as-i`` (distinct, so two customer ids
    of one person told in one wave stay two rows under the unique constraint).

    ``rekey`` rewrites an idempotency key the same way wherever it appears (a notice, its
    code, its delivery and the delivery's events share one key), so joins on keys and
    their prefixes (``notice:``, ``wave:<episode>:``) still work after erasure.
    """

    def __init__(self, keys: Sequence[str], erased_as: str) -> None:
        self.keys = list(keys)
        self.erased_as = erased_as
        self.tokens = {k: erased_as if i == 0 else f"{erased_as}-{i}" for i, k in enumerate(keys)}

    def of(self, key: str | None) -> str:
        return self.tokens.get(key or "", self.erased_as)

    def rekey(self, idempotency_key: str) -> str:
        """``notice:<key>:...`` -> ``notice:<placeholder>:...``; ``...:c:<key>`` at the end
        likewise; longest keys first so that no key is replaced inside another."""
        new = idempotency_key
        for key in sorted(self.tokens, key=len, reverse=True):
            new = new.replace(f":{key}:", f":{self.tokens[key]}:")
            if new.endswith(f":{key}"):
                new = new[: -len(key)] + self.tokens[key]
        return new[:200]


def erase(session: Session, contact: str, erased_as: str) -> dict[str, int]:
    """Anonymise the rows listed in the module docstring; counts per table."""
    names = Pseudonyms(customer_keys(session, contact), erased_as)
    keys = names.keys
    to_contact = select(DELIVERIES.c.idempotency_key).where(DELIVERIES.c.target == contact)
    counts = {"delivery_keys": _rekey_deliveries(session, names)}
    counts["message_events"] = _count(
        session,
        update(EVENTS)
        .where(or_(EVENTS.c.contact == contact, EVENTS.c.message_key.in_(to_contact)))
        .values(contact=None, detail=None),
    )
    counts["wave_notifications"] = _rekey_rows(
        session, NOTIFIED, NOTIFIED.c.customer.in_(keys), names
    )
    counts["product_views"] = _count(
        session,
        update(VIEWS)
        .where(or_(VIEWS.c.customer.in_(keys), func.lower(VIEWS.c.email) == contact))
        .values(customer=erased_as, email=erased_as, marketing_consent=False),
    )
    named = or_(NOTICES.c.customer.in_(keys), NOTICES.c.contact == contact)
    counts["delay_notices"] = _rekey_rows(session, NOTICES, named, names)
    session.execute(
        update(NOTICES)
        .where(NOTICES.c.contact == contact)
        .values(contact=erased_as)  # a notice recorded without an address keeps none
    )
    counts["compensation_codes"] = _rekey_rows(session, CODES, CODES.c.customer.in_(keys), names)
    counts["outbox_events"] = _erase_outbox(session, names)
    return counts


def _rekey_rows(session: Session, table: Table, where: Any, names: Pseudonyms) -> int:
    """``customer`` and ``idempotency_key`` of the rows of ``table`` matching ``where``
    replaced by their pseudonyms; the number of rows."""
    rows = session.execute(
        select(table.c.id, table.c.customer, table.c.idempotency_key).where(where)
    ).all()
    for row in rows:
        session.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(
                customer=names.of(row.customer), idempotency_key=names.rekey(row.idempotency_key)
            )
        )
    return len(rows)


def _rekey_deliveries(session: Session, names: Pseudonyms) -> int:
    """Rekey deliveries whose idempotency key embeds a customer key; the message events
    of each follow its new key (``message_key`` and the provider reports' ``dedup_key``,
    which embeds it)."""
    rows = session.execute(
        select(DELIVERIES.c.id, DELIVERIES.c.idempotency_key).where(
            _names_any(DELIVERIES.c.idempotency_key, names.keys)
        )
    ).all()
    for row in rows:
        new_key = names.rekey(row.idempotency_key)
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


def _erase_outbox(session: Session, names: Pseudonyms) -> int:
    """Replace ``payload["customer"]`` of the events that name one of the keys."""
    rows = session.execute(
        select(OUTBOX.c.id, OUTBOX.c.payload).where(OUTBOX.c.event_type.in_(CUSTOMER_EVENTS))
    ).all()
    changed = 0
    for row in rows:
        customer = row.payload.get("customer")
        if customer in names.tokens:
            payload = {**row.payload, "customer": names.of(customer)}
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
