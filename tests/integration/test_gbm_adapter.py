"""The global LightGBM forecaster on a small synthetic panel where price drives demand."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.adapters.forecasting.gbm import GlobalGbmForecaster

pytestmark = pytest.mark.slow

HORIZON = 28
N_SERIES, N_PERIODS = 40, 400


def price_panel() -> tuple[np.ndarray, np.ndarray]:
    """(y, prices) over N_PERIODS + HORIZON days: random 30% discounts lift demand 2.5x."""
    rng = np.random.default_rng(11)
    total = N_PERIODS + HORIZON
    base_price = rng.uniform(1.0, 10.0, (N_SERIES, 1))
    discount = rng.random((N_SERIES, total)) < 0.15
    prices = base_price * np.where(discount, 0.7, 1.0)
    level = rng.uniform(1.0, 6.0, (N_SERIES, 1))
    weekly = 1.0 + 0.2 * np.sin(2 * np.pi * np.arange(total) / 7)
    mean = level * weekly * np.where(discount, 2.5, 1.0)
    y = rng.poisson(mean).astype(np.float64)
    y[:3, :50] = np.nan  # late starters
    return y, prices


def small_model(*, use_prices: bool = True, seed: int = 7) -> GlobalGbmForecaster:
    return GlobalGbmForecaster(
        horizon=HORIZON,
        num_boost_round=150,
        learning_rate=0.05,
        min_data_in_leaf=20,
        use_prices=use_prices,
        seed=seed,
    )


def test_prices_beat_no_prices_on_held_out_days() -> None:
    y, prices = price_panel()
    train, actual = y[:, :N_PERIODS], y[:, N_PERIODS:]
    with_prices = small_model().fit(train, prices=prices[:, :N_PERIODS])
    forecast = with_prices.predict(future_prices=prices[:, N_PERIODS:])
    without = small_model(use_prices=False).fit(train, prices=prices[:, :N_PERIODS]).predict()
    assert forecast.shape == (N_SERIES, HORIZON)
    assert (forecast >= 0).all()
    assert np.isfinite(forecast).all()
    error_with = np.mean((actual - forecast) ** 2)
    error_without = np.mean((actual - without) ** 2)
    assert error_with < 0.8 * error_without


def test_same_seed_gives_the_same_forecast() -> None:
    y, prices = price_panel()
    events = {"discount": (prices < prices.max(axis=1, keepdims=True)).astype(np.float64)}
    runs = [
        small_model(seed=5)
        .fit(
            y[:, :N_PERIODS],
            prices=prices[:, :N_PERIODS],
            events={"discount": events["discount"][:, :N_PERIODS]},
            start=np.datetime64("2024-01-01"),
        )
        .predict(
            future_prices=prices[:, N_PERIODS:],
            future_events={"discount": events["discount"][:, N_PERIODS:]},
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0], runs[1])


def test_missing_future_events_are_refused() -> None:
    y, _prices = price_panel()
    model = small_model().fit(y[:, :N_PERIODS], events={"flag": np.zeros(N_PERIODS)})
    with pytest.raises(ValueError, match="future_events"):
        model.predict()
    forecast = model.predict(future_events={"flag": np.zeros(HORIZON)})
    assert forecast.shape == (N_SERIES, HORIZON)
