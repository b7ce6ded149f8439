"""Forecast every series of a long panel and write the long forecast CSV.

Output columns: ``unique_id, ds, mean, p50, p80, p90, p95, p99, model``, one row per series
and day of the horizon, series in the panel's order, days in order. Numbers are units per
day rounded to 4 decimals; ``ds`` is ``YYYY-MM-DD``; ``model`` (last column, extra to the
format of DESIGN.md) is the alias of the model chosen for the series: a statistical model
or combination of the automatic selection, ``GlobalGBM`` (the drivers model), or
``GlobalGBM+<statistical alias>`` (the equal-weight mean of the two).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TextIO

import numpy as np

from stockguard.planning.forecasting import auto, driver_choice
from stockguard.planning.forecasting.base import FloatArray, ProbabilisticForecast
from stockguard.services.forecasting import drivers as drivers_step
from stockguard.services.forecasting.long_format import FutureRegressors, LongPanel

OUTPUT_LEVELS: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.99)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "ds",
    "mean",
    "p50",
    "p80",
    "p90",
    "p95",
    "p99",
    "model",
)
DECIMALS = 4


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One line of the output: a series on one day of the horizon."""

    unique_id: str
    ds: date
    mean: float
    quantiles: tuple[float, ...]
    """Units at OUTPUT_LEVELS (p50 p80 p90 p95 p99), rounded to DECIMALS."""
    model: str


@dataclass(frozen=True, slots=True)
class DriversReport:
    """What the drivers step did for a forecast.

    Attributes:
        alias: the drivers model's name (``GlobalGBM``).
        regressors: the regressor columns it used (calendar and lags are always used).
        statistical, drivers, mean: series that kept the statistical forecast, took the
            drivers model, or took the mean of the two.
        seconds: time spent fitting and predicting the drivers model.
        skipped: why the drivers model did not run, or None when it ran.
    """

    alias: str
    regressors: tuple[str, ...]
    statistical: int
    drivers: int
    mean: int
    seconds: float
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class LongForecast:
    """The forecast of a LongPanel: identifiers, first day and the probabilistic forecast.

    ``ignored_regressors`` names the regressor columns that were read and checked but not
    used (the drivers step was off). ``drivers`` reports the drivers step, None when off.
    """

    unique_ids: tuple[str, ...]
    start: date
    forecast: ProbabilisticForecast
    ignored_regressors: tuple[str, ...] = ()
    drivers: DriversReport | None = None

    @property
    def horizon(self) -> int:
        return int(self.forecast.mean.shape[1])

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.horizon - 1)

    def model_counts(self) -> dict[str, int]:
        """Number of series per chosen model alias, most frequent first."""
        return dict(Counter(self.forecast.model).most_common())

    def rows(self) -> Iterator[ForecastRow]:
        """Every output row, series by series then day by day, values rounded."""
        mean = _rounded(self.forecast.mean)
        levels = [_rounded(self.forecast.quantile(level)) for level in OUTPUT_LEVELS]
        days = [self.start + timedelta(days=step) for step in range(self.horizon)]
        for series, unique_id in enumerate(self.unique_ids):
            model = self.forecast.model[series]
            for step, day in enumerate(days):
                values = tuple(level[series][step] for level in levels)
                yield ForecastRow(unique_id, day, mean[series][step], values, model)


def forecast_long(
    panel: LongPanel,
    horizon: int,
    *,
    season_length: int = 7,
    n_windows: int = 3,
    future: FutureRegressors | None = None,
    drivers: drivers_step.DriversModel | None = None,
    statistical: drivers_step.Statistical | None = None,
    progress: drivers_step.ProgressCallback | None = None,
) -> LongForecast:
    """Forecast ``horizon`` days after ``panel.end`` for every series of ``panel``.

    The statistical forecast is ``AutoForecaster`` (backtest over ``n_windows`` rolling
    windows, model chosen per series) on ``panel.values``, where NaN days are unobserved
    and skipped, not zeros; ``statistical`` replaces it (for example block by block).
    With a ``drivers`` model, every regressor column of the panel (with its ``future``
    values) feeds it and each series takes the mean of the statistical forecast and the
    drivers model, or one of them alone where it beat the mean by 10% on the last
    ``horizon`` days (``services.forecasting.drivers``). Without one, regressors are not used.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 day, got {horizon}")
    if statistical is None:
        statistical = _InProcess(season_length=season_length, n_windows=n_windows)
    regressors = tuple(panel.regressors) or (tuple(future.values) if future else ())
    start = panel.end + timedelta(days=1)
    if drivers is None:
        forecast = statistical(panel.values, horizon)
        return LongForecast(panel.unique_ids, start, forecast, ignored_regressors=regressors)
    outcome = drivers_step.forecast_with_drivers(
        panel.values,
        horizon,
        statistical=statistical,
        model=drivers,
        inputs=drivers_step.long_inputs(panel, future, horizon),
        progress=progress,
    )
    report = drivers_report(outcome, alias=drivers.alias, regressors=regressors)
    return LongForecast(panel.unique_ids, start, outcome.forecast, drivers=report)


def drivers_report(
    outcome: drivers_step.DriversOutcome, *, alias: str, regressors: tuple[str, ...]
) -> DriversReport:
    """Counts per candidate and the cost of a drivers step."""
    n_series = int(outcome.forecast.mean.shape[0])
    if outcome.choice is None:
        return DriversReport(alias, regressors, n_series, 0, 0, 0.0, outcome.skipped)
    return DriversReport(
        alias=alias,
        regressors=regressors,
        statistical=outcome.choice.count(driver_choice.STATISTICAL),
        drivers=outcome.choice.count(driver_choice.DRIVERS),
        mean=outcome.choice.count(driver_choice.MEAN),
        seconds=outcome.seconds,
    )


@dataclass(frozen=True, slots=True)
class _InProcess:
    """``AutoForecaster`` on the whole panel in this process (the statistical forecast)."""

    season_length: int
    n_windows: int

    def __call__(self, y: FloatArray, horizon: int) -> ProbabilisticForecast:
        model = auto.AutoForecaster(season_length=self.season_length, n_windows=self.n_windows)
        return model.fit(y, horizon).predict()


def write_forecasts(result: LongForecast, stream: TextIO) -> int:
    """Write the header and every row of ``result`` as CSV; returns the rows written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    written = 0
    for row in result.rows():
        writer.writerow((row.unique_id, row.ds.isoformat(), row.mean, *row.quantiles, row.model))
        written += 1
    return written


def _rounded(values: FloatArray) -> list[list[float]]:
    """Nested Python floats rounded to DECIMALS, with -0.0 written as 0.0."""
    rounded: list[list[float]] = (np.round(values, DECIMALS) + 0.0).tolist()
    return rounded
