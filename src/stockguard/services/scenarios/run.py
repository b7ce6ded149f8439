"""Run a scenario: build the Monte Carlo inputs from the shop's data, simulate every plan
on the same draws, and report (docs/scenarios.md)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np

from stockguard.domain import errors
from stockguard.planning.simulation.montecarlo import engine
from stockguard.services.replenishment import compute
from stockguard.services.replenishment.inputs import gather_inputs
from stockguard.services.replenishment.propose import check_required
from stockguard.services.replenishment.settings import RowKeys, classify_abc, resolve_settings
from stockguard.services.scenarios import actions, inputs, summary
from stockguard.services.scenarios.ports import ScenarioFacts, ScenarioRunStore
from stockguard.services.scenarios.report import PlanOutcome, ScenarioReport
from stockguard.services.scenarios.schema import (
    MAX_HORIZON_DAYS,
    PlanSpec,
    ScenarioSpec,
    with_baseline,
)
from stockguard.services.unit_of_work import UnitOfWork

MAX_PATHS = 100_000
FAN_ROWS = 5
"""Most affected rows whose stock fans the report carries."""

ProgressCallback = Callable[[int, int], None]
"""Called with (SKU blocks done, SKU blocks in all) as blocks finish."""


def run_scenario(
    uow: UnitOfWork,
    scenario: ScenarioSpec,
    plans: Sequence[PlanSpec],
    *,
    paths: int,
    seed: int,
    horizon_days: int | None = None,
    currency: str = "EUR",
    progress: ProgressCallback | None = None,
    facts: ScenarioFacts | None = None,
    block_rows: int | None = 2048,
) -> ScenarioReport:
    """Simulate ``scenario`` under the baseline plan and each of ``plans``.

    Reads (without writing) the latest planning run's forecast, stock, open purchase
    orders, offers, deliveries and replenishment rules through ``uow.replenishment``.
    ``horizon_days`` overrides the scenario's horizon. ``facts`` adds suppliers'
    countries and carriers and the open order lines (without it, country closures and
    carrier strikes hit no supplier and ``on_order`` arrives after half the lead time).

    Raises:
        errors.NoPlanningRun: when there is no forecast to draw demand from.
        errors.InvalidParameter: when ``paths`` or the horizon is out of range.
    """
    started = time.perf_counter()
    horizon = scenario.horizon_days if horizon_days is None else horizon_days
    _check(paths, horizon)
    everything = with_baseline(list(plans))
    model = _shop_model(uow, scenario, horizon, currency, facts)
    arrays = actions.plan_arrays(model, everything, scenario.start)
    result = engine.simulate(
        model.rows, model.calendar, arrays, paths=paths, seed=seed, block_rows=block_rows,
        progress=progress,
    )  # fmt: skip
    affected = summary.most_affected(result.row_totals, model.rows.price, FAN_ROWS)
    stock = engine.record_stock(
        model.rows, model.calendar, arrays, paths=paths, seed=seed, which=affected
    )
    names = list(zip(model.skus, model.locations, strict=True))
    outcomes = []
    for p, plan in enumerate(everything):
        figures = summary.plan_estimates(result.path_totals[p], result.path_totals[0])
        if p == 0:
            figures.pop("difference_vs_baseline")
        fans = summary.fans(
            stock, p, rows=affected, names=names, row_totals=result.row_totals,
            price=model.rows.price, paths=paths, start=scenario.start,
        )  # fmt: skip
        outcomes.append(
            PlanOutcome(plan=plan.name, description=plan.description, fans=fans, **figures)
        )
    return ScenarioReport(
        scenario=scenario.name,
        description=scenario.description,
        start=scenario.start,
        horizon_days=horizon,
        paths=paths,
        seed=seed,
        rows=model.rows.n_rows,
        forecast_run_id=model.forecast_run_id,
        currency=currency,
        plans=outcomes,
        most_affected=[f"{names[i][0]}@{names[i][1]}" for i in affected],
        notes=list(model.notes),
        elapsed_seconds=round(time.perf_counter() - started, 3),
    )


def _check(paths: int, horizon: int) -> None:
    if not 1 <= paths <= MAX_PATHS:
        raise errors.InvalidParameter("paths", paths, f"must be between 1 and {MAX_PATHS:,}")
    if not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise errors.InvalidParameter(
            "horizon_days", horizon, f"must be between 1 and {MAX_HORIZON_DAYS} days"
        )


def _shop_model(
    uow: UnitOfWork,
    scenario: ScenarioSpec,
    horizon: int,
    currency: str,
    facts: ScenarioFacts | None,
) -> inputs.ShopModel:
    """Read the shop's data (no writes) and build the engine's rows."""
    source = uow.replenishment
    found = gather_inputs(source, run_id=None, currency=currency)
    revenue = found.daily_mean.mean(axis=1) * found.price if found.n_rows else np.zeros(0)
    abc = classify_abc(group=found.sku_index, revenue=revenue, n_groups=len(found.unique_skus))
    keys = RowKeys(found.skus, found.locations, found.categories, [abc[i] for i in found.sku_index])
    settings = resolve_settings(source.rules(), keys)
    check_required(found, settings, hint="; set it with `stockguard rules set`")
    parameters = compute.Parameters()
    plan = compute.plan_replenishment(found, settings, parameters)
    review = settings["review_period_days"]
    review = np.where(np.isnan(review), parameters.default_review_period_days, review)
    return inputs.build_model(
        found, plan, scenario, horizon=horizon, review_period=review,
        deliveries=source.deliveries(),
        facts=facts.suppliers() if facts is not None else [],
        open_orders=facts.open_orders() if facts is not None else None,
    )  # fmt: skip


def store_run(
    runs: ScenarioRunStore,
    report: ScenarioReport,
    scenario: ScenarioSpec,
    plans: Sequence[PlanSpec],
    *,
    now: datetime | None = None,
) -> ScenarioReport:
    """Keep the run with its documents; returns the report with ``run_id`` set."""
    run_id = runs.add(
        report,
        scenario_document=scenario.model_dump(mode="json", by_alias=True),
        plans_document=[p.model_dump(mode="json", by_alias=True) for p in plans],
        created_at=now or datetime.now(UTC),
    )
    return report.model_copy(update={"run_id": run_id})
