"""Tables of the compensation area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId, Money


class CompensationPolicyRow(Base):
    """The compensation policy (one row, ``id`` 1): ``document`` is
    ``domain.compensation.policy_document``."""

    __tablename__ = "compensation_policy"
    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class CompensationCodeRow(Base):
    """A discount code issued to a customer for a late order; redeemed once
    (``redeemed_at`` set by a conditional UPDATE). ``face_value`` counts against the
    budget of ``month`` (``YYYY-MM``)."""

    __tablename__ = "compensation_code"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    customer: Mapped[str] = mapped_column(String(254), index=True)
    order_ref: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(300))
    rule: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    face_value: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    month: Mapped[str] = mapped_column(String(7), index=True)
    issued_at: Mapped[datetime]
    redeemed_at: Mapped[datetime | None]
    redeemed_ref: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)


class CustomerNoticeRow(Base):
    """A delay notice queued for a customer about one order or pre-order and one new
    date; ``idempotency_key`` (customer x order x date) keeps it to one."""

    __tablename__ = "customer_notice"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    customer: Mapped[str] = mapped_column(String(254), index=True)
    contact: Mapped[str | None] = mapped_column(String(320))
    order_kind: Mapped[str] = mapped_column(String(16))
    order_ref: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    promised_on: Mapped[date | None] = mapped_column(Date)
    previous_promised_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(32))
    code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
