"""Replenishment runs, proposals with their explained lines, and decisions on them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stockguard.adapters.db.views.proposal_lines import LineFacts
from stockguard.domain import replenishment as r


def _amount(default: Decimal | None, description: str | None = None) -> Any:
    """A field holding money: 0 or more, at most 4 decimals."""
    return Field(
        default=default, ge=0, le=1_000_000_000, max_digits=16, decimal_places=4,
        description=description,
    )  # fmt: skip


LineNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]
NOTE = Field(default=None, min_length=1, max_length=500, description="Why (kept with it).")


class ReplenishmentRunCreate(BaseModel):
    """Compute a proposal from the latest forecast run (or ``run_id``); money in
    ``currency`` (offers in other currencies are left out)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"budget": "2500.00", "currency": "EUR"}]},
    )

    budget: Decimal | None = _amount(None, "Spend at most this; other lines are 'over'.")
    run_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="Planning run.")
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217.")
    ordering_cost: Decimal = _amount(Decimal("25"), "Cost of one purchase order line.")
    holding_rate: Decimal = Field(
        default=Decimal("0.25"), gt=0, le=10, decimal_places=4,
        description="Yearly holding cost as a share of unit cost.",
    )  # fmt: skip
    transfer_fixed_cost: Decimal = _amount(Decimal("15"), "Cost of one transfer.")
    transfer_unit_cost: Decimal = _amount(Decimal("0.50"), "Cost of moving one unit.")
    transfer_margin: Decimal = Field(
        default=Decimal("0.20"), ge=0, le=10, decimal_places=4,
        description="Share of its order-up-to level a location keeps before giving units.",
    )  # fmt: skip
    fill_rate_model: Literal["lost_sales", "backorder"] = Field(
        default="lost_sales",
        description="Reorder points of fill-rate rows: lost_sales (sales lost when out of "
        "stock, daily review, late orders overtaken) or backorder (textbook equation).",
    )


class ReplenishmentRunRead(BaseModel):
    """What the run proposed; approve the proposal with ``POST /proposals/{id}/approve``."""

    proposal_id: int
    run_id: int = Field(description="The planning run (forecast) it used.")
    rows: int = Field(description="SKU x locations planned.")
    lines: int
    lines_within_budget: int
    transfers: int
    suppliers: int
    total_cost: Decimal
    cost_within_budget: Decimal
    lost_margin_avoided: Decimal = Field(description="Expected, by the lines within budget.")
    currency: str
    budget: Decimal | None
    seconds: float
    unsourced: list[str] = Field(
        description="SKU@LOCATION that need units but have no offer in the currency."
    )


class ProposalRead(BaseModel):
    """A proposal with its totals."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    run_id: int
    created_at: datetime
    status: r.ProposalStatus
    currency: str
    budget: Decimal | None
    lines: int
    within_budget: int = Field(description="Lines within the budget (all without one).")
    cost: Decimal
    cost_within_budget: Decimal
    transfers: int
    decided_at: datetime | None = None
    note: str | None = None


class PositionRead(BaseModel):
    """Units: inventory position = on hand + on order + in draft POs - allocated."""

    inventory_position: int
    on_hand: int
    on_order: int
    in_draft: int
    allocated: int
    transfer_in: int
    transfer_out: int


class ForecastRead(BaseModel):
    per_day: float | None = Field(description="Mean forecast, units/day.")
    protection_days: float | None = Field(
        description="Lead time (+ review period), days; lost_sales model: lead time - 1 "
        "(a daily review: the day the order is placed is already served)."
    )
    demand: float = Field(
        description="Units expected over the protection interval (lost_sales model: "
        "plus the review undershoot)."
    )
    demand_std: float | None
    undershoot: float | None = Field(
        default=None, description="Units of the review undershoot in demand (lost_sales)."
    )
    model: str | None = Field(
        default=None, description="lost_sales, backorder or cycle_service.", examples=["lost_sales"]
    )
    model_explanation: str = Field(default="", description="The model in one sentence.")
    demand_rate_note: str | None = Field(
        default=None,
        description="A slow or never-sold row's pooled rate in one sentence (ADR 0018); "
        "null when the row plans with its forecast.",
    )


class PolicyBasisRead(BaseModel):
    policy: str | None = Field(examples=["order_up_to"])
    service_measure: str | None = Field(examples=["fill"])
    service_level: float | None = Field(examples=[0.95])
    abc_class: str | None
    lead_time_days: float | None = Field(description="Of the best-scored supplier.")
    lead_time_std_days: float | None
    rules: dict[str, str] = Field(description="Setting -> the rule it came from.")


class RoundingRead(BaseModel):
    need: float = Field(description="Units needed before rounding.")
    added_by_minimum: int
    added_by_pack: int


class SupplierChoiceRead(BaseModel):
    code: str
    rank: int | None = Field(description="1 = best-scored offer of the SKU.")
    stated_lead_time_days: float | None
    lead_time_days: float | None = Field(description="Stated plus the observed mean delay.")
    lead_time_std_days: float | None
    on_time_rate: float | None
    deliveries: int | None = Field(description="Past deliveries the record rests on.")
    score: dict[str, float] = Field(description="Cost parts per unit (lower is better).")
    max_supplier_share: float | None
    diversified: bool = Field(description="Split across suppliers by the share rule.")
    lead_time_receipts: int | None = Field(
        None, description="Receipts the lead time rests on (with open orders counted)."
    )
    open_orders: int = Field(
        0, description="Open orders counted in lead_time_days, each as at least its age."
    )
    oldest_open_days: int | None = Field(None, description="Days since the oldest was ordered.")


class BudgetRead(BaseModel):
    status: r.BudgetStatus
    lost_margin_avoided: Decimal


class LineExplanationRead(BaseModel):
    """Every figure the line's quantity comes from, and the reasons in words."""

    summary: str = Field(description="The reasons in plain words.")
    position: PositionRead
    forecast: ForecastRead
    safety_stock: float
    safety_factor: float | None
    reorder_point: float
    order_up_to: float
    rounding: RoundingRead
    policy: PolicyBasisRead
    supplier: SupplierChoiceRead
    budget: BudgetRead


