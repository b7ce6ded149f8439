"""Supplier KPIs, risk and diversification as the API returns them."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LeadTimeRead(_Read):
    """Lead time in days (order to first receipt); ``p50..p95`` are the observations'
    quantiles, ``fitted`` the chosen distribution's."""

    observations: int
    mean: float | None
    std: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    family: str = Field(description="gamma, lognormal, empirical or none.")
    parameters: dict[str, float]
    fitted: dict[str, float]
    open_orders: int = Field(
        0,
        description="Open order lines counted as right-censored at their age; when above "
        "0, mean and std are the Kaplan-Meier ones (quantiles and fit: receipts only).",
    )
    oldest_open_days: int | None = Field(None, description="Age of the oldest open line.")


class SupplierKpisRead(_Read):
    supplier: str
    name: str
    sku: str | None
    lines: int
    delivered: int
    on_time_rate: float | None = Field(
        description="Share received on or before the promise, open lines already past it "
        "counted late."
    )
    delay_mean: float | None = Field(description="Days late on average (negative: early).")
    lead_time: LeadTimeRead
    fill_rate: float | None
    rejected_share: float | None
    price_variance: float | None = Field(description="0.05 = paid 5 % above reference.")
    ordered_units: int
    spend: float
    currency: str | None
    overdue_open: int = Field(
        0, description="Open lines past their promised day, counted late in on_time_rate."
    )


class ScorecardRead(_Read):
    supplier: str
    period: str
    lines: int
    on_time_rate: float | None
    on_time_change: float | None
    lead_time_mean: float | None
    lead_time_p90: float | None
    lead_time_change: float | None
    fill_rate: float | None
    rejected_share: float | None
    price_variance: float | None
    spend: float
    lead_time_std: float | None = None
    open_lines: int = Field(0, description="Open lines censored in the lead-time mean/std.")
    overdue_lines: int = Field(0, description="Open lines past due, counted late.")


class SupplierKpisDetailRead(BaseModel):
    """One supplier's KPIs, per SKU, and its scorecard."""

    supplier: SupplierKpisRead
    skus: list[SupplierKpisRead]
    scorecard: list[ScorecardRead]


class SupplierRiskRead(_Read):
    supplier: str
    name: str
    country: str | None
    score: float = Field(ge=0, le=1)
    components: dict[str, float | None]
    contributions: dict[str, float]
    financial_rating: str | None
    capacity_utilisation: float | None
    hazard_zone: str | None
    skus: int
    single_source_skus: int
    spend: float
    currency: str | None


class RatingUpdate(BaseModel):
    """The buyer's assessment; a value left out (or null) is recorded as unknown."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"financial": "B", "capacity": 0.8, "hazard_zone": "flood"}]
        },
    )

    financial: str | None = Field(default=None, max_length=8, examples=["B"])
    capacity: float | None = Field(default=None, examples=[0.8])
    hazard_zone: str | None = Field(default=None, max_length=32, examples=["flood"])


class RatingRead(_Read):
    supplier: str
    financial_rating: str | None
    capacity_utilisation: float | None
    hazard_zone: str | None


class SecondSourceRead(_Read):
    supplier: str
    basis: str = Field(description="offer (an existing offer) or category (supplies it).")
    unit_cost: Decimal | None
    currency: str | None
    lead_time_days: int | None


class SingleSourcedRead(_Read):
    sku: str
    category: str | None
    supplier: str
    revenue: Decimal
    suggestions: list[SecondSourceRead]


class ExposureRead(_Read):
    supplier: str
    name: str
    skus: int
    single_source_skus: int
    revenue_at_risk: Decimal
    share_of_revenue: float | None


class DiversificationRead(_Read):
    skus: int
    total_revenue: Decimal
    single_sourced: list[SingleSourcedRead]
    exposure: list[ExposureRead]
