"""The temporal-hierarchy forecast with structural scaling (an option, ADR 0036)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA
from stockguard.planning.forecasting.temporal_hierarchy import TemporalHierarchy, hierarchy_levels
from unit.planning.forecasting._panels import assert_valid, panels


def test_levels_are_the_divisors_of_the_season_and_horizon_span() -> None:
    assert hierarchy_levels(season_length=12, horizon=6) == (1, 2, 3, 4, 6, 12)
    assert hierarchy_levels(season_length=7, horizon=28) == (1, 2, 4, 7, 14, 28)
    assert hierarchy_levels(season_length=12, horizon=8) == (1, 2, 3, 4, 6, 8, 12, 24)
    with pytest.raises(ValueError, match="positive"):
        hierarchy_levels(season_length=0, horizon=6)


def test_forecast_is_the_equal_mean_of_the_levels_ses_forecasts() -> None:
    rng = np.random.default_rng(12)
    y = rng.poisson(0.5, size=(6, 40)).astype(np.float64)
    levels = [HorizonADIDA(bucket=k).forecast(y, 6) for k in (1, 2, 3, 4, 6, 12)]
    np.testing.assert_allclose(TemporalHierarchy(12).forecast(y, 6), np.mean(levels, axis=0))
    np.testing.assert_allclose(TemporalHierarchy(12).fit(y).predict(6), np.mean(levels, axis=0))


@settings(max_examples=30, deadline=None)
@given(panels(max_series=4, max_periods=40))
def test_every_origin_equals_a_fit_on_its_prefix(y: np.ndarray) -> None:
    origins = sorted({1, max(y.shape[1] // 2, 1), y.shape[1]})
    model = TemporalHierarchy(12)
    at_origins = model.forecast_origins(y, origins, 6)
    for w, cut in enumerate(origins):
        alone = model.forecast(y[:, :cut], 6)
        assert_valid(alone, y.shape[0], 6)
        np.testing.assert_allclose(at_origins[w], alone)
