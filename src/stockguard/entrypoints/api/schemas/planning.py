"""Planning runs and demand forecasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PlanningRunRead(BaseModel):
    """A stored planning run: its history window, seed, parameters and inputs' hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    started_at: datetime
    finished_at: datetime
    seed: int = Field(examples=[7])
    horizon: int = Field(description="Days forecast.", examples=[28])
    history_start_on: date
    history_end_on: date
    inputs_hash: str = Field(description="SHA-256 of the demand panel and the parameters.")
    n_series: int = Field(description="Series (SKU x location) forecast.")
    status: str = Field(examples=["completed"])
    parameters: dict[str, Any]


class ForecastDayRead(BaseModel):
    """Demand forecast of one day, in units (statistics, hence fractional)."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    mean: float
    p50: float
    p80: float
    p90: float
    p95: float
    p99: float
    lower_80: float = Field(description="10% quantile: the 80% interval is lower_80..p90.")
    lower_95: float = Field(description="2.5% quantile: the 95% interval is lower_95..upper_95.")
    upper_95: float = Field(description="97.5% quantile.")


class LocationForecastRead(BaseModel):
    location: str = Field(examples=["PAR-GEN"])
    model: str = Field(description="Model or combination chosen for this series.")
    days: list[ForecastDayRead]


class SkuForecastRead(BaseModel):
    """The latest planning run's forecast of one SKU, per location."""

    sku: str = Field(examples=["MUG-RED-L"])
    run: PlanningRunRead
    locations: list[LocationForecastRead]
