"""Tables of the risk area (registered on the shared Base metadata)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, Money


class StockRiskRow(Base):
    """Stock-out risk of one SKU at one location: its basis and its figures.

    The basis (demand, lead time, next receipt, reorder point, price) is written by a
    refresh from the latest planning run; the stock columns and figures are also
    rewritten by every movement of the SKU x location, in the movement's transaction.
    Demand is in units/day (variance units^2/day), times in days (variances days^2).
    """

    __tablename__ = "stock_risk"
    __table_args__ = (
        UniqueConstraint("sku", "location"),
        Index("ix_stock_risk_state_lost_revenue", "state", "expected_lost_revenue"),
        Index("ix_stock_risk_expected_lost_revenue", "expected_lost_revenue"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    on_hand: Mapped[int]
    available: Mapped[int]
    position: Mapped[int]
    reorder_point: Mapped[int]
    demand_mean: Mapped[float]
    demand_var: Mapped[float]
    lead_time_mean: Mapped[float]
    lead_time_var: Mapped[float]
    next_receipt_on: Mapped[date | None] = mapped_column(Date)
    receipt_delay_mean: Mapped[float]
    receipt_delay_var: Mapped[float]
    unit_price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    days_of_cover: Mapped[float | None]
    projected_stockout: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[float]
    expected_lost_units: Mapped[float]
    expected_lost_revenue: Mapped[Decimal] = mapped_column(Money)
    state: Mapped[str] = mapped_column(String(16))
    basis_run_id: Mapped[int | None]
    updated_at: Mapped[datetime]
    receipt_delay_pmf: Mapped[list[list[float]] | None] = mapped_column(JSON)
    """The next receipt's supplier delay pmf ``[[days late, mass], ...]`` (<= 8 points;
    None: from ``receipt_delay_mean`` and ``receipt_delay_var``)."""
    lead_time_pmf: Mapped[list[list[float]] | None] = mapped_column(JSON)
    """The lead-time pmf of an order placed now ``[[days, mass], ...]`` (<= 8 points)."""


class RiskSnapshotRow(Base):
    """A day's stock-out probability of one SKU x location, kept to check it later.

    ``stockguard risk snapshot`` records one per row and day (the stock on hand then, the
    probability before recalibration and as shown); ``stockguard risk calibrate`` settles
    it once the ledger shows the next receipt: ``stocked_out`` is whether the stock on
    hand reached zero before that receipt's day (``settled_on``).
    """

    __tablename__ = "risk_snapshot"
    __table_args__ = (
        UniqueConstraint("sku", "location", "day"),
        Index("ix_risk_snapshot_settled_on", "settled_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    day: Mapped[date] = mapped_column(Date)
    on_hand: Mapped[int]
    raw_probability: Mapped[float]
    probability: Mapped[float]
    settled_on: Mapped[date | None] = mapped_column(Date)
    stocked_out: Mapped[bool | None]


class RiskCalibrationRow(Base):
    """The risk model's corrections fitted on the shop's own history; the latest row
    applies. ``knots`` is ``{"map": [[predicted, calibrated], ...], "level_drift":
    {"edges": [...], "c2": [...], "origins": [...]}}``: the isotonic recalibration map
    (``planning.risk.calibration``, fitted by ``risk calibrate``; ``settled`` is the
    predictions it was fitted on) and the demand rate's drift per velocity band
    (``planning.risk.drift``, estimated by each ``risk refresh``). Rows from before the
    drift was stored hold the map's list of pairs alone."""

    __tablename__ = "risk_calibration"
    id: Mapped[int] = mapped_column(primary_key=True)
    fitted_at: Mapped[datetime]
    settled: Mapped[int]
    knots: Mapped[list[list[float]] | dict[str, Any]] = mapped_column(JSON)
