"""``stockguard plan``: planning runs on the database (forecast now; policies later)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.cli.context import console, err_console, fail, state
from stockguard.services.planning.run import PlanningRunSummary

COMBINATION_PREFIX = "combo("

app = typer.Typer(help="Planning runs over the database.", no_args_is_help=True)


@app.command("forecast")
def forecast(
    horizon: Annotated[int, typer.Option(min=1, max=366, help="Days to forecast.")] = 28,
    history_days: Annotated[
        int, typer.Option(min=14, max=3650, help="Days of ledger history to learn from.")
    ] = 730,
    seed: Annotated[int, typer.Option(min=0, help="Seed recorded with the run.")] = 7,
    today: Annotated[
        str | None, typer.Option(help="Forecast from this ISO date [default: today, UTC].")
    ] = None,
) -> None:
    """Forecast every SKU x location from the ledger and store the run with its quantiles.

    Days that ended out of stock are treated as unobserved, not as zero demand.
    """
    first_day = _first_day(today)
    summary = run_planning(
        state.app(), today=first_day, horizon=horizon, history_days=history_days, seed=seed
    )
    console.print(summary_line(summary), markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"Models chosen (series): {models_line(summary)}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"Run {summary.run_id}: history {summary.history_start_on} to "
        f"{summary.history_end_on}, seed {summary.seed}, inputs {summary.inputs_hash[:12]}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def run_planning(
    stockguard: App, *, today: date, horizon: int = 28, history_days: int = 730, seed: int = 7
) -> PlanningRunSummary:
    """Handle ``RunForecast`` through the bus under a status spinner."""
    command = commands.RunForecast(
        today=today, seed=seed, horizon=horizon, history_days=history_days
    )
    with err_console.status(f"Forecasting {horizon} days from {history_days} days of history..."):
        summary: PlanningRunSummary = stockguard.bus.handle(command)
    return summary


def summary_line(summary: PlanningRunSummary) -> str:
    return (
        f"Forecast {summary.n_series:,} series x {summary.horizon} days in "
        f"{summary.seconds:.1f} s; stored {summary.rows:,} rows as planning run {summary.run_id}."
    )


def models_line(summary: PlanningRunSummary) -> str:
    """``SES 120, TSB 40, combinations 300``: single models, then combinations summed."""
    counts = summary.model_counts
    combination = {alias: alias.startswith(COMBINATION_PREFIX) for alias in counts}
    single = [f"{alias} {n}" for alias, n in counts.items() if not combination[alias]]
    combined = sum(n for alias, n in counts.items() if combination[alias])
    return ", ".join([*single, *([f"combinations {combined}"] if combined else [])]) or "none"


def _first_day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise fail(f"--today must be an ISO date such as 2026-11-24, got {value!r}") from error
