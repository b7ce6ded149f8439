"""A global gradient-boosted forecaster: one LightGBM model trained on all series.

Rows are series x day with the features of
:func:`stockguard.planning.forecasting.features.build_features` (lags >= horizon, rolling
statistics of the series shifted by the horizon, calendar, a series mean-encoding and,
optionally, relative price, event flags and any other regressor). The direct strategy
means one model forecasts all ``horizon`` days at once without feeding forecasts back as
lags.

LightGBM is imported on first fit. Training is deterministic for a given seed
(``deterministic=True``, fixed threads).

``GbmDriversModel`` wraps it as the drivers model the forecasting services expect
(``services.forecasting.drivers.DriversModel``): lags derived from the horizon, inputs
over history + horizon, and a progress callback over boosting rounds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.base import FloatArray
from stockguard.planning.forecasting.features import (
    DEFAULT_LAGS,
    DEFAULT_WINDOWS,
    build_features,
    lags_for,
)

RoundsCallback = Callable[[int, int], None]
"""Called after each boosting round with (rounds done, total rounds)."""


class GlobalGbmForecaster:
    """One LightGBM model over all series, direct multi-horizon forecasts.

    ``fit(y, prices=..., events=...)`` then ``predict(future_prices=..., future_events=...)``
    returns (n_series, horizon) non-negative means. Series with no observation forecast 0.
    """

    alias = "GlobalGBM"

    def __init__(
        self,
        horizon: int = 28,
        objective: str = "tweedie",
        tweedie_variance_power: float = 1.1,
        num_boost_round: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 63,
        min_data_in_leaf: int = 100,
        max_train_periods: int | None = 1_100,
        lags: tuple[int, ...] = DEFAULT_LAGS,
        windows: tuple[int, ...] = DEFAULT_WINDOWS,
        seed: int = 7,
        num_threads: int = 2,
        use_prices: bool = True,
        use_events: bool = True,
    ) -> None:
        self.horizon = horizon
        self.objective = objective
        self.tweedie_variance_power = tweedie_variance_power
        self.num_boost_round = num_boost_round
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_data_in_leaf = min_data_in_leaf
        self.max_train_periods = max_train_periods
        self.lags = lags
        self.windows = windows
        self.seed = seed
        self.num_threads = num_threads
        self.use_prices = use_prices
        self.use_events = use_events

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "objective": self.objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "lambda_l2": 0.1,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": self.num_threads,
            "verbosity": -1,
        }
        if self.objective == "tweedie":
            params["tweedie_variance_power"] = self.tweedie_variance_power
        return params

    def fit(
        self,
        y: FloatArray,
        *,
        prices: FloatArray | None = None,
        events: Mapping[str, npt.ArrayLike] | None = None,
        regressors: Mapping[str, npt.ArrayLike] | None = None,
        start: np.datetime64 | None = None,
        progress: RoundsCallback | None = None,
    ) -> Self:
        """Train on every observed series x day.

        Args:
            y: (n_series, n_periods) units per day, NaN = unobserved (not a training row).
            prices: (n_series, n_periods) sell prices, used when ``use_prices``.
            events: name -> (n_periods,) or (n_series, n_periods) flags, used when
                ``use_events``; ``predict`` then needs the same names for the future.
            regressors: name -> (n_periods,) or (n_series, n_periods) values of other
                signals (NaN = unknown), always used; ``predict`` needs them too.
            start: date of day 0, for day of month and month features.
            progress: called after each boosting round.
        """
        lgb = _lightgbm()
        y = np.asarray(y, dtype=np.float64)
        self.y_ = y
        self.start_ = start
        self.prices_ = (
            np.asarray(prices, dtype=np.float64) if self.use_prices and prices is not None else None
        )
        self.events_ = dict(events) if self.use_events and events is not None else None
        self.regressors_ = dict(regressors) if regressors else None
        features = build_features(
            y,
            horizon=self.horizon,
            lags=self.lags,
            windows=self.windows,
            start=start,
            prices=self.prices_,
            events=self.events_,
            regressors=self.regressors_,
        )
        n_periods = y.shape[1]
        first = 0 if self.max_train_periods is None else max(0, n_periods - self.max_train_periods)
        first = max(first, min(self.lags))  # before it every lag is unknown
        rows = features.rows(first, n_periods)
        target = y[:, first:].reshape(-1)
        keep = ~np.isnan(target)
        if not keep.any():
            raise ValueError("no observed target to train on")
        self.feature_names_ = features.names
        if not (target[keep] > 0).any():
            # The Tweedie objective refuses labels summing to zero ("sum of labels is
            # zero"); with no unit sold in the training window the mean forecast is 0.
            self.booster_ = None
            return self
        dataset = lgb.Dataset(
            rows[keep], label=target[keep], feature_name=list(features.names), free_raw_data=True
        )
        callbacks = [] if progress is None else [_rounds_callback(progress)]
        self.booster_ = lgb.train(
            self._params(), dataset, num_boost_round=self.num_boost_round, callbacks=callbacks
        )
        return self

    def predict(
        self,
        *,
        future_prices: FloatArray | None = None,
        future_events: Mapping[str, npt.ArrayLike] | None = None,
        future_regressors: Mapping[str, npt.ArrayLike] | None = None,
    ) -> FloatArray:
        """Mean forecast for the ``horizon`` days after the training data, (n_series, horizon).

        Args:
            future_prices: (n_series, horizon) prices; when the model uses prices and this is
                None, each series' last known price is carried forward.
            future_events: name -> (horizon,) or (n_series, horizon) flags, required with
                the same names as in ``fit`` when the model uses events.
            future_regressors: name -> (horizon,) or (n_series, horizon) values, required
                with the same names as in ``fit``.
        """
        n_series = self.y_.shape[0]
        if self.booster_ is None:  # nothing was sold in the training window (``fit``)
            return np.zeros((n_series, self.horizon), dtype=np.float64)
        prices = None
        if self.prices_ is not None:
            if future_prices is None:
                future_prices = np.repeat(_last_known(self.prices_)[:, None], self.horizon, axis=1)
            future = np.asarray(future_prices, dtype=np.float64)
            if future.shape != (n_series, self.horizon):
                raise ValueError(f"future_prices must be ({n_series}, {self.horizon})")
            prices = np.concatenate([self.prices_, future], axis=1)
        events = self._joined(self.events_, future_events, "future_events")
        regressors = self._joined(self.regressors_, future_regressors, "future_regressors")
        features = build_features(
            self.y_,
            horizon=self.horizon,
            n_future=self.horizon,
            lags=self.lags,
            windows=self.windows,
            start=self.start_,
            prices=prices,
            events=events,
            regressors=regressors,
        )
        n_periods = self.y_.shape[1]
        rows = features.rows(n_periods, n_periods + self.horizon)
        mean = np.asarray(self.booster_.predict(rows), dtype=np.float64)
        mean = np.maximum(mean.reshape(n_series, self.horizon), 0.0)
        never = np.isnan(self.y_).all(axis=1)
        mean[never] = 0.0
        return mean

    def _joined(
        self,
        past: Mapping[str, npt.ArrayLike] | None,
        future: Mapping[str, npt.ArrayLike] | None,
        argument: str,
    ) -> dict[str, FloatArray] | None:
        """Past and future values of each named input, or None when the model has none."""
        if past is None:
            return None
        given = dict(future or {})
        missing = set(past) - set(given)
        if missing:
            raise ValueError(f"{argument} lacks {sorted(missing)}")
        n_series = self.y_.shape[0]
        return {
            name: _join(values, given[name], n_series, self.horizon)
            for name, values in past.items()
        }


def _last_known(values: FloatArray) -> FloatArray:
    """(n_series,) last non-NaN value of each row (NaN when none)."""
    known = ~np.isnan(values)
    last = values.shape[1] - 1 - np.argmax(known[:, ::-1], axis=1)
    out = values[np.arange(values.shape[0]), last]
    return np.where(known.any(axis=1), out, np.nan)


def _join(past: npt.ArrayLike, future: npt.ArrayLike, n_series: int, horizon: int) -> FloatArray:
    """Past and future flags as one (n_series, n_periods + horizon) array."""
    before = np.asarray(past, dtype=np.float64)
    after = np.asarray(future, dtype=np.float64)
    if before.ndim == 1:
        before = np.broadcast_to(before, (n_series, before.size))
    if after.ndim == 1:
        after = np.broadcast_to(after, (n_series, after.size))
    if after.shape != (n_series, horizon):
        raise ValueError(f"future values must be ({horizon},) or ({n_series}, {horizon})")
    return np.concatenate([before, after], axis=1)


def _lightgbm() -> Any:
    """The lightgbm module, imported with OpenMP threads that sleep when idle.

    LightGBM's OpenMP threads spin while they wait by default; on a machine whose cores
    are busy with other work, that made a small fit 10 to 20 times slower. ``PASSIVE``
    only takes effect if set before the OpenMP runtime loads (the first lightgbm import);
    a value the user set is kept.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import lightgbm

    return lightgbm


