"""Tables of the suppliers area (registered on the shared ``Base`` metadata).

KPIs are computed from purchase orders and receipts when asked (no stored copy); what the
buyer enters for the risk score is stored here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base


class SupplierRatingRow(Base):
    """The buyer's assessment of one supplier, input of the risk score.

    ``financial_rating`` is a letter of the configured scale (A best .. E worst),
    ``capacity_utilisation`` the share of the supplier's capacity already used (0..1.5),
    ``hazard_zone`` a natural-hazard zone of the configured list (flood, earthquake, ...).
    """

    __tablename__ = "supplier_rating"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"), unique=True)
    financial_rating: Mapped[str | None] = mapped_column(String(8))
    capacity_utilisation: Mapped[float | None]
    hazard_zone: Mapped[str | None] = mapped_column(String(32))
    rated_at: Mapped[datetime]


class CountryRiskRow(Base):
    """The buyer's override of a country's risk score (0 = lowest .. 1 = highest)."""

    __tablename__ = "country_risk"
    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(64), unique=True)
    score: Mapped[float]
    source: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]
