"""The alert log, alert rules and deliveries as the CLI and the API list them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_alerts import AlertRow, NotificationDeliveryRow
from stockguard.adapters.db.views.paging import Slice, page

ALERTS = t.table_of(AlertRow)
DELIVERIES = t.table_of(NotificationDeliveryRow)


def alerts(
    session: Session,
    *,
    status: str | None = None,
    rule: str | None = None,
    sku: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Alerts newest first (sent, suppressed by the throttle, or held for a digest)."""
    query = select(ALERTS)
    if status is not None:
        query = query.where(ALERTS.c.status == status)
    if rule is not None:
        query = query.where(ALERTS.c.rule_name == rule)
    if sku is not None:
        query = query.where(ALERTS.c.sku == sku)
    query = query.order_by(ALERTS.c.occurred_at.desc(), ALERTS.c.id.desc())
    return page(session, query, limit=limit, offset=offset)


def deliveries(
    session: Session, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> Slice:
    """Outgoing messages newest first, with their status, attempts and last error."""
    query = select(DELIVERIES)
    if status is not None:
        query = query.where(DELIVERIES.c.status == status)
    query = query.order_by(DELIVERIES.c.id.desc())
    return page(session, query, limit=limit, offset=offset)
