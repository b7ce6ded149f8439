"""HorizonADIDA: SES on buckets of the horizon's length, and its role as the default of
intermittent series in the automatic selection."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from stockguard.planning.forecasting import classification
from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA, bucket_means
from stockguard.planning.forecasting.selection import Selection, keep_default
from stockguard.planning.forecasting.smoothing import SimpleExponentialSmoothing
from unit.planning.forecasting._panels import assert_valid, panels

NAN = np.nan


def test_buckets_end_at_the_origin_and_skip_unobserved_periods() -> None:
    y = np.array([[9.0, 1.0, 2.0, 3.0, NAN, 4.0, 0.0, NAN, NAN]])
    # 9 periods, buckets of 4: the oldest period is dropped; the last bucket has 1 observation
    np.testing.assert_allclose(bucket_means(y=y, bucket=4), [[(1 + 2 + 3) / 3, 2.0]])
    np.testing.assert_allclose(bucket_means(y=y, bucket=4, cut=5), [[(1 + 2 + 3) / 3]])
    np.testing.assert_allclose(bucket_means(y=y, bucket=12), [[19 / 6]])  # shorter: one bucket


def test_forecast_is_ses_on_horizon_buckets_spread_evenly() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(0.4, size=(5, 36)).astype(np.float64)
    buckets = y.reshape(5, 6, 6).mean(axis=2)  # 36 periods = 6 buckets of the horizon 6
    level = SimpleExponentialSmoothing().fit(buckets).level_
    forecast = HorizonADIDA().forecast(y, 6)
    np.testing.assert_allclose(forecast, np.repeat(level[:, None], 6, axis=1))
    np.testing.assert_allclose(HorizonADIDA(bucket=6).forecast(y, 3), forecast[:, :3])


@settings(max_examples=40, deadline=None)
@given(panels(max_series=4, max_periods=40))
def test_every_origin_equals_a_fit_on_its_prefix(y: np.ndarray) -> None:
    origins = sorted({0, y.shape[1] // 2, y.shape[1]})
    together = HorizonADIDA().forecast_origins(y, origins, 7)
    for w, cut in enumerate(origins):
        np.testing.assert_allclose(together[w], HorizonADIDA().forecast(y[:, :cut], 7))
        assert_valid(together[w], y.shape[0], 7)


def test_keep_default_needs_the_margin_to_replace_the_default() -> None:
    errors = np.array([[1.0, 1.0, 1.0, 1.0], [0.95, 0.85, 0.5, np.inf]])  # model 0 = default
    chosen = Selection(weights=np.array([[0.0] * 4, [1.0] * 4]), error=errors[1].copy())
    eligible = np.array([True, True, False, True])
    kept = keep_default(selection=chosen, errors=errors, default=0, eligible=eligible, margin=0.1)
    # series 0: 5% better, not enough; 1: 15% better, replaces it; 2: not eligible;
    # 3: the choice cannot be scored (inf): the default stays
    np.testing.assert_array_equal(kept.weights, [[1, 0, 0, 1], [0, 1, 1, 0]])
    np.testing.assert_allclose(kept.error, [1.0, 0.85, 0.5, 1.0])


def _intermittent_and_smooth(n_each: int = 60, n_periods: int = 96) -> np.ndarray:
    rng = np.random.default_rng(11)
    sparse = rng.binomial(1, 0.2, (n_each, n_periods)) * rng.poisson(3.0, (n_each, n_periods))
    smooth = rng.poisson(20.0, (n_each, n_periods))
    return np.vstack([sparse, smooth]).astype(np.float64)


def test_intermittent_series_keep_the_default_unless_clearly_beaten() -> None:
    y = _intermittent_and_smooth()
    demand = classification.classify_demand(y).code
    fitted = AutoForecaster(season_length=12, default_margin=0.1).fit(y, 6)
    names = np.array(fitted.predict().model)
    intermittent = np.isin(demand, (classification.INTERMITTENT, classification.LUMPY))
    assert intermittent[:60].all()
    assert not intermittent[60:].any()
    errors = fitted.backtest_errors_[fitted.aliases_.index("HorizonADIDA")]
    replaced = intermittent & (names != "HorizonADIDA")
    assert (names[intermittent] == "HorizonADIDA").mean() > 0.5
    assert (fitted.selection_.error[replaced] < 0.9 * errors[replaced]).all()
    without = AutoForecaster(season_length=12, intermittent_default=None).fit(y, 6)
    np.testing.assert_array_equal(without.predict().model[60:], names[60:])
    assert (np.array(without.predict().model)[:60] == "HorizonADIDA").mean() < 0.5
