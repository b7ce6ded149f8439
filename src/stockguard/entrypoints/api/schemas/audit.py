"""Schemas of the audit endpoints (read from the service layer's dataclasses)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _FromAttributes(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ClassCellRead(_FromAttributes):
    abc_class: str
    xyz_class: str
    count: int
    revenue: Decimal


class SkuAuditRead(_FromAttributes):
    sku: str
    location: str
    category: str | None
    on_hand: int
    revenue: Decimal
    abc_class: str
    xyz_class: str
    demand_cv: float | None
    velocity: float
    days_since_sale: int
    days_of_cover: float | None
    stock_value: Decimal | None
    excess_units: int
    excess_value: Decimal | None


class RiskEntryRead(_FromAttributes):
    sku: str
    location: str
    state: str
    on_hand: int
    days_of_cover: float | None
    projected_stockout: date | None
    probability: float
    expected_lost_units: float
    expected_lost_revenue: Decimal
    currency: str


class StockoutPeriodRead(_FromAttributes):
    sku: str
    location: str
    start: date
    end: date
    days: int
    source: str = Field(description="ledger (stock levels) or inferred (zero-sale run).")
    lost_units: float
    lost_revenue: Decimal | None
    ongoing: bool


class AuditRead(BaseModel):
    """The stock audit: each section holds at most ``limit`` rows; ``totals`` counts them all."""

    today: date
    history_start: date
    history_end: date
    currency: str
    positions: int
    totals: dict[str, int]
    matrix: list[ClassCellRead]
    at_risk: list[RiskEntryRead]
    dead: list[SkuAuditRead]
    excess: list[SkuAuditRead]
    slow: list[SkuAuditRead]
    stockouts: list[StockoutPeriodRead]


class DueCountRead(_FromAttributes):
    sku: str
    location: str
    abc_class: str
    next_due_on: date
    last_counted_on: date | None
    on_hand: int
    overdue_days: int


class CountCreate(BaseModel):
    """A physical count: on-hand becomes ``counted`` through the ledger."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"sku": "MUG-RED-L", "location": "PAR-GEN", "counted": 41, "counted_by": "ana"}
            ]
        },
    )
    sku: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=32)
    counted: int = Field(description="Units found; 0 or more.")
    counted_by: str | None = Field(default=None, max_length=120)
    idempotency_key: str | None = Field(
        default=None, min_length=1, max_length=200, description="Default: SKU, location, time."
    )


class CountRead(_FromAttributes):
    sku: str
    location: str
    counted_at: datetime
    expected: int
    counted: int
    variance_units: int
    unit_cost: Decimal | None
    variance_value: Decimal | None
    currency: str
    counted_by: str | None
    idempotency_key: str
