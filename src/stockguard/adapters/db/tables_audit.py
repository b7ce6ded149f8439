"""Tables of the audit area (registered on the shared Base metadata): the cycle-count
schedule per SKU x location and the counts recorded with their variances."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId, Money


class CycleCountScheduleRow(Base):
    """When a SKU x location is next due for a count, from its ABC class's interval (days)."""

    __tablename__ = "cycle_count_schedule"
    __table_args__ = (UniqueConstraint("sku", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    abc_class: Mapped[str] = mapped_column(String(1))
    interval_days: Mapped[int]
    last_counted_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime]


class CycleCountRow(Base):
    """One physical count: what the ledger expected, what was found, and the variance
    (``counted - expected``) in units and at unit cost. The count's ledger movement has the
    same ``idempotency_key``."""

    __tablename__ = "cycle_count"
    __table_args__ = (Index("ix_cycle_count_sku_location", "sku", "location"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    counted_at: Mapped[datetime] = mapped_column(index=True)
    expected: Mapped[int]
    counted: Mapped[int]
    variance_units: Mapped[int]
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    variance_value: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    counted_by: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
