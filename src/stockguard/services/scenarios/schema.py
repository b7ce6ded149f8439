"""The scenario file and the plans file, as validated pydantic models (docs/scenarios.md).

A scenario says what goes wrong and when; a plan says what the shop does about it. Both
are read from YAML (``services.scenarios.files``) or from JSON bodies of the API, and
are validated here: every error names the path in the document (``events[2].to``), the
field and the reason. Dates are calendar days; every window ``from``..``to`` includes
both ends. The baseline plan ``do nothing`` (no actions) is always run first.

Scenario file::

    name: supplier-flood
    description: our main supplier's region is flooded
    start: 2026-12-01          # first simulated day
    horizon_days: 90
    events:
      - type: supplier_outage
        supplier: ACME
        from: 2026-12-05
        to: 2027-01-10

Plans file::

    plans:
      - name: second source after a week
        actions:
          - type: switch_supplier_after
            days: 7
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

BASELINE_PLAN = "do nothing"
"""Name of the plan with no actions, always run first."""

MAX_HORIZON_DAYS = 731


class _Strict(BaseModel):
    """Unknown keys are errors (a typo must not silently do nothing)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class _Window(_Strict):
    """A window of days ``from``..``to``, both included."""

    start: date = Field(alias="from", description="first day of the window")
    end: date = Field(alias="to", description="last day of the window (included)")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


# ---------------------------------------------------------------- scenario events


class SupplierOutage(_Window):
    """The supplier delivers nothing in the window; its deliveries wait for the end."""

    type: Literal["supplier_outage"]
    supplier: str = Field(min_length=1)


class LeadTimeMultiplier(_Window):
    """Orders placed in the window take ``factor`` times their lead time."""

    type: Literal["lead_time_multiplier"]
    supplier: str = Field(default="all", min_length=1, description="a supplier code or 'all'")
    factor: float = Field(gt=0, le=20)


class DemandShock(_Window):
    """Demand of the SKUs (or of a category, or of every SKU when neither is given).

    ``shape: flat``: demand times ``1 + change_percent / 100`` on every day of the window.
    ``shape: viral``: a spike peaking on ``peak_day`` at ``peak_multiplier`` times the
    normal demand, rising linearly from ``from`` and decaying exponentially after the
    peak with half-life ``decay_days``, until ``to``:
    ``m(t) = 1 + (M - 1) * 0.5 ** ((t - peak) / decay_days)`` for ``t >= peak``.
    """

    type: Literal["demand_shock"]
    skus: list[str] | None = None
    category: str | None = None
    shape: Literal["flat", "viral"] = "flat"
    change_percent: float | None = Field(default=None, ge=-100, le=10_000)
    peak_day: date | None = None
    peak_multiplier: float | None = Field(default=None, ge=1, le=1_000)
    decay_days: float | None = Field(default=None, gt=0, le=365)

    @model_validator(mode="after")
    def _shape_fields(self) -> Self:
        if self.skus is not None and self.category is not None:
            raise ValueError("give either 'skus' or 'category', not both")
        if self.shape == "flat" and self.change_percent is None:
            raise ValueError("a flat demand shock needs 'change_percent' (e.g. 50 for +50%)")
        if self.shape == "viral":
            missing = [
                name
                for name in ("peak_day", "peak_multiplier", "decay_days")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"a viral demand shock needs {', '.join(missing)}")
            assert self.peak_day is not None
            if not self.start <= self.peak_day <= self.end:
                raise ValueError(f"peak_day {self.peak_day} is outside {self.start}..{self.end}")
        return self


class WarehouseOutage(_Window):
    """The location neither sells nor receives in the window (its demand is lost)."""

    type: Literal["warehouse_outage"]
    location: str = Field(min_length=1)


class CarrierStrike(_Window):
    """Deliveries due in the window from suppliers shipping by this carrier are held
    until the strike ends (``delay_days`` None), or delayed by ``delay_days``."""

    type: Literal["carrier_strike"]
    carrier: str = Field(min_length=1)
    delay_days: int | None = Field(default=None, ge=1, le=365)


class CountryClosure(_Window):
    """Suppliers based in the country deliver nothing in the window (a closed port or
    border): a supplier outage for each of them."""

    type: Literal["country_closure", "port_closure"]
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")


ScenarioEvent = Annotated[
    SupplierOutage
    | LeadTimeMultiplier
    | DemandShock
    | WarehouseOutage
    | CarrierStrike
    | CountryClosure,
    Field(discriminator="type"),
]


