"""What a scenario run reports: per plan, four outcomes with 95% confidence intervals,
and the stock fans of the most affected SKUs.

Every outcome is a mean over the Monte Carlo paths with a normal 95% interval
``mean +- 1.96 * s / sqrt(n_paths)`` (``s`` the sample standard deviation across
paths). Plans are run on the same random draws (common random numbers), so the
difference between two plans' means is far more precise than either interval suggests;
``difference_vs_baseline`` carries the paired interval of each plan's lost revenue
minus the baseline's.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

Z_95 = 1.959963984540054
"""Standard normal quantile for a two-sided 95% interval."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Estimate(_Frozen):
    """Mean over paths with its 95% interval and standard error."""

    mean: float
    low: float
    high: float
    std_error: float


class StockFan(_Frozen):
    """Units on hand at the end of each day for one SKU x location, across paths.

    Each quantile list has one value per simulated day (``days``).
    """

    sku: str
    location: str
    lost_revenue: float = Field(description="mean lost revenue of this row under the plan")
    stockout_days: float = Field(description="mean stock-out days of this row under the plan")
    days: list[date]
    p5: list[float]
    p25: list[float]
    p50: list[float]
    p75: list[float]
    p95: list[float]


class PlanOutcome(_Frozen):
    """One plan's outcomes over the scenario (money in the shop's currency).

    ``fill_rate``: units served / units demanded over every row and day (0..1).
    ``stockout_sku_days``: row-days ending with nothing on hand while demand was lost.
    ``lost_revenue``: lost units times the row's price.
    ``extra_cost``: expediting, transfers, switching to a dearer offer and holding of
    pre-built stock (money).
    """

    plan: str
    description: str = ""
    fill_rate: Estimate
    stockout_sku_days: Estimate
    lost_revenue: Estimate
    extra_cost: Estimate
    difference_vs_baseline: Estimate | None = Field(
        default=None, description="lost revenue + extra cost minus the baseline's (paired)"
    )
    fans: list[StockFan] = Field(default_factory=list)


class ScenarioReport(_Frozen):
    """A scenario run: its inputs' identity and one ``PlanOutcome`` per plan (baseline first)."""

    scenario: str
    description: str = ""
    start: date
    horizon_days: int
    paths: int
    seed: int
    rows: int = Field(description="SKU x location rows simulated")
    forecast_run_id: int | None = None
    currency: str = "EUR"
    plans: list[PlanOutcome]
    most_affected: list[str] = Field(
        default_factory=list, description="'sku@location' of the rows losing most, baseline"
    )
    notes: list[str] = Field(default_factory=list)
    run_id: int | None = Field(default=None, description="id of the stored run, once stored")
    elapsed_seconds: float = 0.0

    def outcome(self, plan: str) -> PlanOutcome:
        """The outcome of the named plan (KeyError when absent)."""
        for outcome in self.plans:
            if outcome.plan == plan:
                return outcome
        raise KeyError(plan)
