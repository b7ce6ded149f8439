"""The "Scenarios" pages: stored scenario runs, and one run's plan table with stock fans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.scenarios import SqlScenarioRuns
from stockguard.bootstrap import App
from stockguard.entrypoints.web.deps import require_operator
from stockguard.entrypoints.web.fan_svg import fan_shape
from stockguard.entrypoints.web.rendering import render
from stockguard.services.scenarios.ports import ScenarioRunStore
from stockguard.services.scenarios.report import ScenarioReport

router = APIRouter(dependencies=[Depends(require_operator)])
RUNS_SHOWN = 100
FANS_SHOWN = 6


def run_store(stockguard: App) -> ScenarioRunStore | None:
    """The stored scenario runs."""
    return SqlScenarioRuns(stockguard.sessions)


def _app(request: Request) -> App:
    stockguard: App = request.app.state.stockguard
    return stockguard


@router.get("/scenarios", name="scenarios")
def scenarios_page(request: Request) -> Response:
    """Scenario runs, latest first, with the plan that lost least."""
    store = run_store(_app(request))
    runs = store.list(limit=RUNS_SHOWN) if store is not None else []
    return render(request, "scenarios.html", {"nav": "scenarios", "runs": runs})


@router.get("/scenarios/runs/{run_id}", name="scenario_run")
def scenario_run_page(
    request: Request,
    run_id: int,
    plan: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    """One run: every plan's outcomes with 95% intervals, and the fan of stock over time
    for the most affected SKUs under the chosen plan (default: the baseline)."""
    store = run_store(_app(request))
    report = store.get(run_id) if store is not None else None
    if report is None:
        raise HTTPException(404, f"There is no scenario run {run_id}.")
    chosen = _chosen(report, plan)
    context = {
        "nav": "scenarios",
        "report": report,
        "chosen": chosen,
        "baseline": report.plans[0] if report.plans else None,
        "fans": [fan_shape(fan) for fan in chosen.fans[:FANS_SHOWN]] if chosen else [],
    }
    return render(request, "scenario_run.html", context)


def _chosen(report: ScenarioReport, plan: str) -> Any:
    for outcome in report.plans:
        if outcome.plan == plan:
            return outcome
    return report.plans[0] if report.plans else None
