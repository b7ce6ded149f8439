"""Proactive delay notices for the dashboard: who was told which new date, how, when.

A notice goes by e-mail when the customer has an address (``channel`` ``email``), and is
only recorded otherwise (``none``); ``delivery`` is the state of its message in the
delivery queue (joined on the idempotency key the notice shares with it). Customers and
contacts leave this module masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.tables_compensation import CustomerNoticeRow
from stockguard.adapters.db.views.paging import Slice, page
from stockguard.services.consent.masking import mask_code, mask_contact

NOTICES = t.table_of(CustomerNoticeRow)
CUSTOMERS = t.table_of(t.CustomerRow)


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """One delay notice (``customer`` and ``contact`` masked, ``code`` masked)."""

    id: int
    customer: str
    contact: str
    order_kind: str
    order_ref: str
    sku: str
    previous_promised_on: date | None
    promised_on: date | None
    reason: str
    code: str
    channel: str
    delivery: str | None
    created_at: datetime


def notices(
    session: Session,
    *,
    sku: str | None = None,
    customer: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """``NoticeLine`` rows, newest first. ``sku``: exact SKU; ``customer``: the customer id
    or e-mail address (exact, case-insensitive), also matching the customer whose
    record has that address."""
    query = (
        select(NOTICES, DELIVERIES.c.status.label("delivery"))
        .join(DELIVERIES, DELIVERIES.c.idempotency_key == NOTICES.c.idempotency_key, isouter=True)
        .order_by(NOTICES.c.created_at.desc(), NOTICES.c.id.desc())
    )
    if sku:
        query = query.where(NOTICES.c.sku == sku.strip())
    if customer:
        query = query.where(_customer_is(customer))
    found = page(session, query, limit=limit, offset=offset)
    return Slice(rows=[_line(r) for r in found.rows], total=found.total)


def _customer_is(customer: str) -> Any:
    """Notices of ``customer``: by id, by e-mail, or of the customer with that e-mail."""
    key = customer.strip().lower()
    ids = select(CUSTOMERS.c.external_id).where(func.lower(CUSTOMERS.c.email) == key)
    return or_(
        func.lower(NOTICES.c.customer) == key,
        func.lower(NOTICES.c.contact) == key,
        NOTICES.c.customer.in_(ids),
    )


def _line(row: Any) -> NoticeLine:
    return NoticeLine(
        id=row.id, customer=mask_contact(row.customer), contact=mask_contact(row.contact),
        order_kind=row.order_kind, order_ref=row.order_ref, sku=row.sku,
        previous_promised_on=row.previous_promised_on, promised_on=row.promised_on,
        reason=row.reason, code=mask_code(row.code),
        channel="email" if row.contact else "none", delivery=row.delivery,
        created_at=row.created_at,
    )  # fmt: skip
