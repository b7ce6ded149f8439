"""Stock-outs censor sales: forecasting them as unobserved recovers demand, as zeros does not.

Synthetic shop with known demand: 300 series, Poisson demand with rates of 2 to 20 units a
day and a weekly pattern, 365 days. Stock is replenished up to a level that covers only 50%
to 95% of the expected demand of each review period (5 to 12 days, any weekday), so most
cycles end in a stock-out: sales = min(demand, stock on hand) and a day that ends with no
stock is a stock-out day. About a third of the days are censored and a quarter of demand is
lost. The truth to forecast is the *expected* demand (rate x weekday factor) of the 28 days
after the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest

from stockguard.planning.forecasting import baselines, smoothing
from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.base import FloatArray, Forecaster
from stockguard.planning.panel import DemandPanel

N_SERIES = 300
N_DAYS = 365
HORIZON = 28
WEEKLY_PATTERN = np.array([0.8, 0.9, 0.95, 1.0, 1.05, 1.3, 1.0])


@dataclass(frozen=True, slots=True)
class CensoredShop:
    """Sales history with its stock-out mask, and the true expected demand of the horizon."""

    panel: DemandPanel
    true_mean: FloatArray  # (n_series, HORIZON) expected units per day
    lost_share: float


def censored_shop(seed: int = 20260901) -> CensoredShop:
    rng = np.random.default_rng(seed)
    rate = rng.uniform(2.0, 20.0, N_SERIES)
    weekly = WEEKLY_PATTERN / WEEKLY_PATTERN.mean()
    expected = rate[:, None] * weekly[np.arange(N_DAYS + HORIZON) % 7]
    demand = rng.poisson(expected[:, :N_DAYS]).astype(np.float64)
    review_days = rng.integers(5, 13, N_SERIES)
    phase = rng.integers(0, 13, N_SERIES)
    order_up_to = np.ceil(rate * review_days * rng.uniform(0.5, 0.95, N_SERIES))
    on_hand = order_up_to.copy()
    sales = np.zeros_like(demand)
    stockout = np.zeros(demand.shape, dtype=np.bool_)
    for day in range(N_DAYS):  # loop over time, vector over series
        received = (day + phase) % review_days == 0
        on_hand = np.where(received, np.maximum(on_hand, order_up_to), on_hand)
        sales[:, day] = np.minimum(demand[:, day], on_hand)
        on_hand -= sales[:, day]
        stockout[:, day] = on_hand <= 0
    names = tuple(f"SKU-{series}" for series in range(N_SERIES))
    panel = DemandPanel(sales, stockout, names, ("WH",) * N_SERIES, date(2025, 1, 1))
    lost_share = float(1.0 - sales.sum() / demand.sum())
    return CensoredShop(panel, expected[:, N_DAYS:], lost_share)


@pytest.fixture(scope="module")
def shop() -> CensoredShop:
    return censored_shop()


def mean_bias(forecast: FloatArray, truth: FloatArray) -> float:
    """Total forecast over total true expected demand, minus 1 (0.05 = 5% too high)."""
    return float(forecast.sum() / truth.sum() - 1.0)


def auto_mean(y: FloatArray) -> FloatArray:
    return AutoForecaster(season_length=7, n_windows=3).fit(y, HORIZON).predict().mean


def test_the_synthetic_shop_is_heavily_censored(shop: CensoredShop) -> None:
    assert 0.25 < shop.panel.stockout.mean() < 0.45
    assert shop.lost_share > 0.2


@pytest.mark.slow  # about 3 s: two AutoForecaster fits of 300 series x 365 days
def test_auto_forecaster_recovers_demand_when_stockout_days_are_unobserved(
    shop: CensoredShop,
) -> None:
    aware = mean_bias(auto_mean(shop.panel.observed()), shop.true_mean)
    naive = mean_bias(auto_mean(shop.panel.values), shop.true_mean)
    print(f"AutoForecaster mean bias: censoring-aware {aware:+.2%}, naive {naive:+.2%}")
    assert abs(aware) < 0.05
    assert naive < -0.10


@pytest.mark.parametrize(
    "model",
    [
        baselines.WindowAverage(28),
        smoothing.SimpleExponentialSmoothing(),
        smoothing.HoltWinters(season_length=7),
    ],
    ids=lambda model: model.alias,
)
def test_each_smoother_skips_unobserved_days_instead_of_reading_them_as_zero(
    shop: CensoredShop, model: Forecaster
) -> None:
    aware = mean_bias(model.forecast(shop.panel.observed(), HORIZON), shop.true_mean)
    naive = mean_bias(model.forecast(shop.panel.values, HORIZON), shop.true_mean)
    print(f"{model.alias} mean bias: censoring-aware {aware:+.2%}, naive {naive:+.2%}")
    assert abs(aware) < 0.05
    assert naive < -0.10
