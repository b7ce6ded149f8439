"""Run a scenario: build the Monte Carlo inputs from the shop's data, simulate every plan
on the same draws, and report (docs/scenarios.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from stockguard.services.scenarios.ports import ScenarioRunStore
from stockguard.services.scenarios.report import ScenarioReport
from stockguard.services.scenarios.schema import PlanSpec, ScenarioSpec
from stockguard.services.unit_of_work import UnitOfWork

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
) -> ScenarioReport:
    """Simulate ``scenario`` under the baseline plan and each of ``plans``.

    Reads (without writing) the latest planning run's forecast, stock, open purchase
    orders, offers, deliveries and replenishment rules through ``uow.replenishment``.
    ``horizon_days`` overrides the scenario's horizon.

    Raises:
        errors.NoPlanningRun: when there is no forecast to draw demand from.
        errors.InvalidParameter: when ``paths`` or the horizon is out of range.
    """
    raise NotImplementedError  # filled in by the engine commit


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
