"""Tables of the contracts area (registered on the shared ``Base`` metadata).

``contract_clause``: a supplier's terms for a validity period. ``supplier_penalty``: what
a supplier owes, one row per receipt (or PO line at close) and kind. ``shipment`` and
``shipment_event``: carrier shipments and their tracking reports. ``carrier_lane``: the
alternate carrier configured for a lane (origin -> destination).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId, Money

Share = Numeric(5, 4)
Percent = Numeric(7, 4)


class ContractClauseRow(Base):
    """Shares are fractions (0.95); percentages in percent (0.5 = 0.5 % per day)."""

    __tablename__ = "contract_clause"
    __table_args__ = (UniqueConstraint("supplier", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    guaranteed_fill_rate: Mapped[Decimal | None] = mapped_column(Share)
    max_lead_time_days: Mapped[int | None]
    late_penalty_percent: Mapped[Decimal | None] = mapped_column(Percent)
    late_cap_percent: Mapped[Decimal | None] = mapped_column(Percent)
    quality_threshold: Mapped[Decimal | None] = mapped_column(Share)
    quality_penalty_percent: Mapped[Decimal | None] = mapped_column(Percent)
    short_fill_penalty_percent: Mapped[Decimal | None] = mapped_column(Percent)
    updated_at: Mapped[datetime]


class SupplierPenaltyRow(Base):
    """A penalty owed; ``key`` is the receipt's idempotency key plus the kind."""

    __tablename__ = "supplier_penalty"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(240), unique=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"), index=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("purchase_order.number"))
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    basis: Mapped[Decimal] = mapped_column(Money)
    days_late: Mapped[int]
    units: Mapped[int]
    incurred_on: Mapped[date] = mapped_column(Date)
    clause_from: Mapped[date] = mapped_column(Date)
    detail: Mapped[str] = mapped_column(String(300))


class ShipmentRow(Base):
    __tablename__ = "shipment"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    carrier: Mapped[str] = mapped_column(ForeignKey("carrier.code"), index=True)
    origin: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str] = mapped_column(String(64))
    promised_on: Mapped[date] = mapped_column(Date)
    booked_at: Mapped[datetime]
    purchase_order: Mapped[str | None] = mapped_column(ForeignKey("purchase_order.number"))
    transfer: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    expected_on: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=0)


class ShipmentEventRow(Base):
    """One tracking report of a shipment, in order (``seq`` from 1)."""

    __tablename__ = "shipment_event"
    __table_args__ = (UniqueConstraint("shipment", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shipment: Mapped[str] = mapped_column(ForeignKey("shipment.reference"))
    seq: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    expected_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300))


class CarrierLaneRow(Base):
    """The alternate carrier chosen for a lane (origin -> destination)."""

    __tablename__ = "carrier_lane"
    __table_args__ = (UniqueConstraint("origin", "destination"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str] = mapped_column(String(64))
    alternate_carrier: Mapped[str] = mapped_column(ForeignKey("carrier.code"))
    updated_at: Mapped[datetime]
