"""Forecast accuracy metrics, vectorised over series and NaN-aware.

Conventions for every function here:

* ``actual`` and ``forecast`` are (n_series, horizon) units per period. A NaN in
  ``actual`` means "not scored" (a censored stock-out day or a day outside the test
  window); the matching forecast is ignored. Any extra leading axes (for example
  backtest windows, ``(n_windows, n_series, horizon)``) are allowed where noted.
* ``insample`` is the (n_series, n_periods) history the forecast was made from, NaN =
  unobserved. It only provides the scale of the scaled metrics.
* Per-series metrics return (n_series,); a series with nothing scored gets NaN.

Scaled metrics follow the M5 competition guide (Makridakis, Spiliotis & Assimakopoulos
2022, "M5 accuracy competition: Results, findings, and conclusions", IJF 38(4)):
the scale is the mean (squared or absolute) error of the seasonal naive forecast over the
in-sample, counted from the first non-zero demand ("actively sold" periods).

Zero-scale floor: a series whose in-sample shows no variation (constant, all zero, or
fewer than ``season + 1`` observations) has a naive scale of 0 or NaN. Its scale is then
``max(mean |y|, 1 unit) ** power``: errors are measured relative to the series level, or
in plain units for a series that never sold. This keeps every scaled metric finite.
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting.base import FloatArray, by_row_blocks

MIN_SCALE_UNITS = 1.0
"""Floor of the scale, in units per period, for series with no in-sample variation."""


def naive_scale(*, insample: FloatArray, season: int = 1, power: int = 2) -> FloatArray:
    """Mean ``|y_t - y_{t-season}| ** power`` over the actively sold in-sample.

    Equation (M5): ``scale_i = 1/(n - s) * sum_{t=s+1..n} |y_t - y_{t-s}|^p`` over periods
    after the first non-zero demand where both values are observed.

    Args:
        insample: (n_series, n_periods) units; NaN = unobserved.
        season: lag of the naive forecast in periods (1 = one-step naive).
        power: 2 for RMSSE-type scales, 1 for MASE and the scaled pinball loss.

    Returns:
        (n_series,) scale in units**power, floored as described in the module docstring.
    """
    return np.asarray(
        by_row_blocks(lambda rows: _naive_scale_rows(rows, season, power), insample),
        dtype=np.float64,
    )


def _naive_scale_rows(insample: FloatArray, season: int, power: int) -> FloatArray:
    """``naive_scale`` of a block of series (same equation, same shapes)."""
    started = np.cumsum(np.nan_to_num(np.abs(insample)) > 0, axis=1) > 0
    active = np.where(started, insample, np.nan)
    diffs = np.abs(active[:, season:] - active[:, :-season]) ** power
    counts = np.sum(np.isfinite(diffs), axis=1)
    scale = np.nansum(diffs, axis=1) / np.maximum(counts, 1)
    level = np.nansum(np.abs(insample), axis=1) / np.maximum(
        np.sum(np.isfinite(insample), axis=1), 1
    )
    floor = np.maximum(level, MIN_SCALE_UNITS) ** power
    return np.asarray(np.where((counts > 0) & (scale > 0), scale, floor), dtype=np.float64)


def _scored_mean(values: FloatArray, actual: FloatArray) -> FloatArray:
    """Mean of ``values`` over scored cells (finite actual) along all but the series axis."""
    mask = np.isfinite(actual)
    series_axis = actual.ndim - 2
    axes = tuple(a for a in range(actual.ndim) if a != series_axis)
    total = np.sum(np.where(mask, values, 0.0), axis=axes)
    count = np.sum(mask, axis=axes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def mean_squared_scaled_error(
    *, actual: FloatArray, forecast: FloatArray, insample: FloatArray, season: int = 1
) -> FloatArray:
    """RMSSE squared: ``mean((y - yhat)^2) / naive_scale(p=2)`` per series.

    ``actual`` and ``forecast`` may carry leading axes (``(..., n_series, horizon)``);
    the mean then pools every scored cell of the series. Returns (n_series,).
    """
    error = np.nan_to_num(actual - forecast, nan=0.0, posinf=0.0, neginf=0.0)
    mse = _scored_mean(error**2, actual)
    return mse / naive_scale(insample=insample, season=season, power=2)


def rmsse(
    *, actual: FloatArray, forecast: FloatArray, insample: FloatArray, season: int = 1
) -> FloatArray:
    """Root mean squared scaled error per series (M5 point-forecast metric).

    Equation: ``RMSSE_i = sqrt( mean_h (y_ih - yhat_ih)^2 / scale_i )`` with
    ``scale_i = mean_t (y_t - y_{t-season})^2`` over the in-sample (see ``naive_scale``).

    Shapes: actual, forecast (n_series, horizon) or (..., n_series, horizon);
    insample (n_series, n_periods). Returns (n_series,).
    """
    return np.sqrt(
        mean_squared_scaled_error(
            actual=actual, forecast=forecast, insample=insample, season=season
        )
    )


def revenue_weights(*, insample: FloatArray, price: FloatArray, window: int = 28) -> FloatArray:
    """M5 weights: each series' revenue over the last ``window`` in-sample periods, normalised.

    Args:
        insample: (n_series, n_periods) units; NaN counts as no revenue.
        price: (n_series,) or (n_series, n_periods) price per unit.
        window: number of trailing periods (28 days in M5).

    Returns:
        (n_series,) non-negative weights summing to 1 (uniform if total revenue is 0).
    """
    unit_price = np.asarray(price, dtype=np.float64)
    if unit_price.ndim == 1:
        unit_price = unit_price[:, None]
    unit_price = np.broadcast_to(unit_price, insample.shape)
    revenue = np.nansum(insample[:, -window:] * unit_price[:, -window:], axis=1)
    total = revenue.sum()
    if total <= 0:
        return np.full(insample.shape[0], 1.0 / insample.shape[0])
    return np.asarray(revenue / total, dtype=np.float64)


def wrmsse(
    *,
    actual: FloatArray,
    forecast: FloatArray,
    insample: FloatArray,
    weights: FloatArray,
    season: int = 1,
) -> float:
    """Weighted RMSSE: ``sum_i w_i RMSSE_i / sum_i w_i`` over series with a score.

    This is the bottom level of the M5 WRMSSE; the competition also averages 11
    aggregation levels, which callers can reproduce by aggregating the inputs first.
    ``weights`` is (n_series,), for example from ``revenue_weights``.
    """
    score = rmsse(actual=actual, forecast=forecast, insample=insample, season=season)
    scored = np.isfinite(score)
    weight = np.where(scored, weights, 0.0)
    if weight.sum() <= 0:
        return float("nan")
    return float(np.sum(weight * np.where(scored, score, 0.0)) / weight.sum())


def mase(
    *, actual: FloatArray, forecast: FloatArray, insample: FloatArray, season: int = 1
) -> FloatArray:
    """Mean absolute scaled error per series (Hyndman & Koehler 2006).

    Equation: ``MASE_i = mean_h |y_ih - yhat_ih| / mean_t |y_t - y_{t-season}|``.
    Shapes as ``rmsse``; returns (n_series,).
    """
    error = np.nan_to_num(actual - forecast, nan=0.0, posinf=0.0, neginf=0.0)
    return _scored_mean(np.abs(error), actual) / naive_scale(
        insample=insample, season=season, power=1
    )


def _ratio_of_sums(
    numerator: FloatArray, denominator: FloatArray, axis: int | None
) -> FloatArray | float:
    total = np.sum(denominator, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total != 0, np.sum(numerator, axis=axis) / total, np.nan)
    return float(ratio) if axis is None else np.asarray(ratio, dtype=np.float64)


def wape(*, actual: FloatArray, forecast: FloatArray, axis: int | None = -1) -> FloatArray | float:
    """Weighted absolute percentage error ``sum |y - yhat| / sum |y|`` over scored cells.

    ``axis=-1`` gives one value per series (n_series,) for (n_series, horizon) input;
    ``axis=None`` pools everything into one float. NaN where ``sum |y| = 0``.
    """
    mask = np.isfinite(actual)
    error = np.where(mask, np.abs(actual - forecast), 0.0)
    return _ratio_of_sums(error, np.where(mask, np.abs(actual), 0.0), axis)


def bias(*, actual: FloatArray, forecast: FloatArray, axis: int | None = -1) -> FloatArray | float:
    """Relative bias ``sum(yhat - y) / sum(y)`` over scored cells (> 0 = over-forecast).

    Axis semantics as ``wape``.
    """
    mask = np.isfinite(actual)
    error = np.where(mask, forecast - actual, 0.0)
    return _ratio_of_sums(error, np.where(mask, actual, 0.0), axis)


def pinball_loss(*, actual: FloatArray, quantiles: FloatArray, levels: FloatArray) -> FloatArray:
    """Pinball (quantile) loss per cell, NaN where the actual is NaN.

    Equation: ``L_tau(y, q) = tau (y - q)`` if ``y >= q`` else ``(1 - tau)(q - y)``.

    Shapes: actual (..., n_series, horizon); quantiles (..., n_series, n_levels, horizon);
    levels (n_levels,). Returns (..., n_series, n_levels, horizon).
    """
    tau = np.asarray(levels, dtype=np.float64)[:, None]
    diff = actual[..., None, :] - quantiles
    return np.asarray(np.where(diff >= 0, tau * diff, (tau - 1.0) * diff), dtype=np.float64)


def scaled_pinball_loss(
    *,
    actual: FloatArray,
    quantiles: FloatArray,
    levels: FloatArray,
    insample: FloatArray,
    season: int = 1,
) -> FloatArray:
    """Scaled pinball loss per series (the M5 uncertainty metric, bottom level).

    Equation: ``SPL_i = mean_{tau, h} L_tau(y_ih, q_ih(tau)) / mean_t |y_t - y_{t-season}|``.

    Shapes: actual (n_series, horizon) or (..., n_series, horizon); quantiles
    (..., n_series, n_levels, horizon); levels (n_levels,). Returns (n_series,).
    """
    loss = np.mean(pinball_loss(actual=actual, quantiles=quantiles, levels=levels), axis=-2)
    loss = np.where(np.isfinite(actual), loss, 0.0)
    return _scored_mean(loss, actual) / naive_scale(insample=insample, season=season, power=1)


def coverage(
    *, actual: FloatArray, lower: FloatArray, upper: FloatArray, axis: int | None = -1
) -> FloatArray | float:
    """Share of scored actuals inside ``[lower, upper]`` (bounds included).

    Shapes: all (n_series, horizon) or broadcastable. ``axis=-1`` gives (n_series,),
    ``axis=None`` one pooled float. NaN where nothing is scored.
    """
    mask = np.isfinite(actual)
    inside = mask & (actual >= lower) & (actual <= upper)
    return _ratio_of_sums(inside.astype(np.float64), mask.astype(np.float64), axis)
