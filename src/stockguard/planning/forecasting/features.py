"""Feature rows for a global (one model for all series) forecaster, pure numpy.

Direct strategy: every lag is at least ``horizon`` periods old, so the features of all
``horizon`` future days are known at the forecast origin and no recursion is needed.
Feature ``f`` of series ``i`` on day ``t`` is ``values[i, t, f]``:

* ``lag_k`` for k in ``lags`` (all >= ``horizon``): ``y[i, t - k]``;
* ``mean_w`` / ``std_w`` for w in ``windows``: NaN-aware mean and standard deviation of
  ``y[i, t - horizon - w + 1 .. t - horizon]`` (the series shifted by ``horizon``);
* ``dow`` (0 = Monday), ``dom`` (1..31) and ``month`` (1..12) when ``start`` is given,
  else ``dow`` is only the phase ``t % 7``;
* ``series_mean``: mean of the observed training part of the series (a static
  mean-encoding of the series; the only feature that reads beyond ``t - horizon``);
* ``rel_price`` (price / the series' mean training price) and ``price_change_7``
  (price / price a week earlier - 1) when ``prices`` are given;
* one column per entry of ``events`` (flags such as holidays, SNAP days, promotions),
  named ``event_<name>``;
* one column per entry of ``regressors`` (any numeric signal known for every day of the
  horizon: a promotion depth, the weather forecast...), named ``x_<name>``, NaN allowed.

NaN in ``y`` (unobserved) propagates into lags as NaN and is skipped by the rolling
statistics; tree models accept NaN features. Rows whose target is NaN are not training rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.base import FloatArray

DEFAULT_LAGS: tuple[int, ...] = (28, 35, 42, 56)
DEFAULT_WINDOWS: tuple[int, ...] = (7, 28)
LAG_OFFSETS: tuple[int, ...] = (0, 7, 14, 28)
"""Lags for a horizon h are h + these offsets: the most recent usable day, then the same
weekday one, two and four weeks earlier (``lags_for(28) == DEFAULT_LAGS``)."""
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


@dataclass(frozen=True, slots=True)
class FeatureSet:
    """Features for every series and day.

    Attributes:
        values: (n_series, n_periods, n_features) float64, NaN = unknown.
        names: (n_features,) column names.
        n_train: periods with a known target; periods ``n_train..`` are the future.
    """

    values: FloatArray
    names: tuple[str, ...]
    n_train: int

    def rows(self, start: int, stop: int) -> FloatArray:
        """(n_series * (stop - start), n_features) rows, series-major, for days start..stop-1."""
        block = self.values[:, start:stop, :]
        return block.reshape(-1, block.shape[2])


def lags_for(horizon: int) -> tuple[int, ...]:
    """The direct-strategy lags for ``horizon``: ``horizon + LAG_OFFSETS``, all >= horizon."""
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    return tuple(horizon + offset for offset in LAG_OFFSETS)


def _shift(values: FloatArray, periods: int) -> FloatArray:
    """(n_series, n_periods) ``values`` moved ``periods`` days later, NaN-padded."""
    out = np.full_like(values, np.nan)
    if periods < values.shape[1]:
        out[:, periods:] = values[:, : values.shape[1] - periods]
    return out


def _rolling(values: FloatArray, window: int) -> tuple[FloatArray, FloatArray]:
    """NaN-aware trailing mean and std (ddof 0) over ``window`` days, each (n_series, n_periods).

    Mean needs one observation in the window, std two; otherwise NaN.
    """
    observed = ~np.isnan(values)
    filled = np.where(observed, values, 0.0)
    pad = np.zeros((values.shape[0], 1))
    total = np.concatenate([pad, np.cumsum(filled, axis=1)], axis=1)
    squares = np.concatenate([pad, np.cumsum(filled * filled, axis=1)], axis=1)
    count = np.concatenate([pad, np.cumsum(observed, axis=1, dtype=np.float64)], axis=1)
    stop = np.arange(1, values.shape[1] + 1)
    begin = np.maximum(stop - window, 0)
    n = count[:, stop] - count[:, begin]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (total[:, stop] - total[:, begin]) / n
        second = (squares[:, stop] - squares[:, begin]) / n
        std = np.sqrt(np.maximum(second - mean * mean, 0.0))
    mean = np.where(n >= 1, mean, np.nan)
    std = np.where(n >= 2, std, np.nan)
    return mean, std


def calendar(start: np.datetime64 | None, n_periods: int) -> dict[str, FloatArray]:
    """Calendar columns, each (n_periods,): dow (0 = Monday), dom and month, or only the
    weekly phase ``t % 7`` as ``dow`` when ``start`` is None."""
    index = np.arange(n_periods)
    if start is None:
        return {"dow": (index % 7).astype(np.float64)}
    days = np.asarray(start).astype("datetime64[D]") + index
    day_number = days.astype(np.int64)
    months = days.astype("datetime64[M]")
    return {
        "dow": ((day_number + _EPOCH_WEEKDAY) % 7).astype(np.float64),
        "dom": ((days - months.astype("datetime64[D]")).astype(np.int64) + 1).astype(np.float64),
        "month": (months.astype(np.int64) % 12 + 1).astype(np.float64),
    }


def _per_series(values: npt.ArrayLike, n_series: int, n_periods: int, name: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.shape == (n_periods,):
        return np.broadcast_to(array, (n_series, n_periods))
    if array.shape == (n_series, n_periods):
        return array
    raise ValueError(
        f"{name} has shape {array.shape}, expected ({n_periods},) or ({n_series}, {n_periods})"
    )


def build_features(
    y: FloatArray,
    *,
    horizon: int,
    n_future: int = 0,
    lags: tuple[int, ...] = DEFAULT_LAGS,
    windows: tuple[int, ...] = DEFAULT_WINDOWS,
    start: np.datetime64 | None = None,
    prices: FloatArray | None = None,
    events: Mapping[str, npt.ArrayLike] | None = None,
    regressors: Mapping[str, npt.ArrayLike] | None = None,
) -> FeatureSet:
    """Features for the ``n_train`` observed days of ``y`` and ``n_future`` days after them.

    Args:
        y: (n_series, n_train) units per day, NaN = unobserved.
        horizon: the forecast horizon; every lag must be >= horizon and n_future <= horizon.
        n_future: future days to append (their lag features come from ``y``).
        lags: lags in days, each >= horizon.
        windows: rolling windows in days, applied to ``y`` shifted by ``horizon``.
        start: date of day 0 (for day of week, day of month and month).
        prices: (n_series, n_train + n_future) sell price, NaN = unknown.
        events: name -> (n_train + n_future,) or (n_series, n_train + n_future) flags.
        regressors: name -> (n_train + n_future,) or (n_series, n_train + n_future)
            values of any other known signal, NaN = unknown.

    Returns:
        A FeatureSet with values of shape (n_series, n_train + n_future, n_features).
    """
    y = np.asarray(y, dtype=np.float64)
    if min(lags) < horizon:
        raise ValueError(f"lags {lags} must all be >= horizon {horizon} (direct strategy)")
    if not 0 <= n_future <= horizon:
        raise ValueError(f"n_future {n_future} must be within 0..horizon {horizon}")
    n_series, n_train = y.shape
    n_periods = n_train + n_future
    extended = np.full((n_series, n_periods), np.nan)
    extended[:, :n_train] = y
    columns: dict[str, FloatArray] = {}
    for lag in lags:
        columns[f"lag_{lag}"] = _shift(extended, lag)
    shifted = _shift(extended, horizon)
    for window in windows:
        columns[f"mean_{window}"], columns[f"std_{window}"] = _rolling(shifted, window)
    for name, column in calendar(start, n_periods).items():
        columns[name] = np.broadcast_to(column, (n_series, n_periods))
    observed = ~np.isnan(y)
    with np.errstate(invalid="ignore", divide="ignore"):
        series_mean = np.where(observed, y, 0.0).sum(axis=1) / observed.sum(axis=1)
    columns["series_mean"] = np.broadcast_to(series_mean[:, None], (n_series, n_periods))
    if prices is not None:
        price = _per_series(prices, n_series, n_periods, "prices")
        train_price = price[:, :n_train]
        known = ~np.isnan(train_price)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_price = np.where(known, train_price, 0.0).sum(axis=1) / known.sum(axis=1)
            columns["rel_price"] = price / mean_price[:, None]
            columns["price_change_7"] = price / _shift(price, 7) - 1.0
    for name, flags in (events or {}).items():
        columns[f"event_{name}"] = _per_series(flags, n_series, n_periods, f"events[{name}]")
    for name, signal in (regressors or {}).items():
        columns[f"x_{name}"] = _per_series(signal, n_series, n_periods, f"regressors[{name}]")
    values = np.stack(list(columns.values()), axis=2)
    values[~np.isfinite(values)] = np.nan
    return FeatureSet(values=values, names=tuple(columns), n_train=n_train)
