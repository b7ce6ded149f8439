"""The per-series choice between the statistical forecast, the drivers model and their mean."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting import driver_choice as dc
from stockguard.planning.forecasting import intervals
from stockguard.planning.forecasting.base import ProbabilisticForecast

NAN = np.nan
LEVELS = np.array([0.1, 0.5, 0.9])


def _window(
    statistical: list[float], drivers: list[float], actual: list[float]
) -> dc.BacktestWindow:
    """One value per series, repeated over a 4-day window; training data with scale 1."""
    n_series = len(actual)
    training = np.tile(np.array([0.0, 1.0]), (n_series, 10))  # one-step naive MSE = 1
    return dc.BacktestWindow(
        statistical=np.repeat(np.array(statistical)[:, None], 4, axis=1),
        drivers=np.repeat(np.array(drivers)[:, None], 4, axis=1),
        actuals=np.repeat(np.array(actual)[:, None], 4, axis=1),
        training=training,
    )


def test_each_series_gets_the_candidate_with_the_lowest_backtest_error() -> None:
    # series 0: drivers exact; 1: statistical exact; 2: the two err on both sides, mean exact
    window = _window(statistical=[5.0, 3.0, 2.0], drivers=[9.0, 7.0, 6.0], actual=[9.0, 3.0, 4.0])
    choice = dc.choose_forecasts(window=window)
    assert choice.choice.tolist() == [dc.DRIVERS, dc.STATISTICAL, dc.MEAN]
    np.testing.assert_allclose(choice.errors[:, 0], [16.0, 0.0, 4.0])
    assert (choice.count(dc.STATISTICAL), choice.count(dc.DRIVERS), choice.count(dc.MEAN)) == (
        1,
        1,
        1,
    )


def test_without_combination_the_mean_is_never_chosen() -> None:
    window = _window(statistical=[2.0], drivers=[6.0], actual=[4.5])
    choice = dc.choose_forecasts(window=window, combine=False)
    assert choice.choice.tolist() == [dc.DRIVERS]
    assert np.isnan(choice.errors[dc.MEAN]).all()


def test_the_statistical_forecast_stays_unless_beaten_by_the_margin() -> None:
    # errors 1.0 (statistical) against 0.95 and 0.81: only a cut of more than 10% switches
    window = _window(
        statistical=[4.0, 4.0], drivers=[3.0 + 0.95**0.5, 3.0 + 0.9], actual=[3.0, 3.0]
    )
    choice = dc.choose_forecasts(window=window, combine=False)
    assert choice.choice.tolist() == [dc.STATISTICAL, dc.DRIVERS]
    no_margin = dc.choose_forecasts(window=window, combine=False, min_improvement=0.0)
    assert no_margin.choice.tolist() == [dc.DRIVERS, dc.DRIVERS]


def test_with_combination_the_mean_is_the_default_a_single_forecast_must_beat() -> None:
    # series 0: errors mean 1.0, statistical 0.95 (less than 10% better: the mean stays);
    # series 1: mean 1.0, drivers 0.81 (19% better: the drivers model replaces it)
    window = _window(
        statistical=[3.0 + 0.95**0.5, 4.1], drivers=[5.0 - 0.95**0.5, 3.9], actual=[3.0, 3.0]
    )
    mean_error = ((window.statistical + window.drivers) / 2 - window.actuals) ** 2
    np.testing.assert_allclose(mean_error[:, 0], [1.0, 1.0])
    choice = dc.choose_forecasts(window=window)
    assert choice.choice.tolist() == [dc.MEAN, dc.DRIVERS]
    np.testing.assert_allclose(choice.errors[:, 0], [0.95, (2.0 - 0.95**0.5) ** 2, 1.0])


def test_a_tie_and_an_unscored_series_keep_the_default() -> None:
    window = _window(statistical=[4.0, 1.0], drivers=[4.0, 9.0], actual=[4.0, NAN])
    choice = dc.choose_forecasts(window=window, min_improvement=0.0)
    assert choice.choice.tolist() == [dc.MEAN, dc.MEAN]
    assert np.isnan(choice.errors[:, 1]).all()
    alone = dc.choose_forecasts(window=window, combine=False, min_improvement=0.0)
    assert alone.choice.tolist() == [dc.STATISTICAL, dc.STATISTICAL]


def test_a_missing_drivers_forecast_on_a_scored_day_is_never_chosen() -> None:
    window = _window(statistical=[4.0], drivers=[NAN], actual=[1.0])
    assert dc.choose_forecasts(window=window).choice.tolist() == [dc.STATISTICAL]


def test_an_impossible_margin_is_refused() -> None:
    with pytest.raises(ValueError, match="min_improvement"):
        dc.choose_forecasts(window=_window([1.0], [1.0], [1.0]), min_improvement=1.0)


def _statistical(n_series: int, horizon: int) -> ProbabilisticForecast:
    mean = np.full((n_series, horizon), 2.0)
    quantiles = np.stack([mean - 1.0, mean, mean + 1.0], axis=1)
    return ProbabilisticForecast(
        mean=mean, levels=LEVELS, quantiles=quantiles, model=("SES",) * n_series
    )


def test_blending_takes_means_and_names_from_each_series_choice() -> None:
    rng = np.random.default_rng(1)
    n_series, horizon = 40, 4
    statistical = _statistical(n_series, horizon)
    drivers = np.full((n_series, horizon), 6.0)
    window = dc.BacktestWindow(
        statistical=np.full((n_series, horizon), 2.0),
        drivers=np.full((n_series, horizon), 6.0),
        actuals=rng.poisson(6.0, (n_series, horizon)).astype(np.float64),
        training=rng.poisson(6.0, (n_series, 30)).astype(np.float64),
    )
    choice = dc.DriverChoice(
        choice=np.array([dc.STATISTICAL, dc.DRIVERS, dc.MEAN] + [dc.DRIVERS] * 37),
        errors=np.zeros((3, n_series)),
    )
    blended = dc.blend_forecasts(
        statistical=statistical, drivers_mean=drivers, choice=choice, window=window,
        insample=window.training,
    )  # fmt: skip
    np.testing.assert_array_equal(blended.mean[:3, 0], [2.0, 6.0, 4.0])
    assert blended.model[:3] == ("SES", "GlobalGBM", "GlobalGBM+SES")
    np.testing.assert_array_equal(blended.quantiles[0], statistical.quantiles[0])
    assert (np.diff(blended.quantiles, axis=1) >= 0).all()
    assert (blended.quantiles >= 0).all()
    # the drivers series' quantiles come from its residuals around 6: p10 < 6 < p90
    assert blended.quantiles[1, 0, 0] < 6.0 < blended.quantiles[1, 2, 0]
    np.testing.assert_array_equal(blended.levels, LEVELS)


def _promotion_panel(
    rng: np.random.Generator, n_series: int = 60, horizon: int = 28, n_train: int = 120
) -> tuple[dc.BacktestWindow, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Demand = level x (1 + 0.6 on promotion days, 20% of days) + normal noise.

    The drivers model knows the promotions (its forecast is the true mean), the
    statistical forecast does not (the level). Returns the backtest window (the last
    ``horizon`` days of the history), the history, the statistical mean, the drivers
    forecast of the horizon and the horizon's actual demand.
    """
    level = rng.uniform(20.0, 80.0, n_series)
    noise = rng.uniform(2.0, 8.0, n_series)
    promoted = rng.random((n_series, n_train + 2 * horizon)) < 0.2
    truth = level[:, None] * (1.0 + 0.6 * promoted)
    y = truth + rng.normal(0.0, noise[:, None], truth.shape)
    cut = n_train + horizon
    statistical = np.repeat(level[:, None], horizon, axis=1)
    window = dc.BacktestWindow(
        statistical=statistical,
        drivers=truth[:, n_train:cut],
        actuals=y[:, n_train:cut],
        training=y[:, :n_train],
    )
    return window, y[:, :cut], statistical, truth[:, cut:], y[:, cut:]


