"""Calibrated quantiles: conformal by horizon step and count distributions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from stockguard.planning.forecasting import intervals, metrics

LEVELS = np.array(intervals.INTERVAL_LEVELS)


def _column(level: float) -> int:
    return int(np.flatnonzero(np.isclose(LEVELS, level))[0])


def _poisson_calibration(
    rate: np.ndarray, seed: int, continuous: bool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles calibrated on Poisson backtests with the known rate, and fresh actuals."""
    rng = np.random.default_rng(seed)
    n_series, horizon, n_windows = rate.size, 28, 3
    history = rng.poisson(rate[:, None], size=(n_series, 200)).astype(np.float64)
    backtest_actuals = rng.poisson(rate[None, :, None], size=(n_windows, n_series, horizon))
    backtest_forecasts = np.broadcast_to(rate[None, :, None], backtest_actuals.shape)
    calibrated = intervals.calibrate_quantiles(
        mean=np.repeat(rate[:, None], horizon, axis=1),
        backtest_forecasts=np.array(backtest_forecasts, dtype=np.float64),
        backtest_actuals=backtest_actuals.astype(np.float64),
        insample=history,
        levels=LEVELS,
        continuous=continuous,
    )
    future = rng.poisson(rate[:, None], size=(n_series, horizon)).astype(np.float64)
    return calibrated.quantiles, future


