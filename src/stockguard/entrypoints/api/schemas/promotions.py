"""Promotion readiness models."""

from __future__ import annotations

import enum
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ReadinessStatus(enum.StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    LATE = "late"


class PromotionReadinessRead(BaseModel):
    """One promotion x SKU x location: demand until the promotion ends (with its uplift)
    against stock and inbound purchase orders, and what to order by when.

    Units are whole units; ``baseline_per_day`` is units/day; ``uplift`` a demand factor
    during the promotion; ``available`` = ``on_hand_available`` + ``inbound``."""

    model_config = ConfigDict(from_attributes=True)

    promotion: str = Field(examples=["SUMMER26"])
    kind: str = Field(examples=["discount"])
    owner: str | None = Field(examples=["ann@shop.test"])
    sku: str = Field(examples=["MUG-RED-L"])
    location: str = Field(examples=["PAR-GEN"])
    starts_on: date
    ends_on: date
    baseline_per_day: float = Field(ge=0, examples=[4.0])
    baseline_source: str = Field(examples=["forecast", "sales history", "no sales"])
    uplift: float = Field(gt=0, examples=[1.8])
    uplift_source: str = Field(
        examples=["override", "sku history", "category history", "default for discount"]
    )
    projected_demand: int = Field(ge=0, description="Units from today to the promotion's end.")
    safety_margin: int = Field(description="Units above the projected demand to hold.")
    on_hand_available: int = Field(ge=0)
    inbound: int = Field(ge=0, description="Open PO units expected by the promotion's end.")
    available: int = Field(ge=0)
    shortfall: int = Field(ge=0, description="Units missing to reach the stock needed.")
    order_quantity: int = Field(
        ge=0, description="The shortfall rounded up to the offer's minimum and pack size."
    )
    stockout_probability: float = Field(ge=0, le=1, description="P(stock-out) without order.")
    supplier: str | None = Field(description="The offer with the shortest lead time.")
    lead_time_days: int | None
    last_order_date: date = Field(description="Start minus the fastest offer's lead time.")
    status: ReadinessStatus


class PromotionCheckRead(BaseModel):
    """What a check found and which warnings (PromotionAtRisk events) it sent."""

    rows: int
    at_risk: int
    warned: list[PromotionReadinessRead]
