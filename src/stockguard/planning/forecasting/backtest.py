"""Rolling-origin evaluation (time-series cross-validation) of many forecasters at once.

Each window cuts the panel at an origin ``c``: the model is fitted on ``y[:, :c]`` and
forecasts ``y[:, c:c + horizon]``. Origins step back from the end of the panel by
``step`` periods (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16).

A model with a ``forecast_origins(y, origins, horizon)`` method (``OriginForecaster``:
the compiled filters of this package) gives the forecasts of all windows from one
pass over the panel, the recursion's state being recorded at each origin; any other
``Forecaster`` is refitted on each prefix. Both give the same numbers.

Memory: only horizon-length arrays are kept, ``(n_models, n_windows, n_series, horizon)``
float64; for 10 models x 3 windows x 30,490 series x 28 days that is about 205 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from stockguard.planning.forecasting.base import FloatArray, Forecaster, IntArray
from stockguard.planning.forecasting.metrics import naive_scale

MIN_TRAINING_OBSERVATIONS = 1
"""A window is scored for a series only if its training part has this many observations."""


@runtime_checkable
class OriginForecaster(Protocol):
    """A forecaster that fits several prefixes of the panel in one pass."""

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon); entry w equals
        ``forecast(y[:, :origins[w]], horizon)``."""
        ...


def window_forecasts(
    *, model: Forecaster, y: FloatArray, origins: IntArray, horizon: int
) -> FloatArray:
    """(n_windows, n_series, horizon) forecasts of ``model`` from every origin: one
    pass for an ``OriginForecaster``, else one ``forecast`` per prefix."""
    if isinstance(model, OriginForecaster):
        return np.asarray(model.forecast_origins(y, origins, horizon), dtype=np.float64)
    return np.stack([model.forecast(y[:, :cut], horizon) for cut in origins])


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """Backtest forecasts, actuals and errors of several models on one panel.

    Attributes:
        aliases: (n_models,) model names, in the order of the ``models`` argument.
        origins: (n_windows,) cut points, increasing; window w trains on ``y[:, :origins[w]]``.
        forecasts: (n_models, n_windows, n_series, horizon) mean forecasts, units/period.
        actuals: (n_windows, n_series, horizon) observed demand; NaN where censored,
            unobserved, or where the series had too little training data in that window.
        scale: (n_series,) in-sample naive scale (units**2) of the first window's training
            data, shared by all windows so no test data leaks into it.
        errors: (n_models, n_series) mean squared scaled error pooled over windows and
            horizon steps (= RMSSE**2 of the pooled windows); NaN if nothing was scored.
        final: (n_models, n_series, horizon) forecasts from the whole history (the same
            numbers as ``model.forecast(y, horizon)``), from the backtest's pass, when
            asked for with ``include_final``; else None.
    """

    aliases: tuple[str, ...]
    origins: IntArray
    forecasts: FloatArray
    actuals: FloatArray
    scale: FloatArray
    errors: FloatArray
    final: FloatArray | None = None

    @property
    def n_windows(self) -> int:
        return int(self.origins.size)

    def scored_windows(self) -> IntArray:
        """(n_series,) number of windows with at least one scored actual per series."""
        scored = np.any(np.isfinite(self.actuals), axis=2)
        return np.asarray(np.sum(scored, axis=0), dtype=np.int64)


def rolling_origins(
    *, n_periods: int, horizon: int, n_windows: int, step: int | None = None
) -> IntArray:
    """Cut points of ``n_windows`` rolling-origin windows, increasing.

    The last window ends at the last period: ``origins[-1] = n_periods - horizon``, and
    ``origins[w] = origins[-1] - (n_windows - 1 - w) * step`` with ``step = horizon``
    by default (non-overlapping test windows).

    Raises:
        ValueError: if the first window would have no training data.
    """
    step = horizon if step is None else step
    if horizon < 1 or n_windows < 1 or step < 1:
        raise ValueError("horizon, n_windows and step must be positive")
    last = n_periods - horizon
    origins = last - step * np.arange(n_windows - 1, -1, -1, dtype=np.int64)
    if origins[0] < 1:
        raise ValueError(
            f"{n_windows} windows of horizon {horizon} (step {step}) need more than "
            f"{n_periods} periods"
        )
    return origins


def window_actuals(
    *,
    y: FloatArray,
    origins: IntArray,
    horizon: int,
    min_training: int = MIN_TRAINING_OBSERVATIONS,
) -> FloatArray:
    """(n_windows, n_series, horizon) test values, NaN where the window is not scored.

    A series is not scored in a window whose training part ``y[:, :origin]`` has fewer
    than ``min_training`` observed values (too short to fit anything meaningful).
    """
    training_counts = np.empty((origins.size, y.shape[0]), dtype=np.int64)
    counted, running = 0, np.zeros(y.shape[0], dtype=np.int64)
    for w, cut in enumerate(origins):  # counts up to each origin, one segment at a time
        running = running + np.count_nonzero(np.isfinite(y[:, counted:cut]), axis=1)
        training_counts[w], counted = running, int(cut)
    actuals = np.stack([y[:, cut : cut + horizon] for cut in origins])
    enough = training_counts >= min_training
    return np.where(enough[:, :, None], actuals, np.nan)


