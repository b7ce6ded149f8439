"""The planning run: ledger history -> demand panel -> forecast -> stored run.

``run_forecast`` reads the daily demand panel of every series (SKU x location) through
the unit of work's read-only ``history`` port, with stock-out days set to NaN (demand
on those days is censored, not zero), forecasts it with ``AutoForecaster``, and stores
the run, its seed, parameters and inputs' hash, and one row per series and horizon day,
in one transaction. The history is read and forecast before that transaction starts, so
a long run never holds the database's write lock while it computes.

With ``drivers`` (a ``PlanningDrivers``: the drivers model and the database's prices
and promotions, wired by ``bootstrap.App.planning_drivers``), the drivers step of
``services.forecasting.drivers`` runs too: each series takes the mean of the
statistical forecast and the global drivers model (trained with the run's seed on lags,
calendar, prices, promotion and discount, ``services.planning.drivers``), or one of the
two alone where it beat the mean by 10% on the last ``horizon`` days of history. The
drivers' arrays are part of the inputs' hash. The bus handler (``handle_run_forecast``)
has no drivers ports and runs the statistical forecast only; ``stockguard plan forecast``
calls ``run_forecast`` with them.

``AutoForecaster`` is deterministic and LightGBM is with a fixed seed and thread count;
the seed is recorded with the run, as every planning result's is.
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
from stockguard.planning.forecasting.base import FloatArray, ProbabilisticForecast
from stockguard.planning.panel import DemandPanel
from stockguard.services import ports
from stockguard.services.forecasting import drivers as drivers_step
from stockguard.services.forecasting.run import DriversReport, drivers_report
from stockguard.services.planning.drivers import DriverSource, driver_inputs
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
class PlanningDrivers:
    """The ports the drivers step of a planning run needs.

    Attributes:
        model_for_seed: the drivers model trained with a given seed (the run's).
        source: prices and promotions from the database.
        requested: True or False to force the step on or off; None: on when the panel
            has at least ``drivers.DEFAULT_MIN_SERIES`` series.
    """

    model_for_seed: Callable[[int], drivers_step.DriversModel]
    source: DriverSource
    requested: bool | None = None

    def wanted(self, n_series: int) -> bool:
        if self.requested is not None:
            return self.requested and n_series > 0
        return n_series >= drivers_step.DEFAULT_MIN_SERIES


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
    units_in_history: float
    """Units sold in the history window, all series; 0 means the forecasts learned nothing
    (for example a ledger whose sales all predate the window)."""
    drivers: DriversReport | None = None
    """What the drivers step did, or None when it was off."""


def run_forecast(
    uow: UnitOfWork,
    *,
    today: date,
    seed: int,
    history_days: int = 730,
    horizon: int = 28,
    season_length: int = 7,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    drivers: PlanningDrivers | None = None,
) -> PlanningRunSummary:
    """Forecast ``horizon`` days from ``today`` on the ``history_days`` days before it."""
    if horizon < 1 or history_days < 1 or season_length < 1:
        raise ValueError("horizon, history_days and season_length must be at least 1")
    started_at, started = clock(), time.perf_counter()
    end = today - timedelta(days=1)
    start = today - timedelta(days=history_days)
    panel = demand_panel(uow.history, start=start, end=end)
    use_drivers = drivers is not None and drivers.wanted(panel.n_series)
    parameters = {
        "model": auto.AutoForecaster.alias,
        "history_days": history_days,
        "horizon": horizon,
        "season_length": season_length,
        "n_windows": N_WINDOWS,
        "seed": seed,
        "drivers": use_drivers,
    }
    statistical = _Statistical(season_length=season_length)
    inputs, report = None, None
    if drivers is not None and use_drivers:
        inputs = driver_inputs(drivers.source, panel, horizon=horizon)
        forecast, report = _with_drivers(panel, horizon, statistical, drivers, inputs, seed)
    else:
        forecast = statistical(panel.observed(), horizon)
    rows = forecast_rows(panel, forecast, first_day=today)
    record = ports.PlanningRunRecord(
        started_at=started_at,
        finished_at=clock(),
        seed=seed,
        horizon=horizon,
        history_start_on=start,
        history_end_on=end,
        inputs_hash=inputs_hash(panel, parameters, drivers=inputs),
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
        units_in_history=float(np.nansum(panel.values)),
        drivers=report,
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


def _with_drivers(
    panel: DemandPanel,
    horizon: int,
    statistical: _Statistical,
    drivers: PlanningDrivers,
    inputs: drivers_step.DriverInputs,
    seed: int,
) -> tuple[ProbabilisticForecast, DriversReport]:
    """The drivers step on the observed panel, with a drivers model seeded by the run."""
    model = drivers.model_for_seed(seed)
    outcome = drivers_step.forecast_with_drivers(
        panel.observed(), horizon, statistical=statistical, model=model, inputs=inputs
    )
    report = drivers_report(outcome, alias=model.alias, regressors=inputs.names)
    return outcome.forecast, report


@dataclass(frozen=True, slots=True)
class _Statistical:
    """``AutoForecaster`` with the stored quantile levels; an empty panel forecasts nothing."""

    season_length: int

    def __call__(self, y: FloatArray, horizon: int) -> ProbabilisticForecast:
        levels = tuple(sorted(set(QUANTILE_COLUMNS.values())))
        if y.shape[0] == 0:
            return ProbabilisticForecast(
                mean=np.zeros((0, horizon)),
                levels=np.asarray(levels),
                quantiles=np.zeros((0, len(levels), horizon)),
                model=(),
            )
        model = auto.AutoForecaster(
            season_length=self.season_length, n_windows=N_WINDOWS, levels=levels
        )
        return model.fit(y, horizon).predict()


def inputs_hash(
    panel: DemandPanel,
    parameters: Mapping[str, Any],
    *,
    drivers: drivers_step.DriverInputs | None = None,
) -> str:
    """SHA-256 (hex) of the panel's bytes, identifiers and first day, the parameters and,
    when the drivers step ran, the drivers' arrays (prices, promotions)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    digest.update(f"{panel.start.isoformat()}|{panel.values.shape}".encode())
    digest.update("\x1f".join(panel.skus).encode())
    digest.update(b"\x1e")
    digest.update("\x1f".join(panel.locations).encode())
    digest.update(np.ascontiguousarray(panel.values, dtype="<f8").tobytes())
    digest.update(np.ascontiguousarray(panel.stockout, dtype=np.bool_).tobytes())
    if drivers is not None:
        arrays = {"price": drivers.prices, **drivers.regressors}
        for name, values in sorted(arrays.items()):
            if values is not None:
                digest.update(name.encode())
                digest.update(np.ascontiguousarray(values, dtype="<f8").tobytes())
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
