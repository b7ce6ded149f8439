"""Stock-out risk models."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class RiskState(enum.StrEnum):
    """From the best to the worst."""

    OK = "ok"
    WATCH = "watch"
    AT_RISK = "at_risk"
    OUT_OF_STOCK = "out_of_stock"


class StockRiskRead(BaseModel):
    """A SKU x location's stock-out risk and the basis it was computed from.

    Demand is in units/day (variance units^2/day); lead times and delays in days
    (variances days^2); ``probability`` is P(stock-out before the next receipt)."""

    model_config = ConfigDict(from_attributes=True)

    sku: str = Field(examples=["MUG-RED-L"])
    location: str = Field(examples=["PAR-GEN"])
    title: str = Field(examples=["Red mug, large"])
    category: str | None = Field(examples=["Mugs"])
    state: RiskState
    probability: float = Field(ge=0, le=1, examples=[0.62])
    on_hand: int
    available: int
    position: int = Field(description="Available plus on order, units.")
    reorder_point: int = Field(description="0 when no replenishment policy sets one.")
    demand_mean: float = Field(ge=0, examples=[3.2])
    demand_var: float = Field(ge=0)
    lead_time_mean: float
    lead_time_var: float
    next_receipt_on: date | None = Field(description="Open purchase order expected first.")
    receipt_delay_mean: float
    receipt_delay_var: float
    days_of_cover: float | None = Field(description="None when there is no demand.")
    projected_stockout: date | None
    expected_lost_units: float = Field(ge=0)
    expected_lost_revenue: Decimal = Field(examples=["128.40"])
    unit_price: Decimal
    currency: str = Field(examples=["EUR"])
    basis_run_id: int | None
    updated_at: datetime


class RateRatioRead(BaseModel):
    """Units sold per unit forecast, by velocity band of the forecast (ADR 0022)."""

    edges: list[float] = Field(description="Rates (units/day) between the bands.")
    ratio: list[float] = Field(description="b per band; the rate is read as b x forecast.")
    origins: list[int] = Field(description="SKU-weeks each band was measured on.")
    runs: int = Field(description="Settled planning runs read (0: b = 1).")
    first_days: list[date] | None = Field(
        default=None, description="First forecast day of the oldest and newest run read."
    )
    rejected: int = Field(description="Stored rates left out (not a number >= 0).")
    applied: bool = Field(description="Whether the figures read it (else b = 1).")


class RiskRefreshRead(BaseModel):
    run_id: int = Field(description="Planning run the basis comes from.")
    rows: int
    states: dict[RiskState, int]
    events: int = Field(description="State changes recorded in the outbox.")
    seconds: float
    rate_ratio: RateRatioRead | None = None
    pooled_rates: bool = Field(
        False, description="Whether slow rows read the replenishment run's pooled rate."
    )
    observed_spread: bool = Field(
        True,
        description="Whether daily variances are floored by the sales' own (ADR 0027).",
    )