class ScenarioSpec(_Strict):
    """A crisis scenario: what happens from ``start`` over ``horizon_days`` days."""

    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    start: date
    horizon_days: int = Field(default=90, ge=1, le=MAX_HORIZON_DAYS)
    events: list[ScenarioEvent] = Field(default_factory=list)

    @property
    def end(self) -> date:
        """Last simulated day."""
        return self.start + timedelta(days=self.horizon_days - 1)


# ---------------------------------------------------------------- plan actions


class SwitchSupplierAfter(_Strict):
    """After ``days`` days of an outage of a SKU's supplier, order from its next-best
    offer (another supplier), at that offer's cost and lead time."""

    type: Literal["switch_supplier_after"]
    days: int = Field(ge=0, le=365)
    supplier: str | None = Field(default=None, description="only when this supplier is out")


class Expedite(_Strict):
    """Orders placed from ``from`` (default: the scenario's start) to ``to`` arrive
    ``lead_time_cut_days`` sooner (never under 1 day), at an extra cost per unit given
    as money (``extra_cost_per_unit``) or as a share of the unit cost (``extra_cost_percent``)."""

    type: Literal["expedite"]
    lead_time_cut_days: int = Field(ge=1, le=365)
    extra_cost_per_unit: float | None = Field(default=None, ge=0)
    extra_cost_percent: float | None = Field(default=None, ge=0, le=1_000)
    supplier: str | None = None
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _one_cost(self) -> Self:
        if (self.extra_cost_per_unit is None) == (self.extra_cost_percent is None):
            raise ValueError("give exactly one of 'extra_cost_per_unit' or 'extra_cost_percent'")
        return self


class TransferFrom(_Strict):
    """When a SKU runs out at a location, move units from ``location`` (what it holds
    above its own reorder point) in ``transfer_days``, at ``cost_per_unit``."""

    type: Literal["transfer_from"]
    location: str = Field(min_length=1)
    transfer_days: int = Field(default=2, ge=0, le=60)
    cost_per_unit: float = Field(default=0.5, ge=0)


class RaiseSafetyStock(_Strict):
    """Reorder point and order-up-to level raised by ``(factor - 1)`` times the safety
    stock from ``from`` (default: the start) to ``to`` (default: the end)."""

    type: Literal["raise_safety_stock"]
    factor: float = Field(gt=1, le=10)
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")


class Prebuild(_Strict):
    """Extra stock bought ahead, on hand by ``before``: ``extra_units`` per SKU or
    ``days_of_cover`` days of mean demand; holding it costs ``holding_rate`` per year
    of the unit cost (default: the replenishment run's rate)."""

    type: Literal["prebuild"]
    before: date
    extra_units: int | None = Field(default=None, ge=1)
    days_of_cover: float | None = Field(default=None, gt=0, le=365)
    skus: list[str] | None = None
    holding_rate: float | None = Field(default=None, ge=0, le=5)

    @model_validator(mode="after")
    def _one_amount(self) -> Self:
        if (self.extra_units is None) == (self.days_of_cover is None):
            raise ValueError("give exactly one of 'extra_units' or 'days_of_cover'")
        return self


class LimitPerCustomer(_Strict):
    """At most ``max_units`` of a SKU per order, from ``from`` to ``to``: the part of a
    day's demand above ``max_units`` times the day's number of orders is cut."""

    type: Literal["limit_per_customer"]
    max_units: int = Field(ge=1)
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")


PlanAction = Annotated[
    SwitchSupplierAfter | Expedite | TransferFrom | RaiseSafetyStock | Prebuild | LimitPerCustomer,
    Field(discriminator="type"),
]


class PlanSpec(_Strict):
    """A named contingency plan: its actions apply together."""

    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    actions: list[PlanAction] = Field(default_factory=list)


class PlansFile(_Strict):
    """The plans file: a list of named plans (names unique, ``do nothing`` reserved)."""

    plans: list[PlanSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        seen: set[str] = set()
        for plan in self.plans:
            if plan.name in seen or plan.name == BASELINE_PLAN:
                raise ValueError(f"plan name {plan.name!r} is used twice or reserved")
            seen.add(plan.name)
        return self


def with_baseline(plans: list[PlanSpec] | tuple[PlanSpec, ...]) -> tuple[PlanSpec, ...]:
    """The baseline plan (no actions) followed by ``plans``."""
    rest = tuple(p for p in plans if p.name != BASELINE_PLAN)
    return (PlanSpec(name=BASELINE_PLAN, description="no contingency action"), *rest)
