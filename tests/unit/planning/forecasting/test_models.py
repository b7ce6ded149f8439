from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting.models import MODELS, default_battery
from unit.planning.forecasting._panels import assert_valid


def test_default_battery_is_the_peer_set_with_seasonal_smoothing_and_horizon_buckets() -> None:
    aliases = [model.alias for model in default_battery()]
    assert aliases == [
        "Naive", "SeasonalNaive", "WindowAverage", "SES", "CrostonSBA",
        "TSB", "ADIDA", "IMAPA", "SeasonalES", "HorizonADIDA",
    ]  # fmt: skip
    assert set(aliases) <= set(MODELS)


@pytest.mark.parametrize("alias", sorted(MODELS))
def test_every_model_is_safe_on_awkward_panels(alias: str) -> None:
    rng = np.random.default_rng(7)
    y = rng.poisson(0.7, size=(6, 60)).astype(np.float64)
    y[rng.random(y.shape) < 0.2] = np.nan
    y[0] = np.nan  # never observed
    y[1, :50] = np.nan  # started late
    y[2] = 0.0  # no demand
    model = MODELS[alias]()
    assert model.alias == alias
    fitted = model.fit(y).predict(14)
    assert_valid(fitted, 6, 14)
    np.testing.assert_array_equal(fitted[0], 0.0)
    np.testing.assert_array_equal(model.forecast(y, 14), fitted)
    assert_valid(MODELS[alias]().forecast(np.empty((2, 0)), 3), 2, 3)
