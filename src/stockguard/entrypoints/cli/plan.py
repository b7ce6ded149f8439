"""``stockguard plan``: planning runs on the database (forecast now; policies later)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

from stockguard.bootstrap import App
from stockguard.entrypoints.cli import forecast as forecast_cli
from stockguard.entrypoints.cli import risk as risk_cli
from stockguard.entrypoints.cli import storefront as storefront_cli
from stockguard.entrypoints.cli.context import console, err_console, fail, state
from stockguard.services.forecasting.drivers import DEFAULT_MIN_SERIES
from stockguard.services.planning import run as planning_run
from stockguard.services.planning.run import PlanningRunSummary

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
    drivers: Annotated[
        bool | None,
        typer.Option(
            "--drivers/--no-drivers",
            help="Also fit the global LightGBM drivers model (lags, calendar, prices from "
            "order lines and the catalogue, promotions) and use it per series where it beats "
            "the statistical forecast on the last --horizon days. Default: on from "
            f"{DEFAULT_MIN_SERIES} series.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Forecast every SKU x location from the ledger and store the run with its quantiles.

    Days that ended out of stock are treated as unobserved, not as zero demand.
    """
    first_day = _first_day(today)
    summary = run_planning(
        state.app(),
        today=first_day,
        horizon=horizon,
        history_days=history_days,
        seed=seed,
        drivers=drivers,
    )
    console.print(summary_line(summary), markup=False, highlight=False, soft_wrap=True)
    if summary.drivers is not None:
        console.print(drivers_line(summary), markup=False, highlight=False, soft_wrap=True)
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
    if summary.n_series and summary.units_in_history == 0:
        err_console.print(empty_history_hint(summary), markup=False, highlight=False)
    risk_cli.refresh_after_planning(state.app())
    storefront_cli.refresh_after_planning(state.app())


def run_planning(
    stockguard: App,
    *,
    today: date,
    horizon: int = 28,
    history_days: int = 730,
    seed: int = 7,
    drivers: bool | None = None,
) -> PlanningRunSummary:
    """Run the planning forecast with the drivers ports under a status spinner.

    It calls the service directly rather than through the bus (whose ``RunForecast``
    handler has no drivers ports): the run only adds rows, so the bus's retry on
    concurrent updates has nothing to retry.
    """
    with err_console.status(f"Forecasting {horizon} days from {history_days} days of history..."):
        return planning_run.run_forecast(
            stockguard.unit_of_work(),
            today=today,
            seed=seed,
            history_days=history_days,
            horizon=horizon,
            drivers=stockguard.planning_drivers(drivers),
        )


def empty_history_hint(summary: PlanningRunSummary) -> str:
    """What to do when no sale falls in the history window (every forecast is then 0)."""
    return (
        f"Note: no sale in the ledger falls between {summary.history_start_on} and "
        f"{summary.history_end_on}, so every forecast is 0. If your sales are older (an "
        "imported data set, for example), forecast from the day after the last one with "
        "--today YYYY-MM-DD, or learn from more days with --history-days."
    )


def summary_line(summary: PlanningRunSummary) -> str:
    return (
        f"Forecast {summary.n_series:,} series x {summary.horizon} days in "
        f"{summary.seconds:.1f} s; stored {summary.rows:,} rows as planning run {summary.run_id}."
    )


def drivers_line(summary: PlanningRunSummary) -> str:
    report = summary.drivers
    if report is None:
        return ""
    if report.skipped is not None:
        return f"Drivers model not used: {report.skipped}."
    return (
        f"Drivers model {report.alias} (lags, calendar, {', '.join(report.regressors)}; "
        f"{report.seconds:.1f} s): chosen for {report.drivers:,} series, mean with the "
        f"statistical forecast for {report.mean:,}, statistical kept for "
        f"{report.statistical:,}."
    )


def models_line(summary: PlanningRunSummary) -> str:
    """``SES 120, TSB 40, combinations 300, GlobalGBM 50, GlobalGBM+statistical 9``."""
    return forecast_cli.models_line(dict(summary.model_counts), summary.drivers) or "none"


def _first_day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise fail(f"--today must be an ISO date such as 2026-11-24, got {value!r}") from error
