"""Crisis scenarios: run one (Monte Carlo over the shop's data), list and read stored runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from stockguard.adapters.db.scenarios import SqlScenarioFacts, SqlScenarioRuns
from stockguard.entrypoints.api.deps import AppDep, Limit, Planner
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.scenarios import files, run
from stockguard.services.scenarios.report import ScenarioReport

router = APIRouter(tags=["scenarios"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

MAX_API_PATHS = 20_000


class ScenarioRunCreate(BaseModel):
    """A scenario and its plans, as JSON documents or as the YAML text of their files."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scenario": {
                        "name": "acme-flood",
                        "start": "2026-12-01",
                        "horizon_days": 90,
                        "events": [
                            {
                                "type": "supplier_outage",
                                "supplier": "ACME",
                                "from": "2026-12-05",
                                "to": "2027-01-10",
                            }
                        ],
                    },
                    "plans": [
                        {
                            "name": "second source after a week",
                            "actions": [{"type": "switch_supplier_after", "days": 7}],
                        }
                    ],
                    "paths": 1000,
                    "seed": 7,
                }
            ]
        },
    )

    scenario: dict[str, Any] | str = Field(description="The scenario (docs/scenarios.md).")
    plans: list[dict[str, Any]] | dict[str, Any] | str | None = Field(
        default=None, description="Plans: a list, {'plans': [...]} or YAML; baseline always."
    )
    paths: int = Field(default=1000, ge=1, le=MAX_API_PATHS)
    seed: int = Field(default=7, ge=0)
    horizon_days: int | None = Field(default=None, ge=1)
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")
    store: bool = Field(default=True, description="Keep the run (dashboard, register).")


class ScenarioRunSummaryRead(BaseModel):
    run_id: int
    scenario: str
    created_at: datetime
    paths: int
    seed: int
    horizon_days: int
    plans: list[str]
    best_plan: str


@router.post("/scenarios/run")
def run_scenario(body: ScenarioRunCreate, stockguard: AppDep) -> ScenarioReport:
    """Simulate the scenario under the baseline and each plan on the same random draws;
    per plan: fill rate, stock-out SKU-days, lost revenue and extra cost with 95%
    intervals, and stock fans of the most affected SKUs. 422 ``scenario_rejected`` lists
    every problem of the documents (path and reason); 409 ``no_planning_run`` before
    any forecast."""
    scenario = (
        files.load_scenario(body.scenario, file="scenario")
        if isinstance(body.scenario, str)
        else files.scenario_from_data(body.scenario)
    )
    plans = _plans(body.plans)
    facts = SqlScenarioFacts(stockguard.read_sessions or stockguard.sessions)
    with stockguard.unit_of_work() as uow:
        report = run.run_scenario(
            uow, scenario, plans, paths=body.paths, seed=body.seed,
            horizon_days=body.horizon_days, currency=body.currency, facts=facts,
        )  # fmt: skip
    if body.store:
        runs = SqlScenarioRuns(stockguard.sessions)
        report = run.store_run(runs, report, scenario, plans, now=datetime.now(UTC))
    return report


def _plans(plans: list[dict[str, Any]] | dict[str, Any] | str | None) -> list[Any]:
    if plans is None:
        return []
    if isinstance(plans, str):
        return files.load_plans(plans, file="plans")
    return files.plans_from_data(plans)


@router.get("/scenarios/runs")
def list_scenario_runs(
    stockguard: AppDep,
    scenario: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    limit: Limit = 50,
) -> list[ScenarioRunSummaryRead]:
    """Stored runs, latest first (optionally of one scenario)."""
    found = SqlScenarioRuns(stockguard.sessions).list(limit=limit, scenario=scenario)
    return [
        ScenarioRunSummaryRead(
            run_id=x.run_id,
            scenario=x.scenario,
            created_at=x.created_at,
            paths=x.paths,
            seed=x.seed,
            horizon_days=x.horizon_days,
            plans=list(x.plans),
            best_plan=x.best_plan,
        )
        for x in found
    ]


@router.get("/scenarios/runs/{run_id}")
def get_scenario_run(
    stockguard: AppDep, run_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> ScenarioReport:
    """One stored run's whole report. 404 when there is no such run."""
    report = SqlScenarioRuns(stockguard.sessions).get(run_id)
    if report is None:
        raise HTTPException(404, f"There is no scenario run {run_id}.")
    return report