def _rounds_callback(progress: RoundsCallback) -> Callable[[Any], None]:
    """A LightGBM callback reporting (rounds done, total) after each round."""

    def report(env: Any) -> None:
        progress(int(env.iteration) + 1, int(env.end_iteration))

    return report


class GbmDriversModel:
    """The drivers model of the forecasting services: a fresh GlobalGbmForecaster per call.

    Args:
        seed: LightGBM's seed (bagging and feature sampling); same seed, same numbers.
        num_threads: LightGBM threads for large training sets; below
            ``SINGLE_THREAD_ROWS`` observed rows one thread is used (faster there).
        num_boost_round, learning_rate, num_leaves, min_data_in_leaf, max_train_periods:
            as GlobalGbmForecaster. ``min_data_in_leaf`` is lowered on small panels to
            ``max(MIN_LEAF_FLOOR, training rows // 100)`` so a few series can still split.
    """

    alias = GlobalGbmForecaster.alias
    MIN_LEAF_FLOOR = 10
    SINGLE_THREAD_ROWS = 200_000

    def __init__(
        self,
        *,
        seed: int = 7,
        num_threads: int = 2,
        num_boost_round: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 63,
        min_data_in_leaf: int = 100,
        max_train_periods: int | None = 1_100,
    ) -> None:
        self.seed = seed
        self.num_threads = num_threads
        self.num_boost_round = num_boost_round
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_data_in_leaf = min_data_in_leaf
        self.max_train_periods = max_train_periods

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
        """Fit on ``y`` (n_series, n_periods) and forecast the next ``horizon`` periods.

        ``prices`` and every regressor are (n_series, n_periods + horizon): the history
        and then the horizon's known values. Returns (n_series, horizon) means >= 0.
        """
        n_periods = y.shape[1]
        rows = int(np.isfinite(y).sum())
        model = GlobalGbmForecaster(
            horizon=horizon,
            num_boost_round=self.num_boost_round,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_data_in_leaf=min(self.min_data_in_leaf, max(self.MIN_LEAF_FLOOR, rows // 100)),
            max_train_periods=self.max_train_periods,
            lags=lags_for(horizon),
            seed=self.seed,
            num_threads=1 if rows < self.SINGLE_THREAD_ROWS else self.num_threads,
            use_prices=prices is not None,
            use_events=False,
        )
        model.fit(
            y,
            prices=None if prices is None else prices[:, :n_periods],
            regressors={name: values[:, :n_periods] for name, values in regressors.items()},
            start=np.datetime64(start, "D"),
            progress=progress,
        )
        return model.predict(
            future_prices=None if prices is None else prices[:, n_periods:],
            future_regressors={name: values[:, n_periods:] for name, values in regressors.items()},
        )
