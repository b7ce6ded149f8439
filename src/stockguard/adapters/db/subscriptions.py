"""SQL repository of back-in-stock subscriptions (Core statements)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.tables import table_of
from stockguard.domain import errors
from stockguard.domain import subscriptions as s


def subscription_from_row(row: Row[Any]) -> s.Subscription:
    consent = s.Consent(
        text=row.consent_text,
        given_at=row.consent_at,
        source=row.consent_source,
        locale=row.locale,
        ip_hash=row.ip_hash,
    )
    return s.Subscription(
        sku=row.sku,
        channel=s.Channel(row.channel),
        contact=row.contact,
        consent=consent,
        created_at=row.created_at,
        status=s.SubscriptionStatus(row.status),
        id=row.id,
        family=row.family,
        customer=row.customer,
    )


def _values(subscription: s.Subscription) -> dict[str, Any]:
    consent = subscription.consent
    return {
        "status": subscription.status.value,
        "locale": consent.locale,
        "consent_text": consent.text,
        "consent_at": consent.given_at,
        "consent_source": consent.source,
        "ip_hash": consent.ip_hash,
        "created_at": subscription.created_at,
        "family": subscription.family,
        "customer": subscription.customer,
    }


class SqlSubscriptionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._table = table_of(ts.BackInStockSubscriptionRow)

    def get(self, contact: str, sku: str) -> s.Subscription | None:
        table = self._table
        query = select(table).where(table.c.contact == contact, table.c.sku == sku)
        row = self._session.execute(query).first()
        return subscription_from_row(row) if row else None

    def get_in_family(self, contact: str, family: str) -> s.Subscription | None:
        table = self._table
        query = (
            select(table)
            .where(table.c.contact == contact, table.c.family == family)
            .order_by(table.c.id)
            .limit(1)
        )
        row = self._session.execute(query).first()
        return subscription_from_row(row) if row else None

    def add(self, subscription: s.Subscription) -> int:
        values = {
            "sku": subscription.sku,
            "channel": subscription.channel.value,
            "contact": subscription.contact,
            **_values(subscription),
        }
        statement = insert(self._table).returning(self._table.c.id)
        try:
            return int(self._session.execute(statement, values).scalar_one())
        except IntegrityError as error:  # the same contact and SKU, stored meanwhile
            raise errors.ConcurrencyConflict(subscription.sku, "subscriptions") from error

    def save(self, subscription: s.Subscription) -> None:
        statement = (
            update(self._table)
            .where(self._table.c.id == subscription.id)
            .values(**_values(subscription), unsubscribed_at=None)
        )
        self._session.execute(statement)
