"""Messaging area in the database: the product and customer a preview shows, and the
message events (sent, delivered, bounced, clicked, unsubscribed) the analytics count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db.tables import CustomerRow, ProductRow
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_messaging import MessageEventRow


def product_context(session: Session, sku: str) -> dict[str, Any] | None:
    """``{"sku", "name", "price", "currency"}`` of ``sku`` (price in currency units), or None."""
    row = session.execute(select(ProductRow).where(ProductRow.sku == sku)).scalar_one_or_none()
    if row is None:
        return None
    return {"sku": row.sku, "name": row.title, "price": row.price, "currency": row.currency}


def customer_context(session: Session, external_id: str) -> dict[str, Any] | None:
    """``{"name", "locale", "email"}`` of the customer with this external id, or None."""
    row = session.execute(
        select(CustomerRow).where(CustomerRow.external_id == external_id)
    ).scalar_one_or_none()
    if row is None:
        return None
    return {"name": row.name or "", "locale": row.locale, "email": row.email}


def record_event(
    session: Session,
    *,
    message_key: str,
    kind: str,
    template: str,
    sku: str | None,
    occurred_at: datetime,
    contact: str | None = None,
    detail: str | None = None,
) -> None:
    """Add one ``message_event`` row (the caller commits)."""
    session.add(
        MessageEventRow(
            message_key=message_key,
            kind=kind,
            template=template,
            sku=sku,
            contact=contact,
            detail=detail,
            occurred_at=occurred_at,
        )
    )


def event_counts(session: Session) -> list[tuple[str | None, str, str, int]]:
    """``(sku, template, kind, distinct messages)`` over every recorded event."""
    query = (
        select(
            MessageEventRow.sku,
            MessageEventRow.template,
            MessageEventRow.kind,
            func.count(func.distinct(MessageEventRow.message_key)),
        )
        .group_by(MessageEventRow.sku, MessageEventRow.template, MessageEventRow.kind)
        .order_by(MessageEventRow.sku, MessageEventRow.template, MessageEventRow.kind)
    )
    return [(sku, template, kind, int(n)) for sku, template, kind, n in session.execute(query)]


DELIVERY_KINDS = {"sent": "sent", "failed": "bounced", "pending": "queued", "sending": "queued"}
"""Delivery status -> analytics event: ``sent`` (accepted by the SMTP server or the
provider), ``bounced`` (refused for good: 5xx / 4xx or out of attempts), ``queued``."""


def delivery_counts(session: Session) -> list[tuple[str | None, str, str, int]]:
    """``(sku, template, event, messages)`` of the queued customer messages
    (``notification_delivery`` rows whose payload names a template)."""
    template = NotificationDeliveryRow.payload["template"].as_string()
    sku = NotificationDeliveryRow.payload["sku"].as_string()
    query = (
        select(sku, template, NotificationDeliveryRow.status, func.count())
        .where(template.is_not(None))
        .group_by(sku, template, NotificationDeliveryRow.status)
    )
    totals: dict[tuple[str | None, str, str], int] = {}
    for row_sku, row_template, status, count in session.execute(query):
        key = (row_sku, str(row_template), DELIVERY_KINDS.get(status, status))
        totals[key] = totals.get(key, 0) + int(count)
    return [(*key, count) for key, count in sorted(totals.items(), key=lambda kv: str(kv[0]))]


def message_stats(session: Session) -> list[tuple[str | None, str, str, int]]:
    """Delivery outcomes (sent, bounced, queued) and recorded events (clicked ...) per
    SKU x template."""
    return delivery_counts(session) + event_counts(session)
