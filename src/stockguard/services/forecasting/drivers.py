"""The drivers step of a forecast: statistical forecast, drivers model, choice per series.

``forecast_with_drivers`` runs the statistical forecast (any function of the history,
for example ``AutoForecaster`` in one process or block by block on an engine) and a
drivers model (the ``DriversModel`` port; ``adapters.forecasting.gbm.GbmDriversModel``
implements it with LightGBM) twice each:

1. on the history minus its last ``horizon`` days, forecasting those days (the backtest
   window; the regressors of that window are past values, nothing after the origin is
   read);
2. on the whole history, forecasting the horizon with the regressors' future values.

The pure part (``planning.forecasting.driver_choice``) scores both and their mean per
series on the window and keeps the best; series that use the drivers model get quantiles
calibrated on the window's residuals.

The drivers model is global (one model over all series), so it always sees the whole
panel in this process; only the statistical forecast can be partitioned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np

from stockguard.planning.forecasting import classification, driver_choice
from stockguard.planning.forecasting.backtest import window_actuals
from stockguard.planning.forecasting.base import FloatArray, IntArray, ProbabilisticForecast
from stockguard.services.forecasting.long_format import FutureRegressors, LongPanel

MIN_TRAINING_DAYS = 28
"""Days of training rows the drivers model needs in its backtest fit, beyond the lags."""
MIN_SCORED_TRAINING = 14
"""Observed days a series needs before the backtest window to be scored in it (as the
automatic selection requires)."""
DEFAULT_MIN_SERIES = 30
"""Series from which the drivers step is on by default even without regressor columns: a
global model learns from many series at once and brings little for a handful."""
PRICE_COLUMNS: tuple[str, ...] = ("price", "sell_price")
"""Regressor names that also give the relative-price features (the first one found)."""

RoundsCallback = Callable[[int, int], None]
ProgressCallback = Callable[[str, int, int], None]
"""Called with a step's label, the work done in it and its total (1 for a statistical
step, boosting rounds for a drivers step)."""
Statistical = Callable[[FloatArray, int], ProbabilisticForecast]
"""The statistical forecast of a history (n_series, n_days) for a horizon."""


class DriversModel(Protocol):
    """A global model of demand on its own lags, the calendar, prices and regressors."""

    alias: str

    def forecast(
        self,
        y: FloatArray,
        *,
        horizon: int,
        start: date,
        prices: FloatArray | None,
        regressors: Mapping[str, FloatArray],
        progress: RoundsCallback | None = None,
    ) -> FloatArray:
        """Fit on ``y`` (n_series, n_days; day 0 is ``start``) and forecast ``horizon`` days.

        ``prices`` and each regressor are (n_series, n_days + horizon): the history, then
        the horizon's known values. Returns (n_series, horizon) means, never negative.
        """
        ...


@dataclass(frozen=True, slots=True)
class DriverInputs:
    """Drivers of every series over the history and the horizon.

    Attributes:
        start: date of day 0 of the history.
        prices: (n_series, n_days + horizon) sell price per unit, NaN = unknown, or None.
        regressors: name -> (n_series, n_days + horizon) values, NaN = unknown.
    """

    start: date
    prices: FloatArray | None = None
    regressors: Mapping[str, FloatArray] = field(default_factory=dict)

    def until(self, stop: int) -> DriverInputs:
        """The inputs of days ``0..stop-1`` only (a backtest's history plus its window)."""
        return DriverInputs(
            start=self.start,
            prices=None if self.prices is None else self.prices[:, :stop],
            regressors={name: values[:, :stop] for name, values in self.regressors.items()},
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Regressor names, then ``price`` when prices are given and not a regressor."""
        extra = ("price",) if self.prices is not None and not self._price_is_regressor() else ()
        return (*self.regressors, *extra)

    def _price_is_regressor(self) -> bool:
        return any(name in self.regressors for name in PRICE_COLUMNS)


@dataclass(frozen=True, slots=True)
class DriversOutcome:
    """The forecast after the drivers step and what the step did.

    Attributes:
        forecast: the chosen forecast of every series.
        choice: the candidate per series and its backtest errors, or None when the
            drivers model did not run (``skipped`` says why).
        seconds: time spent in the drivers model (both fits).
        skipped: why the drivers model did not run, in plain words, or None.
    """

    forecast: ProbabilisticForecast
    choice: driver_choice.DriverChoice | None
    seconds: float
    skipped: str | None = None


def drivers_wanted(requested: bool | None, panel: LongPanel) -> bool:
    """``requested`` when given; else on with regressor columns or DEFAULT_MIN_SERIES series."""
    if requested is not None:
        return requested
    return bool(panel.regressors) or panel.n_series >= DEFAULT_MIN_SERIES


def long_inputs(panel: LongPanel, future: FutureRegressors | None, horizon: int) -> DriverInputs:
    """The drivers of a long CSV: every regressor column over history + horizon.

    A column named ``price`` or ``sell_price`` also gives the relative-price features.
    Without ``future`` the regressors' horizon values are unknown (NaN); callers should
    refuse that case before (``long_format.require_future``).
    """
    regressors: dict[str, FloatArray] = {}
    for name, past in panel.regressors.items():
        ahead = np.full((panel.n_series, horizon), np.nan)
        if future is not None and name in future.values:
            ahead = np.asarray(future.values[name], dtype=np.float64)
        regressors[name] = np.concatenate([past, ahead], axis=1)
    price = next((name for name in PRICE_COLUMNS if name in regressors), None)
    return DriverInputs(
        start=panel.start,
        prices=None if price is None else regressors[price],
        regressors=regressors,
    )


def shortest_history(horizon: int) -> int:
    """Fewest days of history the drivers step needs: two horizons and MIN_TRAINING_DAYS."""
    return 2 * horizon + MIN_TRAINING_DAYS


def forecast_with_drivers(
    y: FloatArray,
    horizon: int,
    *,
    statistical: Statistical,
    model: DriversModel,
    inputs: DriverInputs,
    combine: bool = True,
    progress: ProgressCallback | None = None,
) -> DriversOutcome:
    """The statistical forecast, the drivers model and the per-series choice; see above.

    Args:
        y: (n_series, n_days) units per day, NaN = unobserved.
        horizon: days to forecast.
        statistical: the statistical forecast (called on the backtest history, then on y).
        model: the drivers model.
        inputs: prices and regressors over n_days + horizon days.
        combine: also offer the equal-weight mean of the two per series.
        progress: step reports for a progress display.

    A history shorter than ``shortest_history(horizon)`` skips the drivers model and
    returns the statistical forecast with the reason in ``skipped``.
    """
    report = progress or _silent
    n_days = y.shape[1]
    _check_inputs(inputs, (y.shape[0], n_days + horizon))
    if n_days < shortest_history(horizon):
        final = _statistical_step(statistical, y, horizon, "Statistical forecast", report)
        reason = (
            f"the history has {n_days} days and the drivers model needs at least "
            f"{shortest_history(horizon)} (twice the horizon plus {MIN_TRAINING_DAYS} days)"
        )
        return DriversOutcome(forecast=final, choice=None, seconds=0.0, skipped=reason)
    cut = n_days - horizon
    training = y[:, :cut]
    backtest = _statistical_step(statistical, training, horizon, "Statistical backtest", report)
    drivers_backtest, first_seconds = _drivers_step(
        model, training, horizon, inputs.until(cut + horizon), "backtest", report
    )
    final = _statistical_step(statistical, y, horizon, "Statistical forecast", report)
    drivers_final, second_seconds = _drivers_step(model, y, horizon, inputs, "forecast", report)
    window = driver_choice.BacktestWindow(
        statistical=backtest.mean,
        drivers=drivers_backtest,
        actuals=window_actuals(
            y=y, origins=np.array([cut]), horizon=horizon, min_training=MIN_SCORED_TRAINING
        )[0],
        training=training,
    )
    choice = driver_choice.choose_forecasts(window=window, combine=combine)
    blended = driver_choice.blend_forecasts(
        statistical=final,
        drivers_mean=drivers_final,
        choice=choice,
        window=window,
        insample=y,
        drivers_alias=model.alias,
        groups=_demand_classes(y),
    )
    return DriversOutcome(
        forecast=blended, choice=choice, seconds=first_seconds + second_seconds, skipped=None
    )


def _check_inputs(inputs: DriverInputs, shape: tuple[int, int]) -> None:
    arrays = {"prices": inputs.prices, **inputs.regressors}
    for name, values in arrays.items():
        if values is not None and values.shape != shape:
            raise ValueError(
                f"{name} has shape {values.shape}, expected (n_series, n_days + horizon) = {shape}"
            )


def _statistical_step(
    statistical: Statistical,
    y: FloatArray,
    horizon: int,
    label: str,
    report: ProgressCallback,
) -> ProbabilisticForecast:
    report(label, 0, 1)
    forecast = statistical(y, horizon)
    report(label, 1, 1)
    return forecast


def _drivers_step(
    model: DriversModel,
    y: FloatArray,
    horizon: int,
    inputs: DriverInputs,
    what: str,
    report: ProgressCallback,
) -> tuple[FloatArray, float]:
    label = f"{model.alias} {what}"
    started = time.perf_counter()
    mean = model.forecast(
        y,
        horizon=horizon,
        start=inputs.start,
        prices=inputs.prices,
        regressors=inputs.regressors,
        progress=lambda done, total: report(label, done, total),
    )
    mean = np.maximum(np.nan_to_num(np.asarray(mean, dtype=np.float64)), 0.0)
    if mean.shape != (y.shape[0], horizon):
        raise ValueError(f"the drivers model returned shape {mean.shape}")
    return mean, time.perf_counter() - started


def _demand_classes(y: FloatArray) -> IntArray:
    return np.asarray(classification.classify_demand(y).code, dtype=np.int64)


def _silent(label: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""
