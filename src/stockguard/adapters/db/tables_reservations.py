"""Tables of the reservations area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base


class ReservationRow(Base):
    """A checkout hold of ``quantity`` units for a cart until ``expires_at``; its units
    sit in the level's ``reserved`` while ``status`` is ``held``."""

    __tablename__ = "reservation"
    __table_args__ = (Index("ix_reservation_status_expires_at", "status", "expires_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    quantity: Mapped[int]
    cart_id: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    order_number: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)


class PreorderRow(Base):
    """A customer's pre-order of an out-of-stock SKU, the open purchase order that brings
    its units and the date promised (None when no open PO covers it)."""

    __tablename__ = "preorder"
    __table_args__ = (Index("ix_preorder_sku_location_status", "sku", "location", "status"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    quantity: Mapped[int]
    customer: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(16))
    purchase_order: Mapped[str | None] = mapped_column(String(64))
    promised_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    seq: Mapped[int] = mapped_column(index=True)
    """Creation order (first come, first served), unique per SKU x location in practice."""
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
