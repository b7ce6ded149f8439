"""Values of the compensation and notices areas (what the stores read and write)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach a customer: ``email`` may be None (nothing is sent then)."""

    customer: str
    email: str | None
    name: str | None
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class AffectedOrder:
    """An open sales order (``kind`` ``order``) or a waiting pre-order (``preorder``) of
    ``sku``: ``value`` is its money value in ``currency``; ``promised_on`` the date the
    customer was last given (pre-orders) or None."""

    kind: str
    ref: str
    customer: str
    sku: str
    location: str | None
    quantity: int
    value: Decimal
    currency: str
    promised_on: date | None = None
    title: str | None = None
    """The product's title (the SKU when unknown)."""


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A discount code given to ``customer`` for ``order_ref``; ``face_value`` counts
    against the month's budget."""

    code: str
    customer: str
    order_ref: str
    reason: str
    rule: str
    kind: str
    value: Decimal
    face_value: Decimal
    currency: str
    issued_at: datetime
    idempotency_key: str
    redeemed_at: datetime | None = None
    redeemed_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A delay notice: one per ``idempotency_key`` (customer x order x new date)."""

    idempotency_key: str
    customer: str
    contact: str | None
    order_kind: str
    order_ref: str
    sku: str
    promised_on: date | None
    previous_promised_on: date | None
    reason: str
    code: str | None
    created_at: datetime