def test_the_drivers_models_intervals_cover_nominal_out_of_sample_on_a_small_panel() -> None:
    """The drivers step calibrates on one window, so on a 60-series panel each horizon
    step's pooled quantile rests on 60 residuals. With the plotting position (n + 1) tau
    (``intervals.FINITE_SAMPLE_QUANTILES``) the 95% interval of the series that take the
    drivers model covers about 95% of fresh demand; numpy's default position covers
    about 92% (3 points thin, as on the M5 subset before the change). 40 panels make
    the means exact to a few tenths of a point."""
    levels = np.array(intervals.INTERVAL_LEVELS)
    column = {level: int(np.flatnonzero(np.isclose(levels, level))[0]) for level in levels}
    rng = np.random.default_rng(7)
    covered: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(40):
        window, history, statistical, drivers, future = _promotion_panel(rng)
        choice = dc.choose_forecasts(window=window)
        assert choice.count(dc.DRIVERS) > 50  # the drivers model wins almost everywhere
        stat = ProbabilisticForecast(
            mean=statistical,
            levels=levels,
            quantiles=np.repeat(statistical[:, None, :], levels.size, axis=1),
            model=("SES",) * statistical.shape[0],
        )
        for finite in (True, False):
            saved = intervals.FINITE_SAMPLE_QUANTILES
            intervals.FINITE_SAMPLE_QUANTILES = finite
            try:
                blended = dc.blend_forecasts(
                    statistical=stat, drivers_mean=drivers, choice=choice, window=window,
                    insample=history,
                )  # fmt: skip
            finally:
                intervals.FINITE_SAMPLE_QUANTILES = saved
            q = blended.quantiles[choice.choice == dc.DRIVERS]
            actual = future[choice.choice == dc.DRIVERS]
            inner = np.mean((actual >= q[:, column[0.1]]) & (actual <= q[:, column[0.9]]))
            outer = np.mean((actual >= q[:, column[0.025]]) & (actual <= q[:, column[0.975]]))
            covered[finite].append((float(inner), float(outer)))
    inner, outer = np.mean(covered[True], axis=0)
    _, old_outer = np.mean(covered[False], axis=0)
    assert outer == pytest.approx(0.95, abs=0.01)
    assert inner == pytest.approx(0.80, abs=0.015)
    assert old_outer < 0.93