def _coverages(quantiles: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    inner = metrics.coverage(
        actual=actual, lower=quantiles[:, _column(0.1)], upper=quantiles[:, _column(0.9)], axis=None
    )
    outer = metrics.coverage(
        actual=actual,
        lower=quantiles[:, _column(0.025)],
        upper=quantiles[:, _column(0.975)],
        axis=None,
    )
    return float(inner), float(outer)


def test_interval_levels_add_the_bounds_of_80_and_95_percent_intervals() -> None:
    # a level already there (0.9) is kept once, and the result is sorted
    assert intervals.interval_levels((0.99, 0.5, 0.9)) == (0.025, 0.1, 0.5, 0.9, 0.975, 0.99)
    assert intervals.INTERVAL_LEVELS == (0.025, 0.1, 0.5, 0.8, 0.9, 0.95, 0.975, 0.99)


def test_poisson_intervals_cover_their_nominal_share() -> None:
    rate = np.random.default_rng(1).uniform(10.0, 60.0, size=2000)
    quantiles, future = _poisson_calibration(rate, seed=2)
    inner, outer = _coverages(quantiles, future)
    assert inner == pytest.approx(0.80, abs=0.03)
    assert outer == pytest.approx(0.95, abs=0.03)


def test_slow_poisson_whole_unit_intervals_are_conservative_because_demand_is_discrete() -> None:
    rate = np.random.default_rng(3).uniform(0.2, 3.0, size=2000)
    quantiles, future = _poisson_calibration(rate, seed=4, continuous=False)
    inner, outer = _coverages(quantiles, future)
    assert inner >= 0.85  # closed interval of whole units: at least 80% by construction
    assert outer >= 0.95


def test_slow_poisson_intervals_are_near_nominal_by_default() -> None:
    """The default count quantiles are continuous (Y + U - 1/2): near 80% and 95%."""
    rate = np.random.default_rng(3).uniform(0.2, 3.0, size=2000)
    quantiles, future = _poisson_calibration(rate, seed=4)
    inner, outer = _coverages(quantiles, future)
    assert inner == pytest.approx(0.80, abs=0.05)  # zeros at a lower bound of 0 stay inside
    assert outer == pytest.approx(0.95, abs=0.02)
    assert not np.array_equal(quantiles, np.round(quantiles))


def test_continuous_count_quantiles_bring_slow_movers_intervals_near_nominal() -> None:
    rng = np.random.default_rng(3)
    rate = rng.uniform(1.0, 5.0, size=2000)
    mean = np.repeat(rate[:, None], 28, axis=1)
    future = rng.poisson(mean).astype(np.float64)
    size = np.full(rate.size, np.inf)
    whole = intervals.count_quantiles(mean=mean, size=size, levels=LEVELS, continuous=False)
    smooth = intervals.count_quantiles(mean=mean, size=size, levels=LEVELS)
    whole_inner, _ = _coverages(whole, future)
    smooth_inner, _ = _coverages(smooth, future)
    assert whole_inner > 0.88  # closed interval of integer quantiles: >= 80% by construction
    assert smooth_inner == pytest.approx(0.80, abs=0.03)  # about 82% (zeros stay inside)


def test_conformal_offsets_calibrate_heteroscedastic_continuous_errors() -> None:
    rng = np.random.default_rng(5)
    sigma = rng.uniform(0.5, 20.0, size=3000)
    residuals = rng.normal(0.0, sigma[None, :, None], size=(3, 3000, 7))
    offsets = intervals.conformal_offsets(residuals=residuals, levels=LEVELS)
    future = rng.normal(0.0, sigma[:, None], size=(3000, 7))
    inner, outer = _coverages(offsets, future)
    assert inner == pytest.approx(0.80, abs=0.03)
    assert outer == pytest.approx(0.95, abs=0.03)


@pytest.mark.parametrize("seed", [11, 12])
def test_cross_fitted_scale_keeps_the_tails_of_one_short_window(seed: int) -> None:
    """One 28-step window per series (the drivers step's case): dividing residuals by a
    scale they are part of thins the pooled tails (95% covers about 93.8%); leaving each
    residual out of its own scale brings both intervals within a point of nominal."""
    rng = np.random.default_rng(seed)
    sigma = rng.uniform(0.5, 20.0, size=4000)
    residuals = rng.normal(0.0, sigma[None, :, None], size=(1, 4000, 28))
    future = rng.normal(0.0, sigma[:, None], size=(4000, 28))
    plain = intervals.conformal_offsets(residuals=residuals, levels=LEVELS, cross_fit=False)
    crossed = intervals.conformal_offsets(residuals=residuals, levels=LEVELS)
    _, plain_outer = _coverages(plain, future)
    inner, outer = _coverages(crossed, future)
    assert plain_outer < 0.94
    assert inner == pytest.approx(0.80, abs=0.01)
    assert outer == pytest.approx(0.95, abs=0.01)


def test_cross_fitted_standardisation_leaves_each_residual_out_of_its_scale() -> None:
    residuals = np.array(
        [[[1.0, -2.0, np.nan], [3.0, np.nan, np.nan]], [[0.5, 4.0, -1.0], [0.0, 0.0, 0.0]]]
    )
    scale = intervals.residual_scale(residuals)
    got = intervals.standardise(residuals, scale, cross_fit=True)
    for i in range(2):
        cells = [(w, h) for w in range(2) for h in range(3) if np.isfinite(residuals[w, i, h])]
        for w, h in cells:
            others = [residuals[v, i, k] ** 2 for v, k in cells if (v, k) != (w, h)]
            rest = float(np.mean(others))
            expected = residuals[w, i, h] / np.sqrt(rest) if rest > 0 else np.nan
            if np.isfinite(expected):
                assert got[w, i, h] == pytest.approx(expected)
            else:
                assert np.isnan(got[w, i, h])
    assert np.isnan(got[0, 0, 2])  # not scored
    assert np.isnan(got[0, 1, 0])  # every other residual of series 1 is 0: no scale


def test_conformal_uses_per_cell_quantiles_when_there_are_enough_windows() -> None:
    residuals = np.random.default_rng(6).normal(size=(40, 2, 3))
    offsets = intervals.conformal_offsets(residuals=residuals, levels=LEVELS, min_residuals=30)
    expected = np.quantile(residuals[:, 1, 2], LEVELS, method="weibull")  # (n + 1) tau
    np.testing.assert_allclose(offsets[1, :, 2], expected)
    linear = intervals.conformal_offsets(
        residuals=residuals, levels=LEVELS, min_residuals=30, finite_sample=False
    )
    np.testing.assert_allclose(linear[1, :, 2], np.quantile(residuals[:, 1, 2], LEVELS))


def test_count_quantiles_are_poisson_or_negative_binomial_quantiles() -> None:
    mean = np.array([[2.0, 0.0], [4.0, 4.0]])
    size = np.array([np.inf, 2.0])
    quantiles = intervals.count_quantiles(mean=mean, size=size, levels=LEVELS, continuous=False)
    np.testing.assert_array_equal(quantiles[0, :, 0], stats.poisson.ppf(LEVELS, 2.0))
    np.testing.assert_array_equal(quantiles[0, :, 1], 0.0)
    np.testing.assert_array_equal(quantiles[1, :, 0], stats.nbinom.ppf(LEVELS, 2.0, 2.0 / 6.0))


def test_continuous_count_quantiles_spread_each_count_over_its_unit_interval() -> None:
    mean = np.array([[2.0, 0.0], [4.0, 700.0]])  # 700: above the compiled recursion's range
    size = np.array([np.inf, 2.0])
    quantiles = intervals.count_quantiles(mean=mean, size=size, levels=LEVELS, continuous=True)
    for row, col, dist in (
        (0, 0, stats.poisson(2.0)),
        (1, 0, stats.nbinom(2.0, 2.0 / 6.0)),
        (1, 1, stats.nbinom(2.0, 2.0 / 702.0)),
    ):
        k = dist.ppf(LEVELS)
        expected = np.maximum(k + 0.5 - (dist.cdf(k) - LEVELS) / dist.pmf(k), 0.0)
        np.testing.assert_allclose(quantiles[row, :, col], expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(quantiles[0, :, 1], 0.0)


def test_count_size_detects_overdispersion() -> None:
    rng = np.random.default_rng(8)
    overdispersed = rng.negative_binomial(2.0, 2.0 / 7.0, size=20_000)  # mean 5, size 2
    underdispersed = rng.binomial(10, 0.5, size=20_000)
    size = intervals.count_size(insample=np.vstack([overdispersed, underdispersed]).astype(float))
    assert size[0] == pytest.approx(2.0, rel=0.1)
    assert np.isinf(size[1])


def test_quantiles_are_non_negative_and_non_decreasing_in_level() -> None:
    rng = np.random.default_rng(9)
    n_series, horizon = 300, 5
    rate = rng.gamma(0.5, 2.0, size=n_series)
    history = (rng.random((n_series, 100)) < 0.3) * rng.poisson(
        3 * rate[:, None] + 1, (n_series, 100)
    )
    actuals = (rng.random((3, n_series, horizon)) < 0.3) * rng.poisson(3.0, (3, n_series, horizon))
    forecasts = np.broadcast_to(rate[None, :, None], actuals.shape)
    calibrated = intervals.calibrate_quantiles(
        mean=np.repeat(rate[:, None], horizon, axis=1),
        backtest_forecasts=np.array(forecasts),
        backtest_actuals=actuals.astype(np.float64),
        insample=history.astype(np.float64),
        levels=LEVELS,
    )
    assert (calibrated.quantiles >= 0).all()
    assert (np.diff(calibrated.quantiles, axis=1) >= 0).all()
    chosen = calibrated.loss[calibrated.method, np.arange(n_series)]
    assert (chosen <= calibrated.loss.min(axis=0)).all()


def test_pool_minimum_puts_every_levels_plotting_position_inside_the_sample() -> None:
    assert intervals.pool_minimum(LEVELS) == 99  # (n + 1) 0.99 <= n
    assert intervals.pool_minimum(np.array([0.025, 0.5, 0.975])) == 39
    assert intervals.pool_minimum(np.array([0.1, 0.9])) == 9


@pytest.mark.parametrize("n_series", [40, 70])
def test_finite_sample_quantiles_keep_small_pools_at_nominal_coverage(n_series: int) -> None:
    """One window of 28 steps per series and a small panel: each step's pooled quantile
    rests on n_series residuals. numpy's default position (n - 1) tau + 1 moves each
    bound inward by (2 tau - 1) / (n + 1) of coverage (95%: 2.7 points for 70 residuals,
    4.6 for 40); the plotting position (n + 1) tau does not. 400 repetitions of a
    normal panel make the mean coverage exact to about 0.1 point."""
    rng = np.random.default_rng(n_series)
    covered: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(400):
        sigma = rng.uniform(0.5, 20.0, size=n_series)
        residuals = rng.normal(0.0, sigma[None, :, None], size=(1, n_series, 28))
        future = rng.normal(0.0, sigma[:, None], size=(n_series, 28))
        for finite in (True, False):
            offsets = intervals.conformal_offsets(
                residuals=residuals, levels=LEVELS, finite_sample=finite
            )
            covered[finite].append(_coverages(offsets, future))
    inner, outer = np.mean(covered[True], axis=0)
    old_inner, old_outer = np.mean(covered[False], axis=0)
    assert inner == pytest.approx(0.80, abs=0.01)
    assert outer == pytest.approx(0.95, abs=0.01)
    assert old_outer < 0.95 - 1.5 / (n_series + 1)
    assert old_inner < 0.80 - 1.0 / (n_series + 1)


def test_a_class_too_small_for_the_top_level_pools_with_every_series() -> None:
    rng = np.random.default_rng(8)
    residuals = rng.standard_t(3, size=(1, 600, 5))
    residuals[:, :50] = rng.normal(size=(1, 50, 5))  # class 0: 50 series, thin tails
    groups = np.repeat([0, 1], [50, 550])
    sized = intervals.conformal_offsets(residuals=residuals, levels=LEVELS, groups=groups)
    together = intervals.conformal_offsets(residuals=residuals, levels=LEVELS)
    own = intervals.conformal_offsets(
        residuals=residuals, levels=LEVELS, groups=groups, tail_sized=False
    )
    np.testing.assert_allclose(sized[:50], together[:50])  # 50 < 99: the pool of all
    assert not np.allclose(own[:50], together[:50])  # without the rule: its own pool
    np.testing.assert_allclose(sized[50:], own[50:])  # 550 >= 99: its own pool
