"""SQL side of the consent area: consent log, rate-limit windows, export and erasure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import erasure
from stockguard.adapters.db import tables_consent as tc
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.deliveries import DELIVERIES, SqlDeliveryStore
from stockguard.adapters.db.subscriptions import subscription_from_row
from stockguard.adapters.db.tables import table_of
from stockguard.domain import subscriptions as s
from stockguard.services.consent.ports import ConsentEntry, RequestTimes
from stockguard.services.outbox.model import Delivery, DeliveryStatus

SUBSCRIPTIONS = table_of(ts.BackInStockSubscriptionRow)
LOG = table_of(tc.ConsentLogRow)
REQUESTS = table_of(tc.SubscriptionRequestRow)
REQUEST_MEMORY = timedelta(days=1)
"""Requests older than this are deleted (every rate-limit window is shorter)."""
ERASED_TEXT = "[erased]"


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _records(rows: Any, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _iso(getattr(row, c)) for c in columns} for row in rows]


class SqlConsentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._deliveries = SqlDeliveryStore(session)

    def subscription(self, subscription_id: int) -> s.Subscription | None:
        query = select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == subscription_id)
        row = self._session.execute(query).first()
        return subscription_from_row(row) if row else None

    def mark_confirmed(self, subscription_id: int, at: datetime) -> None:
        self._session.execute(
            update(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.id == subscription_id)
            .values(status=s.SubscriptionStatus.CONFIRMED.value, confirmed_at=at)
        )

    def mark_unsubscribed(self, subscription_id: int, at: datetime) -> None:
        self._session.execute(
            update(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.id == subscription_id)
            .values(status=s.SubscriptionStatus.UNSUBSCRIBED.value, unsubscribed_at=at)
        )

    def request_times(
        self, contact_hmac: str, ip_hmac: str | None, since: datetime
    ) -> RequestTimes:
        by_contact = select(REQUESTS.c.at).where(
            REQUESTS.c.contact_hmac == contact_hmac, REQUESTS.c.at > since
        )
        contact_times = list(self._session.scalars(by_contact.order_by(REQUESTS.c.at)))
        ip_times: list[datetime] = []
        if ip_hmac is not None:
            by_ip = select(REQUESTS.c.at).where(
                REQUESTS.c.ip_hmac == ip_hmac, REQUESTS.c.at > since
            )
            ip_times = list(self._session.scalars(by_ip.order_by(REQUESTS.c.at)))
        return RequestTimes(contact_times, ip_times)

    def record_request(self, contact_hmac: str, ip_hmac: str | None, at: datetime) -> None:
        self._session.execute(
            delete(REQUESTS).where(
                REQUESTS.c.contact_hmac == contact_hmac, REQUESTS.c.at < at - REQUEST_MEMORY
            )
        )
        self._session.execute(
            insert(REQUESTS).values(contact_hmac=contact_hmac, ip_hmac=ip_hmac, at=at)
        )

    def log(self, entry: ConsentEntry) -> None:
        self._session.execute(
            insert(LOG).values(
                subscription_id=entry.subscription_id,
                contact=entry.contact,
                contact_hmac=entry.contact_hmac,
                event=entry.event.value,
                source=entry.source,
                ip_hmac=entry.ip_hmac,
                text=entry.text[:1000],
                at=entry.at,
            )
        )

    def queue(self, delivery: Delivery) -> bool:
        return self._deliveries.add(delivery)

    def export(self, contact: str, contact_hmac: str) -> dict[str, Any]:
        subs = self._session.execute(
            select(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.contact == contact)
            .order_by(SUBSCRIPTIONS.c.id)
        )
        log = self._session.execute(
            select(LOG).where(LOG.c.contact_hmac == contact_hmac).order_by(LOG.c.id)
        )
        sent = self._session.execute(
            select(DELIVERIES).where(DELIVERIES.c.target == contact).order_by(DELIVERIES.c.id)
        )
        return {
            "subscriptions": _records(
                subs,
                [
                    "id", "sku", "channel", "status", "locale", "consent_text", "consent_at",
                    "consent_source", "created_at", "confirmed_at", "unsubscribed_at", "family",
                    "customer",
                ],
            ),
            "consent_log": _records(
                log, ["subscription_id", "event", "at", "source", "text", "ip_hmac"]
            ),
            "messages": _records(
                sent,
                ["idempotency_key", "source", "channel", "subject", "body", "status",
                 "created_at", "sent_at"],
            ),
        } | erasure.export(self._session, contact)  # fmt: skip

    def _rows(self, statement: Any) -> int:
        """Rows an UPDATE or DELETE touched."""
        result = self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]

    def erase(self, contact: str, contact_hmac: str, erased_as: str) -> dict[str, int]:
        run = self._rows
        beyond_subscriptions = erasure.erase(self._session, contact, erased_as)
        cancelled = run(
            update(DELIVERIES)
            .where(
                DELIVERIES.c.target == contact,
                DELIVERIES.c.status.in_(
                    [DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value]
                ),
            )
            .values(status=DeliveryStatus.FAILED.value, last_error="contact erased")
        )
        messages = run(
            update(DELIVERIES)
            .where(DELIVERIES.c.target == contact)
            .values(target=erased_as, subject=ERASED_TEXT, body=ERASED_TEXT, payload={})
        )
        subscriptions = run(
            update(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.contact == contact)
            .values(
                contact=erased_as,
                ip_hash=None,
                customer=None,
                status=s.SubscriptionStatus.UNSUBSCRIBED.value,
            )
        )
        log = run(
            update(LOG).where(LOG.c.contact_hmac == contact_hmac).values(contact=None, ip_hmac=None)
        )
        requests = run(delete(REQUESTS).where(REQUESTS.c.contact_hmac == contact_hmac))
        return {
            "subscriptions": subscriptions,
            "consent_log": log,
            "messages": messages,
            "messages_cancelled": cancelled,
            "rate_limit_requests": requests,
            **beyond_subscriptions,
        }
