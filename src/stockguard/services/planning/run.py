"""The planning run: ledger history -> demand panel -> forecast -> stored run.

``run_forecast`` reads the daily demand panel of every series (SKU x location) through
the unit of work's read-only ``history`` port, with stock-out days set to NaN (demand
on those days is censored, not zero), forecasts it with ``AutoForecaster``, and stores
the run, its seed, parameters and inputs' hash, and one row per series and horizon day,
in one transaction. The history is read and forecast before that transaction starts, so
a long run never holds the database's write lock while it computes.

``AutoForecaster`` is deterministic; the seed is still recorded with the run, as every
planning result is (stochastic steps of later runs draw from ``SeedSequence(seed)``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from stockguard.domain import commands
from stockguard.planning.forecasting import auto
from stockguard.planning.forecasting.base import ProbabilisticForecast
from stockguard.planning.panel import DemandPanel
from stockguard.services import ports
from stockguard.services.queries import demand_panel
from stockguard.services.unit_of_work import UnitOfWork

COMPLETED = "completed"
N_WINDOWS = 3
QUANTILE_COLUMNS: dict[str, float] = {
    "p50": 0.5,
    "p80": 0.8,
    "p90": 0.9,
    "p95": 0.95,
    "p99": 0.99,
    "lower_80": 0.1,
    "lower_95": 0.025,
    "upper_95": 0.975,
}
"""Stored quantile columns and their levels; the 80% interval is lower_80..p90."""


@dataclass(frozen=True, slots=True)
class PlanningRunSummary:
    """What a planning run did, for the CLI and the API."""

    run_id: int
    n_series: int
    horizon: int
    seed: int
    inputs_hash: str
    history_start_on: date
    history_end_on: date
    rows: int
    seconds: float
    model_counts: Mapping[str, int]
    """Series per chosen model alias (or combination), most frequent first."""


def run_forecast(
    uow: UnitOfWork,
    *,
    today: date,
    seed: int,
    history_days: int = 730,
    horizon: int = 28,
    season_length: int = 7,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PlanningRunSummary:
    """Forecast ``horizon`` days from ``today`` on the ``history_days`` days before it."""
    if horizon < 1 or history_days < 1 or season_length < 1:
        raise ValueError("horizon, history_days and season_length must be at least 1")
    started_at, started = clock(), time.perf_counter()
    end = today - timedelta(days=1)
    start = today - timedelta(days=history_days)
    parameters = {
        "model": auto.AutoForecaster.alias,
        "history_days": history_days,
        "horizon": horizon,
        "season_length": season_length,
        "n_windows": N_WINDOWS,
        "seed": seed,
    }
    panel = demand_panel(uow.history, start=start, end=end)
    forecast = _forecast(panel, horizon=horizon, season_length=season_length)
    rows = forecast_rows(panel, forecast, first_day=today)
    record = ports.PlanningRunRecord(
        started_at=started_at,
        finished_at=clock(),
        seed=seed,
        horizon=horizon,
        history_start_on=start,
        history_end_on=end,
        inputs_hash=inputs_hash(panel, parameters),
        n_series=panel.n_series,
        status=COMPLETED,
        parameters=parameters,
    )
    with uow:
        run_id = uow.forecasts.add_run(record, rows)
        uow.commit()
    return PlanningRunSummary(
        run_id=run_id,
        n_series=panel.n_series,
        horizon=horizon,
        seed=seed,
        inputs_hash=record.inputs_hash,
        history_start_on=start,
        history_end_on=end,
        rows=len(rows),
        seconds=time.perf_counter() - started,
        model_counts=dict(Counter(forecast.model).most_common()),
    )


def handle_run_forecast(cmd: commands.RunForecast, uow: UnitOfWork) -> PlanningRunSummary:
    """Bus handler of ``RunForecast``."""
    return run_forecast(
        uow,
        today=cmd.today,
        seed=cmd.seed,
        history_days=cmd.history_days,
        horizon=cmd.horizon,
        season_length=cmd.season_length,
    )


def _forecast(panel: DemandPanel, *, horizon: int, season_length: int) -> ProbabilisticForecast:
    levels = tuple(sorted(set(QUANTILE_COLUMNS.values())))
    if panel.n_series == 0:
        empty = np.zeros((0, horizon))
        return ProbabilisticForecast(
            mean=empty,
            levels=np.asarray(levels),
            quantiles=np.zeros((0, len(levels), horizon)),
            model=(),
        )
    model = auto.AutoForecaster(season_length=season_length, n_windows=N_WINDOWS, levels=levels)
    return model.fit(panel.observed(), horizon).predict()


def inputs_hash(panel: DemandPanel, parameters: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the panel's bytes, identifiers and first day, and the parameters."""
    digest = hashlib.sha256()
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    digest.update(f"{panel.start.isoformat()}|{panel.values.shape}".encode())
    digest.update("\x1f".join(panel.skus).encode())
    digest.update(b"\x1e")
    digest.update("\x1f".join(panel.locations).encode())
    digest.update(np.ascontiguousarray(panel.values, dtype="<f8").tobytes())
    digest.update(np.ascontiguousarray(panel.stockout, dtype=np.bool_).tobytes())
    return digest.hexdigest()


def forecast_rows(
    panel: DemandPanel, forecast: ProbabilisticForecast, *, first_day: date
) -> list[dict[str, Any]]:
    """One dict per series and horizon day, keyed by the stored forecast's columns."""
    horizon = int(forecast.mean.shape[1])
    days = [first_day + timedelta(days=step) for step in range(horizon)]
    columns: dict[str, list[list[float]]] = {"mean": forecast.mean.tolist()}
    for name, level in QUANTILE_COLUMNS.items():
        columns[name] = forecast.quantile(level).tolist()
    rows: list[dict[str, Any]] = []
    for series in range(panel.n_series):
        identity = {
            "sku": panel.skus[series],
            "location": panel.locations[series],
            "model": forecast.model[series],
        }
        for step, day in enumerate(days):
            values = {name: column[series][step] for name, column in columns.items()}
            rows.append({**identity, "day": day, **values})
    return rows
