"""Back-in-stock subscriptions for the dashboard: counts per SKU and one SKU's queue.

Each subscription is shown in one *state*: ``pending`` (not confirmed yet),
``confirmed`` (confirmed, never told of a restock), ``notified`` (told in at least one
wave and still subscribed) or ``unsubscribed``. *Waiting* = confirmed + notified: the
confirmed, not unsubscribed subscriptions the waves tell and the forecast counts
(``WaveStore.waiting_counts``). Contacts leave this module masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_waves import WaveNotificationRow
from stockguard.adapters.db.views.paging import Slice, matches, page
from stockguard.services.consent.masking import mask_contact

SUBSCRIPTION = t.table_of(BackInStockSubscriptionRow)
NOTIFIED = t.table_of(WaveNotificationRow)
PRODUCT = t.table_of(t.ProductRow)
STATES = ("pending", "confirmed", "notified", "unsubscribed")


@dataclass(frozen=True, slots=True)
class SkuSubscriptions:
    """Subscriptions of one SKU by state; ``waiting`` = confirmed + notified."""

    sku: str
    title: str | None
    pending: int
    confirmed: int
    notified: int
    unsubscribed: int

    @property
    def waiting(self) -> int:
        return self.confirmed + self.notified

    @property
    def total(self) -> int:
        return self.pending + self.confirmed + self.notified + self.unsubscribed


@dataclass(frozen=True, slots=True)
class SubscriptionLine:
    """One subscription as an operator sees it (``contact`` masked)."""

    id: int
    channel: str
    contact: str
    state: str
    locale: str
    consent_source: str
    created_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    first_notified_at: datetime | None


def _state() -> Any:
    """The SQL expression of a subscription's state (see the module docstring)."""
    told = exists().where(NOTIFIED.c.subscription_id == SUBSCRIPTION.c.id)
    return case(
        (SUBSCRIPTION.c.status == "pending", "pending"),
        (
            or_(
                SUBSCRIPTION.c.status == "unsubscribed", SUBSCRIPTION.c.unsubscribed_at.is_not(None)
            ),
            "unsubscribed",
        ),
        (told, "notified"),
        else_="confirmed",
    )


def per_sku(
    session: Session,
    *,
    sku: str | None = None,
    state: str | None = None,
    only: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """``SkuSubscriptions`` of the SKUs with subscriptions, most waiting first.

    ``sku``: part of the SKU or title (case-insensitive); ``state``: keep SKUs with at
    least one subscription in that state; ``only``: this exact SKU.
    """
    states = select(SUBSCRIPTION.c.sku, _state().label("state"))
    if only is not None:
        states = states.where(SUBSCRIPTION.c.sku == only)
    inner = states.subquery()
    per = (
        select(inner.c.sku, *(func.sum(case((inner.c.state == s, 1), else_=0)).label(s)
                              for s in STATES))
        .group_by(inner.c.sku)
        .subquery()
    )  # fmt: skip
    query = select(per, PRODUCT.c.title).join(PRODUCT, PRODUCT.c.sku == per.c.sku, isouter=True)
    if sku:
        query = query.where(matches(sku, per.c.sku, PRODUCT.c.title))
    if state in STATES:
        query = query.where(per.c[state] > 0)
    query = query.order_by((per.c.confirmed + per.c.notified).desc(), per.c.sku)
    found = page(session, query, limit=limit, offset=offset)
    rows = [
        SkuSubscriptions(r.sku, r.title, *(int(getattr(r, s) or 0) for s in STATES))
        for r in found.rows
    ]
    return Slice(rows=rows, total=found.total)


def of_sku(
    session: Session, sku: str, *, state: str | None = None, limit: int = 50, offset: int = 0
) -> Slice:
    """``SubscriptionLine`` of ``sku`` in queue order (first come, first served)."""
    first_told = (
        select(NOTIFIED.c.subscription_id, func.min(NOTIFIED.c.notified_at).label("first"))
        .group_by(NOTIFIED.c.subscription_id)
        .subquery()
    )
    state_of = _state().label("state")
    query = (
        select(SUBSCRIPTION, state_of, first_told.c.first)
        .join(first_told, first_told.c.subscription_id == SUBSCRIPTION.c.id, isouter=True)
        .where(SUBSCRIPTION.c.sku == sku)
        .order_by(SUBSCRIPTION.c.created_at, SUBSCRIPTION.c.id)
    )
    if state in STATES:
        query = query.where(_state() == state)
    found = page(session, query, limit=limit, offset=offset)
    return Slice(rows=[_line(r) for r in found.rows], total=found.total)


def _line(row: Any) -> SubscriptionLine:
    return SubscriptionLine(
        id=row.id,
        channel=row.channel,
        contact=mask_contact(row.contact),
        state=row.state,
        locale=row.locale,
        consent_source=row.consent_source,
        created_at=row.created_at,
        confirmed_at=row.confirmed_at,
        unsubscribed_at=row.unsubscribed_at,
        first_notified_at=row.first,
    )


def product_title(session: Session, sku: str) -> tuple[bool, str | None]:
    """Whether ``sku`` exists, and its title."""
    row = session.execute(select(PRODUCT.c.title).where(PRODUCT.c.sku == sku)).first()
    return (row is not None, row.title if row is not None else None)


def total_counts(session: Session) -> dict[str, int]:
    """Subscriptions per state over every SKU."""
    rows = session.execute(select(_state().label("state"), func.count()).group_by("state")).all()
    counts = dict.fromkeys(STATES, 0)
    counts.update({state: int(n) for state, n in rows})
    return counts