class ProposalLineRead(BaseModel):
    line_no: int
    sku: str
    location: str
    supplier: str
    quantity: int
    unit_cost: Decimal
    cost: Decimal
    currency: str
    status: r.LineStatus
    purchase_order: str | None = Field(description="Draft PO number once approved.")
    explanation: LineExplanationRead

    @classmethod
    def from_facts(cls, line: LineFacts) -> Self:
        return cls(
            line_no=line.line_no,
            sku=line.sku,
            location=line.location,
            supplier=line.supplier.code,
            quantity=line.quantity,
            unit_cost=line.unit_cost,
            cost=line.cost,
            currency=line.currency,
            status=r.LineStatus(line.status),
            purchase_order=line.purchase_order,
            explanation=_explanation(line),
        )


class TransferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    sku: str
    source: str
    destination: str
    quantity: int
    transfer_cost: Decimal
    purchase_cost_avoided: Decimal
    status: r.LineStatus


class ProposalDetailRead(BaseModel):
    """A proposal with a page of its purchase lines (budget priority order) and transfers."""

    id: int
    run_id: int
    created_at: datetime
    status: r.ProposalStatus
    currency: str
    budget: Decimal | None
    decided_at: datetime | None
    note: str | None
    line_count: int = Field(ge=0, description="Purchase lines in all; ``lines`` is a page.")
    limit: int
    offset: int
    lines: list[ProposalLineRead]
    transfers: list[TransferRead]


class ProposalApprove(BaseModel):
    """Approve ``lines`` (default: every line within budget); the others are rejected."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"lines": [1, 2, 5], "note": "Summer stock"}]},
    )

    lines: list[LineNumber] = Field(
        default_factory=list, max_length=100_000, description="Line numbers; empty = default."
    )
    note: str | None = NOTE

    @model_validator(mode="after")
    def _unique(self) -> Self:
        if len(set(self.lines)) != len(self.lines):
            raise ValueError("each line number may appear once")
        return self


class ProposalReject(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Waiting for the new range"}]}
    )

    note: str | None = NOTE


class DraftOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str = Field(examples=["RP12-1"])
    supplier: str
    location: str
    lines: int
    units: int
    cost: Decimal
    expected_on: date


class DecisionRead(BaseModel):
    """A proposal's decision and the draft purchase orders approving it created."""

    model_config = ConfigDict(from_attributes=True)

    proposal_id: int
    status: r.ProposalStatus
    purchase_orders: list[DraftOrderRead]
    approved_lines: int
    rejected_lines: int
    transfers: int


def _explanation(line: LineFacts) -> LineExplanationRead:
    supplier = line.supplier
    return LineExplanationRead(
        summary=line.why,
        position=PositionRead(**asdict(line.position)),
        forecast=ForecastRead(
            per_day=line.forecast_per_day,
            protection_days=line.protection_days,
            demand=line.protection_demand,
            demand_std=line.protection_demand_std,
            undershoot=line.undershoot,
            model=line.reorder_point_model,
            model_explanation=line.model_explanation,
            demand_rate_note=line.demand_rate_note,
        ),
        safety_stock=line.safety_stock,
        safety_factor=line.safety_factor,
        reorder_point=line.reorder_point,
        order_up_to=line.order_up_to,
        rounding=RoundingRead(
            need=line.need,
            added_by_minimum=line.added_by_minimum,
            added_by_pack=line.added_by_pack,
        ),
        policy=PolicyBasisRead(
            policy=line.policy,
            service_measure=line.service_measure,
            service_level=line.service_level,
            abc_class=line.abc_class,
            lead_time_days=line.lead_time_days,
            lead_time_std_days=line.lead_time_std_days,
            rules=line.rules,
        ),
        supplier=SupplierChoiceRead(**asdict(supplier)),
        budget=BudgetRead(
            status=r.BudgetStatus(line.budget_status),
            lost_margin_avoided=line.lost_margin_avoided,
        ),
    )
