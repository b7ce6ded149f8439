"""Replenishment rules (settings per scope) and the resulting policy per SKU x location."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stockguard.adapters.db.views.proposal_lines import policy_summary
from stockguard.domain import replenishment as r
from stockguard.services.replenishment.sku_policy import LocationPolicy, SkuPolicies

SETTING_NAMES = r.SETTINGS


class RuleSettings(BaseModel):
    """Settings of one rule; a setting left out (null) is taken from a less specific rule."""

    policy: r.PolicyName | None = None
    service_measure: r.ServiceMeasure | None = Field(
        default=None, description="cycle: no stock-out per cycle; fill: share of demand served."
    )
    service_level: float | None = Field(default=None, gt=0, lt=1, examples=[0.95])
    review_period_days: int | None = Field(default=None, ge=1, le=366)
    fixed_order_quantity: int | None = Field(default=None, ge=1, le=10_000_000)
    manual_minimum: int | None = Field(default=None, ge=0, le=10_000_000)
    manual_maximum: int | None = Field(default=None, ge=0, le=10_000_000)
    max_supplier_share: float | None = Field(
        default=None, gt=0, le=1, description="Largest share of a line one supplier may get."
    )
    budget: Decimal | None = Field(
        default=None, ge=0, le=1_000_000_000, max_digits=16, decimal_places=4,
        description="Money the lines under this rule may spend together.",
    )  # fmt: skip


class RuleUpdate(RuleSettings):
    """The whole rule: settings left out are cleared (PUT replaces)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"policy": "order_up_to", "service_measure": "fill", "service_level": 0.98},
                {"policy": "manual", "manual_minimum": 10, "manual_maximum": 40},
            ]
        },
    )

    @model_validator(mode="after")
    def _sets_something(self) -> Self:
        if all(getattr(self, name) is None for name in SETTING_NAMES):
            raise ValueError(
                f"a rule must set at least one of {', '.join(SETTING_NAMES)}; "
                "to remove the rule, DELETE it"
            )
        low, high = self.manual_minimum, self.manual_maximum
        if low is not None and high is not None and high < low:
            raise ValueError(f"manual_maximum {high} is below manual_minimum {low}")
        return self


class RuleRead(RuleSettings):
    model_config = ConfigDict(from_attributes=True)

    scope: r.RuleScope
    sku: str | None = None
    location: str | None = None
    category: str | None = None
    abc_class: str | None = None
    label: str = Field(examples=["sku_location MUG-RED-L@PAR-GEN"])


class LocationPolicyRead(BaseModel):
    """The policy at one location (units unless named) and where each setting came from."""

    model_config = ConfigDict(from_attributes=True)

    location: str
    policy: r.PolicyName
    service_measure: r.ServiceMeasure
    service_level: float
    abc_class: str = Field(description="By forecast revenue: A 80%, B next 15%, C the rest.")
    review_period_days: float | None
    fixed_order_quantity: float | None
    manual_minimum: float | None
    manual_maximum: float | None
    max_supplier_share: float
    rules: dict[str, str] = Field(description="Setting -> the rule it came from.")
    forecast_per_day: float
    protection_days: float = Field(description="Lead time (+ review period), days.")
    protection_demand: float = Field(description="Demand expected over protection_days.")
    protection_demand_std: float
    safety_factor: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    order_quantity: float
    lead_time_days: float = Field(description="Of the best-scored supplier.")
    lead_time_std_days: float
    supplier: str | None = Field(description="Best-scored supplier; null without offers.")
    position: float = Field(description="On hand + on order (drafts too) - allocated.")
    transfer_in: int
    transfer_out: int
    need: float = Field(description="Units a run would order now, before rounding.")
    reorder_point_model: str | None = Field(
        default=None,
        description="lost_sales, backorder (fill-rate rows), cycle_service; null for "
        "just-in-time and manual rows.",
    )
    model_explanation: str = Field(default="", description="The model in one sentence.")
    undershoot: float = Field(default=0.0, description="Review undershoot, units (lost_sales).")
    demand_dispersion: float | None = Field(
        default=None, description="Variance-to-mean ratio of recent demand (lost_sales)."
    )
    demand_rate_source: str = Field(
        default="forecast",
        description="forecast, pooled (slow seller: rate shrunk toward its category's) or "
        "launch (never sold: its category's launch rate), as the run's line (ADR 0018).",
    )
    demand_rate_per_day: float | None = Field(
        default=None, description="The pooled or launch rate, units a day; null: forecast."
    )
    group_rate_per_day: float | None = Field(
        default=None, description="The category's rate it is pooled with, units a day."
    )
    demand_rate_note: str | None = Field(
        default=None, description="The pooled rate in one sentence; null when not pooled."
    )
    summary: str = Field(description="The policy in plain words.")


class SkuPolicyRead(BaseModel):
    """A SKU's policy per location, computed now from the latest forecast run."""

    sku: str
    run_id: int
    forecast_from: date
    abc_class: str
    currency: str
    has_offer: bool = Field(
        description="False: no supplier offers it in the currency; the levels then use "
        "the run's default lead time and nothing can be bought."
    )
    locations: list[LocationPolicyRead]
    pooled_with: int | None = Field(
        default=None,
        description="Proposal whose stored group figures were applied (pooling_note says "
        "whether any row was pooled); null: none stored yet, nothing pooled.",
    )
    pooling_note: str = Field(
        default="", description="Whether slow rows were pooled, with which run's figures."
    )

    @classmethod
    def from_policies(cls, found: SkuPolicies) -> Self:
        return cls(
            sku=found.sku,
            run_id=found.run_id,
            forecast_from=found.first_day,
            abc_class=found.abc_class,
            currency=found.currency,
            has_offer=found.has_offer,
            pooled_with=found.pooled_with,
            pooling_note=found.pooling_note,
            locations=[
                LocationPolicyRead.model_validate(
                    {**_as_dict(policy), "summary": policy_summary(policy)}
                )
                for policy in found.locations
            ],
        )


def _as_dict(policy: LocationPolicy) -> dict[str, object]:
    return {name: getattr(policy, name) for name in LocationPolicy.__slots__}
