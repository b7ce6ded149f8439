"""Inferred stock-outs: long zero runs while on sale are unobserved demand, not zero demand.

Synthetic shop with known demand and a sales-only history (no ledger mask), as in M5:
400 series with Poisson demand of 0.5 to 8 units a day over 365 days; each series has one
to three stock-outs of 14 to 45 days during which it sells nothing although it is still
priced, one of them always touching the last 60 days. The truth to forecast is the rate.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stockguard.planning.forecasting import baselines
from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.censoring import infer_stockouts, zero_run_lengths

N_SERIES, N_DAYS, HORIZON = 400, 365, 28


def sales_only_shop(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sales, true stock-out mask, rate) of the shop described in the module docstring."""
    rng = np.random.default_rng(seed)
    rate = rng.uniform(0.5, 8.0, N_SERIES)
    demand = rng.poisson(rate[:, None], size=(N_SERIES, N_DAYS)).astype(np.float64)
    stockout = np.zeros((N_SERIES, N_DAYS), dtype=np.bool_)
    for series in range(N_SERIES):
        starts = [int(rng.integers(N_DAYS - 60, N_DAYS - 14))]
        starts += [int(s) for s in rng.integers(0, N_DAYS - 120, rng.integers(0, 3))]
        for start in starts:
            stockout[series, start : start + int(rng.integers(14, 46))] = True
    return np.where(stockout, 0.0, demand), stockout, rate


def relative_bias(forecast: np.ndarray, rate: np.ndarray) -> float:
    return float(forecast.mean(axis=1).sum() / (rate.sum()) - 1.0)


def test_inferred_mask_finds_the_stockouts_and_spares_in_stock_days() -> None:
    sales, truth, _ = sales_only_shop()
    inferred = infer_stockouts(y=sales)
    recall = (inferred & truth).sum() / truth.sum()
    false_alarms = (inferred & ~truth).sum() / (~truth).sum()
    assert recall > 0.95
    assert false_alarms < 0.005  # zero days next to a stock-out join its run


@pytest.mark.parametrize("model", ["WindowAverage", "Auto"])
def test_forecast_is_unbiased_once_inferred_stockouts_are_unobserved(model: str) -> None:
    sales, _, rate = sales_only_shop()
    censored = np.where(infer_stockouts(y=sales), np.nan, sales)

    def fit(y: np.ndarray) -> np.ndarray:
        if model == "Auto":
            return AutoForecaster(season_length=7).fit(y, HORIZON).predict().mean
        return baselines.WindowAverage(window_size=28).forecast(y, HORIZON)

    assert abs(relative_bias(fit(censored), rate)) < 0.05
    assert relative_bias(fit(sales), rate) < -0.15  # zeros read as demand drag it down


def test_a_short_gap_in_a_daily_seller_is_flagged_unless_it_was_off_sale() -> None:
    y = np.ones((1, 105))
    y[0, 50:55] = 0.0
    flagged = infer_stockouts(y=y)
    assert flagged[0, 50:55].all()
    assert flagged.sum() == 5
    on_sale = np.ones_like(y, dtype=np.bool_)
    on_sale[0, 50:55] = False
    assert not infer_stockouts(y=y, on_sale=on_sale).any()


def test_a_series_that_never_sells_gets_no_flag() -> None:
    assert not infer_stockouts(y=np.zeros((2, 400))).any()


def test_significance_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="significance"):
        infer_stockouts(y=np.zeros((1, 5)), significance=0.0)


@given(
    arrays(np.float64, (3, 40), elements=st.sampled_from([0.0, 1.0, np.nan])),
)
def test_run_lengths_equal_a_scalar_count(y: np.ndarray) -> None:
    zero = y == 0.0
    skip = np.isnan(y)
    got = zero_run_lengths(zero=zero, skip=skip)
    for series in range(y.shape[0]):
        expected = np.zeros(y.shape[1], dtype=np.int64)
        members: list[int] = []
        for t in range(y.shape[1] + 1):
            if t < y.shape[1] and (zero[series, t] or skip[series, t]):
                if zero[series, t]:
                    members.append(t)
                continue
            expected[members] = len(members)
            members = []
        np.testing.assert_array_equal(got[series], expected)