def backtest(
    *,
    models: Sequence[Forecaster],
    y: FloatArray,
    horizon: int,
    n_windows: int,
    step: int | None = None,
    season: int = 1,
    min_training: int = MIN_TRAINING_OBSERVATIONS,
    include_final: bool = False,
    origins: IntArray | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of every model on the whole panel.

    Args:
        models: forecasters following the ``base.Forecaster`` contract.
        y: (n_series, n_periods) units per period, NaN = unobserved.
        horizon: forecast length in periods.
        n_windows: number of rolling origins (see ``rolling_origins``).
        step: periods between origins, default ``horizon``.
        season: lag of the naive forecast that scales the errors.
        min_training: observed periods a series needs before an origin to be scored there.
        include_final: also forecast from the whole history in the same pass
            (``BacktestResult.final``), so the models need not be refitted.
        origins: (n_origins,) increasing cut points in [1, n_periods - horizon] to use
            instead of ``rolling_origins`` (``n_windows`` and ``step`` are then ignored).

    Returns:
        A ``BacktestResult``; ``errors[m, i]`` is the pooled mean squared scaled error.
    """
    if origins is None:
        origins = rolling_origins(
            n_periods=y.shape[1], horizon=horizon, n_windows=n_windows, step=step
        )
    else:
        origins = np.asarray(origins, dtype=np.int64)
        inside = (origins >= 1) & (origins <= y.shape[1] - horizon)
        if origins.size == 0 or not inside.all() or np.any(np.diff(origins) <= 0):
            raise ValueError(
                f"origins must increase within [1, {y.shape[1] - horizon}], got {origins}"
            )
    actuals = window_actuals(y=y, origins=origins, horizon=horizon, min_training=min_training)
    cuts = np.append(origins, y.shape[1]) if include_final else origins
    forecasts = np.empty((len(models), cuts.size, y.shape[0], horizon), dtype=np.float64)
    for m, model in enumerate(models):
        forecasts[m] = window_forecasts(model=model, y=y, origins=cuts, horizon=horizon)
    scale = naive_scale(insample=y[:, : origins[0]], season=season, power=2)
    windows = forecasts[:, : origins.size]
    return BacktestResult(
        aliases=tuple(model.alias for model in models),
        origins=origins,
        forecasts=windows,
        actuals=actuals,
        scale=scale,
        errors=scaled_errors(forecasts=windows, actuals=actuals, scale=scale),
        final=forecasts[:, -1] if include_final else None,
    )


def later_windows(result: BacktestResult, first: int, y: FloatArray) -> BacktestResult:
    """The backtest of ``result``'s windows ``first`` onwards only (no ``final``), as if
    run on them alone: the scale is the naive scale (season 1) of the training data of
    window ``first``, and the errors are recomputed with it. The arrays are views of
    ``result``'s (no copy of the forecasts).

    Shapes: y the panel the backtest ran on, (n_series, n_periods).
    """
    origins = result.origins[first:]
    forecasts = result.forecasts[:, first:]
    actuals = result.actuals[first:]
    scale = naive_scale(insample=y[:, : origins[0]], season=1, power=2)
    return BacktestResult(
        aliases=result.aliases,
        origins=origins,
        forecasts=forecasts,
        actuals=actuals,
        scale=scale,
        errors=scaled_errors(forecasts=forecasts, actuals=actuals, scale=scale),
    )


def scaled_errors(*, forecasts: FloatArray, actuals: FloatArray, scale: FloatArray) -> FloatArray:
    """Pooled mean squared scaled error per model and series.

    Equation: ``e_{m,i} = mean_{w,h} (y_{w,i,h} - yhat_{m,w,i,h})^2 / scale_i`` over scored
    cells. A forecast that is NaN where the actual is scored counts as an infinite error,
    so a model that cannot forecast a series is never selected for it.

    Shapes: forecasts (n_models, n_windows, n_series, horizon) or (n_windows, n_series,
    horizon); actuals (n_windows, n_series, horizon); scale (n_series,).
    Returns (n_models, n_series) or (n_series,).
    """
    return _pooled_scaled_error(forecasts, actuals, scale, power=2)


def absolute_scaled_errors(
    *, forecasts: FloatArray, actuals: FloatArray, scale: FloatArray
) -> FloatArray:
    """Pooled mean absolute scaled error (MASE) per model and series.

    Equation: ``e_{m,i} = mean_{w,h} |y_{w,i,h} - yhat_{m,w,i,h}| / scale_i`` over scored
    cells, ``scale_i`` in units (the in-sample one-step naive MAE, ``naive_scale`` with
    ``power=1``). A NaN forecast in a scored cell counts as an infinite error.

    Shapes: as ``scaled_errors``; returns (n_models, n_series) or (n_series,).
    """
    return _pooled_scaled_error(forecasts, actuals, scale, power=1)


def _pooled_scaled_error(
    forecasts: FloatArray, actuals: FloatArray, scale: FloatArray, *, power: int
) -> FloatArray:
    """``mean_{w,h} |y - yhat|^power / scale_i`` over the scored (finite) actuals, a NaN
    forecast in a scored cell counting as an infinite error; NaN for a series with no
    scored cell. Shapes as ``scaled_errors``."""
    scored = np.isfinite(actuals)
    error = np.where(scored, np.abs(actuals - forecasts) ** power, 0.0)
    error = np.where(np.isnan(error), np.inf, error)
    count = np.sum(scored, axis=(0, 2))
    total = np.sum(error, axis=(-3, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return np.asarray(mean / scale, dtype=np.float64)
