"""Accuracy metrics on hand-computed examples."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting import metrics

NAN = np.nan


def test_rmsse_of_a_perfect_forecast_is_zero() -> None:
    insample = np.array([[1.0, 3.0, 2.0, 5.0]])
    actual = np.array([[4.0, 6.0]])
    assert metrics.rmsse(actual=actual, forecast=actual, insample=insample)[0] == 0.0


def test_rmsse_of_the_naive_forecast_matches_hand_computation() -> None:
    # one-step naive in-sample errors are all 1, so the scale is 1
    insample = np.array([[1.0, 2.0, 3.0, 4.0]])
    actual = np.array([[5.0, 6.0]])
    naive = np.array([[4.0, 4.0]])  # errors 1 and 2 -> MSE 2.5
    result = metrics.rmsse(actual=actual, forecast=naive, insample=insample)
    np.testing.assert_allclose(result, [np.sqrt(2.5)], rtol=1e-12)


def test_scale_starts_at_the_first_non_zero_demand_and_skips_missing_values() -> None:
    insample = np.array([[0.0, 0.0, 0.0, 1.0, 3.0, NAN, 4.0]])
    # active part 1, 3, NaN, 4 -> only the pair (1, 3) is observed: squared diff 4
    np.testing.assert_allclose(metrics.naive_scale(insample=insample), [4.0])
    np.testing.assert_allclose(metrics.naive_scale(insample=insample, power=1), [2.0])


def test_seasonal_scale_uses_the_seasonal_lag() -> None:
    insample = np.array([[1.0, 5.0, 2.0, 7.0]])  # lag-2 diffs: 1, 2
    np.testing.assert_allclose(metrics.naive_scale(insample=insample, season=2), [2.5])


def test_series_without_variation_get_a_level_or_unit_floor() -> None:
    insample = np.array([[5.0, 5.0, 5.0], [0.0, 0.0, 0.0], [NAN, NAN, NAN], [0.2, 0.2, 0.2]])
    np.testing.assert_allclose(metrics.naive_scale(insample=insample), [25.0, 1.0, 1.0, 1.0])


def test_nan_actuals_are_not_scored() -> None:
    insample = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]])
    actual = np.array([[5.0, NAN], [NAN, NAN]])
    forecast = np.array([[4.0, 100.0], [1.0, 1.0]])
    result = metrics.rmsse(actual=actual, forecast=forecast, insample=insample)
    assert result[0] == pytest.approx(1.0)
    assert np.isnan(result[1])


def test_revenue_weights_use_the_last_28_days_only() -> None:
    insample = np.zeros((2, 40))
    insample[0, :12] = 100.0  # old sales do not count
    insample[0, -28:] = 1.0
    insample[1, -28:] = 2.0
    weights = metrics.revenue_weights(insample=insample, price=np.array([3.0, 1.0]))
    np.testing.assert_allclose(weights, [84.0 / 140.0, 56.0 / 140.0])


def test_wrmsse_is_the_weighted_mean_of_rmsse() -> None:
    insample = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]])  # scales 1 and 4
    actual = np.array([[5.0, 6.0], [10.0, 12.0]])
    forecast = np.array([[4.0, 4.0], [10.0, 10.0]])  # RMSSE sqrt(2.5) and sqrt(2 / 4)
    weights = np.array([0.25, 0.75])
    score = metrics.wrmsse(actual=actual, forecast=forecast, insample=insample, weights=weights)
    assert score == pytest.approx(0.25 * np.sqrt(2.5) + 0.75 * np.sqrt(0.5))


def test_mase_wape_and_bias() -> None:
    insample = np.array([[1.0, 3.0, 2.0]])  # abs diffs 2, 1 -> scale 1.5
    actual = np.array([[4.0, 2.0, NAN]])
    forecast = np.array([[3.0, 4.0, 9.0]])  # abs errors 1, 2
    assert metrics.mase(actual=actual, forecast=forecast, insample=insample)[0] == pytest.approx(
        1.5 / 1.5
    )
    assert metrics.wape(actual=actual, forecast=forecast, axis=None) == pytest.approx(3.0 / 6.0)
    assert metrics.bias(actual=actual, forecast=forecast, axis=None) == pytest.approx(1.0 / 6.0)
    np.testing.assert_allclose(metrics.bias(actual=actual, forecast=forecast), [1.0 / 6.0])


def test_scaled_pinball_loss_matches_hand_computation() -> None:
    insample = np.array([[1.0, 3.0, 2.0]])  # mean abs naive error 1.5
    actual = np.array([[4.0, 0.0]])
    quantiles = np.array([[[3.0, 3.0], [5.0, 5.0]]])  # levels 0.5 and 0.9
    levels = np.array([0.5, 0.9])
    # step 1: 0.5*1 and 0.1*1; step 2: 0.5*3 and 0.1*5 -> mean of 0.5, 0.1, 1.5, 0.5 = 0.65
    spl = metrics.scaled_pinball_loss(
        actual=actual, quantiles=quantiles, levels=levels, insample=insample
    )
    np.testing.assert_allclose(spl, [0.65 / 1.5])


def test_coverage_counts_bounds_as_inside_and_skips_nan() -> None:
    actual = np.array([[1.0, 2.0, 5.0, NAN]])
    lower = np.array([[1.0, 0.0, 0.0, 0.0]])
    upper = np.array([[2.0, 2.0, 4.0, 4.0]])
    np.testing.assert_allclose(metrics.coverage(actual=actual, lower=lower, upper=upper), [2 / 3])
